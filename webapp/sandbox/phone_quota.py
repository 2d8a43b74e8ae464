"""The phone-number ability's quota: paid since 2023-08-28, 1000 free trial calls per appid.

WeChat charges a mini-program for each *successful* getPhoneNumber (the user allowed it); once
its allowance is used up the button fails at once with errno 1400001, and, unless the button
says phone-number-no-quota-toast="false", WeChat shows its own toast. The sandbox counts the
calls per appid; SANDBOX_PHONE_NUMBER_QUOTA is the allowance, and /sandbox/phone-quota lets a
lesson use it up.
"""

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.sandbox.models import PhoneNumberQuota

NO_QUOTA = 1400001, "no quota"  # errno; the errMsg's words are the sandbox's choice


def allowance():
    return current_app.config["SANDBOX_PHONE_NUMBER_QUOTA"]


def used(appid):
    row = db.session.get(PhoneNumberQuota, appid, populate_existing=True)
    return row.used if row else 0


def remaining(appid):
    return max(0, allowance() - used(appid))


def charge(appid):
    """Count one successful call; False (nothing counted) if the quota is used up. An atomic
    conditional UPDATE: two processes cannot both spend the last call."""
    _ensure_row(appid)
    charged = db.session.execute(
        update(PhoneNumberQuota)
        .where(PhoneNumberQuota.appid == appid, PhoneNumberQuota.used < allowance())
        .values(used=PhoneNumberQuota.used + 1)
    ).rowcount
    return charged == 1


def _ensure_row(appid):
    """The app's counter row, created at its first call (committed: it holds nothing yet)."""
    if db.session.get(PhoneNumberQuota, appid) is None:
        try:
            db.session.add(PhoneNumberQuota(appid=appid, used=0))
            db.session.commit()
        except IntegrityError:  # another process created it first
            db.session.rollback()


def set_remaining(appid, calls_left):
    """Leave the app ``calls_left`` calls of its allowance (a lesson's shortcut)."""
    row = db.session.get(PhoneNumberQuota, appid)
    if row is None:
        row = PhoneNumberQuota(appid=appid, used=0)
        db.session.add(row)
    row.used = max(0, allowance() - calls_left)
    db.session.flush()


def describe(appid):
    return {
        "appid": appid,
        "quota": allowance(),
        "used": used(appid),
        "remaining": remaining(appid),
    }
