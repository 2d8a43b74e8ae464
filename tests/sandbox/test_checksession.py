"""GET /wxa/checksession and /wxa/resetusersessionkey: is the server's session_key still live?"""

import pytest

from tests.sandbox.helpers import (
    assert_error,
    check_session,
    fetch_token,
    login,
    session_signature,
)
from tests.support import UNBOUND_APPID
from webapp.sandbox.opendata import checksession_signature

# The vector published with WeChat's checksession documentation.
REFERENCE_KEY = "o0q0otL8aEzpcZL/FT9WsQ=="
REFERENCE_SIGNATURE = "46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128"
BOTH_APIS = pytest.mark.parametrize("api", ["checksession", "resetusersessionkey"])
OK = {"errcode": 0, "errmsg": "ok"}


def test_signature_helpers_match_the_reference_vector():
    assert session_signature(REFERENCE_KEY) == REFERENCE_SIGNATURE
    assert checksession_signature(REFERENCE_KEY) == REFERENCE_SIGNATURE


def test_live_session_key_passes(client, phone, access_token):
    session = login(phone)

    assert check_session(client, access_token, session) == OK


@BOTH_APIS
@pytest.mark.parametrize(
    "overrides, errcode",
    [
        ({"access_token": None}, 41001),
        ({"access_token": "not-a-token"}, 40001),
        ({"access_token": "a\x00b"}, 40001),
        ({"openid": "oNobodyNobodyNobodyNobody123"}, 40003),
        ({"openid": None}, 40003),
        ({"sig_method": "md5"}, 87008),
        ({"sig_method": None}, 87008),
        ({"signature": session_signature("AAAAAAAAAAAAAAAAAAAAAA==")}, 87009),
        ({"signature": None}, 87009),
    ],
    ids=[
        "no token",
        "unknown token",
        "NUL token",
        "unknown openid",
        "no openid",
        "md5",
        "no sig_method",
        "wrong signature",
        "no signature",
    ],
)
def test_errors_leave_the_key_alive(client, phone, access_token, api, overrides, errcode):
    session = login(phone)

    assert_error(check_session(client, access_token, session, api=api, **overrides), errcode)

    assert check_session(client, access_token, session) == OK


@BOTH_APIS
def test_openid_of_another_app_is_invalid(client, phone, phone_of, access_token, api):
    session = login(phone)
    elsewhere = login(phone_of("xiaoming", UNBOUND_APPID))

    body = check_session(client, access_token, session, api=api, openid=elsewhere["openid"])

    assert_error(body, 40003)


@BOTH_APIS
def test_expired_token(client, clock, phone, api):
    session = login(phone)
    token = fetch_token(client)["access_token"]
    clock.advance(7200)

    assert_error(check_session(client, token, session, api=api), 42001)


def test_rotated_key_fails(client, phone, access_token):
    old = login(phone)
    new = login(phone)

    assert_error(check_session(client, access_token, old), 87009)
    assert check_session(client, access_token, new) == OK


def test_reset_gives_a_new_key_and_kills_the_old_one(client, phone, access_token):
    session = login(phone)

    reset = check_session(client, access_token, session, api="resetusersessionkey")

    assert reset == {**OK, "openid": session["openid"], "session_key": reset["session_key"]}
    assert len(reset["session_key"]) == 24 and reset["session_key"] != session["session_key"]
    assert_error(check_session(client, access_token, session), 87009)
    assert check_session(client, access_token, reset) == OK
    assert phone.call("check-session")["errMsg"] == "checkSession:ok"


def test_the_reset_key_keeps_the_old_keys_expiry(client, phone, clock):
    """Not a fresh lifetime: the new key dies when the old one would have (3 days here)."""
    session = login(phone)
    clock.advance(24 * 3600)
    token = fetch_token(client)["access_token"]
    reset = check_session(client, token, session, api="resetusersessionkey")

    clock.advance(2 * 24 * 3600 - 1)
    token = fetch_token(client)["access_token"]
    assert check_session(client, token, reset) == OK
    clock.advance(1)
    assert_error(check_session(client, token, reset), 87009)


def test_frequent_resets_are_refused(client, phone, access_token, clock, sandbox_state):
    session = login(phone)
    reset = check_session(client, access_token, session, api="resetusersessionkey")
    clock.advance(59)
    before = sandbox_state()

    assert_error(check_session(client, access_token, reset, api="resetusersessionkey"), 45011)
    assert sandbox_state() == before
    assert check_session(client, access_token, reset) == OK, "the key stays as it was"

    clock.advance(1)
    again = check_session(client, access_token, reset, api="resetusersessionkey")
    assert again["session_key"] not in (session["session_key"], reset["session_key"])
