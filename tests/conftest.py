"""Fixtures: ``app``/``client``/``runner`` as in Flask's tutorial, plus a live server (for
flows that cross HTTP, as the developer server's calls to WeChat do), a movable clock, and small
helpers that perform one phone-side step in one call.

Every database test runs on SQLite by default, or on PostgreSQL when TEST_DATABASE_URL is set.
"""
import os
import threading
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db

MINIPROGRAM_APPID = "wx5d1c4a0f3e2b7a91"
MINIPROGRAM_SECRET = "5b0e8f3a9c2d4e6f8a1b3c5d7e9f0a2b"
OFFICIAL_ACCOUNT_APPID = "wx8e2f6b3d1a4c7e05"
OFFICIAL_ACCOUNT_SECRET = "c4e6a8b0d2f41638a5c7e9b1d3f50720"
UNBOUND_APPID = "wx3b9d7f1e5c2a8406"
UNBOUND_SECRET = "7d1f3b5a9c0e2d4f6a8b0c2e4f6a8b1d"


@pytest.fixture
def app(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({"DATABASE_URL": url})
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class LiveServer:
    """The app served over real HTTP on a free local port, in a background thread."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval: shutdown() waits for the loop to notice, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join()


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


class Clock:
    """The app's clock, frozen at the start of the test and moved on only by ``advance``."""

    def __init__(self, traveller):
        self._traveller = traveller

    def advance(self, seconds):
        self._traveller.shift(timedelta(seconds=seconds))


@pytest.fixture
def clock():
    with time_machine.travel(datetime.now(timezone.utc), tick=False) as traveller:
        yield Clock(traveller)


class Phone:
    """The WeChat app on a persona's phone, driven through the sandbox's device endpoints."""

    def __init__(self, client, user="xiaoming", appid=MINIPROGRAM_APPID):
        self.client, self.user, self.appid = client, user, appid

    def call(self, endpoint, **params):
        body = {"appid": self.appid, "user": self.user, **params}
        if endpoint == "setting":
            return self.client.get("/sandbox/device/setting", query_string=body).get_json()
        return self.client.post(f"/sandbox/device/{endpoint}", json=body).get_json()

    def login(self):
        """wx.login: return a fresh code."""
        return self.call("login")["code"]


@pytest.fixture
def phone(client):
    return Phone(client)
