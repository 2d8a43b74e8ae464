"""Fault injection and WeChat's per-minute quota.

A lesson (or a test) can make the next N calls of one API answer a chosen errcode, to show what
a backend must do with -1 (retry), 45011 (slow down) or 40029 (log in again).
"""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sandbox.errcodes import ERRMSG, ErrcodeAnswer
from webapp.sandbox.models import InjectedFault, QuotaCounter

# The server APIs a fault can be injected into, by the last part of their path.
INJECTABLE_APIS = (
    "jscode2session",
    "token",
    "stable_token",
    "checksession",
    "resetusersessionkey",
    "getuserphonenumber",
    "access_token",
    "refresh_token",
    "userinfo",
    "auth",
)


def inject(api, errcode, times=1):
    """Make the next ``times`` calls of ``api`` answer ``errcode``; return the fault."""
    if api not in INJECTABLE_APIS:
        raise ValueError(f"unknown api {api!r}; choose one of {', '.join(INJECTABLE_APIS)}")
    if errcode not in ERRMSG:
        raise ValueError(f"errcode {errcode} is not one the sandbox knows")
    if not 1 <= times <= 1000:
        raise ValueError("times must be between 1 and 1000")
    fault = InjectedFault(api=api, errcode=errcode, remaining=times, created_at=utcnow())
    db.session.add(fault)
    db.session.commit()
    return fault


def pending():
    return db.session.scalars(
        select(InjectedFault).where(InjectedFault.remaining > 0).order_by(InjectedFault.id)
    ).all()


def clear():
    count = db.session.execute(InjectedFault.__table__.delete()).rowcount
    db.session.commit()
    return count


def raise_injected(api):
    """Raise the oldest pending fault for ``api``, using up one of its calls."""
    for fault in db.session.scalars(
        select(InjectedFault)
        .where(InjectedFault.api == api, InjectedFault.remaining > 0)
        .order_by(InjectedFault.id)
    ):
        # A conditional decrement: two processes cannot both use the last call.
        taken = db.session.execute(
            update(InjectedFault)
            .where(InjectedFault.id == fault.id, InjectedFault.remaining > 0)
            .values(remaining=InjectedFault.remaining - 1)
        ).rowcount
        db.session.commit()
        if taken:
            raise ErrcodeAnswer(fault.errcode)


def count_call(api, subject, per_minute):
    """Count one call of ``api`` by ``subject``; raise 45011 past ``per_minute`` in this minute."""
    window = utcnow().replace(second=0, microsecond=0)
    key = dict(api=api, subject=subject, window_start=window)
    bumped = db.session.execute(
        update(QuotaCounter).filter_by(**key).values(count=QuotaCounter.count + 1)
    ).rowcount
    if not bumped:
        try:
            db.session.add(QuotaCounter(**key, count=1))
            db.session.flush()
        except IntegrityError:  # another process inserted the row first
            db.session.rollback()
            db.session.execute(
                update(QuotaCounter).filter_by(**key).values(count=QuotaCounter.count + 1)
            )
    db.session.commit()
    if db.session.get(QuotaCounter, (api, subject, window)).count > per_minute:
        raise ErrcodeAnswer(45011)
