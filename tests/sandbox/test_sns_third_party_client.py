"""An H5 backend written by someone else, with nothing but `requests` and WeChat's documentation
of web authorization, works against the sandbox over real HTTP: the sandbox is a drop-in
open.weixin.qq.com and api.weixin.qq.com."""

import html
import json
import re
import secrets
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
import requests

from tests.support import (
    MINIPROGRAM_APPID,
    MINIPROGRAM_SECRET,
    OFFICIAL_ACCOUNT_APPID,
    OFFICIAL_ACCOUNT_SECRET,
    LiveServer,
)


class WeChatError(Exception):
    def __init__(self, body):
        super().__init__(f"{body['errcode']}: {body['errmsg']}")
        self.errcode = body["errcode"]


class WebAuthClient:
    """The calls of an H5 page's server, spelled from WeChat's web-authorization docs."""

    def __init__(self, open_base, api_base, appid, secret):
        self.open_base, self.api_base = open_base, api_base
        self.appid, self.secret = appid, secret
        self.http = requests.Session()

    def authorize_url(self, redirect_uri, scope, state):
        """Parameters in exactly WeChat's order, redirect_uri urlencoded, #wechat_redirect."""
        return (
            f"{self.open_base}/connect/oauth2/authorize?appid={self.appid}"
            f"&redirect_uri={quote(redirect_uri, safe='')}&response_type=code"
            f"&scope={scope}&state={state}#wechat_redirect"
        )

    def _get(self, path, **params):
        response = self.http.get(self.api_base + path, params=params, timeout=10)
        response.raise_for_status()
        # JSON whatever the Content-Type says: jscode2session and sns/* say text/plain, with no
        # charset (requests would then decode ISO-8859-1). JSON is UTF-8: parse the bytes.
        body = json.loads(response.content)
        if body.get("errcode", 0) != 0:  # errors come back as HTTP 200
            raise WeChatError(body)
        return body

    def exchange(self, code):
        return self._get(
            "/sns/oauth2/access_token",
            appid=self.appid,
            secret=self.secret,
            code=code,
            grant_type="authorization_code",
        )

    def refresh(self, refresh_token):
        return self._get(
            "/sns/oauth2/refresh_token",
            appid=self.appid,
            grant_type="refresh_token",
            refresh_token=refresh_token,
        )

    def userinfo(self, access_token, openid):
        return self._get("/sns/userinfo", access_token=access_token, openid=openid, lang="zh_CN")

    def check(self, access_token, openid):
        return self._get("/sns/auth", access_token=access_token, openid=openid)


class InAppBrowser:
    """WeChat's in-app browser on lihua's phone: follows the authorize URL and, on the consent
    page, taps a button (submits the page's form)."""

    TOKEN_FIELD = re.compile(r'<input[^>]*name="token"[^>]*value="([^"]*)"')
    FORM_ACTION = re.compile(r'<form[^>]*action="([^"]*)"')

    def __init__(self, user):
        self.http = requests.Session()
        self.http.cookies.set("sandbox_user", user)

    def open(self, url):
        return self.http.get(url, allow_redirects=False, timeout=10)

    def tap(self, consent_page, decision):
        token = html.unescape(self.TOKEN_FIELD.search(consent_page.text).group(1))
        action = html.unescape(self.FORM_ACTION.search(consent_page.text).group(1))
        return self.http.post(
            urljoin(consent_page.url, action),
            data={"token": token, "decision": decision},
            allow_redirects=False,
            timeout=10,
        )


def callback_query(response, redirect_uri):
    """What the H5 page's callback receives: the query WeChat appended to redirect_uri."""
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(redirect_uri + "?"), location
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def wechat(live_server):
    return WebAuthClient(
        live_server.url + "/sandbox/open",
        live_server.url + "/sandbox/api",
        OFFICIAL_ACCOUNT_APPID,
        OFFICIAL_ACCOUNT_SECRET,
    )


@pytest.fixture
def callback(live_server):
    """The H5 page's callback, on the registered web-authorization domain (the server's)."""
    return live_server.url + "/h5/callback"


@pytest.fixture
def lihua():
    return InAppBrowser("lihua")


def test_authorize_url_is_spelled_as_wechat_documents_it(wechat):
    url = wechat.authorize_url("http://127.0.0.1:5000/h5/cb?x=1", "snsapi_base", "abc123")

    assert url.endswith(
        "/connect/oauth2/authorize?appid=wx8e2f6b3d1a4c7e05"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fh5%2Fcb%3Fx%3D1"
        "&response_type=code&scope=snsapi_base&state=abc123#wechat_redirect"
    )


