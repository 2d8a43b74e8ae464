"""A web-view ticket logs its holder in, for a minute: like every credential it is masked on
the timeline, on /lab/timeline and in the access logs (the development server's and
gunicorn's), where /h5/bridge?ticket=... is written down."""

import html
import logging
import runpy
from pathlib import Path

import requests
from sqlalchemy import select

from tests.support import MINIPROGRAM_APPID
from webapp.extensions import db
from webapp.lab.models import Exchange
from webapp.lab.recorder import TRACE_COOKIE

ROOT = Path(__file__).resolve().parents[2]


def test_a_ticket_is_masked_on_the_timeline_and_in_the_access_log(app, live_server, caplog):
    http = requests.Session()
    http.cookies.set(TRACE_COOKIE, "ticket-masking-trace")
    base = live_server.url
    code = http.post(f"{base}/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).json()
    token = http.post(f"{base}/api/login", json={"code": code["code"]}).json()["data"]["token"]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        answer = http.post(
            f"{base}/api/webview/ticket", headers={"Authorization": f"Bearer {token}"}
        )
        ticket = answer.json()["data"]["ticket"]
        assert http.get(answer.json()["data"]["url"], allow_redirects=False).status_code == 302

    timeline = html.unescape(http.get(f"{base}/lab/timeline").text)
    assert ticket not in timeline
    assert "ticket=***" in timeline and '"ticket": "***"' in timeline
    with app.app_context():
        rows = db.session.scalars(select(Exchange)).all()
    recorded = " ".join(f"{row.url} {row.raw_request} {row.raw_response}" for row in rows)
    assert "h5.bridge" in {row.endpoint for row in rows} and ticket not in recorded
    access_log = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/h5/bridge?ticket=*** " in line for line in access_log), access_log
    assert not any(ticket in line for line in access_log)


def test_gunicorns_access_log_masks_a_ticket(caplog):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](None)
    access = logging.getLogger("gunicorn.access")

    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        # What gunicorn's access logger is given: its format, and the request's atoms.
        access.info(
            '%(h)s "%(r)s" %(s)s',
            {"h": "127.0.0.1", "r": "GET /h5/bridge?ticket=Zm9vYmFyYmF6 HTTP/1.1", "s": "302"},
        )

    assert caplog.records[-1].getMessage() == '127.0.0.1 "GET /h5/bridge?ticket=*** HTTP/1.1" 302'
