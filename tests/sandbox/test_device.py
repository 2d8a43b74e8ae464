"""The phone: /sandbox/device/... answers as the wx APIs do, decisions and authSetting included."""

import re
from urllib.parse import urlparse

import pytest

from tests.sandbox.helpers import UNKNOWN_APPID, code2session, listed_openid
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, UNBOUND_APPID

CAMERA, WERUN = "scope.camera", "scope.werun"
DESC = "用于完善会员资料"
DENIED = {"errMsg": "authorize:fail auth deny", "errno": 103}


def device(client, endpoint, body):
    """POST a JSON body to a device endpoint; return the response (status included)."""
    return client.post(f"/sandbox/device/{endpoint}", json=body)


# wx.login and wx.checkSession


def test_login_answers_a_code(phone):
    body = phone.call("login")

    assert body["errMsg"] == "login:ok"
    assert re.fullmatch(r"[A-Za-z0-9]{32}", body["code"])


def test_check_session_fails_before_login_and_passes_after(phone):
    assert phone.call("check-session") == {"errMsg": "checkSession:fail session time out"}

    phone.login()

    assert phone.call("check-session") == {"errMsg": "checkSession:ok"}


# wx.getUserProfile


def test_profile_needs_a_decision_every_time(phone, sandbox_state):
    before = sandbox_state()

    body = phone.call("user-profile", desc=DESC)

    assert body == {
        "needsDecision": True,
        "sheet": {"app": "授权实验室", "asks": "获取你的昵称、头像", "detail": DESC},
    }
    assert sandbox_state() == before
    phone.call("user-profile", desc=DESC, decision="allow")
    assert phone.call("user-profile", desc=DESC)["needsDecision"] is True, "not remembered"


def test_profile_deny(phone):
    assert phone.call("user-profile", desc=DESC, decision="deny") == {
        "errMsg": "getUserProfile:fail auth deny"
    }


def test_profile_today_is_anonymous(phone):
    body = phone.call("user-profile", desc=DESC, decision="allow")

    assert body["errMsg"] == "getUserProfile:ok"
    assert set(body) == {"errMsg", "userInfo", "rawData", "signature", "encryptedData", "iv"}
    info = body["userInfo"]
    assert info == {
        "nickName": "微信用户",
        "gender": 0,
        "language": "zh_CN",
        "city": "",
        "province": "",
        "country": "",
        "avatarUrl": info["avatarUrl"],
    }
    assert info["avatarUrl"].endswith("/sandbox/avatar/default.svg")
    avatar = phone.client.get(urlparse(info["avatarUrl"]).path)
    assert avatar.status_code == 200 and avatar.mimetype == "image/svg+xml"


def test_profile_before_2022_has_the_persona_nickname_and_avatar(phone):
    info = phone.call("user-profile", desc=DESC, decision="allow", era="pre-2022")["userInfo"]

    assert info["nickName"] == "小明"
    assert info["avatarUrl"].endswith("/sandbox/avatar/xiaoming.svg")
    assert (info["gender"], info["city"], info["province"], info["country"]) == (0, "", "", "")


def test_profile_era_from_configuration(app, phone):
    app.config["SANDBOX_PROFILE_ERA"] = "pre-2022"

    assert phone.call("user-profile", desc=DESC, decision="allow")["userInfo"]["nickName"] == "小明"


def test_profile_only_from_a_tap(phone):
    body = phone.call("user-profile", desc=DESC, decision="allow", tap=False)

    assert body == {"errMsg": "getUserProfile:fail can only be invoked by user TAP gesture"}


def test_desc_of_30_characters_is_fine(phone):
    assert phone.call("user-profile", desc="字" * 30, decision="allow")["errMsg"] == (
        "getUserProfile:ok"
    )


# The getPhoneNumber button


def test_phone_number_needs_a_decision(phone, sandbox_state):
    before = sandbox_state()

    body = phone.call("phone-number")

    assert body == {
        "needsDecision": True,
        "sheet": {"app": "授权实验室", "asks": "获取你的手机号", "detail": "13800138000"},
    }
    assert sandbox_state() == before, "no code issued"


