"""Web authorization's browser side: /sandbox/open/connect/oauth2/authorize, the consent page,
the denial cache, the snapshot page and the error pages (reference section 7)."""

import html
import re
from urllib.parse import urlsplit

import pytest

from tests.sandbox.helpers import (
    AUTHORIZE,
    BASE,
    CALLBACK,
    STATE,
    UNKNOWN_APPID,
    USERINFO,
    WEB_CODE,
    assert_error,
    authorize_params,
    consent_token,
    decide,
    listed_openid,
    listed_unionid,
    open_authorize,
    page_text,
    redirect_target,
    sns_access_token,
    sns_auth,
    sns_userinfo,
    web_code,
    web_login,
)
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, UNBOUND_APPID
from webapp import create_app

DAY = 24 * 3600
CONSENT_DAYS = 30  # SANDBOX_WEB_CONSENT_DAYS
DENIAL_CACHE = 300  # SANDBOX_WEB_DENIAL_CACHE_SECONDS
CONSENT_PAGE_MAX_AGE = 600
EXPIRED_PAGE = "授权页面已失效"
SNAPSHOT_COOKIE = "sandbox_snapshot"
# WeChat's texts for the authorize page's errors (its documentation writes them without spaces).
NO_SCOPE_PERMISSION = "此公众号并没有这些scope的权限"
BAD_REDIRECT_URI = "redirect_uri参数错误"  # not a web page's URL at all
WRONG_DOMAIN = "redirect_uri域名与后台配置不一致"  # another host, or a port
NO_PORTS = "只能用80（http）或443（https）"  # said on every page that explains 10003


def visible_text(response):
    """The page's text as a reader sees it, without tags or white space."""
    text = re.sub(r"<[^>]+>", "", page_text(response))
    return re.sub(r"\s+", "", html.unescape(text))


def assert_error_page(response, errcode, text):
    """WeChat's authorize error page: a page of its own, no redirect back to the H5 page."""
    assert response.status_code == 200
    assert "Location" not in response.headers
    shown = visible_text(response)
    assert f"错误码{errcode}" in shown, shown
    assert text in shown, shown
    assert "允许" not in shown and "拒绝" not in shown


def assert_consent_page(response, nickname="小明"):
    assert response.status_code == 200, response.headers.get("Location")
    shown = visible_text(response)
    assert "授权实验室服务号申请" in shown, shown
    assert nickname in shown
    page = page_text(response)
    assert re.search(r'<button[^>]*value="allow"[^>]*>允许</button>', page)
    assert re.search(r'<button[^>]*value="deny"[^>]*>拒绝</button>', page)


def assert_code_redirect(response, redirect_uri=CALLBACK):
    """A 302 back to the H5 page with ``code`` and ``state``, as WeChat's docs spell it."""
    location = response.headers.get("Location", "")
    assert response.status_code == 302, page_text(response)
    found = re.fullmatch(
        re.escape(redirect_uri) + r"\?code=([A-Za-z0-9]+)&state=" + STATE, location
    )
    assert found and WEB_CODE.fullmatch(found.group(1)), location
    return found.group(1)


def assert_refused_redirect(response):
    """拒绝 (or the denial cache): back to the H5 page with the state and no code."""
    assert response.status_code == 302, page_text(response)
    assert response.headers["Location"] == f"{CALLBACK}?state={STATE}"


def hold_phone(client, user):
    """The lab's persona switcher: who holds the phone."""
    client.set_cookie("sandbox_user", user)


# Refused requests: WeChat's error page, nothing issued


