"""One-time tickets that carry a mini-program login into a web-view.

The web-view does not share the mini-program's storage or token, so the mini-program asks us
for a ticket and opens ``/h5/bridge?ticket=...``; the H5 side redeems it once, within a minute.
"""

import secrets

from sqlalchemy import select, update

from webapp.accounts.models import WebViewTicket
from webapp.accounts.tokens import hash_token
from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db


class TicketRejected(Exception):
    """The ticket is unknown, expired or used; ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def issue(user, lifetime):
    plaintext = secrets.token_urlsafe(24)
    db.session.add(
        WebViewTicket(
            ticket_hash=hash_token(plaintext),
            user_id=user.id,
            created_at=utcnow(),
            expires_at=seconds_from_now(lifetime),
        )
    )
    db.session.flush()
    return plaintext


def peek(plaintext):
    """Return the user id of a ticket that could be redeemed now, without using it up; or
    raise TicketRejected."""
    row = _find(plaintext)
    if row.used_at is not None:
        raise TicketRejected("used")
    return row.user_id


def redeem(plaintext):
    """Use the ticket up and return its user id, or raise TicketRejected."""
    row = _find(plaintext)
    ticket_hash = row.ticket_hash
    used = db.session.execute(
        update(WebViewTicket)
        .where(WebViewTicket.ticket_hash == ticket_hash, WebViewTicket.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    db.session.commit()
    if not used:
        raise TicketRejected("used")
    return row.user_id


def _find(plaintext):
    """The ticket's row if it exists and has not expired, or raise TicketRejected."""
    ticket_hash = hash_token(plaintext or "")
    row = db.session.scalar(select(WebViewTicket).where(WebViewTicket.ticket_hash == ticket_hash))
    if row is None:
        raise TicketRejected("unknown")
    if row.expires_at <= utcnow():
        raise TicketRejected("expired")
    return row