def test_phone_number_deny(phone, sandbox_state):
    before = sandbox_state()

    assert phone.call("phone-number", decision="deny") == {
        "errMsg": "getPhoneNumber:fail user deny"
    }
    assert sandbox_state() == before, "no code issued"


def test_phone_number_allow(phone):
    body = phone.call("phone-number", decision="allow")

    assert body["errMsg"] == "getPhoneNumber:ok"
    assert re.fullmatch(r"[0-9a-f]{64}", body["code"])
    assert body["encryptedData"] and body["iv"]


# wx.authorize, wx.getSetting and the settings page


def test_first_authorize_shows_a_sheet_and_records_nothing(phone):
    body = phone.call("authorize", scope=CAMERA)

    assert body == {
        "needsDecision": True,
        "sheet": {"app": "授权实验室", "asks": "使用你的摄像头", "detail": CAMERA},
    }
    assert phone.call("setting")["authSetting"] == {}


def test_granted_scope_passes_silently(phone):
    assert phone.call("authorize", scope=CAMERA, decision="allow") == {"errMsg": "authorize:ok"}

    assert phone.call("authorize", scope=CAMERA) == {"errMsg": "authorize:ok"}


def test_denied_scope_fails_at_once_even_if_allow_is_sent(phone):
    assert phone.call("authorize", scope=CAMERA, decision="deny") == DENIED

    assert phone.call("authorize", scope=CAMERA) == DENIED
    assert phone.call("authorize", scope=CAMERA, decision="allow") == DENIED
    assert phone.call("setting")["authSetting"] == {CAMERA: False}


def test_get_setting_lists_only_scopes_asked(phone):
    phone.call("authorize", scope=CAMERA, decision="allow")
    phone.call("authorize", scope=WERUN, decision="deny")
    phone.call("authorize", scope="scope.record")  # sheet shown, no answer yet

    assert phone.call("setting") == {
        "authSetting": {CAMERA: True, WERUN: False},
        "errMsg": "getSetting:ok",
    }


def test_settings_page_flips_an_asked_scope(phone):
    phone.call("authorize", scope=CAMERA, decision="deny")

    body = device(
        phone.client,
        "setting",
        {"appid": phone.appid, "user": phone.user, "scope": CAMERA, "granted": True},
    ).get_json()

    assert body == {"authSetting": {CAMERA: True}, "errMsg": "openSetting:ok"}
    assert phone.call("authorize", scope=CAMERA) == {"errMsg": "authorize:ok"}


def test_settings_are_per_persona_and_app(phone, phone_of):
    phone.call("authorize", scope=CAMERA, decision="allow")

    assert phone_of("lihua").call("setting")["authSetting"] == {}
    assert phone_of("xiaoming", UNBOUND_APPID).call("setting")["authSetting"] == {}


# Clearing (DevTools 清缓存)


@pytest.fixture
def pending_code(phone):
    """Use xiaoming's phone: wx.login (a live key, and this code not yet redeemed), a camera
    grant."""
    code = phone.login()
    phone.call("authorize", scope=CAMERA, decision="allow")
    return code


def test_clear_auth(phone, pending_code):
    assert phone.call("clear", what="auth") == {
        "cleared": {"auth_scopes": 1, "privacy_agreements": 1},
        "errMsg": "clear:ok",
    }

    assert phone.call("setting")["authSetting"] == {}
    # The privacy agreement went too: the next privacy API fails until the user agrees again.
    assert phone.call("authorize", scope=CAMERA)["errno"] == 104
    phone.call("agree-privacy")
    assert phone.call("authorize", scope=CAMERA)["needsDecision"] is True
    assert phone.call("check-session")["errMsg"] == "checkSession:ok"
    assert "openid" in code2session(phone.client, pending_code)


