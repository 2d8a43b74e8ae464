"""Fixtures of the sandbox WeChat's tests (the shared ones live in tests/conftest.py)."""

import pytest

from tests.sandbox.helpers import fetch_token
from tests.support import MINIPROGRAM_APPID, Phone
from webapp.extensions import db


@pytest.fixture
def access_token(client):
    """A fresh /cgi-bin/token access_token of the lab's mini-program."""
    return fetch_token(client)["access_token"]


@pytest.fixture
def phone_of(client):
    """Make the phone of another persona, or of the same persona in another app."""

    def make(user, appid=MINIPROGRAM_APPID):
        return Phone(client, user=user, appid=appid)

    return make


@pytest.fixture
def sandbox_state(app):
    """Return a function that reads every sandbox table, to prove a request changed nothing."""

    def read():
        with app.app_context():
            return {
                table.name: sorted(
                    (tuple(row) for row in db.session.execute(table.select())), key=repr
                )
                for table in db.metadata.sorted_tables
                if table.name.startswith("sandbox_")
            }

    return read
