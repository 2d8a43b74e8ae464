"""session_key rotation and lifetime (README: "session_key rotation policy")."""

import pytest

from tests.sandbox.helpers import assert_error, check_session, code2session, decrypt, login


def get_profile(phone):
    return phone.call("user-profile", desc="展示你的头像昵称", decision="allow")


def test_every_login_rotates_the_key(client, phone, access_token):
    first, second = login(phone), login(phone)

    assert first["session_key"] != second["session_key"]
    assert_error(check_session(client, access_token, first), 87009)


def test_code2session_returns_the_key_live_at_redemption(phone):
    """Two codes, redeemed after both logins: both give the latest key."""
    early, late = phone.login(), phone.login()

    assert (
        code2session(phone.client, early)["session_key"]
        == code2session(phone.client, late)["session_key"]
    )


def test_login_between_profile_and_decryption_breaks_decryption(phone):
    """The -41003 pitfall: encryptedData made before a second wx.login, decrypted with the key
    code2Session gives after it."""
    phone.login()
    profile = get_profile(phone)
    session_key = code2session(phone.client, phone.login())["session_key"]

    with pytest.raises(ValueError):
        decrypt(session_key, profile["encryptedData"], profile["iv"])


def test_quick_second_login_keeps_the_key_within_the_reuse_window(app, phone, clock):
    app.config["SANDBOX_SESSION_KEY_REUSE_WINDOW"] = 60
    phone.login()
    profile = get_profile(phone)

    clock.advance(59)
    session_key = code2session(phone.client, phone.login())["session_key"]
    assert decrypt(session_key, profile["encryptedData"], profile["iv"])["nickName"] == "微信用户"

    clock.advance(1)
    assert login(phone)["session_key"] != session_key, "the window is over: the key rotates"


def test_key_ends_after_its_lifetime(app, client, clock, phone, access_token):
    app.config["SANDBOX_SESSION_KEY_LIFETIME"] = 600
    session = login(phone)

    clock.advance(599)
    assert phone.call("check-session")["errMsg"] == "checkSession:ok"
    clock.advance(1)
    assert phone.call("check-session")["errMsg"] == "checkSession:fail session time out"
    assert_error(check_session(client, access_token, session), 87009)


def test_clearing_login_ends_the_key(client, phone, access_token):
    session = login(phone)

    phone.call("clear", what="login")

    assert phone.call("check-session")["errMsg"] == "checkSession:fail session time out"
    assert_error(check_session(client, access_token, session), 87009)
    assert check_session(client, access_token, login(phone))["errcode"] == 0, "log in again"


def test_profile_without_login_starts_a_key(client, phone, access_token):
    """getUserProfile encrypts with the live key, starting one if there is none."""
    assert phone.call("check-session")["errMsg"] == "checkSession:fail session time out"

    get_profile(phone)

    assert phone.call("check-session")["errMsg"] == "checkSession:ok"
