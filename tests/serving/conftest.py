"""Fixtures for the serving tests: the app as ``make serve`` runs it, on a fresh database."""

import os

import pytest

from tests.support import ServedApp
from tests.support.database import drop_database, fresh_database


@pytest.fixture
def fresh_database_url(tmp_path):
    """A new, empty database (SQLite, or PostgreSQL with TEST_DATABASE_URL): nothing has
    migrated it, so ``make serve`` starts from nothing, as on a first deployment."""
    url = fresh_database(os.environ.get("TEST_DATABASE_URL"), tmp_path, "serve")
    yield url
    drop_database(url)


@pytest.fixture
def serve(fresh_database_url, tmp_path):
    """Start ``make serve`` (two workers unless told otherwise) on the fresh database, and
    return it once /healthz answers. Every server started is stopped after the test."""
    started = []

    def start(**settings):
        settings.setdefault("workers", 2)
        server = ServedApp(fresh_database_url, tmp_path / f"serve-{len(started)}.log", **settings)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
