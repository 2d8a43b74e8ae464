"""A backend written by someone else, with nothing but `requests` and WeChat's documentation,
works against the sandbox over real HTTP: the sandbox is a drop-in api.weixin.qq.com."""

import hashlib
import hmac
import json
import time

import pytest
import requests

from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET, LiveServer
from tests.support.database import empty_tables
from webapp import create_sandbox_app


class WeChatError(Exception):
    def __init__(self, body):
        super().__init__(f"{body['errcode']}: {body['errmsg']}")
        self.errcode = body["errcode"]


class MiniProgramClient:
    """The calls a mini-program backend makes, spelled from WeChat's documentation."""

    def __init__(self, base, appid, secret):
        self.base, self.appid, self.secret = base, appid, secret
        self.http = requests.Session()
        self._access_token = None

    def _call(self, method, path, **kwargs):
        response = self.http.request(method, self.base + path, timeout=10, **kwargs)
        response.raise_for_status()
        # JSON whatever the Content-Type says: jscode2session and sns/* say text/plain, with no
        # charset (requests would then decode ISO-8859-1). JSON is UTF-8: parse the bytes.
        body = json.loads(response.content)
        if body.get("errcode", 0) != 0:  # errors come back as HTTP 200
            raise WeChatError(body)
        return body

    def access_token(self):
        if self._access_token is None:
            self._access_token = self._call(
                "GET",
                "/cgi-bin/token",
                params={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )["access_token"]
        return self._access_token

    def stable_token(self, force_refresh=False):
        """POST /cgi-bin/stable_token; keep the token for the calls that need one."""
        self._access_token = self._call(
            "POST",
            "/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret,
                "force_refresh": force_refresh,
            },
        )["access_token"]
        return self._access_token

    def code2session(self, js_code):
        return self._call(
            "GET",
            "/sns/jscode2session",
            params={
                "appid": self.appid,
                "secret": self.secret,
                "js_code": js_code,
                "grant_type": "authorization_code",
            },
        )

    def check_session(self, openid, session_key, api="checksession"):
        signature = hmac.new(session_key.encode(), b"", hashlib.sha256).hexdigest()
        return self._call(
            "GET",
            f"/wxa/{api}",
            params={
                "access_token": self.access_token(),
                "openid": openid,
                "signature": signature,
                "sig_method": "hmac_sha256",
            },
        )

    def phone_number(self, code):
        return self._call(
            "POST",
            "/wxa/business/getuserphonenumber",
            params={"access_token": self.access_token()},
            json={"code": code},
        )["phone_info"]


@pytest.fixture
def wechat(live_server):
    return MiniProgramClient(
        live_server.url + "/sandbox/api", MINIPROGRAM_APPID, MINIPROGRAM_SECRET
    )


