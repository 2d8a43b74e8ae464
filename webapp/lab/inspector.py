"""Where each kind of state lives right now, for the persona holding the phone.

The lab may look at both sides at once: the developer server's rows and the sandbox WeChat's.
(The developer server itself never looks at the sandbox.)
"""

from flask import current_app
from sqlalchemy import select

from webapp.accounts import tokens
from webapp.accounts.models import ApiToken, Identity, WebSession
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sandbox import authsetting, privacy, sessions
from webapp.sandbox.directory import APPS, openid
from webapp.sandbox.models import SessionKey, WebDenial, WebGrant

# Why a token or an H5 session ended, and how an H5 session logged in, as the panels say it.
END_REASONS = {
    "new-login": "同一用户在别处登录（单设备策略）",
    "logout": "退出登录",
    "logout-all": "所有设备退出",
    "replaced": "被这个浏览器的新登录替换",
    "ended-everywhere": "在所有设备上退出",
}
LOGIN_METHODS = {
    "bridge": "一次性票据",
    "snsapi_base": "静默网页授权",
    "snsapi_userinfo": "网页授权（要资料）",
}


def snapshot(persona, appid):
    """Everything the inspector shows, with no secret in it."""
    app = APPS[appid]
    identity = db.session.scalar(
        select(Identity).where(Identity.appid == appid, Identity.openid == openid(app, persona))
    )
    user = identity.user if identity else None
    now = utcnow()
    return {
        "persona": persona,
        "app": app,
        "user": user,
        "identity": identity,
        "session_key": _session_key_state(identity, appid, persona.id),
        "api_tokens": _api_tokens(user, now),
        "web_sessions": _web_sessions(user, now),
        "auth_setting": authsetting.auth_setting(appid, persona.id),
        "privacy_agreed": privacy.agreed(appid, persona.id),
        "web_grants": _rows(WebGrant, persona.id, WebGrant.expires_at > now),
        "web_denials": _rows(WebDenial, persona.id, WebDenial.until > now),
        "wechat_session": sessions.live_session_key(appid, persona.id),
        "official_appid": current_app.config["OFFICIAL_ACCOUNT_APPID"],
        "end_reasons": END_REASONS,
        "login_methods": LOGIN_METHODS,
    }


def _session_key_state(identity, appid, persona_id):
    """live: ours is WeChat's current key; rotated: WeChat has a newer one; none: no login yet.
    Only the comparison is shown, never a key."""
    if identity is None or not identity.session_key:
        return "none"
    live = sessions.live_session_key(appid, persona_id)
    if live is not None and live.value == identity.session_key:
        return "live"
    ours = db.session.scalar(select(SessionKey).where(SessionKey.value == identity.session_key))
    return "rotated" if ours is None or ours.end_reason in (None, "rotated") else ours.end_reason


def _api_tokens(user, now):
    if user is None:
        return []
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()).limit(10)
    )
    return [
        {
            "id": row.id,
            "device": row.device,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "last_used_at": row.last_used_at,
            "status": tokens.status(row, now),
            "revoke_reason": row.revoke_reason,
        }
        for row in rows
    ]


def _web_sessions(user, now):
    if user is None:
        return []
    rows = db.session.scalars(
        select(WebSession)
        .where(WebSession.user_id == user.id)
        .order_by(WebSession.id.desc())
        .limit(10)
    )
    return [
        {
            "id": row.id,
            "method": row.method,
            "created_at": row.created_at,
            "status": "ended"
            if row.ended_at
            else ("expired" if row.expires_at <= now else "active"),
            "end_reason": row.end_reason,
        }
        for row in rows
    ]


def _rows(model, persona_id, *conditions):
    return db.session.scalars(select(model).where(model.persona == persona_id, *conditions)).all()
