"""Personas and apps: deterministic openids per app, a unionid shared by the bound apps."""

import re

import pytest

from tests.sandbox.helpers import SECRETS, login
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, UNBOUND_APPID
from webapp.sandbox.directory import APPS, PERSONAS, unionid

APPIDS = {MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID, UNBOUND_APPID}
OPENID = re.compile(r"o[A-Za-z0-9_-]{27}")  # 28 characters, like oGZUI0egBJY1zhBYw2KhdUfwVJJE


@pytest.fixture
def users(client):
    return {user["id"]: user for user in client.get("/sandbox/users").get_json()["users"]}


def test_users_lists_the_personas_with_an_openid_in_every_app(users):
    assert set(users) == {"xiaoming", "lihua", "amy", "risky"}
    for user in users.values():
        assert set(user["openids"]) == APPIDS
        assert all(OPENID.fullmatch(openid) for openid in user["openids"].values())
        assert OPENID.fullmatch(user["unionid"])
    assert users["risky"]["high_risk"] and not users["xiaoming"]["high_risk"]
    assert users["amy"]["phone_number"] == "+85261234567"


def test_openids_share_a_prefix_within_an_app_and_differ_between_apps(users):
    prefixes = {appid: {user["openids"][appid][:6] for user in users.values()} for appid in APPIDS}

    assert all(len(found) == 1 for found in prefixes.values()), prefixes
    assert len(set.union(*prefixes.values())) == len(APPIDS)
    every_openid = [openid for user in users.values() for openid in user["openids"].values()]
    assert len(set(every_openid)) == len(every_openid)


def test_ids_are_the_same_on_every_machine(users):
    """Derived from fixed data, never random: a learner's notes stay true after a reset."""
    assert users["xiaoming"]["openids"][MINIPROGRAM_APPID] == "oRJbcX2mKt4sLXMoifQiL_6EHoHw"
    assert users["xiaoming"]["unionid"] == "ocsSuMKoBP23VQRZz8IZYGqtMBpW"


@pytest.mark.parametrize("user", ["xiaoming", "lihua", "amy"])
def test_code2session_gives_the_listed_ids(phone_of, users, user):
    body = login(phone_of(user))

    assert body["openid"] == users[user]["openids"][MINIPROGRAM_APPID]
    assert body["unionid"] == users[user]["unionid"]


def test_bound_apps_share_the_unionid_and_the_unbound_app_has_none(users):
    for persona in PERSONAS.values():
        listed = users[persona.id]["unionid"]
        assert unionid(APPS[MINIPROGRAM_APPID], persona) == listed
        assert unionid(APPS[OFFICIAL_ACCOUNT_APPID], persona) == listed
        assert unionid(APPS[UNBOUND_APPID], persona) is None


def test_unbound_app_login_has_the_listed_openid_and_no_unionid(phone_of, users):
    body = login(phone_of("lihua", UNBOUND_APPID))

    assert body["openid"] == users["lihua"]["openids"][UNBOUND_APPID]
    assert "unionid" not in body


def test_listings_hold_no_secret(client, phone):
    session_key = login(phone)["session_key"]

    for path in ("/sandbox/users", "/sandbox/apps", "/sandbox/"):
        text = client.get(path).get_data(as_text=True)
        assert '"secret"' not in text and '"session_key"' not in text, path
        assert not any(secret in text for secret in SECRETS.values()), path
        assert session_key not in text, path


def test_apps_listing(client):
    apps = {app["appid"]: app for app in client.get("/sandbox/apps").get_json()["apps"]}

    assert set(apps) == APPIDS
    assert apps[UNBOUND_APPID]["bound_to_open_platform"] is False
    assert apps[OFFICIAL_ACCOUNT_APPID]["kind"] == "official_account"


def test_cli_lists_the_same_ids(runner, users):
    output = runner.invoke(args=["sandbox", "users"]).output

    for user in users.values():
        assert all(openid in output for openid in user["openids"].values())
    assert "risky: 风险账号  (high-risk)" in output
