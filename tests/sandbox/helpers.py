"""One-call steps for the sandbox tests, written from WeChat's contracts
(/work/shared/reference/wechat-platform.md), never from the sandbox's code: the tests check the
sandbox against WeChat, not against itself."""

import base64
import hashlib
import hmac
import html
import json
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

from tests.support import (
    MINIPROGRAM_APPID,
    MINIPROGRAM_SECRET,
    OFFICIAL_ACCOUNT_APPID,
    OFFICIAL_ACCOUNT_SECRET,
    UNBOUND_APPID,
    UNBOUND_SECRET,
)

API = "/sandbox/api"
SECRETS = {
    MINIPROGRAM_APPID: MINIPROGRAM_SECRET,
    OFFICIAL_ACCOUNT_APPID: OFFICIAL_ACCOUNT_SECRET,
    UNBOUND_APPID: UNBOUND_SECRET,
}
UNKNOWN_APPID = "wx0000000000000000"
# WeChat ends every errmsg with the request id its support staff ask for.
RID = re.compile(r", rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$")


def assert_error(body, errcode):
    """Assert a WeChat error answer: the errcode, and an errmsg ending in ", rid: <id>"."""
    assert body.get("errcode") == errcode, body
    assert RID.search(body["errmsg"]), body["errmsg"]


def wechat_answer(response):
    """WeChat answers every call, errors included, with HTTP 200 and a JSON object, which a
    client parses whatever the Content-Type says (text/plain for jscode2session and sns/*)."""
    assert response.status_code == 200, response.get_data(as_text=True)
    body = json.loads(response.get_data())
    assert isinstance(body, dict), body
    return body


def _merge(defaults, overrides):
    """Apply overrides; an override of None leaves the parameter out."""
    merged = {**defaults, **overrides}
    return {name: value for name, value in merged.items() if value is not None}


def code2session(client, code, appid=MINIPROGRAM_APPID, **overrides):
    """GET /sns/jscode2session for a wx.login code."""
    params = _merge(
        {
            "appid": appid,
            "secret": SECRETS.get(appid),
            "js_code": code,
            "grant_type": "authorization_code",
        },
        overrides,
    )
    return wechat_answer(client.get(f"{API}/sns/jscode2session", query_string=params))


def login(phone):
    """wx.login on the phone, then code2Session on the server: what the server learns."""
    body = code2session(phone.client, phone.login(), appid=phone.appid)
    assert "session_key" in body, body
    return body


def fetch_token(client, appid=MINIPROGRAM_APPID, **overrides):
    """GET /cgi-bin/token."""
    params = _merge(
        {"grant_type": "client_credential", "appid": appid, "secret": SECRETS.get(appid)}, overrides
    )
    return wechat_answer(client.get(f"{API}/cgi-bin/token", query_string=params))


def stable_token(client, appid=MINIPROGRAM_APPID, **overrides):
    """POST /cgi-bin/stable_token with a JSON body."""
    body = _merge(
        {
            "grant_type": "client_credential",
            "appid": appid,
            "secret": SECRETS.get(appid),
            "force_refresh": False,
        },
        overrides,
    )
    return wechat_answer(client.post(f"{API}/cgi-bin/stable_token", json=body))


def session_signature(session_key):
    """checksession's signature: HMAC-SHA256 keyed with the session_key string, empty message."""
    return hmac.new(session_key.encode(), b"", hashlib.sha256).hexdigest()


def check_session(client, token, session, api="checksession", **overrides):
    """GET /wxa/checksession (or, with api="resetusersessionkey", its sibling) for ``session``,
    what code2Session gave the server: {"openid": ..., "session_key": ...}."""
    params = _merge(
        {
            "access_token": token,
            "openid": session["openid"],
            "signature": session_signature(session["session_key"]),
            "sig_method": "hmac_sha256",
        },
        overrides,
    )
    return wechat_answer(client.get(f"{API}/wxa/{api}", query_string=params))


def phone_number(client, access_token, code):
    """POST /wxa/business/getuserphonenumber with the getPhoneNumber button's code."""
    return wechat_answer(
        client.post(
            f"{API}/wxa/business/getuserphonenumber",
            query_string={"access_token": access_token},
            json={"code": code},
        )
    )


def decrypt(session_key, encrypted_data, iv):
    """Open data as WXBizDataCrypt decrypts it: AES-128-CBC, PKCS#7, key and iv in base64.

    A wrong key gives garbage: ValueError (bad padding, bytes that are not UTF-8 or not JSON),
    which WXBizDataCrypt reports as -41003.
    """
    cipher = AES.new(base64.b64decode(session_key), AES.MODE_CBC, base64.b64decode(iv))
    plaintext = unpad(cipher.decrypt(base64.b64decode(encrypted_data)), AES.block_size)
    return json.loads(plaintext.decode())


