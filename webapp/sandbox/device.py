"""The phone side of the sandbox WeChat: what the WeChat app decides on the device.

Each endpoint stands for one wx API and answers with that API's fields and ``errMsg``. Where
WeChat would pop a sheet and no ``decision`` (allow | deny) was given, the answer is
``{"needsDecision": true, "sheet": ...}``: the caller shows the sheet and asks again with the
user's decision. A failure WeChat numbers carries ``errno`` too (104: the privacy guide not
agreed to; 112: the API not declared in it; 1400001: no phone-number quota left). Bad input
answers 400 with ``errMsg: "<api>:fail <reason>"``.
"""

import functools

from flask import Blueprint, current_app, jsonify, request

from webapp import jsonreader
from webapp.extensions import db
from webapp.sandbox import authsetting, codes, opendata, phone_quota, privacy, sessions, webauth
from webapp.sandbox.console import REVIEW_COOKIE, avatar_url
from webapp.sandbox.directory import APPS, MINIPROGRAM, PERSONAS
from webapp.sandbox.holder import persona_id as holder_id

bp = Blueprint("sandbox_device", __name__, url_prefix="/sandbox/device")

CLEARABLE = ("auth", "login", "web-auth", "all")
PROFILE_ERAS = ("current", "pre-2022")
DESC_MAX_LENGTH = 30
REVIEWED = ("avatar", "nickname")
# wx.authorize's errno for a refusal that is not the privacy guide's: the user denied the
# scope, or it cannot be asked for. Reported by developers; WeChat's errno table is silent.
AUTH_DENY_ERRNO = 103


class DeviceError(Exception):
    """Bad input to a device endpoint: answered as ``<api>:fail <reason>`` with HTTP 400 (413
    for a body over the size limit)."""

    def __init__(self, reason, status=400):
        super().__init__(reason)
        self.status = status


def wx_api(name):
    """Answer as the wx API ``name`` does; pass the view the app and the persona."""

    def decorate(view):
        @functools.wraps(view)
        def answer():
            try:
                data = _params()
                app, persona = _app_and_persona(data)
                body = view(data, app, persona)
                db.session.commit()  # the view's helpers flushed; a wx API answered commits once
            except DeviceError as error:
                db.session.rollback()
                return jsonify(errMsg=f"{name}:fail {error}"), error.status
            if "errMsg" not in body and not body.get("needsDecision"):
                body["errMsg"] = f"{name}:ok"
            return jsonify(body)

        return answer

    return decorate


@bp.post("/login")
@wx_api("login")
def login(data, app, persona):
    return {"code": sessions.wx_login(app.appid, persona.id)}


@bp.post("/check-session")
@wx_api("checkSession")
def check_session(data, app, persona):
    if sessions.live_session_key(app.appid, persona.id) is None:
        return {"errMsg": "checkSession:fail session time out"}
    return {}


@bp.get("/privacy-setting")
@wx_api("getPrivacySetting")
def privacy_setting(data, app, persona):
    return {
        "needAuthorization": not privacy.agreed(app.appid, persona.id),
        "privacyContractName": privacy.contract_name(app),
    }


@bp.post("/agree-privacy")
@wx_api("agreePrivacyAuthorization")
def agree_privacy(data, app, persona):
    """The user taps <button open-type="agreePrivacyAuthorization">: WeChat records it."""
    privacy.agree(app.appid, persona.id)
    return {}


@bp.post("/user-profile")
@wx_api("getUserProfile")
def user_profile(data, app, persona):
    desc = data.get("desc")
    if not isinstance(desc, str) or not desc:
        raise DeviceError("parameter error: parameter.desc should be String")
    if len(desc) > DESC_MAX_LENGTH:
        raise DeviceError(f"desc length should be at most {DESC_MAX_LENGTH}")
    era = data.get("era") or current_app.config["SANDBOX_PROFILE_ERA"]
    if era not in PROFILE_ERAS:
        raise DeviceError(f"era must be one of {', '.join(PROFILE_ERAS)}")
    if data.get("tap", True) is not True:
        return {"errMsg": "getUserProfile:fail can only be invoked by user TAP gesture"}
    refused = _privacy_refusal("getUserProfile", app, persona)
    if refused:
        return refused
    decision = _decision(data)
    if decision is None:
        return _sheet(app, "获取你的昵称、头像", desc)
    if decision == "deny":
        return {"errMsg": "getUserProfile:fail auth deny"}

    user_info = _user_info(persona, era)
    key = sessions.current_or_new_session(app.appid, persona.id)
    raw = opendata.raw_data(user_info)
    # Since 2021-04 the encrypted profile carries no openId or unionId.
    encrypted, iv = opendata.encrypt(
        key.value, {**user_info, "watermark": opendata.watermark(app.appid)}
    )
    return {
        "userInfo": user_info,
        "rawData": raw,
        "signature": opendata.raw_data_signature(raw, key.value),
        "encryptedData": encrypted,
        "iv": iv,
    }