@pytest.mark.parametrize(
    "overrides, errcode, text",
    [
        pytest.param({"appid": None}, 10012, "appid不能为空", id="no appid"),
        pytest.param({"appid": ""}, 10012, "appid不能为空", id="empty appid"),
        pytest.param({"appid": UNKNOWN_APPID}, 40013, "不合法的AppID", id="unknown appid"),
        pytest.param({"appid": MINIPROGRAM_APPID}, 10005, NO_SCOPE_PERMISSION, id="mini-program"),
        pytest.param(
            {"appid": UNBOUND_APPID}, 10005, NO_SCOPE_PERMISSION, id="unbound mini-program"
        ),
        pytest.param({"redirect_uri": None}, 10011, "redirect_uri不能为空", id="no redirect_uri"),
        pytest.param({"redirect_uri": ""}, 10011, "redirect_uri不能为空", id="empty redirect_uri"),
        pytest.param(
            {"redirect_uri": "http://evil.example/h5/callback"},
            10003,
            WRONG_DOMAIN,
            id="other host",
        ),
        pytest.param(
            {"redirect_uri": "http://localhost.evil.example/cb"},
            10003,
            WRONG_DOMAIN,
            id="host with our name as prefix",
        ),
        pytest.param(
            {"redirect_uri": "http://localhost@evil.example/cb"},
            10003,
            WRONG_DOMAIN,
            id="our name as userinfo",
        ),
        pytest.param(
            {"redirect_uri": "http://evil.example/cb?next=http://localhost/"},
            10003,
            WRONG_DOMAIN,
            id="our name in the query",
        ),
        pytest.param({"redirect_uri": "/h5/callback"}, 10003, BAD_REDIRECT_URI, id="relative"),
        pytest.param(
            {"redirect_uri": "//localhost/h5/callback"},
            10003,
            BAD_REDIRECT_URI,
            id="scheme-relative",
        ),
        pytest.param(
            {"redirect_uri": "javascript://localhost/%0Aalert(1)"},
            10003,
            BAD_REDIRECT_URI,
            id="javascript scheme",
        ),
        pytest.param(
            {"redirect_uri": "http://[localhost/cb"}, 10003, BAD_REDIRECT_URI, id="not a URL"
        ),
        pytest.param({"scope": None}, 10010, "scope不能为空", id="no scope"),
        pytest.param({"scope": ""}, 10010, "scope不能为空", id="empty scope"),
        pytest.param({"scope": "snsapi_login"}, 10005, NO_SCOPE_PERMISSION, id="unknown scope"),
        pytest.param({"scope": "SNSAPI_BASE"}, 10005, NO_SCOPE_PERMISSION, id="scope in capitals"),
        pytest.param(
            {"response_type": None}, 10005, "response_type只能是code", id="no response_type"
        ),
        pytest.param(
            {"response_type": "token"}, 10005, "response_type只能是code", id="response_type token"
        ),
        pytest.param({"state": "a" * 129}, 10013, "state超过128字节", id="state of 129 bytes"),
        pytest.param(
            {"state": "状态" * 21 + "abc"}, 10013, "state超过128字节", id="45 characters, 129 bytes"
        ),
        pytest.param(
            {"redirect_uri": "http://localhost:9999/h5/callback"},
            10003,
            WRONG_DOMAIN,
            id="another port",
        ),
    ],
)
@pytest.mark.parametrize("scope", [BASE, USERINFO])
def test_bad_request_gets_the_error_page_and_changes_nothing(
    client, sandbox_state, scope, overrides, errcode, text
):
    before = sandbox_state()

    response = open_authorize(client, **{"scope": scope, **overrides})

    assert_error_page(response, errcode, text)
    assert sandbox_state() == before, "no code issued, no grant or denial recorded"


def test_error_page_gives_the_developer_a_hint(client):
    shown = visible_text(open_authorize(client, appid=MINIPROGRAM_APPID))

    assert "服务号的appid" in shown


@pytest.mark.parametrize(
    "uri",
    [
        "http://evil.example/cb",
        "http://localhost:9999/h5/callback",
        "http://localhost:80/h5/callback",
        "javascript://localhost/%0Aalert(1)",
    ],
)
def test_every_10003_page_says_real_wechat_takes_no_port(client, uri):
    shown = visible_text(open_authorize(client, redirect_uri=uri))

    assert "错误码10003" in shown and NO_PORTS in shown, shown


def authorize_at(client, host, **overrides):
    """The browser reaches the authorize page at ``host`` (the lab's own host:port)."""
    return client.get(
        AUTHORIZE, query_string=authorize_params(**overrides), base_url=f"http://{host}"
    )


def test_redirect_uri_on_the_port_this_server_is_served_on_passes(client):
    """The lab runs on 127.0.0.1:5000: its own callback must work."""
    uri = "http://127.0.0.1:5000/h5/callback"

    assert_code_redirect(authorize_at(client, "127.0.0.1:5000", redirect_uri=uri), uri)


