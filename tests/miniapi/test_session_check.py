"""POST /api/session/check: is the session_key we hold still the user's live one?

WeChat may rotate the session_key whenever wx.login runs (the sandbox always does), so a
mini-program that calls wx.login without logging in again leaves the server a stale key.
"""

from tests.miniapi.helpers import assert_error, ok_data


def check(miniprogram):
    return miniprogram.request("POST", "/api/session/check")


def test_the_key_is_live_after_login(logged_in):
    data = ok_data(check(logged_in))

    assert data["session_key"] == "live"
    assert data["updated_at"].endswith("Z")


def test_a_wx_login_without_a_new_login_leaves_our_key_stale(logged_in):
    logged_in.wx_login()  # the phone rotates the key; our server still holds the old one

    data = ok_data(check(logged_in))

    assert data["session_key"] == "stale"
    assert "wx.login" in data["explanation"]
    assert "logs in again" in data["explanation"]


def test_logging_in_again_makes_the_key_live_again(logged_in):
    logged_in.wx_login()
    assert ok_data(check(logged_in))["session_key"] == "stale"

    assert logged_in.login()["code"] == 0

    assert ok_data(check(logged_in))["session_key"] == "live"


def test_the_check_needs_a_token(miniprogram):
    assert_error(check(miniprogram), 401, 40100)
