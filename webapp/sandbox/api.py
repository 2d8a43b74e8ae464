"""The sandbox's api.weixin.qq.com: same paths, parameters, answers and error codes.

Every view returns a dict or raises ErrcodeAnswer; ``wechat_api`` turns both into WeChat's
answer (always HTTP 200) and applies injected faults first. Even a request no view takes (a
wrong method, an unknown path) is answered WeChat's way: ``answer_http_error``.
"""

import functools
import hmac
import json

from flask import Blueprint, current_app, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from webapp import jsonreader
from webapp.extensions import db
from webapp.sandbox import codes, faults, opendata, sessions, tokens, webauth, whitelist
from webapp.sandbox.console import avatar_url
from webapp.sandbox.directory import APPS, PERSONAS, openid, persona_by_openid, unionid
from webapp.sandbox.errcodes import ErrcodeAnswer, ok

bp = Blueprint("sandbox_api", __name__, url_prefix="/sandbox/api")

# jscode2session and the sns/* APIs answer JSON labelled "text/plain", with no charset, as
# WeChat's do: a client must parse the body as UTF-8 JSON whatever the header says.
PLAIN_TEXT_PATHS = "/sandbox/api/sns/"


def wechat_api(name):
    """Answer like WeChat: the view's dict, or the error body of an ErrcodeAnswer."""

    def decorate(view):
        @functools.wraps(view)
        def answer(*args, **kwargs):
            try:
                faults.raise_injected(name)
                body = view(*args, **kwargs)
                db.session.commit()  # the view's helpers flushed; an API answered commits once
            except ErrcodeAnswer as error:
                db.session.rollback()
                body = error.body()
            return wechat_answer(body)

        return answer

    return decorate


def wechat_answer(body):
    """HTTP 200 and the body as WeChat sends it: UTF-8 JSON, Chinese as it is."""
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=200
    )
    # Set the header itself: Werkzeug's mimetype setter would add "; charset=utf-8".
    plain = request.path.startswith(PLAIN_TEXT_PATHS)
    response.headers["Content-Type"] = "text/plain" if plain else "application/json"
    return response


def answer_http_error(error):
    """A request no view took, answered as WeChat does: HTTP 200 and an errcode. 43001 / 43002
    a wrong method, 40066 an unknown path, -1 our own failure, 47001 anything else."""
    if isinstance(error, MethodNotAllowed):
        errcode = 43001 if "GET" in (error.valid_methods or ()) else 43002
    elif isinstance(error, NotFound):
        errcode = 40066
    elif error.code >= 500:
        errcode = -1
    else:  # a body over MAX_CONTENT_LENGTH, say
        errcode = 47001
    return wechat_answer(ErrcodeAnswer(errcode).body())


@bp.get("/sns/jscode2session")
@wechat_api("jscode2session")
def jscode2session():
    """code2Session: a wx.login code for the user's openid, session_key and maybe unionid."""
    app = _app_from_credentials(request.args.get("appid"), request.args.get("secret"))
    if request.args.get("grant_type") != "authorization_code":
        raise ErrcodeAnswer(40002)
    js_code = request.args.get("js_code")
    if not js_code:
        raise ErrcodeAnswer(41008)
    code = codes.find(codes.LOGIN, app.appid, js_code)
    if code is None or codes.expired(code):
        raise ErrcodeAnswer(40029)
    persona = PERSONAS[code.persona]
    faults.count_call(
        "jscode2session",
        f"{app.appid}:{persona.id}",
        current_app.config["SANDBOX_CODE2SESSION_PER_MINUTE"],
    )
    if not codes.redeem(code):
        raise ErrcodeAnswer(40163)
    if persona.high_risk:
        raise ErrcodeAnswer(40226)
    key = sessions.live_session_key(app.appid, persona.id)
    if key is None:  # the phone's login state was cleared after the code was issued
        raise ErrcodeAnswer(40029)
    body = {"session_key": key.value, "openid": openid(app, persona)}
    if unionid(app, persona):
        body["unionid"] = unionid(app, persona)
    return body


@bp.get("/cgi-bin/token")
@wechat_api("token")
def token():
    if request.args.get("grant_type") != "client_credential":
        raise ErrcodeAnswer(40002)
    app = _app_from_credentials(request.args.get("appid"), request.args.get("secret"))
    whitelist.check_caller(app.appid)
    issued = tokens.issue(app.appid, "token")
    return {"access_token": issued.token, "expires_in": tokens.LIFETIME}


@bp.post("/cgi-bin/stable_token")
@wechat_api("stable_token")
def stable_token():
    data = _json_body()
    if data.get("grant_type") != "client_credential":
        raise ErrcodeAnswer(40002)
    app = _app_from_credentials(data.get("appid"), data.get("secret"))
    whitelist.check_caller(app.appid)
    force_refresh = data.get("force_refresh", False)
    if not isinstance(force_refresh, bool):
        raise ErrcodeAnswer(47001)
    issued = tokens.stable(app.appid, force_refresh)
    return {"access_token": issued.token, "expires_in": tokens.expires_in(issued)}


@bp.get("/wxa/checksession")
@wechat_api("checksession")
def checksession():
    """Is the session_key the server holds (proved by its signature) still the live one?"""
    _verify_session_signature()
    return ok()


@bp.get("/wxa/resetusersessionkey")
@wechat_api("resetusersessionkey")
def resetusersessionkey():
    """A new session_key for the user; the old one dies at once, the new one keeps its expiry."""
    app, persona = _verify_session_signature()
    live = sessions.live_session_key(app.appid, persona.id)
    key = sessions.reset_session(app.appid, persona.id, live)
    return ok(openid=openid(app, persona), session_key=key.value)


