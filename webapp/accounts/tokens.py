"""The mini-program API's bearer tokens: random, stored only as a hash, revocable."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import ApiToken, User
from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db

LAST_USED_PRECISION = timedelta(minutes=1)  # write last_used_at at most once a minute


class TokenRejected(Exception):
    """The token is missing, unknown, expired or revoked; ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue(identity, device, lifetime):
    """Create a token for the identity's user; return (plaintext, row). Only the hash is kept."""
    plaintext = secrets.token_urlsafe(32)
    row = ApiToken(
        token_hash=hash_token(plaintext),
        user=identity.user,
        identity=identity,
        device=device[:120],
        created_at=utcnow(),
        expires_at=seconds_from_now(lifetime),
    )
    db.session.add(row)
    return plaintext, row


def issue_for_login(identity, device, lifetime, single_device):
    """Issue the token of a login; with ``single_device``, revoke every other token of the user.
    Return (plaintext, row)."""
    if single_device:
        # Two logins of one user at once must not both keep their token: take turns on the
        # user's row, so the later one sees (and revokes) the earlier one's token.
        db.session.execute(select(User.id).where(User.id == identity.user_id).with_for_update())
    plaintext, row = issue(identity, device, lifetime)
    db.session.flush()
    if single_device:
        revoke_user_tokens(identity.user_id, "new-login", keep_id=row.id)
    return plaintext, row


def authenticate(plaintext):
    """Return the live ApiToken for a plaintext token, or raise TokenRejected."""
    if not plaintext:
        raise TokenRejected("missing")
    row = (
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.token_hash == hash_token(plaintext))
            # Every view shows the user: one query instead of three (token, user, identities).
            .options(joinedload(ApiToken.user).joinedload(User.identities))
        )
        .unique()
        .first()
    )
    now = utcnow()
    if row is None:
        raise TokenRejected("invalid")
    if row.revoked_at is not None:
        raise TokenRejected("revoked")
    if row.expires_at <= now:
        raise TokenRejected("expired")
    return row


def note_use(row):
    """Stamp the token's last use, at most once a minute (so reads stay reads); return whether
    there is something to commit. A conditional UPDATE: concurrent requests stamp it once."""
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_PRECISION:
        return False
    stamped = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == row.id,
            (ApiToken.last_used_at.is_(None))
            | (ApiToken.last_used_at <= now - LAST_USED_PRECISION),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return stamped == 1


def revoke_user_tokens(user_id, reason, keep_id=None):
    """Revoke every live token of the user (but ``keep_id``); return how many."""
    query = (
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason)
    )
    if keep_id is not None:
        query = query.where(ApiToken.id != keep_id)
    return db.session.execute(query).rowcount


def revoke(row, reason):
    row.revoked_at, row.revoke_reason = utcnow(), reason


def status(row, now=None):
    """active, revoked or expired: how the inspector shows a token."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "active"
