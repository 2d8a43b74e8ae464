"""Database set-up: where it lives, and how long anything may wait for it.

The schema comes from the migrations in webapp/migrations (``flask --app webapp db upgrade``,
run once before serving), never from the app itself: several workers starting at once on a
fresh database would otherwise race to create the same tables.
"""

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine


def url_from_config(app):
    """Return the SQLAlchemy URL: DATABASE_URL, or a SQLite file in the instance folder."""
    url = app.config["DATABASE_URL"]
    if not url:
        return "sqlite:///" + os.path.join(app.instance_path, "wechat-auth-lab.sqlite")
    # Plain postgresql:// would pick psycopg2; this project installs psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url, timeout):
    """Bound every wait on the database to ``timeout`` seconds, and survive its restarts."""
    options = {
        # Error messages would otherwise quote the values of a failed statement.
        "hide_parameters": True,
        # A connection the database dropped (a restart) is noticed and replaced before use.
        "pool_pre_ping": True,
    }
    if not _in_memory(url):
        # Waiting for a free connection of the pool (an in-memory database has one, no pool).
        options["pool_timeout"] = timeout
    if url.startswith("sqlite"):
        # SQLite's busy timeout: how long to wait for another writer's lock.
        options["connect_args"] = {"timeout": timeout}
    elif url.startswith("postgresql"):
        milliseconds = int(timeout * 1000)
        options["connect_args"] = {
            "connect_timeout": max(1, round(timeout)),
            # A statement, or a wait for a row lock, longer than this is cancelled.
            "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
        }
    return options


def _in_memory(url):
    return url in ("sqlite://", "sqlite:///:memory:")


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """Let readers and a writer work at once, wait for a lock instead of failing at once, and
    enforce foreign keys (SQLite leaves them off by default)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode, NORMAL syncs the log to disk at checkpoints instead of at every commit
    # (SQLite's advice for WAL). A commit survives the process being killed; only a power
    # loss or an OS crash may undo the last ones, never corrupt the file. Syncing at every
    # commit made each writer hold the one write lock through a disk flush: under make
    # serve, logins queued behind it at a third of the throughput.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