@pytest.fixture
def tap(live_server):
    """Do what lihua's phone does, over HTTP: POST /sandbox/device/<endpoint>. She agreed to
    the mini-program's privacy guide when it first asked."""

    def call(endpoint, **body):
        response = requests.post(
            f"{live_server.url}/sandbox/device/{endpoint}",
            json={"appid": MINIPROGRAM_APPID, "user": "lihua", **body},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    call("agree-privacy")
    return call


def test_login_check_session_and_phone_number(wechat, tap):
    session = wechat.code2session(tap("login")["code"])
    assert session["openid"].startswith("o") and len(session["openid"]) == 28
    assert "unionid" in session

    assert wechat.check_session(session["openid"], session["session_key"]) == {
        "errcode": 0,
        "errmsg": "ok",
    }

    phone = wechat.phone_number(tap("phone-number", decision="allow")["code"])
    assert (phone["phoneNumber"], phone["purePhoneNumber"], phone["countryCode"]) == (
        "13912345678",
        "13912345678",
        "86",
    )
    assert phone["watermark"]["appid"] == MINIPROGRAM_APPID


def test_client_meets_wechat_errors(wechat, tap):
    code = tap("login")["code"]
    session = wechat.code2session(code)

    with pytest.raises(WeChatError) as reused:
        wechat.code2session(code)
    assert reused.value.errcode == 40163

    tap("login")  # a new wx.login rotates the session_key
    with pytest.raises(WeChatError) as stale:
        wechat.check_session(session["openid"], session["session_key"])
    assert stale.value.errcode == 87009


def test_watermark_is_unix_time_on_a_server_in_china(wechat, tap, shanghai_time):
    """The reference: watermark.timestamp is Unix time, so comparing it with time.time() on a
    server at UTC+8 gives the data's real age."""
    phone = wechat.phone_number(tap("phone-number", decision="allow")["code"])

    assert abs(time.time() - phone["watermark"]["timestamp"]) <= 2


def test_wrong_method_and_unknown_path_answer_200_with_an_errcode(live_server):
    base = live_server.url + "/sandbox/api"

    post_on_get = requests.post(f"{base}/cgi-bin/token", timeout=10)
    get_on_post = requests.get(f"{base}/cgi-bin/stable_token", timeout=10)
    unknown = requests.get(f"{base}/cgi-bin/no_such_api", timeout=10)
    empty = requests.post(f"{base}/cgi-bin/stable_token", data=b"", timeout=10)

    answers = (post_on_get, get_on_post, unknown, empty)
    assert [r.status_code for r in answers] == [200, 200, 200, 200]
    assert [json.loads(r.content)["errcode"] for r in answers] == [43001, 43002, 40066, 44002]


def test_the_phone_fails_a_wrong_method_or_an_unknown_api_as_a_wx_api(live_server):
    """The phone is not api.weixin.qq.com: it answers as a wx API fails, with errMsg (no
    errcode) and a real HTTP status."""
    device = live_server.url + "/sandbox/device"

    wrong_method = requests.get(f"{device}/login", timeout=10)
    unknown = requests.post(f"{device}/getLocation", json={"appid": MINIPROGRAM_APPID}, timeout=10)

    assert (wrong_method.status_code, wrong_method.json()) == (
        405,
        {"errMsg": "login:fail method GET not allowed"},
    )
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"errMsg": "getLocation:fail no such api on the sandbox phone"},
    )


def test_jscode2session_is_json_labelled_text_plain(wechat, tap):
    """A client that trusts the header breaks; one that parses the body works."""
    response = wechat.http.get(
        wechat.base + "/sns/jscode2session",
        params={
            "appid": wechat.appid,
            "secret": wechat.secret,
            "js_code": tap("login")["code"],
            "grant_type": "authorization_code",
        },
        timeout=10,
    )

    assert response.headers["Content-Type"] == "text/plain"
    assert set(json.loads(response.content)) == {"openid", "session_key", "unionid"}


def test_one_server_forcing_a_refresh_breaks_the_other_at_once(live_server, tap):
    """The reference: a forced stable_token refresh invalidates the previous token at once."""
    base = live_server.url + "/sandbox/api"
    first, second = (MiniProgramClient(base, MINIPROGRAM_APPID, MINIPROGRAM_SECRET) for _ in "ab")
    session = first.code2session(tap("login")["code"])
    assert first.stable_token() == second.stable_token()

    second.stable_token(force_refresh=True)

    with pytest.raises(WeChatError) as stale:
        first.check_session(session["openid"], session["session_key"])
    assert stale.value.errcode == 40001
    first.stable_token()  # the fix: fetch again without forcing, and retry
    assert first.check_session(session["openid"], session["session_key"])["errcode"] == 0


def test_reset_keeps_the_expiry_and_refuses_frequent_resets(wechat, tap, clock):
    session = wechat.code2session(tap("login")["code"])
    clock.advance(24 * 3600)
    reset = wechat.check_session(session["openid"], session["session_key"], "resetusersessionkey")
    assert reset["session_key"] != session["session_key"]

    with pytest.raises(WeChatError) as frequent:
        wechat.check_session(reset["openid"], reset["session_key"], "resetusersessionkey")
    assert frequent.value.errcode == 45011

    clock.advance(2 * 24 * 3600 - 1)  # the first key's three days, not three more
    wechat._access_token = None  # the server token of a day ago has expired meanwhile
    assert wechat.check_session(reset["openid"], reset["session_key"])["errcode"] == 0
    clock.advance(1)
    with pytest.raises(WeChatError) as expired:
        wechat.check_session(reset["openid"], reset["session_key"])
    assert expired.value.errcode == 87009


