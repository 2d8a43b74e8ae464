"""The privacy agreement (enforced since 2023-10-17), as the WeChat client keeps it.

Each mini-program publishes a privacy guide (隐私保护指引) declaring the personal data its
APIs use. Until the user agrees to it, every privacy API fails with errno 104; an API the guide
does not declare fails with errno 112 whatever the user agreed. The agreement is WeChat's
record, per persona and mini-program: clearing the data cache keeps it, clearing authorization
data (or deleting the mini-program) forgets it.
"""

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sandbox.authsetting import SCOPES, SETTLED_SCOPES
from webapp.sandbox.directory import UNBOUND_APPID
from webapp.sandbox.models import PrivacyAgreement

NOT_AGREED = 104, "privacy permission is not authorized"
NOT_DECLARED = 112, "api scope is not declared in the privacy agreement"

# What each sandbox mini-program's guide declares: the button and input abilities by their
# API name, and wx.authorize's scopes. The lab's own app leaves one scope out, so that errno
# 112 can be met; the neighbour declares only what a login page needs.
PROFILE_APIS = ("getUserProfile", "getPhoneNumber", "chooseAvatar", "nickname")
UNDECLARED_BY_THE_LAB = "scope.addPhoneContact"
DECLARED = {
    UNBOUND_APPID: frozenset(PROFILE_APIS),
}
_LAB_DECLARES = frozenset(PROFILE_APIS) | (set(SCOPES) | SETTLED_SCOPES) - {UNDECLARED_BY_THE_LAB}


def contract_name(app):
    return f"《{app.name}小程序隐私保护指引》"


def declared(appid, api):
    return api in DECLARED.get(appid, _LAB_DECLARES)


def agreed(appid, persona_id):
    return _row(appid, persona_id) is not None


def refusal(appid, persona_id, api):
    """(errno, reason) if the privacy rules stop ``api`` now, else None."""
    if not declared(appid, api):
        return NOT_DECLARED
    if not agreed(appid, persona_id):
        return NOT_AGREED
    return None


def agree(appid, persona_id):
    """Record the user's tap on <button open-type="agreePrivacyAuthorization">."""
    if agreed(appid, persona_id):
        return
    try:
        db.session.add(PrivacyAgreement(appid=appid, persona=persona_id, agreed_at=utcnow()))
        db.session.flush()
    except IntegrityError:  # the same tap, answered by another process first
        db.session.rollback()


def clear(appid, persona_id):
    return db.session.execute(
        delete(PrivacyAgreement).where(
            PrivacyAgreement.appid == appid, PrivacyAgreement.persona == persona_id
        )
    ).rowcount


def _row(appid, persona_id):
    return db.session.scalar(
        select(PrivacyAgreement).where(
            PrivacyAgreement.appid == appid, PrivacyAgreement.persona == persona_id
        )
    )
