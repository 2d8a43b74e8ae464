"""POST /api/webview/ticket: a one-time, one-minute ticket that carries the mini-program's
login into a <web-view>, which shares neither its storage nor its token."""

import pytest
from sqlalchemy import select

from tests.miniapi.helpers import assert_error, ok_data
from webapp.accounts import tickets
from webapp.accounts.models import WebViewTicket
from webapp.extensions import db


def new_ticket(miniprogram):
    return ok_data(miniprogram.request("POST", "/api/webview/ticket"))


def redeem(app, ticket):
    with app.app_context():
        return tickets.redeem(ticket)


def rejection(app, ticket):
    with app.app_context(), pytest.raises(tickets.TicketRejected) as rejected:
        tickets.redeem(ticket)
    return rejected.value.reason


def test_the_ticket_comes_with_the_url_to_open(logged_in):
    data = new_ticket(logged_in)

    assert data["expires_in"] == 60
    assert len(data["ticket"]) >= 32
    assert data["url"] == f"{logged_in.base_url}/h5/bridge?ticket={data['ticket']}"


def test_only_the_hash_of_the_ticket_is_stored(app, logged_in):
    ticket = new_ticket(logged_in)["ticket"]

    with app.app_context():
        rows = db.session.execute(select(WebViewTicket.__table__)).all()

    assert len(rows) == 1
    assert ticket not in repr(rows)


def test_a_ticket_is_redeemed_once_for_its_user(app, logged_in):
    ticket = new_ticket(logged_in)["ticket"]

    assert redeem(app, ticket) == logged_in.user_id
    assert rejection(app, ticket) == "used"


def test_a_ticket_expires_after_a_minute(app, clock, logged_in):
    ticket = new_ticket(logged_in)["ticket"]

    clock.advance(61)

    assert rejection(app, ticket) == "expired"


def test_a_ticket_we_never_issued_is_unknown(app, logged_in):
    assert rejection(app, "not-a-ticket") == "unknown"
    assert rejection(app, "") == "unknown"


def test_a_ticket_needs_a_token(miniprogram):
    assert_error(miniprogram.request("POST", "/api/webview/ticket"), 401, 40100)