@pytest.mark.parametrize(
    "uri",
    [
        "http://127.0.0.1:9999/x",
        "http://127.0.0.1/h5/callback",  # port 80: another server than the one on :5000
        "https://127.0.0.1:5001/h5/callback",
    ],
)
def test_any_other_port_is_refused_with_10003(client, sandbox_state, uri):
    before = sandbox_state()

    response = authorize_at(client, "127.0.0.1:5000", redirect_uri=uri)

    assert_error_page(response, 10003, WRONG_DOMAIN)
    assert "127.0.0.1:5000" in visible_text(response) and NO_PORTS in visible_text(response)
    assert sandbox_state() == before


@pytest.mark.parametrize(
    "host, uri",
    [
        ("127.0.0.1:5000", "http://127.0.0.1:5000/h5/callback"),
        ("localhost", "http://localhost:80/h5/callback"),
    ],
)
def test_strict_mode_refuses_every_port_as_wechat_does(make_app, host, uri):
    client = make_app(SANDBOX_WEB_AUTH_STRICT_PORT=True).test_client()

    response = authorize_at(client, host, redirect_uri=uri)

    assert_error_page(response, 10003, WRONG_DOMAIN)
    assert "任何端口都不接受" in visible_text(response)
    assert_code_redirect(authorize_at(client, "localhost"), CALLBACK), "no port: fine"


def test_redirect_uri_may_be_https_and_in_capitals(client):
    response = open_authorize(client, redirect_uri="HTTPS://LOCALHOST/h5/callback")

    assert_code_redirect(response, redirect_uri="https://localhost/h5/callback")


def test_state_of_128_alphanumerics_passes(client):
    state = "aZ09" * 32

    _, query, _ = redirect_target(open_authorize(client, state=state))

    assert query["state"] == state and WEB_CODE.fullmatch(query["code"])


@pytest.mark.parametrize("state", [None, ""], ids=["no state", "empty state"])
def test_state_is_optional(client, state):
    """wechatpy's default is state=''. WeChat still writes the parameter, empty."""
    location = open_authorize(client, state=state).headers["Location"]

    assert re.fullmatch(rf"{re.escape(CALLBACK)}\?code=[A-Za-z0-9]{{32}}&state=", location)


@pytest.mark.parametrize("state", ["a-b_c", "状态", "x y+z/="])
def test_state_with_other_characters_passes_and_comes_back_as_sent(client, state):
    """Reported to pass at WeChat (URL-encoded), although its doc says letters and digits."""
    _, query, _ = redirect_target(open_authorize(client, state=state))

    assert query["state"] == state and WEB_CODE.fullmatch(query["code"])


@pytest.mark.parametrize("state", ["a-b_c", "状态"])
def test_strict_state_mode_follows_the_doc_and_names_the_check(make_app, sandbox_state, state):
    client = make_app(SANDBOX_WEB_STATE_STRICT=True).test_client()
    before = sandbox_state()

    response = open_authorize(client, state=state)

    assert_error_page(response, 10013, "state只能包含字母和数字")
    assert "不能为空" not in visible_text(response)
    assert sandbox_state() == before
    assert WEB_CODE.fullmatch(redirect_target(open_authorize(client, state=""))[1]["code"])


@pytest.mark.parametrize(
    "domain, uri",
    [
        ("example.com", "https://example.com/h5/callback"),
        ("example.com", "http://EXAMPLE.com/h5/callback"),
        ("example.com:8443", "https://example.com:8443/h5/callback"),
    ],
)
def test_registered_domain_setting_accepts_that_domain(app, client, domain, uri):
    app.config["SANDBOX_WEB_AUTH_DOMAIN"] = domain

    assert_code_redirect(open_authorize(client, redirect_uri=uri), redirect_uri=uri.lower())


@pytest.mark.parametrize(
    "uri",
    [CALLBACK, "https://www.example.com/h5/callback", "https://example.com:8443/h5/callback"],
)
def test_registered_domain_setting_refuses_other_hosts_and_ports(app, client, sandbox_state, uri):
    app.config["SANDBOX_WEB_AUTH_DOMAIN"] = "example.com"
    before = sandbox_state()

    assert_error_page(open_authorize(client, redirect_uri=uri), 10003, WRONG_DOMAIN)
    assert sandbox_state() == before


