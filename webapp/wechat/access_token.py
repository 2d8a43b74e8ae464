"""The server access_token, shared by every thread and process of the developer server.

WeChat allows one live token per app: if each process fetched its own, they would keep
invalidating each other. So the token lives in the database, and a refresh is guarded by a lease
row: only the process that wins the lease calls WeChat; the others wait for its result. The
token comes from stable_token, which returns the same token while it is valid, so even a lease
lost to a crash cannot make two different tokens.
"""

import time
from datetime import datetime, timedelta

from sqlalchemy import String, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.wechat.errors import WeChatError, WeChatUnavailable

REFRESH_MARGIN = timedelta(minutes=5)  # stable_token renews in its last 5 minutes too
LEASE_SECONDS = 15
WAIT_STEP = 0.05
STALE_TOKEN_ERRCODES = (40001, 42001)  # not latest / expired


class CachedAccessToken(db.Model):
    __tablename__ = "wechat_access_token"
    appid: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str | None] = mapped_column(String(512))
    expires_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]  # a refresh is in flight until then


def get_access_token(client):
    """Return a valid access_token for the client's app, refreshing it at most once at a time."""
    _ensure_row(client.appid)
    deadline = time.monotonic() + LEASE_SECONDS
    while True:
        row = db.session.get(CachedAccessToken, client.appid, populate_existing=True)
        if row.token and row.expires_at - utcnow() > REFRESH_MARGIN:
            return row.token
        if _take_lease(client.appid):
            return _refresh(client)
        if time.monotonic() > deadline:  # the holder seems stuck: its lease will lapse
            # Answered like WeChat away (503, try again), never a 500.
            raise WeChatUnavailable("stable_token", "another process is still refreshing it")
        db.session.rollback()  # end the read transaction so the next read sees new data
        time.sleep(WAIT_STEP)


def forget_access_token(appid, token):
    """Drop a token WeChat rejected (40001/42001), unless another refresh replaced it already."""
    db.session.execute(
        update(CachedAccessToken)
        .where(CachedAccessToken.appid == appid, CachedAccessToken.token == token)
        .values(token=None, expires_at=None)
    )
    db.session.commit()


def _ensure_row(appid):
    if db.session.get(CachedAccessToken, appid) is None:
        try:
            db.session.add(CachedAccessToken(appid=appid))
            db.session.commit()
        except IntegrityError:  # another process created it first
            db.session.rollback()


def _take_lease(appid):
    now = utcnow()
    taken = db.session.execute(
        update(CachedAccessToken)
        .where(
            CachedAccessToken.appid == appid,
            or_(CachedAccessToken.lease_until.is_(None), CachedAccessToken.lease_until < now),
        )
        .values(lease_until=now + timedelta(seconds=LEASE_SECONDS))
    ).rowcount
    db.session.commit()
    return taken == 1


def _refresh(client):
    try:
        answer = client.stable_token()
    except Exception:
        _release(client.appid)
        raise
    row = db.session.get(CachedAccessToken, client.appid)
    row.token = answer["access_token"]
    row.expires_at = seconds_from_now(answer["expires_in"])
    row.lease_until = None
    db.session.commit()
    return row.token


def _release(appid):
    db.session.rollback()
    db.session.execute(
        update(CachedAccessToken).where(CachedAccessToken.appid == appid).values(lease_until=None)
    )
    db.session.commit()


def with_access_token(client, call):
    """Run ``call(access_token)``; if WeChat says the token is stale, refresh it and retry once."""
    token = get_access_token(client)
    try:
        return call(token)
    except WeChatError as error:
        if error.errcode not in STALE_TOKEN_ERRCODES:
            raise
        forget_access_token(client.appid, token)
        return call(get_access_token(client))
