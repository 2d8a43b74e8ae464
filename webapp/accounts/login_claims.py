"""Claims on wx.login codes: a second request with a code is told apart from the first.

Before calling WeChat, the login records the code's hash (a claim); the database's unique key
decides between two requests that arrive at once. The claim is finished in the transaction
that issues the token. A claim that is neither finished nor released after its lease belongs
to a request that died on the way (a killed worker): the next request with the code takes it
over and hears WeChat's real answer (a login, or 40163 "code been used"), instead of being told
to keep a token that was never issued.
"""

from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import LoginClaim
from webapp.accounts.tokens import hash_token
from webapp.clock import utcnow
from webapp.extensions import db

CLAIM_LIFETIME = timedelta(minutes=10)  # longer than a code lives (5 minutes)


class CodeClaimed(Exception):
    """Another request has the code: ``reason`` is "in_flight" (still working on it) or
    "used" (it logged in with it)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def claim(code, lease):
    """Claim the code for this request (committed at once, so others see it), or raise
    CodeClaimed. ``lease``: seconds after which an unfinished claim is taken as abandoned."""
    code_hash, now = hash_token(code), utcnow()
    db.session.execute(delete(LoginClaim).where(LoginClaim.created_at < now - CLAIM_LIFETIME))
    existing = db.session.get(LoginClaim, code_hash)
    if existing is None:
        db.session.add(LoginClaim(code_hash=code_hash, created_at=now))
        try:
            db.session.commit()
        except IntegrityError as error:  # a concurrent request claimed it a moment ago
            db.session.rollback()
            raise CodeClaimed("in_flight") from error
        return
    if existing.finished_at is not None:
        raise CodeClaimed("used")
    # Take over an abandoned claim; a conditional UPDATE, so only one request can.
    taken = db.session.execute(
        update(LoginClaim)
        .where(
            LoginClaim.code_hash == code_hash,
            LoginClaim.finished_at.is_(None),
            LoginClaim.created_at < now - timedelta(seconds=lease),
        )
        .values(created_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not taken:
        raise CodeClaimed("in_flight")


def finish(code):
    """Mark the claim as having logged in (flushed with the caller's token, committed by it)."""
    db.session.execute(
        update(LoginClaim)
        .where(LoginClaim.code_hash == hash_token(code))
        .values(finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def release(code):
    """Drop the claim: no login happened, so the code may be tried again."""
    db.session.execute(delete(LoginClaim).where(LoginClaim.code_hash == hash_token(code)))
    db.session.commit()


def lease_seconds(config):
    """How long a living login request can hold a claim: every try of code2Session with its
    backoff (the WeChat call policy), plus the database's waits around it."""
    tries = config["WECHAT_RETRIES"] + 1
    backoff = config["WECHAT_RETRY_BACKOFF"] * (2 ** (tries - 1) - 1)
    return tries * config["WECHAT_TIMEOUT"] + backoff + 3 * config["DATABASE_TIMEOUT"]
