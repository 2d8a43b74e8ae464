"""One-time codes: issued to the phone, redeemed once by a server, dead after 5 minutes.
The consent page's answer is one too: 允许 or 拒绝 counts once, within the page's lifetime."""

import secrets
import string

from sqlalchemy import delete, update

from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.sandbox.lookup import lookupable
from webapp.sandbox.models import OneTimeCode

LIFETIME = 5 * 60
LOGIN, PHONE, OAUTH, CONSENT = "login", "phone", "oauth", "consent"
_ALPHANUMERIC = string.ascii_letters + string.digits


def issue(kind, appid, persona_id, scope=None, snapshot=False, lifetime=LIFETIME):
    """Create a code of ``kind`` and return its value (not yet committed)."""
    if kind == PHONE:
        value = secrets.token_hex(32)
    else:
        value = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(32))
    db.session.add(
        OneTimeCode(
            code=value,
            kind=kind,
            appid=appid,
            persona=persona_id,
            scope=scope,
            snapshot=snapshot,
            created_at=utcnow(),
            expires_at=seconds_from_now(lifetime),
        )
    )
    return value


def find(kind, appid, value):
    """Return the code of this kind issued for this app (used or not, expired or not), or None."""
    row = db.session.get(OneTimeCode, value) if lookupable(value) else None
    if row is None or row.kind != kind or row.appid != appid:
        return None
    return row


def expired(row):
    return row.expires_at <= utcnow()


def redeem(row):
    """Mark the code used; False if it already was. Atomic: of two concurrent redemptions of
    one code only one succeeds, whichever process serves them."""
    result = db.session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.code == row.code, OneTimeCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def discard_pending(appid, persona_id):
    """Forget the persona's unused codes for the app, as clearing the phone's state does."""
    return db.session.execute(
        delete(OneTimeCode).where(
            OneTimeCode.appid == appid,
            OneTimeCode.persona == persona_id,
            OneTimeCode.used_at.is_(None),
        )
    ).rowcount