@pytest.mark.parametrize("domain", ["example.com:http", "https://example.com", "a b/c"])
def test_a_malformed_registered_domain_refuses_to_start(database_url, domain):
    with pytest.raises(RuntimeError, match="SANDBOX_WEB_AUTH_DOMAIN"):
        create_app({"DATABASE_URL": database_url, "SANDBOX_WEB_AUTH_DOMAIN": domain})


# snsapi_base: silent


def test_base_redirects_silently_with_code_and_state(client):
    response = open_authorize(client, scope=BASE)

    code = assert_code_redirect(response)
    assert sns_access_token(client, code)["scope"] == BASE


def test_base_keeps_the_redirect_uri_query_and_its_fragment_after_the_code(client):
    uri = "http://localhost/h5/callback?next=%2Fh5%2Fme&lang=zh#section"

    location = open_authorize(client, redirect_uri=uri).headers["Location"]

    assert re.fullmatch(
        r"http://localhost/h5/callback\?next=%2Fh5%2Fme&lang=zh"
        rf"&code=[A-Za-z0-9]{{32}}&state={STATE}#section",
        location,
    ), location


@pytest.mark.parametrize("scope", [BASE, USERINFO])
def test_a_hash_router_path_lands_after_the_query(client, scope):
    """The SPA trap: /app/#/profile comes back as /app/?code=…&state=…#/profile, so the code is
    in location.search, not in the hash router's route."""
    response = open_authorize(client, scope=scope, redirect_uri="http://localhost/app/#/profile")
    if scope == USERINFO:
        response = decide(client, response, "allow")

    url, query, fragment = redirect_target(response)

    assert (url, fragment, query["state"]) == ("http://localhost/app/", "/profile", STATE)
    assert WEB_CODE.fullmatch(query["code"])


def test_a_denial_keeps_the_fragment_too(client):
    consent = open_authorize(client, scope=USERINFO, redirect_uri="http://localhost/app/#/me")

    location = decide(client, consent, "deny").headers["Location"]

    assert location == f"http://localhost/app/?state={STATE}#/me"


def test_base_gives_a_new_code_every_time(client):
    assert web_code(client) != web_code(client)


def test_base_records_no_consent(client):
    web_code(client, BASE)

    assert_consent_page(open_authorize(client, scope=USERINFO))


# snsapi_userinfo: the consent page


def test_userinfo_asks_first_and_issues_nothing_yet(client, sandbox_state):
    before = sandbox_state()

    response = open_authorize(client, scope=USERINFO)

    assert_consent_page(response)
    after = sandbox_state()
    codes = "sandbox_one_time_code"  # rows of (code, kind, ...)
    new_rows = set(after.pop(codes)) - set(before.pop(codes))
    assert [row[1] for row in new_rows] == ["consent"], "only the page's one-time id, no code"
    assert after == before, "no grant, no denial"


def test_allow_redirects_with_a_code(client):
    page = open_authorize(client, scope=USERINFO)

    code = assert_code_redirect(decide(client, page, "allow"))

    assert sns_access_token(client, code)["scope"] == USERINFO


def test_consent_is_remembered_for_30_days(client, clock):
    decide(client, open_authorize(client, scope=USERINFO), "allow")

    assert_code_redirect(open_authorize(client, scope=USERINFO))
    clock.advance(CONSENT_DAYS * DAY - 1)
    assert_code_redirect(open_authorize(client, scope=USERINFO))
    clock.advance(2)
    assert_consent_page(open_authorize(client, scope=USERINFO))


def test_force_popup_asks_even_when_remembered(client):
    decide(client, open_authorize(client, scope=USERINFO), "allow")

    assert_consent_page(open_authorize(client, scope=USERINFO, forcePopup="true"))
    assert_code_redirect(open_authorize(client, scope=USERINFO))


def test_consent_is_per_persona(client):
    decide(client, open_authorize(client, scope=USERINFO), "allow")

    hold_phone(client, "lihua")

    assert_consent_page(open_authorize(client, scope=USERINFO), nickname="李华")