@bp.post("/phone-number")
@wx_api("getPhoneNumber")
def phone_number(data, app, persona):
    """The button, with its sheet; paid per success, so a used-up quota fails it at once."""
    decision = _decision(data)
    refused = _privacy_refusal("getPhoneNumber", app, persona)
    if refused:
        return refused
    if phone_quota.remaining(app.appid) <= 0:
        return _no_phone_quota()
    if decision is None:
        return _sheet(app, "获取你的手机号", persona.phone_number)
    if decision == "deny":
        return {"errMsg": "getPhoneNumber:fail user deny"}
    if not phone_quota.charge(app.appid):  # the last call went to another tap meanwhile
        return _no_phone_quota()
    key = sessions.current_or_new_session(app.appid, persona.id)
    encrypted, iv = opendata.encrypt(
        key.value,
        {
            "phoneNumber": persona.phone_number,
            "purePhoneNumber": persona.pure_phone_number,
            "countryCode": persona.country_code,
            "watermark": opendata.watermark(app.appid),
        },
    )
    code = codes.issue(codes.PHONE, app.appid, persona.id)
    return {"code": code, "encryptedData": encrypted, "iv": iv}


@bp.post("/authorize")
@wx_api("authorize")
def authorize(data, app, persona):
    scope = data.get("scope")
    if not isinstance(scope, str):  # a list or object would not even be hashable
        raise DeviceError(f"invalid scope {scope!r}")
    if scope in authsetting.WITHDRAWN_SCOPES:
        raise DeviceError(f"{scope} can no longer be requested with wx.authorize")
    known = authsetting.SCOPES.keys() | authsetting.SETTLED_SCOPES
    if scope not in known | authsetting.SETTINGS_ONLY_SCOPES:
        raise DeviceError(f"invalid scope {scope!r}")
    decision = _decision(data)
    if scope in authsetting.SETTINGS_ONLY_SCOPES:
        return _auth_deny(f"{scope} can only be turned on in the settings page")
    refused = _privacy_refusal("authorize", app, persona, scope)
    if refused:
        return refused
    if scope in authsetting.SETTLED_SCOPES:  # no authorization needed any more
        return {}
    previous = authsetting.answer(app.appid, persona.id, scope)
    if previous is True:
        return {}
    if previous is False:  # denied before: fails at once, no sheet
        return _auth_deny()
    if decision is None:
        return _sheet(app, authsetting.SCOPES[scope], scope)
    authsetting.record(app.appid, persona.id, scope, decision == "allow")
    return {} if decision == "allow" else _auth_deny()


@bp.get("/setting")
@wx_api("getSetting")
def setting(data, app, persona):
    return {"authSetting": authsetting.auth_setting(app.appid, persona.id)}


@bp.post("/setting")
@wx_api("openSetting")
def change_setting(data, app, persona):
    """The user flips a switch on the settings page wx.openSetting opens."""
    scope, granted = data.get("scope"), data.get("granted")
    if not isinstance(granted, bool):
        raise DeviceError("granted must be true or false")
    # Only known scopes are ever asked (and looked up: PostgreSQL refuses a scope holding NUL).
    known = isinstance(scope, str) and scope in authsetting.SCOPES
    if not known or authsetting.answer(app.appid, persona.id, scope) is None:
        raise DeviceError("the settings page lists only scopes asked so far")
    authsetting.record(app.appid, persona.id, scope, granted)
    return {"authSetting": authsetting.auth_setting(app.appid, persona.id)}