@bp.post("/wxa/business/getuserphonenumber")
@wechat_api("getuserphonenumber")
def getuserphonenumber():
    """The phone code from the getPhoneNumber button, for the phone number (once, 5 minutes)."""
    app = APPS[tokens.authenticate(request.args.get("access_token"))]
    value = _json_body().get("code")
    if not isinstance(value, str) or not value:
        raise ErrcodeAnswer(47001)
    code = codes.find(codes.PHONE, app.appid, value)
    if code is None or codes.expired(code) or not codes.redeem(code):
        raise ErrcodeAnswer(40029)
    persona = PERSONAS[code.persona]
    return ok(
        phone_info={
            "phoneNumber": persona.phone_number,
            "purePhoneNumber": persona.pure_phone_number,
            "countryCode": persona.country_code,
            "watermark": opendata.watermark(app.appid),
        }
    )


def _app_from_credentials(appid, secret):
    if not appid:
        raise ErrcodeAnswer(41002)
    if not secret:
        raise ErrcodeAnswer(41004)
    # stable_token's JSON may hold a list here: not hashable, so no lookup.
    app = APPS.get(appid) if isinstance(appid, str) else None
    if app is None:
        raise ErrcodeAnswer(40013)
    if not hmac.compare_digest(app.secret.encode(), str(secret).encode()):
        raise ErrcodeAnswer(40125)
    return app


def _json_body():
    """The request's JSON object; WeChat reads the body whatever the Content-Type says.
    No body at all (or only white space): 44002; a body that is not a JSON object: 47001."""
    try:
        data = jsonreader.read_object(force=True, allow_empty=True)
    except jsonreader.BadJson as error:
        blank = error.status != 413 and not request.get_data(cache=True).strip()
        raise ErrcodeAnswer(44002 if blank else 47001) from error
    if not data and not request.get_data(cache=True):
        raise ErrcodeAnswer(44002)
    return data


def _verify_session_signature():
    """Check access_token, openid, sig_method and signature; return (app, persona)."""
    app = APPS[tokens.authenticate(request.args.get("access_token"))]
    persona = persona_by_openid(app, request.args.get("openid", ""))
    if persona is None:
        raise ErrcodeAnswer(40003)
    if request.args.get("sig_method") != "hmac_sha256":
        raise ErrcodeAnswer(87008)
    key = sessions.live_session_key(app.appid, persona.id)
    signature = request.args.get("signature", "")
    if key is None or not hmac.compare_digest(
        opendata.checksession_signature(key.value).encode(), signature.encode()
    ):
        raise ErrcodeAnswer(87009)
    return app, persona


# Web authorization (the service account's OAuth2 for H5 pages)


@bp.get("/sns/oauth2/access_token")
@wechat_api("access_token")
def oauth2_access_token():
    """A web-authorization code for access_token, refresh_token and openid."""
    app = _app_from_credentials(request.args.get("appid"), request.args.get("secret"))
    whitelist.check_caller(app.appid)
    if request.args.get("grant_type") != "authorization_code":
        raise ErrcodeAnswer(40002)
    token = webauth.exchange_code(app, request.args.get("code"))
    body = {
        "access_token": token.access_token,
        "expires_in": webauth.ACCESS_TOKEN_LIFETIME,
        "refresh_token": token.refresh_token,
        "openid": webauth.token_openid(token),
        "scope": token.scope,
    }
    if token.snapshot:
        body["is_snapshotuser"] = 1
    # WeChat returns unionid here only for snsapi_userinfo.
    if token.scope == webauth.USERINFO and webauth.token_unionid(token):
        body["unionid"] = webauth.token_unionid(token)
    return body


@bp.get("/sns/oauth2/refresh_token")
@wechat_api("refresh_token")
def oauth2_refresh_token():
    appid = request.args.get("appid")
    app = APPS.get(appid) if isinstance(appid, str) and appid else None
    if app is None:
        raise ErrcodeAnswer(41002 if not appid else 40013)
    if request.args.get("grant_type") != "refresh_token":
        raise ErrcodeAnswer(40002)
    token = webauth.refresh(app, request.args.get("refresh_token"))
    return {
        "access_token": token.access_token,
        "expires_in": webauth.ACCESS_TOKEN_LIFETIME,
        "refresh_token": token.refresh_token,
        "openid": webauth.token_openid(token),
        "scope": token.scope,
    }


@bp.get("/sns/userinfo")
@wechat_api("userinfo")
def sns_userinfo():
    """The profile behind a snsapi_userinfo token (48001 for a snsapi_base one)."""
    token = webauth.authenticate(request.args.get("access_token"), request.args.get("openid"))
    if token.scope != webauth.USERINFO:
        raise ErrcodeAnswer(48001)
    persona = PERSONAS[token.persona]
    if token.snapshot:
        nickname, avatar = "微信用户", avatar_url("default")
    else:
        nickname, avatar = (
            persona.nickname,
            avatar_url(persona.id),
        )
    # Since 2021-10 sex is 0 and the region empty for everyone.
    body = {
        "openid": webauth.token_openid(token),
        "nickname": nickname,
        "sex": 0,
        "province": "",
        "city": "",
        "country": "",
        "headimgurl": avatar,
        "privilege": [],
    }
    if webauth.token_unionid(token):
        body["unionid"] = webauth.token_unionid(token)
    return body


@bp.get("/sns/auth")
@wechat_api("auth")
def sns_auth():
    """Is this web access_token valid for this openid?"""
    webauth.authenticate(request.args.get("access_token"), request.args.get("openid"))
    return ok()
