"""One-call steps and checks for the mini-program API tests.

Every flow goes through the sandbox WeChat over real HTTP: the ``miniprogram`` fixture plays the
phone (wx.* calls to /sandbox/device) and the mini-program (wx.request to /api), and the
developer server calls the sandbox's /sandbox/api over HTTP too, as it would call WeChat.
"""

import struct
import zlib

import requests
from sqlalchemy import func, select

from webapp.accounts.models import ApiToken, Avatar, Identity, LoginClaim, User, WebViewTicket
from webapp.extensions import db
from webapp.sandbox.models import AccessToken


def _png_1x1():
    """The smallest honest PNG: one green pixel, with real chunks and checksums."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x07\xc1\x60")  # filter byte, then one RGB pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG_BYTES = _png_1x1()


# --- reading answers -------------------------------------------------------------------------


def ok_data(response):
    """Assert a success envelope {"code": 0, "msg": "ok", "data": ...}; return its data."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == 0 and body["msg"] == "ok", body
    return body["data"]


def assert_error(response, status, code):
    """Assert an error envelope: the HTTP status, our code and a readable msg; return the body."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["msg"], str) and body["msg"], body
    return body


def assert_envelope(response):
    """Assert the answer is JSON in the API's envelope: an int code and a str msg."""
    assert response.headers.get("Content-Type", "").startswith("application/json"), (
        response.status_code,
        response.headers.get("Content-Type"),
        response.text[:200],
    )
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("code"), int) and isinstance(body.get("msg"), str), body
    assert (body["code"] == 0) == (response.status_code == 200), (response.status_code, body)
    return body


# --- the sandbox WeChat ----------------------------------------------------------------------


def persona(base_url, user):
    """The persona as GET /sandbox/users lists it: its openid per app and its unionid."""
    users = requests.get(f"{base_url}/sandbox/users").json()["users"]
    return next(listed for listed in users if listed["id"] == user)


def inject_fault(base_url, api, errcode, times=1):
    """Make the next ``times`` calls of a WeChat API answer ``errcode``."""
    response = requests.post(
        f"{base_url}/sandbox/faults", json={"api": api, "errcode": errcode, "times": times}
    )
    assert response.status_code == 201, response.text


def pending_faults(base_url):
    return requests.get(f"{base_url}/sandbox/faults").json()["faults"]


def legacy_profile(detail):
    """What the mini-program sends to /api/profile/legacy from getUserProfile's answer."""
    return {name: detail[name] for name in ("rawData", "signature", "encryptedData", "iv")}


def legacy_phone(detail):
    """What the mini-program sends to /api/phone/legacy from getPhoneNumber's answer."""
    return {"encryptedData": detail["encryptedData"], "iv": detail["iv"]}


def tamper(base64_text):
    """Change two base64 characters in the middle: still valid base64, different ciphertext."""
    middle = len(base64_text) // 2
    swapped = "".join("B" if char == "A" else "A" for char in base64_text[middle : middle + 2])
    return base64_text[:middle] + swapped + base64_text[middle + 2 :]


# --- the developer server's database ---------------------------------------------------------

COUNTED = {
    "users": User,
    "identities": Identity,
    "tokens": ApiToken,
    "login_claims": LoginClaim,
    "avatars": Avatar,
    "tickets": WebViewTicket,
}


def row_counts(app):
    """How many rows each of the developer server's tables holds."""
    with app.app_context():
        return {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in COUNTED.items()
        }


def snapshot(app):
    """Every row of the developer server's tables, to prove a request changed nothing.
    (api_token.last_used_at is left out: using a token is allowed to touch it.)"""
    with app.app_context():
        state = {}
        for name, model in COUNTED.items():
            columns = [
                column for column in model.__table__.columns if column.name != "last_used_at"
            ]
            rows = db.session.execute(select(*columns)).all()
            state[name] = sorted((tuple(row) for row in rows), key=repr)
        return state


def stable_tokens_issued(app, appid):
    """How many access_tokens the sandbox issued from /cgi-bin/stable_token for the app."""
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AccessToken)
            .where(AccessToken.kind == "stable", AccessToken.appid == appid)
        )


def user_row(app, user_id):
    """The user's row as a plain dict, read fresh from the database."""
    with app.app_context():
        user = db.session.get(User, user_id)
        return {column.name: getattr(user, column.name) for column in User.__table__.columns}