def test_userinfo_login_refresh_and_profile(wechat, lihua, callback):
    state = secrets.token_hex(16)
    page = lihua.open(wechat.authorize_url(callback, "snsapi_userinfo", state))
    assert page.status_code == 200 and "允许" in page.text and "拒绝" in page.text
    assert "李华" in page.text

    received = callback_query(lihua.tap(page, "allow"), callback)
    assert received["state"] == state, "the callback checks the state it sent"

    issued = wechat.exchange(received["code"])
    assert issued["scope"] == "snsapi_userinfo" and issued["expires_in"] == 7200
    assert len(issued["openid"]) == 28 and len(issued["unionid"]) == 28
    refreshed = wechat.refresh(issued["refresh_token"])
    assert refreshed["openid"] == issued["openid"]
    # Unexpired: the same access_token, its expiry extended (partly confirmed).
    assert refreshed["access_token"] == issued["access_token"]
    assert refreshed["expires_in"] == 7200
    profile = wechat.userinfo(refreshed["access_token"], refreshed["openid"])
    assert (profile["nickname"], profile["sex"], profile["privilege"]) == ("李华", 0, [])
    assert profile["unionid"] == issued["unionid"]
    assert requests.get(profile["headimgurl"], timeout=10).status_code == 200
    assert wechat.check(refreshed["access_token"], refreshed["openid"]) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    with pytest.raises(WeChatError) as reused:
        wechat.exchange(received["code"])
    assert reused.value.errcode == 40163


def test_userinfo_is_utf8_json_labelled_text_plain(wechat, lihua, callback):
    """No charset in the header: requests falls back to ISO-8859-1 for text/*, so its .json()
    garbles 李华. Parsing the bytes as JSON (UTF-8) reads it right."""
    page = lihua.open(wechat.authorize_url(callback, "snsapi_userinfo", "utf8"))
    issued = wechat.exchange(callback_query(lihua.tap(page, "allow"), callback)["code"])

    response = wechat.http.get(
        wechat.api_base + "/sns/userinfo",
        params={"access_token": issued["access_token"], "openid": issued["openid"]},
        timeout=10,
    )

    assert response.headers["Content-Type"] == "text/plain"
    assert json.loads(response.content)["nickname"] == "李华"
    assert response.json()["nickname"] != "李华"  # the trap, as requests falls into it


def test_base_login_is_silent_and_gives_no_profile(wechat, lihua, callback):
    response = lihua.open(wechat.authorize_url(callback, "snsapi_base", "base1"))

    received = callback_query(response, callback)
    assert received["state"] == "base1"
    issued = wechat.exchange(received["code"])
    assert issued["scope"] == "snsapi_base" and "unionid" not in issued
    with pytest.raises(WeChatError) as refused:
        wechat.userinfo(issued["access_token"], issued["openid"])
    assert refused.value.errcode == 48001
    assert wechat.check(issued["access_token"], issued["openid"])["errcode"] == 0


def test_an_expired_access_token_is_replaced_by_a_refresh(wechat, lihua, callback, clock):
    page = lihua.open(wechat.authorize_url(callback, "snsapi_userinfo", "expired1"))
    issued = wechat.exchange(callback_query(lihua.tap(page, "allow"), callback)["code"])
    clock.advance(7200)

    refreshed = wechat.refresh(issued["refresh_token"])

    assert refreshed["access_token"] != issued["access_token"]
    assert wechat.check(refreshed["access_token"], refreshed["openid"])["errcode"] == 0


def test_ports_state_and_fragment(wechat, lihua, live_server):
    """redirect_uri: the server's own port passes, another port is 10003; the #fragment comes
    back after the query; state may be empty."""
    other_port = wechat.authorize_url("http://127.0.0.1:9/h5/callback", "snsapi_base", "p1")
    refused = lihua.open(other_port)
    assert refused.status_code == 200 and "Location" not in refused.headers
    assert "redirect_uri域名与后台配置不一致" in refused.text and "10003" in refused.text

    spa = live_server.url + "/app/#/profile"
    location = lihua.open(wechat.authorize_url(spa, "snsapi_base", "")).headers["Location"]
    parts = urlsplit(location)
    assert parts.path == "/app/" and parts.fragment == "/profile"
    received = {name: values[0] for name, values in parse_qs(parts.query, True).items()}
    assert set(received) == {"code", "state"} and received["state"] == ""


