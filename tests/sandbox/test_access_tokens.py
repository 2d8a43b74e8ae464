"""Server access_tokens: GET /cgi-bin/token and POST /cgi-bin/stable_token."""

import pytest

from tests.sandbox.helpers import (
    API,
    UNKNOWN_APPID,
    assert_error,
    check_session,
    fetch_token,
    login,
    stable_token,
    wechat_answer,
)
from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET

LIFETIME = 7200
OVERLAP = 5 * 60


def works(client, token, session):
    """Whether checksession accepts the token (the session itself being valid)."""
    return check_session(client, token, session)


def test_token_lives_7200_seconds(client):
    body = fetch_token(client)

    assert body["expires_in"] == LIFETIME
    assert isinstance(body["access_token"], str) and len(body["access_token"]) > 32


@pytest.mark.parametrize("fetch", [fetch_token, stable_token], ids=["token", "stable_token"])
@pytest.mark.parametrize(
    "overrides, errcode",
    [
        ({"grant_type": "authorization_code"}, 40002),
        ({"grant_type": None}, 40002),
        ({"appid": None, "secret": MINIPROGRAM_SECRET}, 41002),
        ({"secret": None}, 41004),
        ({"appid": UNKNOWN_APPID, "secret": MINIPROGRAM_SECRET}, 40013),
        ({"secret": "0" * 32}, 40125),
    ],
    ids=[
        "wrong grant_type",
        "no grant_type",
        "appid missing",
        "secret missing",
        "unknown appid",
        "wrong secret",
    ],
)
def test_credential_errors(client, fetch, overrides, errcode):
    assert_error(fetch(client, **overrides), errcode)


def test_new_token_leaves_the_old_one_five_minutes(client, clock, phone):
    session = login(phone)
    old = fetch_token(client)["access_token"]
    new = fetch_token(client)["access_token"]
    assert new != old

    clock.advance(OVERLAP - 60)
    assert works(client, old, session) == {"errcode": 0, "errmsg": "ok"}
    clock.advance(60)
    assert_error(works(client, old, session), 40001)
    assert works(client, new, session)["errcode"] == 0


def test_token_expires_after_7200_seconds(client, clock, phone):
    session = login(phone)
    token = fetch_token(client)["access_token"]

    clock.advance(LIFETIME - 1)
    assert works(client, token, session)["errcode"] == 0
    clock.advance(1)
    assert_error(works(client, token, session), 42001)


def test_stable_token_is_the_same_while_valid(client, clock):
    first = stable_token(client)
    assert first["expires_in"] == LIFETIME

    clock.advance(LIFETIME - OVERLAP - 1)
    again = stable_token(client)

    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == OVERLAP + 1


def test_stable_token_is_renewed_with_five_minutes_left(client, clock):
    first = stable_token(client)["access_token"]

    clock.advance(LIFETIME - OVERLAP)
    renewed = stable_token(client)

    assert renewed["access_token"] != first
    assert renewed["expires_in"] == LIFETIME


def test_force_refresh_gives_a_new_token_at_most_every_30_seconds(client, clock):
    first = stable_token(client)["access_token"]

    forced = stable_token(client, force_refresh=True)["access_token"]
    assert forced != first
    clock.advance(29)
    assert_error(stable_token(client, force_refresh=True), 45011)
    clock.advance(1)
    assert stable_token(client, force_refresh=True)["access_token"] not in (first, forced)


def test_force_refresh_kills_the_previous_stable_token_at_once(client, phone):
    """Two servers share one appid; one forces a refresh: the other's token dies now, not in
    5 minutes (its next call gets 40001)."""
    session = login(phone)
    theirs = stable_token(client)["access_token"]
    plain = fetch_token(client)["access_token"]
    assert works(client, theirs, session)["errcode"] == 0

    ours = stable_token(client, force_refresh=True)["access_token"]

    assert_error(works(client, theirs, session), 40001)
    assert works(client, ours, session)["errcode"] == 0
    assert stable_token(client)["access_token"] == ours, "a plain call now returns the new one"
    assert works(client, plain, session)["errcode"] == 0, "/cgi-bin/token's tokens are apart"


def test_a_plain_renewal_still_leaves_the_old_stable_token_its_minutes(client, clock, phone):
    session = login(phone)
    first = stable_token(client)["access_token"]
    clock.advance(LIFETIME - OVERLAP)

    renewed = stable_token(client)["access_token"]

    assert renewed != first
    clock.advance(OVERLAP - 1)
    assert works(client, first, session)["errcode"] == 0


def test_force_refresh_at_most_20_a_day(client, clock):
    for _ in range(20):
        assert "access_token" in stable_token(client, force_refresh=True)
        clock.advance(30)

    assert_error(stable_token(client, force_refresh=True), 45009)
    assert "access_token" in stable_token(client), "a plain call still answers"

    clock.advance(24 * 3600 - 20 * 30 + 1)  # a rolling day after the first force refresh
    assert "access_token" in stable_token(client, force_refresh=True)


def test_stable_token_appid_must_be_text(client):
    body = {
        "grant_type": "client_credential",
        "appid": [MINIPROGRAM_APPID],
        "secret": MINIPROGRAM_SECRET,
    }

    assert_error(wechat_answer(client.post(f"{API}/cgi-bin/stable_token", json=body)), 40013)


def test_stable_token_needs_a_json_body(client):
    response = client.post(
        f"{API}/cgi-bin/stable_token",
        data="grant_type=client_credential",
        content_type="application/x-www-form-urlencoded",
    )

    assert_error(wechat_answer(response), 47001)


@pytest.mark.parametrize("value", ["true", 1, []], ids=repr)
def test_force_refresh_must_be_a_boolean(client, value):
    body = {
        "grant_type": "client_credential",
        "appid": MINIPROGRAM_APPID,
        "secret": MINIPROGRAM_SECRET,
        "force_refresh": value,
    }

    assert_error(wechat_answer(client.post(f"{API}/cgi-bin/stable_token", json=body)), 47001)


def test_stable_and_plain_tokens_are_independent(client, clock, phone):
    session = login(phone)
    stable = stable_token(client)["access_token"]

    plain = fetch_token(client)["access_token"]
    fetch_token(client)  # would retire a previous plain token, not the stable one

    assert plain != stable
    assert stable_token(client)["access_token"] == stable
    clock.advance(OVERLAP + 60)
    assert works(client, stable, session)["errcode"] == 0
    assert_error(works(client, plain, session), 40001)
