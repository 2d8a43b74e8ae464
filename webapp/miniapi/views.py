"""The mini-program's JSON API: login, tokens, logout, profile, phone number, web-view tickets.

The flow it serves: wx.login -> code -> POST /api/login -> code2Session -> openid + session_key
(kept here) -> our own token -> wx.setStorageSync. Every later request carries the token as
``Authorization: Bearer``; a 401 sends the client back to wx.login.
"""

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)

from webapp.accounts import avatars, identities, login_claims, tickets, tokens
from webapp.accounts.models import Avatar
from webapp.extensions import db
from webapp.miniapi import openapi
from webapp.miniapi.errors import ERRORS, EXPLAINED, WECHAT_ERRORS, ApiError, from_wechat, ok
from webapp.miniapi.reading import json_body, storable_text, token_required
from webapp.miniapi.serialize import iso, user_json
from webapp.wechat import crypto
from webapp.wechat.access_token import with_access_token
from webapp.wechat.client import miniprogram_client

bp = Blueprint("miniapi", __name__, url_prefix="/api")

CLAIMED_MESSAGES = {
    "in_flight": "this code is being used by another request right now: wait for its answer",
    "used": "this code was used to log in already: keep the token from that login",
}
LEGACY_NICKNAME = "微信用户"
MAX_CODE_LENGTH = 128  # wx.login codes are 32 characters; a longer one would not fit a URL
AVATAR_ID = re.compile(r"[0-9a-f]{32}")  # as avatars.save makes them


@bp.errorhandler(ApiError)
def api_error(error):
    db.session.rollback()
    return error.response()


@bp.post("/login")
def login():
    """Redeem a wx.login code for our own token."""
    body = json_body(required={"code": str}, optional={"device": str})
    code = body["code"].strip()
    if len(code) > MAX_CODE_LENGTH:  # not a code: do not ask WeChat in vain
        raise ApiError(
            "wechat_code_invalid",
            "the code is too long to be a wx.login code: call wx.login for a new one",
        )
    try:
        login_claims.claim(code, login_claims.lease_seconds(current_app.config))
    except login_claims.CodeClaimed as claimed:
        raise ApiError("code_already_used", CLAIMED_MESSAGES[claimed.reason]) from claimed
    try:
        session = miniprogram_client().code2session(code)
    except WECHAT_ERRORS as error:
        if getattr(error, "errcode", None) != 40163:
            # No login happened: a second try with this code should hear WeChat's own answer
            # (busy: it may still work), not "keep the token from that login".
            login_claims.release(code)
        raise from_wechat(error) from error

    appid = current_app.config["MINIPROGRAM_APPID"]
    identity, created_user = identities.record_mini_program_login(appid, session)
    device = body.get("device") or request.user_agent.string or "mini-program"
    plaintext, token = tokens.issue_for_login(
        identity,
        device,
        current_app.config["API_TOKEN_LIFETIME"],
        single_device=current_app.config["LOGIN_POLICY"] == "single-device",
    )
    login_claims.finish(code)
    db.session.commit()
    return ok(
        {
            "token": plaintext,
            "token_type": "Bearer",
            "expires_in": current_app.config["API_TOKEN_LIFETIME"],
            "expires_at": iso(token.expires_at),
            "is_new_user": created_user,
            "user": user_json(identity.user),
        }
    )


@bp.get("/me")
@token_required
def me():
    token = g.api_token
    return ok(
        {
            "user": user_json(token.user),
            "token": {
                "device": token.device,
                "created_at": iso(token.created_at),
                "expires_at": iso(token.expires_at),
            },
        }
    )


@bp.post("/logout")
@token_required
def logout():
    """Revoke this token, or with {"all": true} every token of the user."""
    body = json_body(optional={"all": bool}, allow_empty=True)
    if body.get("all"):
        revoked = tokens.revoke_user_tokens(g.api_token.user_id, "logout-all")
    else:
        tokens.revoke(g.api_token, "logout")
        revoked = 1
    db.session.commit()
    return ok({"revoked": revoked})


@bp.post("/session/check")
@token_required
def check_session():
    """Ask WeChat whether the session_key we hold is still the user's live one."""
    identity = _identity_with_session_key()
    client = miniprogram_client()
    signature = crypto.checksession_signature(identity.session_key)
    try:
        with_access_token(
            client,
            lambda access_token: client.check_session(access_token, identity.openid, signature),
        )
    except WECHAT_ERRORS as error:
        if getattr(error, "errcode", None) == 87009:
            return ok(
                {
                    "session_key": "stale",
                    "explanation": "WeChat has a newer session_key for this user: wx.login ran "
                    "again "
                    "(or the key expired). Data encrypted with the new key cannot be "
                    "decrypted with ours until the user logs in again.",
                }
            )
        raise from_wechat(error) from error
    return ok({"session_key": "live", "updated_at": iso(identity.session_key_updated_at)})


@bp.post("/profile")
@token_required
def save_profile():
    """Save what the user chose: an avatar file (as wx.uploadFile sends it, field ``avatar``)
    and/or a nickname (form field or JSON ``nickname``)."""
    user = g.api_token.user
    if request.mimetype == "multipart/form-data":
        upload, nickname = request.files.get("avatar"), request.form.get("nickname")
    else:
        upload, nickname = None, json_body(optional={"nickname": str}).get("nickname")
    if upload is None and nickname is None:
        raise ApiError("bad_request", "send an 'avatar' file, a 'nickname', or both")
    if nickname is not None:
        user.nickname = _valid_nickname(nickname)
    if upload is not None:
        try:
            avatars.save(user, upload.read(), current_app.config["AVATAR_MAX_BYTES"])
        except avatars.AvatarRejected as rejected:
            raise ApiError("avatar_rejected", f"avatar not accepted: {rejected}") from rejected
    db.session.commit()
    return ok({"user": user_json(user)})


