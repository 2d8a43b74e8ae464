"""The database slow, gone or restarted: every wait is bounded, the API answers 503 in its
envelope and pages a 503 page, and the app recovers by itself."""

import os

import pytest
from sqlalchemy import create_engine, text

from tests.support import SilentServer, answered_within, refused_port
from webapp import create_app
from webapp.extensions import db

TIMEOUT = 1  # DATABASE_TIMEOUT for these tests, in seconds
BOUND = 15  # a request must have answered by then: generous, but finite
ON_POSTGRESQL = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres")


def app_on(url, **settings):
    """An app on a database that is not the test database (so nothing to empty afterwards)."""
    return create_app({"DATABASE_URL": url, "DATABASE_TIMEOUT": TIMEOUT, **settings})


def assert_database_unavailable_in_json(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json() == {
        "code": 50301,
        "msg": "the database is unavailable or too slow to answer: try again in a few seconds",
    }
    assert response.headers["Retry-After"] == "5"


def assert_database_unavailable_page(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "数据库暂时不可用" in response.get_data(as_text=True)


BEARER = {"Authorization": "Bearer not-a-real-token"}


@pytest.mark.parametrize("scheme", ["postgresql", "sqlite"])
def test_a_refused_database_answers_503_in_the_api_envelope_and_a_503_page(scheme, tmp_path):
    if scheme == "postgresql":
        url = f"postgresql://postgres@127.0.0.1:{refused_port()}/nothing"
    else:  # a file SQLite cannot open: its folder does not exist
        url = f"sqlite:///{tmp_path}/missing-folder/db.sqlite"
    client = app_on(url).test_client()

    assert_database_unavailable_in_json(
        answered_within(BOUND, lambda: client.get("/api/me", headers=BEARER))
    )
    assert_database_unavailable_page(
        answered_within(BOUND, lambda: client.get("/h5/bridge?ticket=abc"))
    )


def test_a_silent_database_is_given_up_on_within_the_timeout():
    """A PostgreSQL that accepts the connection and never says a word."""
    with SilentServer() as silent:
        client = app_on(silent.url("postgresql", "/nothing")).test_client()

        api = answered_within(BOUND, lambda: client.get("/api/me", headers=BEARER))
        page = answered_within(BOUND, lambda: client.get("/h5/bridge?ticket=abc"))
        health = answered_within(BOUND, lambda: client.get("/healthz"))

    assert_database_unavailable_in_json(api)
    assert_database_unavailable_page(page)
    assert health.status_code == 503


def test_a_locked_table_answers_503_within_the_timeout(make_app, database_url):
    """Another connection holds the lock a login needs: the login waits DATABASE_TIMEOUT, no
    longer, and says the database is busy."""
    app = make_app(DATABASE_TIMEOUT=TIMEOUT)
    client = app.test_client()
    code = client.post(
        "/sandbox/device/login", json={"appid": app.config["MINIPROGRAM_APPID"], "user": "amy"}
    ).get_json()["code"]
    with app.app_context():
        holder = db.engine.connect()
    try:
        if ON_POSTGRESQL:
            holder.execute(text("LOCK TABLE login_claim IN ACCESS EXCLUSIVE MODE"))
        else:
            holder.exec_driver_sql("BEGIN EXCLUSIVE")

        response = answered_within(BOUND, lambda: client.post("/api/login", json={"code": code}))
    finally:
        holder.rollback()
        holder.close()

    assert_database_unavailable_in_json(response)
    # The lock gone, the same code logs in: the busy answer changed nothing.
    assert client.post("/api/login", json={"code": code}).get_json()["code"] == 0


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a server restart is PostgreSQL's (SQLite is a file)")
def test_after_a_database_restart_the_next_request_succeeds(make_app, database_url):
    app = make_app()
    client = app.test_client()
    appid = app.config["MINIPROGRAM_APPID"]
    code = client.post("/sandbox/device/login", json={"appid": appid}).get_json()["code"]
    token = client.post("/api/login", json={"code": code}).get_json()["data"]["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=bearer).status_code == 200

    # What a restart does to the app's pooled connections: the server ends them.
    admin = create_engine(
        database_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert ended >= 1

    response = client.get("/api/me", headers=bearer)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["data"]["user"]["nickname"] is None
