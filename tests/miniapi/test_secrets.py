"""session_key, the app secret, the access_token and the bearer token never leave the
developer server: not in a response (but the token, once, to its owner) and not in a log."""

import logging

from sqlalchemy import select

from tests.miniapi.helpers import legacy_phone, legacy_profile, ok_data
from tests.support import MINIPROGRAM_SECRET
from webapp.accounts.models import Identity
from webapp.extensions import db
from webapp.sandbox.models import AccessToken, SessionKey
from webapp.wechat.access_token import CachedAccessToken


def record_responses(miniprogram):
    """Keep every answer the mini-program receives, as (url, body text)."""
    seen = []
    miniprogram.http.hooks["response"].append(
        lambda response, *args, **kwargs: seen.append((response.url, response.text))
    )
    return seen


def full_flow(miniprogram):
    """Log in, check the session, bind the phone both ways, save the legacy profile."""
    token = miniprogram.login()["data"]["token"]
    ok_data(miniprogram.request("POST", "/api/session/check"))
    detail = miniprogram.wx("phone-number", decision="allow")
    ok_data(miniprogram.request("POST", "/api/phone", json={"code": detail["code"]}))
    ok_data(miniprogram.request("POST", "/api/phone/legacy", json=legacy_phone(detail)))
    profile = miniprogram.wx("user-profile", desc="完善资料", decision="allow")
    ok_data(miniprogram.request("POST", "/api/profile/legacy", json=legacy_profile(profile)))
    ok_data(miniprogram.request("GET", "/api/me"))
    return token


def server_secrets(app):
    """Every session_key and access_token that existed during the flow, by name."""
    with app.app_context():
        secrets = {"app secret": MINIPROGRAM_SECRET}
        for value in db.session.scalars(select(Identity.session_key)):
            secrets[f"session_key {value} (identity)"] = value
        for value in db.session.scalars(select(SessionKey.value)):
            secrets[f"session_key {value}"] = value
        for value in db.session.scalars(select(CachedAccessToken.token)):
            secrets[f"access_token {value[:8]}... (cache)"] = value
        for value in db.session.scalars(select(AccessToken.token)):
            secrets[f"access_token {value[:8]}..."] = value
    return secrets


def test_no_secret_reaches_a_response_or_a_log(app, miniprogram, caplog):
    caplog.set_level(logging.INFO)
    responses = record_responses(miniprogram)

    bearer = full_flow(miniprogram)

    secrets = server_secrets(app)
    assert any(name.startswith("session_key") for name in secrets)
    assert any(name.startswith("access_token") for name in secrets)
    messages = [record.getMessage() for record in caplog.records]
    assert any("jscode2session" in message for message in messages)  # the logs were captured
    for url, body in responses:
        for name, value in secrets.items():
            assert value not in body, f"{name} in the answer of {url}"
        if not url.endswith("/api/login"):
            assert bearer not in body, f"the bearer token in the answer of {url}"
    for message in messages:
        for name, value in {**secrets, "bearer token": bearer}.items():
            assert value not in message, f"{name} in the log: {message}"