@bp.post("/profile/legacy")
@token_required
def save_legacy_profile():
    """The getUserProfile payload: check rawData's signature, decrypt, check the watermark."""
    body = json_body(required={"rawData": str, "signature": str, "encryptedData": str, "iv": str})
    identity = _identity_with_session_key()
    if not crypto.verify_raw_data(body["rawData"], body["signature"], identity.session_key):
        raise ApiError("signature_mismatch", data={"likely_cause": crypto.ROTATED_SESSION_KEY})
    profile = _decrypt(identity, body["encryptedData"], body["iv"])
    user = identity.user
    notes = []
    # Since 2022-11-08 WeChat answers every new release with the same anonymous profile. It is
    # nobody's nickname: keep what the user chose (or nothing) rather than store it.
    anonymous = profile.get("nickName") == LEGACY_NICKNAME
    if anonymous:
        notes.append(
            "Since 2022-11-08 getUserProfile returns 微信用户 and a gray avatar: the stored "
            "profile was kept. Use the avatar and nickname fill-in ability instead."
        )
    else:
        user.nickname = profile.get("nickName") or user.nickname
        if profile.get("avatarUrl"):
            avatars.delete_all(user)
            user.avatar_url = profile["avatarUrl"]
        db.session.commit()
    return ok({"user": user_json(user), "saved": not anonymous, "notes": notes})


@bp.delete("/profile")
@token_required
def delete_profile():
    user = g.api_token.user
    avatars.delete_all(user)
    user.nickname = None
    db.session.commit()
    return ok({"user": user_json(user)})


@bp.get("/avatars/<avatar_id>")
def avatar(avatar_id):
    # Look up only what can be an avatar id (PostgreSQL refuses a NUL in the path, for one).
    row = db.session.get(Avatar, avatar_id) if AVATAR_ID.fullmatch(avatar_id) else None
    if row is None:
        abort(404)
    return Response(
        row.data,
        mimetype=row.content_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@bp.post("/phone")
@token_required
def bind_phone():
    """Exchange the getPhoneNumber button's code for the number (base library 2.21.2+)."""
    code = json_body(required={"code": str})["code"].strip()
    client = miniprogram_client()
    try:
        answer = with_access_token(
            client, lambda access_token: client.phone_number(access_token, code)
        )
    except WECHAT_ERRORS as error:
        raise from_wechat(error, code_error="phone_code_invalid") from error
    return _save_phone(answer["phone_info"])


@bp.post("/phone/legacy")
@token_required
def bind_phone_legacy():
    """Decrypt the getPhoneNumber button's encryptedData with the session_key."""
    body = json_body(required={"encryptedData": str, "iv": str})
    identity = _identity_with_session_key()
    return _save_phone(_decrypt(identity, body["encryptedData"], body["iv"]))


@bp.delete("/phone")
@token_required
def unbind_phone():
    user = g.api_token.user
    user.phone_number = user.pure_phone_number = user.phone_country_code = None
    db.session.commit()
    return ok({"user": user_json(user)})


@bp.post("/webview/ticket")
@token_required
def webview_ticket():
    """A one-time ticket for the web-view: open ``url`` in <web-view src>."""
    lifetime = current_app.config["WEBVIEW_TICKET_LIFETIME"]
    ticket = tickets.issue(g.api_token.user, lifetime)
    db.session.commit()
    url = url_for("h5.bridge", ticket=ticket, _external=True)
    return ok({"ticket": ticket, "expires_in": lifetime, "url": url})


def _identity_with_session_key():
    identity = g.api_token.identity
    if not identity.session_key:
        raise ApiError("no_session_key")
    return identity


def _decrypt(identity, encrypted_data, iv):
    try:
        return crypto.decrypt(identity.session_key, encrypted_data, iv, identity.appid)
    except crypto.OpenDataError as error:
        raise ApiError(
            "decrypt_failed",
            f"decryption failed: {error.reason}",
            data={"errcode": error.code, "likely_cause": error.likely_cause},
        ) from error


def _save_phone(info):
    user = g.api_token.user
    user.phone_number = info["phoneNumber"]
    user.pure_phone_number = info["purePhoneNumber"]
    user.phone_country_code = info["countryCode"]
    db.session.commit()
    return ok({"user": user_json(user)})


def _valid_nickname(value):
    nickname = value.strip()
    if not 1 <= len(nickname) <= 32:
        raise ApiError("bad_request", "nickname must be 1 to 32 characters")
    if not storable_text(nickname):  # a multipart form field is not checked by json_body
        raise ApiError("bad_request", "nickname must be text without NUL characters")
    return nickname


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.DOCUMENT)


@bp.get("/docs")
def docs():
    return render_template(
        "miniapi/docs.html",
        document=openapi.DOCUMENT,
        operations=list(openapi.operations()),
        errors=ERRORS,
        explained=EXPLAINED,
    )


@bp.app_template_filter("openapi_text")
def openapi_text(text):
    """An OpenAPI description as HTML: the document uses `code` and "- " list lines only."""
    return openapi.to_html(text or "")
