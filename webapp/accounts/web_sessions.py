"""H5 sessions, ended on the server: logout ends one, "end everywhere" ends all of a user's."""

import secrets

from sqlalchemy import select, update

from webapp.accounts.models import WebSession
from webapp.accounts.tokens import hash_token
from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db


def start(user, identity, method, lifetime):
    """Open a session; return its plaintext token (for the cookie) and its row."""
    plaintext = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=hash_token(plaintext),
        user=user,
        identity=identity,
        method=method,
        created_at=utcnow(),
        expires_at=seconds_from_now(lifetime),
    )
    db.session.add(row)
    db.session.flush()
    return plaintext, row


def find_live(plaintext):
    """The live session for a cookie's token, or None (unknown, ended or expired)."""
    if not isinstance(plaintext, str) or not plaintext:
        return None
    row = db.session.scalar(
        select(WebSession).where(WebSession.token_hash == hash_token(plaintext))
    )
    if row is None or row.ended_at is not None or row.expires_at <= utcnow():
        return None
    return row


def end(row, reason):
    row.ended_at, row.end_reason = utcnow(), reason


def end_all(user_id, reason):
    """End every live session of the user, in every browser; return how many."""
    count = db.session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    ).rowcount
    return count
