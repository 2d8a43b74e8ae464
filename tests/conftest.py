"""Fixtures: ``app``/``client``/``runner`` as in Flask's tutorial, plus a live server (for
flows that cross HTTP, as a browser's do), a movable clock, and small helpers that perform one
phone-side step in one call (their classes live in tests/support).

Every database test runs on SQLite by default, or on PostgreSQL when TEST_DATABASE_URL is set.
"""

import os
import time
from datetime import UTC, datetime

import pytest
import time_machine

from tests.support import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    LOCAL,
    Clock,
    ContextPool,
    LiveServer,
    MiniProgram,
    Phone,
    TabWatch,
)
from tests.support.database import database_for_this_worker, empty_tables, migrate_from_scratch
from webapp import create_app


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """This test process's database, migrated to the latest schema once."""
    url = database_for_this_worker(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("database")
    )
    migrate_from_scratch(create_app({"DATABASE_URL": url}))
    return url


def _test_app(database_url, **settings):
    """An app on the test database. Rate limits are off unless the test turns them on
    (RATELIMIT_ENABLED=True): a test's many requests from one address are not an attack."""
    return create_app({"DATABASE_URL": database_url, "RATELIMIT_ENABLED": False, **settings})


@pytest.fixture
def make_app(database_url):
    """Create new apps on the test database, with settings of the test's own; every row they
    wrote is gone after the test."""
    made = []

    def make(**settings):
        made.append(_test_app(database_url, **settings))
        return made[-1]

    yield make
    for app in made:
        empty_tables(app)


@pytest.fixture(scope="session")
def default_app(database_url):
    """The app with the default test settings, made once for this test process: making one
    costs more than most tests (werkzeug compiles every URL rule, Jinja every template)."""
    return _test_app(database_url)


@pytest.fixture
def app(default_app):
    """The app with the default test settings, as a new one would be: after the test, every
    row it wrote is deleted and every setting it changed is put back. Flask itself refuses a
    new view or hook on an app that has handled a request: a test that needs one makes its
    own app with ``make_app()``."""
    settings = dict(default_app.config)
    yield default_app
    default_app.config.clear()
    default_app.config.update(settings)
    empty_tables(default_app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def http_server():
    """This test process's HTTP server: each test's ``live_server`` is this one, serving that
    test's app, so its address stays the same from test to test."""
    with LiveServer() as server:
        yield server


@pytest.fixture
def live_server(http_server, app):
    """The app over real HTTP, for flows that cross it (a browser's, a phone's requests)."""
    with http_server.serving(app):
        yield http_server


@pytest.fixture
def clock():
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def shanghai_time():
    """Run the test with the process's local time zone at UTC+8, as a server in China has it:
    any epoch timestamp computed from a naive datetime read as local time comes out 8 hours
    wrong. The zone is restored afterwards."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    assert time.timezone == -8 * 3600  # the zone database knows it: the test can fail
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.fixture
def phone(client):
    return Phone(client)


@pytest.fixture
def miniprogram(live_server):
    return MiniProgram(live_server.url)


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


@pytest.fixture(scope="session")
def browser_contexts(browser, http_server):
    pool = ContextPool(browser, http_server.url, locale="zh-CN")
    yield pool
    pool.close()


@pytest.fixture
def watched_tabs(browser_contexts, live_server):
    """Open tabs, each in a clean browser context of its own (its own cookies and storage:
    another browser, another phone; see ContextPool) on the live server, each watched by a
    TabWatch. The test fails afterwards if any of them saw a problem.
    ``open(allowed, excuse, **context_options)`` -> (tab, watch)."""
    opened = []

    def open_tab(allowed=LOCAL, excuse=None, **context_options):
        tab = browser_contexts.take(**context_options)
        watch = TabWatch(tab, allowed, excuse)
        opened.append((tab, watch))
        return tab, watch

    yield open_tab
    for tab, watch in opened:
        browser_contexts.give_back(tab, watch.origins)
    problems = [problem for _, watch in opened for problem in watch.problems()]
    assert not problems, problems


@pytest.fixture
def page(watched_tabs):
    """A fresh browser tab (its own cookies) on the live server. Fails the test on any console
    error or page error, and on any request that leaves the machine."""
    tab, _ = watched_tabs()
    return tab
