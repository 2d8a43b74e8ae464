"""The recorder stores what it is given, made storable (NUL and lone surrogates escaped, long
texts cut), and never says "recorded" for a record it dropped."""

import pytest
from sqlalchemy import event, select

from webapp.extensions import db
from webapp.lab.models import Exchange
from webapp.lab.recorder import TRACE_COOKIE

TRACE = "recorder-storage-trace"


@pytest.fixture
def lab_client(client):
    client.set_cookie(TRACE_COOKIE, TRACE)
    return client


def stored(app):
    with app.app_context():
        return db.session.scalars(select(Exchange).where(Exchange.trace == TRACE)).all()


def test_a_phone_report_with_nul_and_a_long_name_is_stored_escaped_and_cut(app, lab_client):
    response = lab_client.post(
        "/lab/api/exchanges",
        json={
            "api": "setStorageSync" + "x" * 200,
            "request": "key\u0000value",
            "response": "lone \ud800 surrogate",
            "outcome": "ok\u0000" + "y" * 300,
        },
    )

    assert response.status_code == 201 and response.get_json() == {"recorded": True}
    (row,) = stored(app)
    assert len(row.endpoint) == 80 and row.endpoint.startswith("phone:setStorageSyncxxx")
    assert row.endpoint.endswith("…")
    assert row.raw_request == "key\\u0000value"
    assert row.raw_response == "lone \\ud800 surrogate"
    assert len(row.outcome) == 200 and row.outcome.startswith("ok\\u0000yyy")


def test_a_request_with_nul_in_its_body_is_on_the_timeline(app, lab_client):
    lab_client.post(
        "/sandbox/device/login",
        data=b'{"appid": "nul\x00here"}',
        headers={"Content-Type": "text/plain"},
    )

    (row,) = stored(app)
    assert "nul\\u0000here" in row.raw_request
    assert "\x00" not in row.raw_request


def test_a_record_that_could_not_be_stored_is_not_claimed(app, lab_client):
    def refuse_exchanges(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO lab_exchange"):
            raise RuntimeError("the database refused the row")

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", refuse_exchanges)
    try:
        response = lab_client.post("/lab/api/exchanges", json={"api": "setStorageSync"})
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", refuse_exchanges)

    assert response.status_code == 503
    assert response.get_json()["recorded"] is False
    assert stored(app) == []
