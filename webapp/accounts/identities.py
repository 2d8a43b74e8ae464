"""Finding the user behind a WeChat identity.

openid is per app; unionid is per person across the apps bound to one open-platform account.
So a login from a new app lands on an existing user when the unionid matches: that is how the
service account's H5 login and the mini-program's login become one person.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import Identity, User
from webapp.clock import utcnow
from webapp.extensions import db


def identity_for(appid, openid, unionid=None):
    """Return (identity, created_user) for (appid, openid), creating what is missing."""
    try:
        return _find_or_create(appid, openid, unionid)
    except IntegrityError:  # a concurrent first login of the same person won the insert
        db.session.rollback()
        return _find_or_create(appid, openid, unionid)


def record_mini_program_login(appid, session):
    """Store a code2Session answer: find or create the user, keep the new session_key.

    Committed at once (an exception to "views commit"): WeChat has already moved to this
    session_key, so it is kept even if the rest of the login fails, and the write lock is
    not held while the token is issued."""
    identity, created_user = identity_for(appid, session["openid"], session.get("unionid"))
    identity.session_key = session["session_key"]
    identity.session_key_updated_at = utcnow()
    db.session.commit()
    return identity, created_user


def _find_or_create(appid, openid, unionid):
    identity = db.session.scalar(
        select(Identity).where(Identity.appid == appid, Identity.openid == openid)
    )
    created_user = False
    if identity is None:
        user = db.session.scalar(select(User).where(User.unionid == unionid)) if unionid else None
        if user is None:
            user = User(unionid=unionid, created_at=utcnow())
            db.session.add(user)
            created_user = True
        identity = Identity(
            user=user, appid=appid, openid=openid, unionid=unionid, created_at=utcnow()
        )
        db.session.add(identity)
    elif unionid and identity.unionid is None:
        # First time WeChat tells us who this is across apps (snsapi_base gives no unionid,
        # snsapi_userinfo does): join the person we already know by that unionid, if any.
        identity.unionid = unionid
        known = db.session.scalar(select(User).where(User.unionid == unionid))
        if known is not None:
            identity.user = known
        elif identity.user.unionid is None:
            identity.user.unionid = unionid
    db.session.flush()
    return identity, created_user