def test_deny_redirects_with_the_state_and_no_code(client):
    page = open_authorize(client, scope=USERINFO)

    assert_refused_redirect(decide(client, page, "deny"))


def test_denial_is_cached_then_the_page_shows_again(client, clock, sandbox_state):
    decide(client, open_authorize(client, scope=USERINFO), "deny")
    before = sandbox_state()

    assert_refused_redirect(open_authorize(client, scope=USERINFO))
    assert sandbox_state() == before, "no code issued"
    clock.advance(DENIAL_CACHE - 1)
    assert_refused_redirect(open_authorize(client, scope=USERINFO))
    clock.advance(1)
    assert_consent_page(open_authorize(client, scope=USERINFO))


def test_denial_cache_leaves_snsapi_base_working(client):
    decide(client, open_authorize(client, scope=USERINFO), "deny")

    code = assert_code_redirect(open_authorize(client, scope=BASE))

    assert sns_access_token(client, code)["openid"] == listed_openid(
        client, "xiaoming", OFFICIAL_ACCOUNT_APPID
    )


def test_denial_is_per_persona(client):
    decide(client, open_authorize(client, scope=USERINFO), "deny")

    hold_phone(client, "lihua")

    assert_consent_page(open_authorize(client, scope=USERINFO), nickname="李华")


def test_clear_web_auth_ends_the_denial_and_the_remembered_consent(client, phone, phone_of):
    decide(client, open_authorize(client, scope=USERINFO), "allow")
    token = web_login(client, USERINFO)
    decide(client, open_authorize(client, scope=USERINFO, forcePopup="true"), "deny")
    assert_refused_redirect(open_authorize(client, scope=USERINFO))

    cleared = phone.call("clear", what="web-auth")

    assert cleared == {
        "cleared": {"web_grants": 1, "web_denials": 1, "web_tokens": 1},
        "errMsg": "clear:ok",
    }
    assert_consent_page(open_authorize(client, scope=USERINFO))
    assert_error(sns_auth(client, token["access_token"], token["openid"]), 40001)
    assert phone_of("xiaoming").call("clear", what="web-auth")["cleared"] == {
        "web_grants": 0,
        "web_denials": 0,
        "web_tokens": 0,
    }


def test_clear_web_auth_touches_only_that_persona(client, phone_of):
    hold_phone(client, "lihua")
    decide(client, open_authorize(client, scope=USERINFO), "allow")

    phone_of("xiaoming").call("clear", what="web-auth")

    assert_code_redirect(open_authorize(client, scope=USERINFO))


# Who holds the phone


def test_persona_comes_from_the_sandbox_user_cookie(client):
    hold_phone(client, "lihua")
    lihua = sns_access_token(client, web_code(client))["openid"]
    hold_phone(client, "xiaoming")
    xiaoming = sns_access_token(client, web_code(client))["openid"]

    assert lihua == listed_openid(client, "lihua", OFFICIAL_ACCOUNT_APPID)
    assert xiaoming == listed_openid(client, "xiaoming", OFFICIAL_ACCOUNT_APPID)
    assert lihua != xiaoming


def test_without_the_cookie_xiaoming_holds_the_phone(client):
    assert_consent_page(open_authorize(client, scope=USERINFO), nickname="小明")
    assert sns_access_token(client, web_code(client))["openid"] == listed_openid(
        client, "xiaoming", OFFICIAL_ACCOUNT_APPID
    )


def test_consent_page_shows_the_persona_holding_the_phone(client):
    hold_phone(client, "amy")

    page = open_authorize(client, scope=USERINFO)

    assert_consent_page(page, nickname="AmyChan")
    assert "/sandbox/avatar/amy.svg" in page_text(page)


# The consent form


def test_tampered_decision_token_expires_the_page(client, sandbox_state):
    token = consent_token(open_authorize(client, scope=USERINFO))
    # Change the signed part (the last base64 character may carry only padding bits).
    tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    before = sandbox_state()

    response = client.post(f"{AUTHORIZE}/decision", data={"token": tampered, "decision": "allow"})

    assert response.status_code == 400
    assert EXPIRED_PAGE in visible_text(response)
    assert sandbox_state() == before, "nothing granted"
    assert_consent_page(open_authorize(client, scope=USERINFO))


