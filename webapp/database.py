"""Database set-up: where it lives, SQLite tuning, and the init-db command."""

import os

import click
from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine

from webapp.extensions import db


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


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """Let readers and a writer work at once, and wait for a lock instead of failing.

    The developer server calls the sandbox over HTTP while serving a request; without WAL the
    sandbox's write could wait on the outer request's read.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_tables():
    """Create every table that does not exist yet."""
    import webapp.models  # noqa: F401  (registers every model with the metadata)

    db.create_all()


@click.command("init-db")
@click.option("--drop", is_flag=True, help="Drop every table first (deletes all data).")
def init_db_command(drop):
    """Create the database tables."""
    if drop:
        db.drop_all()
    create_tables()
    click.echo(f"Initialised {current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")


def init_app(app):
    app.cli.add_command(init_db_command)
    with app.app_context():
        create_tables()
