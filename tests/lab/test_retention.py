"""The lab keeps recorded exchanges for LAB_RETENTION seconds: a new lab session (a visit to
/lab/ without a trace cookie) drops every trace's older ones."""

from sqlalchemy import select

from tests.support import MINIPROGRAM_APPID
from webapp.extensions import db
from webapp.lab.models import Exchange

DAY = 24 * 3600


def record_a_login(app, trace):
    """wx.login on a phone whose lab session is ``trace``: one exchange recorded."""
    client = app.test_client()
    client.set_cookie("lab_trace", trace)
    client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID})


def recorded_traces(app):
    with app.app_context():
        return sorted(db.session.scalars(select(Exchange.trace)))


def test_a_new_lab_session_drops_exchanges_older_than_the_retention(app, clock):
    record_a_login(app, "yesterdays-trace")
    clock.advance(DAY - 60)
    record_a_login(app, "this-mornings-trace")
    clock.advance(61)

    app.test_client().get("/lab/")  # no trace cookie: a new session starts

    assert recorded_traces(app) == ["this-mornings-trace"]


def test_a_running_lab_session_prunes_nothing(app, clock):
    record_a_login(app, "yesterdays-trace")
    clock.advance(DAY + 1)
    client = app.test_client()
    client.set_cookie("lab_trace", "yesterdays-trace")

    client.get("/lab/")  # the same session, reloaded

    assert recorded_traces(app) == ["yesterdays-trace"]


def test_the_retention_is_configurable(make_app, clock):
    app = make_app(LAB_RETENTION=60)
    record_a_login(app, "a-minute-ago")
    clock.advance(61)

    app.test_client().get("/lab/")

    assert recorded_traces(app) == []
