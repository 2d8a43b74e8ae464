"""The test database: migrated once per test session, emptied after every test.

Building the schema for each test cost about half a second; emptying the tables costs a few
milliseconds. The schema comes from the migrations, as in a deployment, so every test also
runs on what ``flask db upgrade`` makes.
"""

import os
from contextlib import contextmanager

import flask_migrate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp.extensions import db


def database_for_this_worker(base_url, folder):
    """The URL of this test process's own database: parallel workers never share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not base_url:
        return f"sqlite:///{folder / 'test.sqlite'}"
    if not worker:
        return base_url
    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def migrate_from_scratch(app):
    """Drop whatever an earlier run left, then apply every migration."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        db.engine.dispose()


def empty_tables(app):
    """Delete every row the test left (the schema stays), and release the connections."""
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    connection.execute(text(f'DELETE FROM "{name}"'))
        db.engine.dispose()


def fresh_database(base_url, folder, label):
    """The URL of a new, empty database: a SQLite file in ``folder``, or, when ``base_url``
    names PostgreSQL, a database named after it, ``label`` and this test process (whatever
    an earlier run left there is dropped first). Remove it with drop_database()."""
    if not base_url:
        return f"sqlite:///{folder / f'{label}.sqlite'}"
    url = make_url(base_url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = url.set(database=f"{url.database}_{label}_{worker}")
    with _postgres_admin(url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    return url.render_as_string(hide_password=False)


def drop_database(url):
    """Remove a database made by fresh_database() (a SQLite file goes with its folder)."""
    url = make_url(url)
    if url.get_backend_name() == "postgresql":
        with _postgres_admin(url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


@contextmanager
def _postgres_admin(url):
    """A connection to the server's maintenance database, outside any transaction."""
    admin = create_engine(
        url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as connection:
            yield connection
    finally:
        admin.dispose()
