"""Web authorization's server side: /sns/oauth2/access_token, /sns/oauth2/refresh_token,
/sns/userinfo and /sns/auth (reference section 7)."""

from urllib.parse import urlsplit

import pytest

from tests.sandbox.helpers import (
    BASE,
    UNKNOWN_APPID,
    USERINFO,
    assert_error,
    code2session,
    listed_openid,
    login,
    sns_access_token,
    sns_auth,
    sns_refresh_token,
    sns_userinfo,
    web_code,
    web_login,
)
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET

ACCESS_TOKEN_LIFETIME = 7200
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600
CODE_LIFETIME = 5 * 60
OK = {"errcode": 0, "errmsg": "ok"}


def xiaoming(client):
    """xiaoming's openid in the service account, as the sandbox's directory lists it."""
    return listed_openid(client, "xiaoming", OFFICIAL_ACCOUNT_APPID)


# /sns/oauth2/access_token


def test_userinfo_code_gives_tokens_openid_and_unionid(client, phone):
    body = sns_access_token(client, web_code(client, USERINFO))

    assert set(body) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "openid",
        "scope",
        "unionid",
    }
    assert body["expires_in"] == ACCESS_TOKEN_LIFETIME
    assert body["scope"] == USERINFO
    assert body["openid"] == xiaoming(client)
    mini_program = login(phone)
    assert body["unionid"] == mini_program["unionid"], "one person across the bound apps"
    assert body["openid"] != mini_program["openid"], "openid is per app"
    assert body["access_token"] != body["refresh_token"]


def test_base_code_gives_no_unionid(client):
    body = sns_access_token(client, web_code(client, BASE))

    assert set(body) == {"access_token", "expires_in", "refresh_token", "openid", "scope"}
    assert body["scope"] == BASE and body["openid"] == xiaoming(client)
    assert body["expires_in"] == ACCESS_TOKEN_LIFETIME


def test_unionid_links_each_persona_to_their_mini_program_login(client, phone_of):
    client.set_cookie("sandbox_user", "lihua")

    body = sns_access_token(client, web_code(client, USERINFO))

    assert body["openid"] == listed_openid(client, "lihua", OFFICIAL_ACCOUNT_APPID)
    assert body["unionid"] == login(phone_of("lihua"))["unionid"]
    assert body["unionid"] != login(phone_of("xiaoming"))["unionid"]


@pytest.mark.parametrize(
    "overrides, errcode",
    [
        pytest.param({"appid": None}, 41002, id="no appid"),
        pytest.param({"secret": None}, 41004, id="no secret"),
        pytest.param(
            {"appid": UNKNOWN_APPID, "secret": OFFICIAL_ACCOUNT_SECRET}, 40013, id="unknown appid"
        ),
        pytest.param({"secret": "0" * 32}, 40125, id="wrong secret"),
        pytest.param({"grant_type": "client_credential"}, 40002, id="wrong grant_type"),
        pytest.param({"grant_type": None}, 40002, id="no grant_type"),
        pytest.param({"code": None}, 41008, id="no code"),
        pytest.param({"code": ""}, 41008, id="empty code"),
    ],
)
def test_refused_exchange_leaves_the_code_usable(client, overrides, errcode):
    code = web_code(client)

    assert_error(sns_access_token(client, **{"code": code, **overrides}), errcode)

    assert sns_access_token(client, code)["openid"] == xiaoming(client)


@pytest.mark.parametrize(
    "code", ["0" * 32, "oauth-code\x00", "x" * 500], ids=["unknown", "with NUL", "too long"]
)
def test_unknown_code_is_invalid(client, code):
    assert_error(sns_access_token(client, code), 40029)


def test_mini_program_login_code_is_not_a_web_code(client, phone):
    assert_error(sns_access_token(client, phone.login()), 40029)


def test_web_code_belongs_to_the_service_account(client):
    code = web_code(client)

    assert_error(sns_access_token(client, code, appid=MINIPROGRAM_APPID), 40029)
    assert_error(code2session(client, code), 40029)
    assert sns_access_token(client, code)["openid"] == xiaoming(client)


def test_code_expires_after_five_minutes(client, clock):
    early, late = web_code(client), web_code(client)

    clock.advance(CODE_LIFETIME - 1)
    assert "access_token" in sns_access_token(client, early)
    clock.advance(1)
    assert_error(sns_access_token(client, late), 42003)


def test_code_is_single_use(client):
    code = web_code(client, USERINFO)
    assert "access_token" in sns_access_token(client, code)

    assert_error(sns_access_token(client, code), 40163)