@pytest.mark.parametrize(
    "form",
    [
        {"token": "not-a-token", "decision": "allow"},
        {"token": "", "decision": "allow"},
        {"decision": "allow"},
        {"token": "eyJhcHBpZCI6Ind4In0.aaaa.bbbb", "decision": "deny"},
    ],
    ids=["garbage", "empty", "missing", "forged"],
)
def test_garbage_decision_token_expires_the_page(client, sandbox_state, form):
    before = sandbox_state()

    response = client.post(f"{AUTHORIZE}/decision", data=form)

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert EXPIRED_PAGE in visible_text(response)
    assert sandbox_state() == before


def test_consent_page_expires_after_ten_minutes(client, clock, sandbox_state):
    page = open_authorize(client, scope=USERINFO)
    clock.advance(CONSENT_PAGE_MAX_AGE + 1)
    before = sandbox_state()

    response = decide(client, page, "allow")

    assert response.status_code == 400
    assert EXPIRED_PAGE in visible_text(response)
    assert sandbox_state() == before
    assert_consent_page(open_authorize(client, scope=USERINFO))


def test_consent_page_still_works_just_before_ten_minutes(client, clock):
    page = open_authorize(client, scope=USERINFO)
    clock.advance(CONSENT_PAGE_MAX_AGE - 1)

    assert_code_redirect(decide(client, page, "allow"))


@pytest.mark.parametrize("first, again", [("allow", "allow"), ("deny", "allow"), ("allow", "deny")])
def test_an_answered_consent_page_takes_no_second_answer(client, sandbox_state, first, again):
    page = open_authorize(client, scope=USERINFO)
    decide(client, page, first)
    before = sandbox_state()

    response = decide(client, page, again)  # the same form sent again: back button, double tap

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert EXPIRED_PAGE in visible_text(response)
    assert sandbox_state() == before, "no second code, grant or denial"


@pytest.mark.parametrize("decision", ["maybe", "", None])
def test_a_decision_other_than_allow_or_deny_changes_nothing(client, sandbox_state, decision):
    page = open_authorize(client, scope=USERINFO)
    before = sandbox_state()
    form = {"token": consent_token(page)} | ({} if decision is None else {"decision": decision})

    response = client.post(f"{AUTHORIZE}/decision", data=form)

    assert response.status_code == 400
    assert EXPIRED_PAGE in visible_text(response)
    assert sandbox_state() == before
    assert_code_redirect(decide(client, page, "allow"))  # the page still takes a real answer


def test_decision_belongs_to_the_persona_who_saw_the_page(client):
    hold_phone(client, "lihua")
    page = open_authorize(client, scope=USERINFO)
    hold_phone(client, "xiaoming")

    code = assert_code_redirect(decide(client, page, "allow"))

    assert sns_access_token(client, code)["openid"] == listed_openid(
        client, "lihua", OFFICIAL_ACCOUNT_APPID
    )


# The snapshot page


def snapshot_mode(client, on):
    return client.post("/sandbox/open/snapshot-mode", json={"on": on})


def snapshot_frame_url(response):
    found = re.search(r'<iframe[^>]*src="([^"]+)"', page_text(response))
    assert found, "no iframe"
    return html.unescape(found.group(1))


def full_service_link(response):
    found = re.search(r'<a[^>]*href="([^"]+)"[^>]*>使用完整服务</a>', page_text(response))
    assert found, "no 使用完整服务 link"
    return html.unescape(found.group(1))


def test_snapshot_mode_sets_and_clears_its_cookie(client):
    response = snapshot_mode(client, True)

    assert response.status_code == 200 and response.get_json() == {"snapshot_mode": True}
    assert client.get_cookie(SNAPSHOT_COOKIE) is not None
    assert snapshot_mode(client, False).get_json() == {"snapshot_mode": False}
    assert client.get_cookie(SNAPSHOT_COOKIE) is None