def test_strict_modes_refuse_any_port_and_a_state_that_is_not_alphanumeric(make_app):
    """SANDBOX_WEB_AUTH_STRICT_PORT and SANDBOX_WEB_STATE_STRICT: the sandbox follows the
    reference to the letter. No redirect_uri may carry a port, not even the server's own; a
    state of other characters than letters and digits is refused (10013, the sandbox's pick).
    The registered domain is then the host alone, as on WeChat."""
    app = make_app(
        SANDBOX_WEB_AUTH_STRICT_PORT=True,
        SANDBOX_WEB_STATE_STRICT=True,
        SANDBOX_WEB_AUTH_DOMAIN="127.0.0.1",
    )
    with LiveServer(app) as server:
        wechat = WebAuthClient(
            server.url + "/sandbox/open",
            server.url + "/sandbox/api",
            OFFICIAL_ACCOUNT_APPID,
            OFFICIAL_ACCOUNT_SECRET,
        )
        lihua = InAppBrowser("lihua")
        own_port = lihua.open(
            wechat.authorize_url(server.url + "/h5/callback", "snsapi_base", "s1")
        )
        no_port = "http://127.0.0.1/h5/callback"
        odd_state = lihua.open(wechat.authorize_url(no_port, "snsapi_base", "a-b_c"))
        passed = callback_query(
            lihua.open(wechat.authorize_url(no_port, "snsapi_base", "abc123")), no_port
        )
        issued = wechat.exchange(passed["code"])

    for refused, errcode, title in [
        (own_port, 10003, "redirect_uri域名与后台配置不一致"),
        (odd_state, 10013, "state 只能包含字母和数字"),
    ]:
        assert refused.status_code == 200 and "Location" not in refused.headers
        assert f"<code>{errcode}</code>" in refused.text and title in refused.text
    assert "任何端口都不接受" in own_port.text
    assert passed["state"] == "abc123" and issued["scope"] == "snsapi_base"


def test_a_snapshot_token_carries_a_virtual_unionid(wechat, live_server, callback):
    """Never a person's real unionid: linking accounts by it is the trap."""
    visitor = InAppBrowser("lihua")
    # The sandbox's switch: the page is opened as a snapshot page (from Moments, say).
    visitor.http.post(
        live_server.url + "/sandbox/open/snapshot-mode", json={"on": True}, timeout=10
    )
    page = visitor.open(wechat.authorize_url(callback, "snsapi_userinfo", "snap1"))
    frame = re.search(r'<iframe[^>]*src="([^"]+)"', page.text).group(1)
    code = parse_qs(urlsplit(html.unescape(frame)).query)["code"][0]

    issued = wechat.exchange(code)

    users = requests.get(live_server.url + "/sandbox/users", timeout=10).json()["users"]
    real = next(user["unionid"] for user in users if user["id"] == "lihua")
    assert issued["is_snapshotuser"] == 1 and issued["unionid"] != real


def test_denial_comes_back_without_a_code(wechat, lihua, callback):
    url = wechat.authorize_url(callback, "snsapi_userinfo", "deny1")

    received = callback_query(lihua.tap(lihua.open(url), "deny"), callback)

    assert received == {"state": "deny1"}
    assert callback_query(lihua.open(url), callback) == {"state": "deny1"}, "denial cache"


def test_same_person_as_in_the_mini_program(wechat, lihua, callback, live_server):
    """The service account sees another openid, but the mini-program's unionid."""
    page = lihua.open(wechat.authorize_url(callback, "snsapi_userinfo", "u1"))
    issued = wechat.exchange(callback_query(lihua.tap(page, "allow"), callback)["code"])
    wx_login = requests.post(
        f"{live_server.url}/sandbox/device/login",
        json={"appid": MINIPROGRAM_APPID, "user": "lihua"},
        timeout=10,
    )
    session = requests.get(
        f"{live_server.url}/sandbox/api/sns/jscode2session",
        params={
            "appid": MINIPROGRAM_APPID,
            "secret": MINIPROGRAM_SECRET,
            "js_code": wx_login.json()["code"],
            "grant_type": "authorization_code",
        },
        timeout=10,
    ).json()

    assert session["unionid"] == issued["unionid"]
    assert session["openid"] != issued["openid"]
