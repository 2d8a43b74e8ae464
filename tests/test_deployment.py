"""What a deployment relies on: the database set up for concurrent use with every wait
bounded, and X-Forwarded-* headers trusted only behind as many proxies as PROXY_HOPS says."""

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "lab.example.com"}


def connection_settings(app):
    """What the app's own connections run with, by dialect."""
    with app.app_context(), db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            return {
                pragma: connection.exec_driver_sql(f"PRAGMA {pragma}").scalar()
                for pragma in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
        return {
            setting: connection.execute(text(f"SHOW {setting}")).scalar()
            for setting in ("statement_timeout", "lock_timeout")
        }


def test_every_connection_is_set_up_for_concurrent_use_with_bounded_waits(make_app):
    app = make_app(DATABASE_TIMEOUT=3)
    settings = connection_settings(app)

    if "journal_mode" in settings:
        # WAL: readers and a writer at once; NORMAL (1) sync; a 3 s busy timeout; foreign keys.
        assert settings == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": 1,
            "busy_timeout": 3000,
        }
    else:
        assert settings == {"statement_timeout": "3s", "lock_timeout": "3s"}
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_timeout"] == 3


def test_an_in_memory_database_has_no_pool_to_wait_for():
    """sqlite:// keeps one connection (SQLAlchemy's StaticPool), which takes no pool_timeout:
    the app starts on it, bounded waits and all."""
    app = create_app({"DATABASE_URL": "sqlite://", "DATABASE_TIMEOUT": 3})
    assert "pool_timeout" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    with app.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 3000


def callback_address(app, headers):
    """The redirect_uri /h5/login sends to WeChat, as the app sees the request."""
    response = app.test_client().get("/h5/login?scope=snsapi_base", headers=headers)
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)["redirect_uri"][0]


def test_forwarded_headers_are_ignored_without_a_proxy(make_app):
    app = make_app()

    assert callback_address(app, FORWARDED) == "http://localhost/h5/callback"


def test_behind_a_proxy_its_forwarded_scheme_and_host_are_used(make_app):
    app = make_app(PROXY_HOPS=1)

    assert callback_address(app, FORWARDED) == "https://lab.example.com/h5/callback"
    assert callback_address(app, {}) == "http://localhost/h5/callback"
