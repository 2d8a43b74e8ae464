"""The optional caller-IP whitelist per app (WeChat's "IP 白名单"): off unless configured; a call
from elsewhere answers 40164 with the caller's IP, and gets no token."""

import pytest

from tests.sandbox.helpers import (
    RID,
    assert_error,
    fetch_token,
    sns_access_token,
    stable_token,
    web_code,
)
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, UNBOUND_APPID
from webapp import create_app

NEW_SERVER = "203.0.113.7"


@pytest.fixture
def guarded(make_app):
    """The lab's mini-program and service account allow only 198.51.100.0/24 and 10.1.2.3."""
    return make_app(
        SANDBOX_IP_WHITELIST=(
            f"{MINIPROGRAM_APPID}=198.51.100.0/24, 10.1.2.3; {OFFICIAL_ACCOUNT_APPID}=10.1.2.3"
        )
    )


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_off_by_default(client):
    assert "access_token" in fetch_token(client)


@pytest.mark.parametrize("fetch", [fetch_token, stable_token], ids=["token", "stable_token"])
def test_a_new_server_is_refused_with_its_ip(guarded, fetch, sandbox_state):
    before = sandbox_state()

    body = fetch(from_address(guarded, NEW_SERVER))

    assert_error(body, 40164)
    assert body["errmsg"].startswith(
        f"invalid ip {NEW_SERVER} ipv6 ::ffff:{NEW_SERVER}, not in whitelist"
    )
    assert sandbox_state() == before, "no token was issued"


@pytest.mark.parametrize("address", ["198.51.100.42", "10.1.2.3"])
def test_listed_addresses_and_networks_pass(guarded, address):
    assert "access_token" in stable_token(from_address(guarded, address))


def test_an_app_without_a_whitelist_is_not_checked(guarded):
    assert "access_token" in fetch_token(from_address(guarded, NEW_SERVER), appid=UNBOUND_APPID)


def test_the_web_authorization_token_exchange_is_checked_too(guarded):
    code = web_code(from_address(guarded, "10.1.2.3"))

    body = sns_access_token(from_address(guarded, NEW_SERVER), code)

    assert_error(body, 40164)
    assert RID.search(body["errmsg"])
    assert "openid" in sns_access_token(from_address(guarded, "10.1.2.3"), code), "code unused"


@pytest.mark.parametrize(
    "setting", ["wx5d1c4a0f3e2b7a91", "=1.2.3.4", "wx5d1c4a0f3e2b7a91=not-an-ip"]
)
def test_a_malformed_whitelist_refuses_to_start(database_url, setting):
    with pytest.raises(RuntimeError, match="SANDBOX_IP_WHITELIST"):
        create_app({"DATABASE_URL": database_url, "SANDBOX_IP_WHITELIST": setting})
