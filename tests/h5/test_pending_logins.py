"""Pending web authorizations live in the signed session cookie: however many logins a
browser starts, and however long a ``next`` it is given, the cookie stays small enough for
browsers to keep (they drop a cookie over about 4 KB)."""

from urllib.parse import parse_qs, urlsplit

from webapp.h5.wechat_oauth import MAX_PENDING

COOKIE_BUDGET = 1024  # bytes: far below the 4 KB browsers keep, whatever a visitor does


def start(client, next_path="/h5/"):
    """GET /h5/login; return the state it sent to WeChat."""
    response = client.get("/h5/login", query_string={"scope": "snsapi_base", "next": next_path})
    assert response.status_code == 302
    return parse_qs(urlsplit(response.location).query)["state"][0]


def finish(client, state):
    """Come back from WeChat with a code for ``state``: the authorize page, then the callback."""
    authorize = client.get(
        "/sandbox/open/connect/oauth2/authorize",
        query_string={
            "appid": client.application.config["OFFICIAL_ACCOUNT_APPID"],
            "redirect_uri": "http://localhost/h5/callback",
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        },
    )
    callback = urlsplit(authorize.location)
    return client.get(f"{callback.path}?{callback.query}")


def session_cookie_size(client):
    return len(client.get_cookie("session").value)


def test_forty_starts_keep_the_cookie_small_and_the_newest_states_usable(client):
    states = [start(client) for _ in range(40)]

    assert session_cookie_size(client) < COOKIE_BUDGET
    assert 'data-problem="state_mismatch"' in finish(client, states[-MAX_PENDING - 1]).get_data(
        as_text=True
    )
    for state in states[-MAX_PENDING:]:
        assert finish(client, state).location == "/h5/"


def test_a_five_thousand_character_next_is_not_kept(client):
    state = start(client, "/h5/profile?" + "x" * 5000)

    assert session_cookie_size(client) < COOKIE_BUDGET
    assert finish(client, state).location == "/h5/"