def raw_data_signature(raw_data, session_key):
    """The legacy profile signature: sha1(rawData + session_key), lowercase hex."""
    return hashlib.sha1((raw_data + session_key).encode()).hexdigest()


def listed_openid(client, user, appid=MINIPROGRAM_APPID):
    """The persona's openid in the app, as GET /sandbox/users lists it."""
    users = client.get("/sandbox/users").get_json()["users"]
    return next(persona["openids"][appid] for persona in users if persona["id"] == user)


def listed_unionid(client, user):
    """The persona's unionid, as GET /sandbox/users lists it."""
    users = client.get("/sandbox/users").get_json()["users"]
    return next(persona["unionid"] for persona in users if persona["id"] == user)


# Web authorization (reference section 7): the service account's OAuth2 for H5 pages

AUTHORIZE = "/sandbox/open/connect/oauth2/authorize"
# The H5 page's callback, on the host the test client talks to: the registered domain by default.
CALLBACK = "http://localhost/h5/callback"
STATE = "Xy7state42"
BASE, USERINFO = "snsapi_base", "snsapi_userinfo"
WEB_CODE = re.compile(r"[A-Za-z0-9]{32}")
_CONSENT_TOKEN = re.compile(r'<input type="hidden" name="token" value="([^"]+)"')
_FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def authorize_params(**overrides):
    """The authorize URL's parameters, in WeChat's order; an override of None leaves one out."""
    return _merge(
        {
            "appid": OFFICIAL_ACCOUNT_APPID,
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "scope": BASE,
            "state": STATE,
        },
        overrides,
    )


def open_authorize(client, **overrides):
    """The in-app browser opens the authorize URL (it never sends #wechat_redirect)."""
    return client.get(AUTHORIZE, query_string=authorize_params(**overrides))


def page_text(response):
    """An HTML page's text: asserts that it is one, not JSON, not a redirect."""
    assert response.content_type.startswith("text/html"), response.content_type
    return response.get_data(as_text=True)


def redirect_target(response):
    """The Location of a 302 as (URL without query, dict of query parameters, fragment)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    parts = urlsplit(response.headers["Location"])
    return (
        urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        dict(parse_qsl(parts.query)),
        parts.fragment,
    )


def consent_token(response):
    """The hidden field of the consent page's form, as a browser would submit it."""
    found = _CONSENT_TOKEN.search(page_text(response))
    assert found, "not a consent page"
    return html.unescape(found.group(1))


def decide(client, consent_page, decision):
    """Tap 允许 (allow) or 拒绝 (deny) on the consent page: submit its form."""
    action = html.unescape(_FORM_ACTION.search(page_text(consent_page)).group(1))
    return client.post(action, data={"token": consent_token(consent_page), "decision": decision})


def web_code(client, scope=BASE, **overrides):
    """Run web authorization up to the code: the consent page is allowed if it shows."""
    response = open_authorize(client, scope=scope, **overrides)
    if response.status_code == 200:
        response = decide(client, response, "allow")
    _, query, _ = redirect_target(response)
    return query["code"]


def sns_access_token(client, code, appid=OFFICIAL_ACCOUNT_APPID, **overrides):
    """GET /sns/oauth2/access_token: the code for access_token, refresh_token and openid."""
    params = _merge(
        {
            "appid": appid,
            "secret": SECRETS.get(appid),
            "code": code,
            "grant_type": "authorization_code",
        },
        overrides,
    )
    return wechat_answer(client.get(f"{API}/sns/oauth2/access_token", query_string=params))


def sns_refresh_token(client, refresh_token, appid=OFFICIAL_ACCOUNT_APPID, **overrides):
    """GET /sns/oauth2/refresh_token (no secret: WeChat does not ask for one)."""
    params = _merge(
        {"appid": appid, "grant_type": "refresh_token", "refresh_token": refresh_token}, overrides
    )
    return wechat_answer(client.get(f"{API}/sns/oauth2/refresh_token", query_string=params))


def sns_userinfo(client, access_token, openid, **overrides):
    """GET /sns/userinfo."""
    params = _merge({"access_token": access_token, "openid": openid, "lang": "zh_CN"}, overrides)
    return wechat_answer(client.get(f"{API}/sns/userinfo", query_string=params))


def sns_auth(client, access_token, openid, **overrides):
    """GET /sns/auth: is this web access_token valid for this openid?"""
    params = _merge({"access_token": access_token, "openid": openid}, overrides)
    return wechat_answer(client.get(f"{API}/sns/auth", query_string=params))


def web_login(client, scope=BASE):
    """Web authorization end to end: what the H5 server holds after the code exchange."""
    body = sns_access_token(client, web_code(client, scope))
    assert "access_token" in body, body
    return body
