"""session_keys, and wx.login, which may replace one.

Rotation policy (WeChat documents only that a new code *may* replace the session_key; the sandbox
picks a rule a learner can rely on): every wx.login replaces the persona's session_key for that
app, unless the live key is younger than SANDBOX_SESSION_KEY_REUSE_WINDOW seconds (default 0:
always replace). So "getUserProfile, then wx.login, then decrypt" fails with -41003 every time.
The replaced key dies at once. A key also dies after SANDBOX_SESSION_KEY_LIFETIME seconds, on
resetusersessionkey, and when the phone's login state is cleared.

resetusersessionkey gives a new key that keeps the old key's expiry (WeChat's rule), and refuses
a reset within RESET_SPACING of the user's previous one with 45011 (WeChat says only that
frequent resets are not allowed: the spacing and the errcode are the sandbox's choice).
"""

import base64
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.sandbox import codes
from webapp.sandbox.errcodes import ErrcodeAnswer
from webapp.sandbox.models import SessionKey

RESET_SPACING = timedelta(seconds=60)


def new_session_key_value():
    return base64.b64encode(secrets.token_bytes(16)).decode()


def live_session_key(appid, persona_id):
    """Return the persona's live SessionKey for the app, or None."""
    return db.session.scalar(
        select(SessionKey)
        .where(
            SessionKey.appid == appid,
            SessionKey.persona == persona_id,
            SessionKey.ended_at.is_(None),
            SessionKey.expires_at > utcnow(),
        )
        .order_by(SessionKey.id.desc())
    )


def start_session(appid, persona_id, replaced_reason="rotated", expires_at=None):
    """End any live key of the persona for the app and make a new one (by default with a full
    lifetime)."""
    end_sessions(appid, persona_id, replaced_reason)
    key = SessionKey(
        appid=appid,
        persona=persona_id,
        value=new_session_key_value(),
        created_at=utcnow(),
        expires_at=expires_at
        or seconds_from_now(current_app.config["SANDBOX_SESSION_KEY_LIFETIME"]),
    )
    db.session.add(key)
    return key


def reset_session(appid, persona_id, live):
    """resetusersessionkey: replace the ``live`` key with one that keeps its expiry; 45011 if
    the user's key was reset less than RESET_SPACING ago."""
    last_reset = db.session.scalar(
        select(func.max(SessionKey.ended_at)).where(
            SessionKey.appid == appid,
            SessionKey.persona == persona_id,
            SessionKey.end_reason == "reset",
        )
    )
    if last_reset is not None and utcnow() - last_reset < RESET_SPACING:
        raise ErrcodeAnswer(45011)
    return start_session(appid, persona_id, replaced_reason="reset", expires_at=live.expires_at)


def current_or_new_session(appid, persona_id):
    """The key WeChat would encrypt open data with: the live one, or a fresh one if none."""
    return live_session_key(appid, persona_id) or start_session(appid, persona_id)


def end_sessions(appid, persona_id, reason):
    """End every live key of the persona for the app; return how many ended."""
    result = db.session.execute(
        update(SessionKey)
        .where(
            SessionKey.appid == appid,
            SessionKey.persona == persona_id,
            SessionKey.ended_at.is_(None),
        )
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount


def wx_login(appid, persona_id):
    """What wx.login does on the phone: maybe rotate the session_key, then issue a code."""
    live = live_session_key(appid, persona_id)
    window = timedelta(seconds=current_app.config["SANDBOX_SESSION_KEY_REUSE_WINDOW"])
    if live is None or utcnow() - live.created_at >= window:
        start_session(appid, persona_id)
    code = codes.issue(codes.LOGIN, appid, persona_id)
    return code