def test_clear_login(phone, pending_code):
    assert phone.call("clear", what="login") == {
        "cleared": {"session_keys": 1, "pending_codes": 1},
        "errMsg": "clear:ok",
    }

    assert phone.call("check-session")["errMsg"] == "checkSession:fail session time out"
    assert code2session(phone.client, pending_code)["errcode"] == 40029
    assert phone.call("setting")["authSetting"] == {CAMERA: True}


def test_clear_all(phone, pending_code):
    assert phone.call("clear", what="all") == {
        "cleared": {
            "session_keys": 1,
            "pending_codes": 1,
            "auth_scopes": 1,
            "privacy_agreements": 1,
            "web_grants": 0,
            "web_denials": 0,
            "web_tokens": 0,
        },
        "errMsg": "clear:ok",
    }

    assert phone.call("check-session")["errMsg"] == "checkSession:fail session time out"
    assert phone.call("setting")["authSetting"] == {}


def test_clear_web_auth_leaves_the_mini_program_alone(phone, pending_code, sandbox_state):
    """Web authorization's grant lives with the service account, not the mini-program: clearing
    it (with nothing granted yet) touches none of the mini-program's state."""
    before = sandbox_state()

    assert phone.call("clear", what="web-auth") == {
        "cleared": {"web_grants": 0, "web_denials": 0, "web_tokens": 0},
        "errMsg": "clear:ok",
    }
    assert sandbox_state() == before


def test_clear_touches_only_that_persona(phone, pending_code, phone_of):
    lihua = phone_of("lihua")
    lihua.login()

    phone.call("clear", what="all")

    assert lihua.call("check-session")["errMsg"] == "checkSession:ok"


# Who holds the phone


def test_persona_from_the_cookie_when_no_user_is_given(client):
    client.set_cookie("sandbox_user", "lihua")

    code = device(client, "login", {"appid": MINIPROGRAM_APPID}).get_json()["code"]

    assert code2session(client, code)["openid"] == listed_openid(client, "lihua")


def test_user_wins_over_the_cookie(client):
    client.set_cookie("sandbox_user", "lihua")

    code = device(client, "login", {"appid": MINIPROGRAM_APPID, "user": "amy"}).get_json()["code"]

    assert code2session(client, code)["openid"] == listed_openid(client, "amy")


def test_xiaoming_holds_the_phone_by_default(client):
    code = device(client, "login", {"appid": MINIPROGRAM_APPID}).get_json()["code"]

    assert code2session(client, code)["openid"] == listed_openid(client, "xiaoming")


# Bad input: 400, "<api>:fail ...", and nothing changed

ENDPOINTS = [  # endpoint, wx API, a body that would otherwise change something
    ("login", "login", {}),
    ("check-session", "checkSession", {}),
    ("user-profile", "getUserProfile", {"desc": DESC, "decision": "allow"}),
    ("phone-number", "getPhoneNumber", {"decision": "allow"}),
    ("authorize", "authorize", {"scope": CAMERA, "decision": "allow"}),
    ("setting", "openSetting", {"scope": WERUN, "granted": True}),
    ("clear", "clear", {"what": "all"}),
]
BAD_CALLERS = [  # overrides, words of the errMsg
    pytest.param({"appid": UNKNOWN_APPID}, "invalid appid", id="unknown appid"),
    pytest.param({"appid": OFFICIAL_ACCOUNT_APPID}, "invalid appid", id="official account"),
    pytest.param({"appid": None}, "invalid appid", id="no appid"),
    pytest.param({"user": "nobody"}, "unknown user", id="unknown user"),
]
NOT_TEXT = [  # JSON can put a list where a string belongs
    pytest.param({"appid": [MINIPROGRAM_APPID]}, "invalid appid", id="appid list"),
    pytest.param({"user": ["xiaoming"]}, "unknown user", id="user list"),
]


@pytest.fixture
def state_before(phone, sandbox_state):
    """Some state to keep: a login and a denied werun; then the snapshot of it."""
    phone.login()
    phone.call("authorize", scope=WERUN, decision="deny")
    return sandbox_state()


