"""Fixtures: ``app``/``client``/``runner`` as in Flask's tutorial, plus a live server (for
flows that cross HTTP, as the developer server's calls to WeChat do), a movable clock, and small
helpers that perform one phone-side step in one call.

Every database test runs on SQLite by default, or on PostgreSQL when TEST_DATABASE_URL is set.
"""

import os
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests
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
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

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
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
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


class MiniProgram:
    """The lab's mini-program on a persona's phone, over real HTTP: wx.* calls go to the
    sandbox's device endpoints, wx.request goes to the developer server's /api with the token
    it stored, as a real mini-program does."""

    def __init__(self, base_url, user="xiaoming", appid=MINIPROGRAM_APPID):
        self.base_url, self.user, self.appid = base_url, user, appid
        self.http = requests.Session()
        self.token = None

    def wx(self, endpoint, **params):
        """Call a sandbox device endpoint (wx.login, getUserProfile, ...) and return its JSON."""
        body = {"appid": self.appid, "user": self.user, **params}
        return self.http.post(f"{self.base_url}/sandbox/device/{endpoint}", json=body).json()

    def wx_login(self):
        return self.wx("login")["code"]

    def request(self, method, path, **kwargs):
        """wx.request: the stored token as a bearer header. Returns the requests.Response."""
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.http.request(method, self.base_url + path, headers=headers, **kwargs)

    def login(self, code=None):
        """wx.login, then POST /api/login; keep the token as wx.setStorageSync would."""
        response = self.request("POST", "/api/login", json={"code": code or self.wx_login()})
        body = response.json()
        if body["code"] == 0:
            self.token = body["data"]["token"]
        return body


@pytest.fixture
def miniprogram(live_server):
    return MiniProgram(live_server.url)


# Browser tests: Playwright driving the system's Chromium (no downloaded browser).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # A shared CI machine can be much slower than a laptop. expect() returns as soon as its
    # condition holds, so a longer limit costs a passing test nothing.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


LOCAL = ("http://127.0.0.1", "data:", "about:")
# What Chromium logs for every response with an error status, a page's or a fetch()'s.
FAILED_LOAD = re.compile(
    r"Failed to load resource: the server responded with a status of (\d{3})\b"
)


class TabWatch:
    """Collect what fails a browser test: console errors (CSP refusals included), page errors,
    and requests that leave the machine (anything not starting with ``allowed``).

    Chromium also logs "Failed to load resource" for each response with an error status. A
    test whose flow asks for such answers passes ``excuse(response)``: the line is then let
    through for a response the tab really received with that status, and only then."""

    def __init__(self, page, allowed=LOCAL, excuse=None):
        self._problems, self._console_errors, self._excused_responses = [], [], set()
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self._console_errors.append((message.text, message.location.get("url")))
            ),
        )
        page.on("pageerror", lambda error: self._problems.append(f"page error: {error}"))
        page.on(
            "request",
            lambda request: (
                request.url.startswith(allowed)
                or self._problems.append(f"request left the machine: {request.url}")
            ),
        )
        if excuse is not None:
            page.on(
                "response",
                lambda response: (
                    excuse(response)
                    and self._excused_responses.add((response.url, response.status))
                ),
            )

    def problems(self):
        return self._problems + [
            f"console error: {text} ({url})"
            for text, url in self._console_errors
            if not self._excused(text, url)
        ]

    def excused(self):
        """The "Failed to load resource" lines let through, as (text, url), for assertions."""
        return [(text, url) for text, url in self._console_errors if self._excused(text, url)]

    def _excused(self, text, url):
        match = FAILED_LOAD.match(text)
        return bool(match) and (url, int(match.group(1))) in self._excused_responses


@pytest.fixture
def watched_tabs(browser, live_server):
    """Open tabs, each in a fresh browser context (its own cookies and storage: another browser,
    another phone) on the live server, each watched by a TabWatch. The test fails afterwards if
    any of them saw a problem. ``open(allowed, excuse, **context_options)`` -> (tab, watch)."""
    opened = []

    def open_tab(allowed=LOCAL, excuse=None, **context_options):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **context_options)
        tab = context.new_page()
        watch = TabWatch(tab, allowed, excuse)
        opened.append((context, watch))
        return tab, watch

    yield open_tab
    for context, _ in opened:
        context.close()
    problems = [problem for _, watch in opened for problem in watch.problems()]
    assert not problems, problems


@pytest.fixture
def page(watched_tabs):
    """A fresh browser tab (its own cookies) on the live server. Fails the test on any console
    error or page error, and on any request that leaves the machine."""
    tab, _ = watched_tabs()
    return tab