def test_every_exchange_gives_new_tokens(client):
    first, second = web_login(client), web_login(client)

    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]
    assert sns_auth(client, first["access_token"], first["openid"]) == OK


# /sns/oauth2/refresh_token


def test_refresh_keeps_an_unexpired_access_token_and_extends_it(client, clock):
    """The Open Platform's doc of this endpoint: an unexpired access_token is kept, only its
    expiry is extended (the official account's page is silent: partly confirmed)."""
    issued = web_login(client, USERINFO)
    clock.advance(3600)

    body = sns_refresh_token(client, issued["refresh_token"])

    assert set(body) == {"access_token", "expires_in", "refresh_token", "openid", "scope"}
    assert (body["access_token"], body["refresh_token"]) == (
        issued["access_token"],
        issued["refresh_token"],
    )
    assert (body["expires_in"], body["openid"], body["scope"]) == (
        ACCESS_TOKEN_LIFETIME,
        issued["openid"],
        USERINFO,
    )
    clock.advance(ACCESS_TOKEN_LIFETIME - 1)  # past the first expiry, within the new one
    assert sns_auth(client, issued["access_token"], issued["openid"]) == OK
    assert sns_userinfo(client, body["access_token"], body["openid"])["nickname"] == "小明"


def test_refresh_replaces_an_expired_access_token(client, clock):
    issued = web_login(client, USERINFO)
    clock.advance(ACCESS_TOKEN_LIFETIME)
    assert_error(sns_auth(client, issued["access_token"], issued["openid"]), 42001)

    body = sns_refresh_token(client, issued["refresh_token"])

    assert body["access_token"] != issued["access_token"]
    assert body["refresh_token"] == issued["refresh_token"]
    assert sns_auth(client, body["access_token"], body["openid"]) == OK
    assert_error(sns_auth(client, issued["access_token"], issued["openid"]), 40001)


def test_refresh_token_can_be_used_again(client, clock):
    issued = web_login(client)
    clock.advance(ACCESS_TOKEN_LIFETIME)
    first = sns_refresh_token(client, issued["refresh_token"])
    clock.advance(ACCESS_TOKEN_LIFETIME)

    second = sns_refresh_token(client, first["refresh_token"])

    assert second["access_token"] not in (issued["access_token"], first["access_token"])
    assert_error(sns_auth(client, first["access_token"], first["openid"]), 40001)
    assert sns_auth(client, second["access_token"], second["openid"]) == OK


def test_refreshed_access_token_lives_7200_seconds_from_the_refresh(client, clock):
    issued = web_login(client)
    clock.advance(ACCESS_TOKEN_LIFETIME - 100)
    refreshed = sns_refresh_token(client, issued["refresh_token"])

    clock.advance(ACCESS_TOKEN_LIFETIME - 1)
    assert sns_auth(client, refreshed["access_token"], refreshed["openid"]) == OK
    clock.advance(1)
    assert_error(sns_auth(client, refreshed["access_token"], refreshed["openid"]), 42001)


def test_refresh_token_lives_30_days(client, clock):
    issued = web_login(client)

    clock.advance(REFRESH_TOKEN_LIFETIME - 1)
    assert "access_token" in sns_refresh_token(client, issued["refresh_token"])
    clock.advance(1)
    assert_error(sns_refresh_token(client, issued["refresh_token"]), 42002)


@pytest.mark.parametrize(
    "refresh_token",
    [None, "", "0" * 40, "refresh\x00"],
    ids=["missing", "empty", "unknown", "with NUL"],
)
def test_unknown_refresh_token_is_invalid(client, refresh_token):
    web_login(client)

    assert_error(sns_refresh_token(client, refresh_token), 40030)


def test_refresh_token_belongs_to_its_app(client):
    issued = web_login(client)

    assert_error(sns_refresh_token(client, issued["refresh_token"], appid=MINIPROGRAM_APPID), 40030)


def test_access_token_is_not_a_refresh_token(client):
    assert_error(sns_refresh_token(client, web_login(client)["access_token"]), 40030)


@pytest.mark.parametrize(
    "overrides, errcode",
    [
        pytest.param({"appid": None}, 41002, id="no appid"),
        pytest.param({"appid": UNKNOWN_APPID}, 40013, id="unknown appid"),
        pytest.param({"grant_type": "authorization_code"}, 40002, id="wrong grant_type"),
        pytest.param({"grant_type": None}, 40002, id="no grant_type"),
    ],
)
def test_refresh_errors_change_nothing(client, overrides, errcode):
    issued = web_login(client)

    assert_error(sns_refresh_token(client, issued["refresh_token"], **overrides), errcode)

    assert sns_auth(client, issued["access_token"], issued["openid"]) == OK


# /sns/userinfo