@bp.post("/clear")
@wx_api("clear")
def clear(data, app, persona):
    """What DevTools' 清缓存 menu (or deleting the mini-program) does to WeChat's side."""
    what = data.get("what")
    if what not in CLEARABLE:
        raise DeviceError(f"what must be one of {', '.join(CLEARABLE)}")
    cleared = {}
    if what in ("login", "all"):
        cleared["session_keys"] = sessions.end_sessions(app.appid, persona.id, "cleared")
        cleared["pending_codes"] = codes.discard_pending(app.appid, persona.id)
    if what in ("auth", "all"):
        cleared["auth_scopes"] = authsetting.clear(app.appid, persona.id)
        cleared["privacy_agreements"] = privacy.clear(app.appid, persona.id)
    if what in ("web-auth", "all"):  # a real mini-program cannot do this: only WeChat's settings
        cleared.update(webauth.clear(persona.id))
    return {"cleared": cleared}


@bp.post("/choose-avatar")
@wx_api("chooseAvatar")
def choose_avatar(data, app, persona):
    """The chooseAvatar button, before its picker opens: a privacy API like the others."""
    return _privacy_refusal("chooseAvatar", app, persona) or {}


@bp.post("/review")
@wx_api("review")
def review(data, app, persona):
    """WeChat's content review of a picked avatar or a typed nickname (base library 2.24.4+):
    a rejected avatar never reaches bindchooseavatar, a rejected nickname is cleared on blur.
    Not a wx API: the client does it by itself. The sandbox rejects everything while the
    ``sandbox_review`` cookie says "reject" (POST /sandbox/review-mode)."""
    if data.get("kind") not in REVIEWED:
        raise DeviceError(f"kind must be one of {', '.join(REVIEWED)}")
    return {"pass": request.cookies.get(REVIEW_COOKIE) != "reject"}


def answer_http_error(error):
    """A request no endpoint took, answered as a wx API fails: ``<api>:fail <reason>``, where
    the API's name is the last part of the path (there may be no such API at all)."""
    name = request.path.rstrip("/").rsplit("/", 1)[-1]
    reasons = {404: "no such api on the sandbox phone", 405: f"method {request.method} not allowed"}
    reason = reasons.get(error.code, "system error" if error.code >= 500 else error.name.lower())
    return jsonify(errMsg=f"{name}:fail {reason}"), error.code


def _params():
    """The call's parameters: the JSON body of a POST, the query string of a GET."""
    if request.method == "GET":
        return request.args.to_dict()
    try:
        return jsonreader.read_object()
    except jsonreader.BadJson as error:
        raise DeviceError(error.reason, error.status) from error


def _app_and_persona(data):
    # JSON may carry a list or object where a string belongs: not hashable, so no lookup.
    appid = data.get("appid")
    app = APPS.get(appid) if isinstance(appid, str) else None
    if app is None or app.kind != MINIPROGRAM:
        raise DeviceError("invalid appid: not a sandbox mini-program")
    persona_id = holder_id(data.get("user"))
    persona = PERSONAS.get(persona_id) if isinstance(persona_id, str) else None
    if persona is None:
        raise DeviceError(f"unknown user {persona_id!r}: see /sandbox/users")
    return app, persona


def _decision(data):
    decision = data.get("decision")
    if decision not in (None, "allow", "deny"):
        raise DeviceError("decision must be allow or deny")
    return decision


def _privacy_refusal(api, app, persona, declared_as=None):
    """The failure of a privacy API the privacy guide stops now (104, 112), else None."""
    refused = privacy.refusal(app.appid, persona.id, declared_as or api)
    if refused is None:
        return None
    errno, reason = refused
    return {"errMsg": f"{api}:fail {reason}", "errno": errno}


def _auth_deny(reason="auth deny"):
    return {"errMsg": f"authorize:fail {reason}", "errno": AUTH_DENY_ERRNO}


def _no_phone_quota():
    errno, reason = phone_quota.NO_QUOTA
    return {"errMsg": f"getPhoneNumber:fail {reason}", "errno": errno}


def _sheet(app, asks, detail):
    return {"needsDecision": True, "sheet": {"app": app.name, "asks": asks, "detail": detail}}


def _user_info(persona, era):
    """userInfo as getUserProfile returns it. Since 2021-10 gender and region are blank;
    since 2022-11-08 nickname and avatar are the gray defaults too."""
    if era == "current":
        nickname, avatar = "微信用户", avatar_url("default")
    else:
        nickname = persona.nickname
        avatar = avatar_url(persona.id)
    return {
        "nickName": nickname,
        "gender": 0,
        "language": "zh_CN",
        "city": "",
        "province": "",
        "country": "",
        "avatarUrl": avatar,
    }