@pytest.mark.parametrize("body", ["not json", "[]", "{}", '{"on": "yes"}', '{"on": 1}'])
def test_snapshot_mode_refuses_bad_json(client, body):
    response = client.post(
        "/sandbox/open/snapshot-mode", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert client.get_cookie(SNAPSHOT_COOKIE) is None


def test_snapshot_page_frames_the_h5_page_with_a_code(client, sandbox_state):
    snapshot_mode(client, True)

    response = open_authorize(client, scope=USERINFO)

    assert response.status_code == 200
    assert "使用完整服务" in visible_text(response)
    assert "允许" not in visible_text(response), "no consent on a snapshot page"
    frame = urlsplit(snapshot_frame_url(response))
    assert f"{frame.scheme}://{frame.netloc}{frame.path}" == CALLBACK
    assert re.fullmatch(rf"code=[A-Za-z0-9]{{32}}&state={STATE}", frame.query), frame.query


def test_snapshot_code_gives_a_virtual_identity(client):
    snapshot_mode(client, True)
    code = re.search(r"code=(\w+)", snapshot_frame_url(open_authorize(client, scope=USERINFO)))

    body = sns_access_token(client, code.group(1))

    assert body["is_snapshotuser"] == 1
    assert body["scope"] == USERINFO
    real = listed_openid(client, "xiaoming", OFFICIAL_ACCOUNT_APPID)
    assert body["openid"] != real and re.fullmatch(r"o[A-Za-z0-9_-]{27}", body["openid"])
    # A virtual unionid too, as in WeChat's own example: never xiaoming's real one.
    assert re.fullmatch(r"o[A-Za-z0-9_-]{27}", body["unionid"])
    assert body["unionid"] != listed_unionid(client, "xiaoming")
    profile = sns_userinfo(client, body["access_token"], body["openid"])
    assert profile["nickname"] == "微信用户"
    assert profile["headimgurl"].endswith("/sandbox/avatar/default.svg")
    assert (profile["openid"], profile["unionid"]) == (body["openid"], body["unionid"])
    assert_error(sns_userinfo(client, body["access_token"], real), 40003)


def test_two_snapshot_visitors_share_one_virtual_unionid(client):
    """The collision developers report: whoever links accounts by a snapshot unionid merges
    strangers (the sandbox gives every snapshot visitor the same one)."""
    unionids = []
    for user in ("xiaoming", "lihua"):
        hold_phone(client, user)
        snapshot_mode(client, True)
        frame = snapshot_frame_url(open_authorize(client, scope=USERINFO))
        body = sns_access_token(client, re.search(r"code=(\w+)", frame).group(1))
        unionids.append((body["openid"], body["unionid"]))

    (openid_a, unionid_a), (openid_b, unionid_b) = unionids
    assert openid_a != openid_b and unionid_a == unionid_b


def test_snapshot_page_records_no_consent(client):
    snapshot_mode(client, True)
    open_authorize(client, scope=USERINFO)
    snapshot_mode(client, False)

    assert_consent_page(open_authorize(client, scope=USERINFO))


def test_snapshot_mode_leaves_snsapi_base_silent(client):
    snapshot_mode(client, True)

    code = assert_code_redirect(open_authorize(client, scope=BASE))

    body = sns_access_token(client, code)
    assert "is_snapshotuser" not in body
    assert body["openid"] == listed_openid(client, "xiaoming", OFFICIAL_ACCOUNT_APPID)


def test_use_full_service_leaves_the_snapshot_and_authorizes_again(client):
    snapshot_mode(client, True)
    link = full_service_link(open_authorize(client, scope=USERINFO))

    response = client.get(link)

    url, query, fragment = redirect_target(response)
    assert urlsplit(url).path == AUTHORIZE and fragment == "wechat_redirect"
    assert list(query.items()) == [
        ("appid", OFFICIAL_ACCOUNT_APPID),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", USERINFO),
        ("state", STATE),
    ], "WeChat's parameters, in WeChat's order"
    assert client.get_cookie(SNAPSHOT_COOKIE) is None
    assert_consent_page(client.get(response.headers["Location"].split("#")[0]))


@pytest.mark.parametrize("query", ["_method=POST&appid=x", "_external=1&_scheme=javascript", ""])
def test_leave_snapshot_passes_any_parameters_through(client, query):
    response = client.get(f"/sandbox/open/snapshot/leave?{query}")

    url, _, fragment = redirect_target(response)
    assert urlsplit(url).path == AUTHORIZE and not urlsplit(url).scheme
    assert fragment == "wechat_redirect"