def test_userinfo_answers_the_profile(client, phone):
    issued = web_login(client, USERINFO)

    body = sns_userinfo(client, issued["access_token"], issued["openid"])

    assert body == {
        "openid": xiaoming(client),
        "nickname": "小明",
        "sex": 0,
        "province": "",
        "city": "",
        "country": "",
        "headimgurl": body["headimgurl"],
        "privilege": [],
        "unionid": login(phone)["unionid"],
    }
    avatar = client.get(urlsplit(body["headimgurl"]).path)
    assert avatar.status_code == 200 and avatar.content_type.startswith("image/svg+xml")
    assert urlsplit(body["headimgurl"]).scheme in ("http", "https"), "an absolute URL"


def test_userinfo_is_the_profile_of_the_persona(client):
    client.set_cookie("sandbox_user", "lihua")
    issued = web_login(client, USERINFO)

    body = sns_userinfo(client, issued["access_token"], issued["openid"])

    assert body["nickname"] == "李华"
    assert body["openid"] == listed_openid(client, "lihua", OFFICIAL_ACCOUNT_APPID)


def test_userinfo_refuses_a_base_token(client):
    issued = web_login(client, BASE)

    assert_error(sns_userinfo(client, issued["access_token"], issued["openid"]), 48001)
    assert sns_auth(client, issued["access_token"], issued["openid"]) == OK


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
def test_wrong_openid_is_invalid(client, phone, sns):
    issued = web_login(client, USERINFO)
    lihua = listed_openid(client, "lihua", OFFICIAL_ACCOUNT_APPID)
    mini_program = login(phone)["openid"]

    for openid in (lihua, mini_program, "", None):
        assert_error(sns(client, issued["access_token"], openid), 40003)


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
@pytest.mark.parametrize("token", ["0" * 40, "token\x00"], ids=["unknown", "with NUL"])
def test_unknown_access_token_is_invalid(client, sns, token):
    assert_error(sns(client, token, xiaoming(client)), 40001)


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
def test_refresh_token_is_not_an_access_token(client, sns):
    issued = web_login(client, USERINFO)

    assert_error(sns(client, issued["refresh_token"], issued["openid"]), 40001)


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
def test_server_access_token_is_not_a_web_one(client, sns, access_token):
    """The /cgi-bin/token access_token is another credential altogether."""
    assert_error(sns(client, access_token, xiaoming(client)), 40001)


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
def test_access_token_expires_after_7200_seconds(client, clock, sns):
    issued = web_login(client, USERINFO)

    clock.advance(ACCESS_TOKEN_LIFETIME - 1)
    assert sns(client, issued["access_token"], issued["openid"]).get("errcode", 0) == 0
    clock.advance(1)
    assert_error(sns(client, issued["access_token"], issued["openid"]), 42001)


@pytest.mark.parametrize("sns", [sns_userinfo, sns_auth], ids=["userinfo", "auth"])
def test_missing_access_token(client, sns):
    assert_error(sns(client, None, xiaoming(client)), 41001)


# /sns/auth


@pytest.mark.parametrize("scope", [BASE, USERINFO])
def test_auth_accepts_a_live_token(client, scope):
    issued = web_login(client, scope)

    assert sns_auth(client, issued["access_token"], issued["openid"]) == OK


# Injected faults


def inject(client, api, errcode=-1):
    response = client.post("/sandbox/faults", json={"api": api, "errcode": errcode})
    assert response.status_code == 201, response.get_json()


def test_fault_in_the_exchange_leaves_the_code_usable(client):
    code = web_code(client, USERINFO)
    inject(client, "access_token")

    body = sns_access_token(client, code)

    assert_error(body, -1)
    assert body["errmsg"].startswith("system error, rid: ")
    assert sns_access_token(client, code)["openid"] == xiaoming(client)


@pytest.mark.parametrize(
    "api, errcode",
    [("access_token", -1), ("refresh_token", 45011), ("userinfo", -1), ("auth", 40001)],
)
def test_every_sns_api_can_fail(client, api, errcode):
    issued = web_login(client, USERINFO)
    calls = {
        "access_token": lambda: sns_access_token(client, web_code(client, USERINFO)),
        "refresh_token": lambda: sns_refresh_token(client, issued["refresh_token"]),
        "userinfo": lambda: sns_userinfo(client, issued["access_token"], issued["openid"]),
        "auth": lambda: sns_auth(client, issued["access_token"], issued["openid"]),
    }
    inject(client, api, errcode)

    assert_error(calls[api](), errcode)
    assert calls[api]().get("errcode", 0) == 0, "one call only"
    assert client.get("/sandbox/faults").get_json() == {"faults": []}