def assert_refused(response, api, words):
    assert response.status_code == 400
    message = response.get_json()["errMsg"]
    assert message.startswith(f"{api}:fail ") and words in message, message


@pytest.mark.parametrize("endpoint, api, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize("overrides, words", BAD_CALLERS + NOT_TEXT)
def test_bad_caller(client, state_before, sandbox_state, endpoint, api, body, overrides, words):
    request = {"appid": MINIPROGRAM_APPID, "user": "xiaoming", **body, **overrides}

    assert_refused(device(client, endpoint, request), api, words)
    assert sandbox_state() == state_before


@pytest.mark.parametrize("endpoint, api, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize("payload", ["not json", "[1, 2]"], ids=["not JSON", "a list"])
def test_body_not_a_json_object(client, state_before, sandbox_state, endpoint, api, body, payload):
    response = client.post(
        f"/sandbox/device/{endpoint}", data=payload, content_type="application/json"
    )

    assert_refused(response, api, "JSON object")
    assert sandbox_state() == state_before


@pytest.mark.parametrize("overrides, words", BAD_CALLERS)
def test_get_setting_bad_caller(client, overrides, words):
    query = {k: v for k, v in {"appid": MINIPROGRAM_APPID, **overrides}.items() if v is not None}

    assert_refused(client.get("/sandbox/device/setting", query_string=query), "getSetting", words)


BAD_PARAMETERS = [
    pytest.param("user-profile", "getUserProfile", {"decision": "allow"}, id="no desc"),
    pytest.param("user-profile", "getUserProfile", {"desc": ""}, id="empty desc"),
    pytest.param("user-profile", "getUserProfile", {"desc": 42}, id="desc not text"),
    pytest.param("user-profile", "getUserProfile", {"desc": "字" * 31}, id="desc too long"),
    pytest.param("user-profile", "getUserProfile", {"desc": DESC, "era": "2019"}, id="unknown era"),
    pytest.param(
        "user-profile", "getUserProfile", {"desc": DESC, "decision": "maybe"}, id="profile decision"
    ),
    pytest.param("phone-number", "getPhoneNumber", {"decision": "yes"}, id="phone decision"),
    pytest.param("authorize", "authorize", {"scope": "scope.userInfo"}, id="withdrawn scope"),
    pytest.param("authorize", "authorize", {"scope": "scope.teleport"}, id="unknown scope"),
    pytest.param("authorize", "authorize", {"decision": "allow"}, id="no scope"),
    pytest.param("authorize", "authorize", {"scope": [CAMERA]}, id="scope list"),
    pytest.param(
        "authorize", "authorize", {"scope": CAMERA, "decision": "ok"}, id="authorize decision"
    ),
    pytest.param(
        "setting", "openSetting", {"scope": CAMERA, "granted": True}, id="scope never asked"
    ),
    pytest.param(
        "setting",
        "openSetting",
        {"scope": "scope.teleport", "granted": True},
        id="unknown scope in settings",
    ),
    pytest.param(
        "setting", "openSetting", {"scope": "scope.a\x00", "granted": True}, id="NUL scope"
    ),
    pytest.param(
        "setting", "openSetting", {"scope": [WERUN], "granted": True}, id="scope list in settings"
    ),
    pytest.param(
        "setting", "openSetting", {"scope": WERUN, "granted": "true"}, id="granted not a boolean"
    ),
    pytest.param("setting", "openSetting", {"scope": WERUN}, id="granted missing"),
    pytest.param("clear", "clear", {"what": "cache"}, id="unknown what"),
    pytest.param("clear", "clear", {}, id="no what"),
]


@pytest.mark.parametrize("endpoint, api, body", BAD_PARAMETERS)
def test_bad_parameter(client, state_before, sandbox_state, endpoint, api, body):
    request = {"appid": MINIPROGRAM_APPID, "user": "xiaoming", **body}

    assert_refused(device(client, endpoint, request), api, "")
    assert sandbox_state() == state_before