def test_a_server_outside_the_ip_whitelist_is_told_its_ip(make_app):
    """A backend deployed to a new machine: WeChat names the address to add to the list."""
    app = make_app(SANDBOX_IP_WHITELIST=f"{MINIPROGRAM_APPID}=203.0.113.7")
    with LiveServer(app) as server:
        wechat = MiniProgramClient(
            server.url + "/sandbox/api", MINIPROGRAM_APPID, MINIPROGRAM_SECRET
        )
        with pytest.raises(WeChatError) as refused:
            wechat.stable_token()

    assert refused.value.errcode == 40164
    assert "invalid ip 127.0.0.1 " in str(refused.value)


def test_the_phone_follows_the_privacy_guide_and_the_paid_quota(live_server):
    """What a mini-program meets on the phone, per the reference: errno 104 before the user
    agrees to the privacy guide, 112 for an API it does not declare, 1400001 once the
    phone-number quota is spent."""

    def amy(endpoint, **body):
        return requests.post(
            f"{live_server.url}/sandbox/device/{endpoint}",
            json={"appid": MINIPROGRAM_APPID, "user": "amy", **body},
            timeout=10,
        ).json()

    before = amy("phone-number", decision="allow")
    assert (before["errno"], before["errMsg"]) == (
        104,
        "getPhoneNumber:fail privacy permission is not authorized",
    )
    amy("agree-privacy")
    assert amy("phone-number", decision="allow")["errMsg"] == "getPhoneNumber:ok"
    assert amy("authorize", scope="scope.addPhoneContact")["errno"] == 112
    assert amy("authorize", scope="scope.invoice") == {"errMsg": "authorize:ok"}
    background = amy("authorize", scope="scope.userLocationBackground", decision="allow")
    assert background["errMsg"].startswith("authorize:fail") and "errno" in background

    requests.post(
        f"{live_server.url}/sandbox/phone-quota",
        json={"appid": MINIPROGRAM_APPID, "remaining": 0},
        timeout=10,
    )
    assert amy("phone-number", decision="allow")["errno"] == 1400001


def test_content_review_turns_down_what_the_user_picked(live_server):
    """The reference: a picked avatar or a typed nickname passes WeChat's content review
    first. The sandbox's switch rejects everything on the phone (the browser) that turned it on,
    and on no other."""
    phone, other_phone = requests.Session(), requests.Session()

    def review(on, kind):
        response = on.post(
            f"{live_server.url}/sandbox/device/review",
            json={"appid": MINIPROGRAM_APPID, "user": "lihua", "kind": kind},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def switch(reject):
        response = phone.post(
            f"{live_server.url}/sandbox/review-mode", json={"reject": reject}, timeout=10
        )
        response.raise_for_status()
        return response.json()

    assert review(phone, "avatar") == {"pass": True, "errMsg": "review:ok"}
    assert switch(True) == {"review_rejects": True}
    assert [review(phone, kind)["pass"] for kind in ("avatar", "nickname")] == [False, False]
    assert review(other_phone, "avatar")["pass"] is True
    assert switch(False) == {"review_rejects": False}
    assert [review(phone, kind)["pass"] for kind in ("avatar", "nickname")] == [True, True]


def test_the_sandbox_served_alone_answers_the_same_client(database_url):
    """create_sandbox_app: the sandbox without the lab and the developer server, as a stand-in
    for someone else's backend to point its SDK at."""
    standalone = create_sandbox_app({"DATABASE_URL": database_url})
    assert "miniapi.login" not in standalone.view_functions  # no developer server in it
    try:
        with LiveServer(standalone) as server:
            wechat = MiniProgramClient(
                server.url + "/sandbox/api", MINIPROGRAM_APPID, MINIPROGRAM_SECRET
            )
            code = requests.post(
                f"{server.url}/sandbox/device/login",
                json={"appid": MINIPROGRAM_APPID, "user": "lihua"},
                timeout=10,
            ).json()["code"]
            session = wechat.code2session(code)
            # wxa/checksession takes an access_token: cgi-bin/token answered too.
            assert wechat.check_session(session["openid"], session["session_key"])["errcode"] == 0
    finally:
        empty_tables(standalone)
