"""Server access_tokens: /cgi-bin/token and /cgi-bin/stable_token.

- A token lives 7200 s. Fetching a new one from the same endpoint leaves the previous one 5 more
  minutes, then it answers 40001; past its expiry it answers 42001.
- stable_token returns the same token while it has more than 5 minutes left. force_refresh
  issues a new one at most 20 times a day (45009) and 30 s apart (45011: the sandbox's choice of
  code for the spacing rule; the day is a rolling 24 hours), and the previous stable token
  stops working at once (40001): two servers that each force a refresh break each other.
- The two endpoints keep separate tokens, as WeChat does.
"""

import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.sandbox.errcodes import ErrcodeAnswer
from webapp.sandbox.lookup import lookupable
from webapp.sandbox.models import AccessToken

LIFETIME = 7200
OVERLAP = timedelta(minutes=5)
FORCE_REFRESH_PER_DAY = 20
FORCE_REFRESH_SPACING = timedelta(seconds=30)


def issue(appid, kind, forced=False):
    """Issue a new token; the app's earlier tokens of this kind get their 5 minutes, or, after
    a forced refresh, none."""
    now = utcnow()
    earlier = (AccessToken.appid == appid, AccessToken.kind == kind)
    db.session.execute(
        update(AccessToken)
        .where(*earlier, AccessToken.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    if forced:
        db.session.execute(
            update(AccessToken)
            .where(*earlier, AccessToken.invalidated_at.is_(None))
            .values(invalidated_at=now)
        )
    token = AccessToken(
        token=f"{secrets.randbelow(90) + 10}_{secrets.token_urlsafe(96)}",
        appid=appid,
        kind=kind,
        forced=forced,
        issued_at=now,
        expires_at=seconds_from_now(LIFETIME),
    )
    db.session.add(token)
    db.session.flush()
    return token


def stable(appid, force_refresh):
    if force_refresh:
        _check_force_refresh_limits(appid)
        return issue(appid, "stable", forced=True)
    current = db.session.scalar(
        select(AccessToken).where(
            AccessToken.appid == appid,
            AccessToken.kind == "stable",
            AccessToken.superseded_at.is_(None),
        )
    )
    if current is None or current.expires_at - utcnow() <= OVERLAP:
        return issue(appid, "stable")
    return current


def _check_force_refresh_limits(appid):
    now = utcnow()
    forced = (AccessToken.appid == appid, AccessToken.forced)
    last = db.session.scalar(select(func.max(AccessToken.issued_at)).where(*forced))
    if last is not None and now - last < FORCE_REFRESH_SPACING:
        raise ErrcodeAnswer(45011)
    in_last_day = db.session.scalar(
        select(func.count())
        .select_from(AccessToken)
        .where(*forced, AccessToken.issued_at > now - timedelta(days=1))
    )
    if in_last_day >= FORCE_REFRESH_PER_DAY:
        raise ErrcodeAnswer(45009)


def expires_in(token):
    return max(0, round((token.expires_at - utcnow()).total_seconds()))


def authenticate(access_token):
    """Return the appid the token belongs to, or raise 41001, 40001 or 42001."""
    if not access_token:
        raise ErrcodeAnswer(41001)
    token = db.session.get(AccessToken, access_token) if lookupable(access_token) else None
    now = utcnow()
    if token is None:
        raise ErrcodeAnswer(40001)
    if token.invalidated_at is not None:
        raise ErrcodeAnswer(40001)
    if token.expires_at <= now:
        raise ErrcodeAnswer(42001)
    if token.superseded_at is not None and now - token.superseded_at >= OVERLAP:
        raise ErrcodeAnswer(40001)
    return token.appid
