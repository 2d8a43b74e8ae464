"""Fixtures of the mini-program API's tests (the shared ones live in tests/conftest.py)."""

import pytest

from tests.support import MINIPROGRAM_APPID, MiniProgram


@pytest.fixture
def logged_in(miniprogram):
    """The lab's mini-program, logged in as xiaoming: it holds a token."""
    body = miniprogram.login()
    assert body["code"] == 0, body
    miniprogram.user_id = body["data"]["user"]["id"]
    return miniprogram


@pytest.fixture
def device(live_server):
    """Make another mini-program: another persona, another app, or the same persona's
    second phone (a second device has its own wx storage, so its own token)."""

    def make(user="xiaoming", appid=MINIPROGRAM_APPID):
        return MiniProgram(live_server.url, user=user, appid=appid)

    return make


@pytest.fixture
def multi_device(app):
    """LOGIN_POLICY multi-device: a new login keeps the user's other tokens."""
    app.config["LOGIN_POLICY"] = "multi-device"
