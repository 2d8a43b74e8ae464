"""GET /sns/jscode2session: a wx.login code for openid, session_key and (bound apps) unionid."""

import base64
import re

import pytest

from tests.sandbox.helpers import UNKNOWN_APPID, assert_error, code2session, login
from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET, UNBOUND_APPID


def test_code_gives_openid_session_key_and_unionid(phone):
    code = phone.login()
    assert re.fullmatch(r"[A-Za-z0-9]{32}", code)

    body = code2session(phone.client, code)

    assert set(body) == {"openid", "session_key", "unionid"}  # success carries no errcode
    assert len(body["openid"]) == 28 and len(body["unionid"]) == 28
    assert len(body["session_key"]) == 24
    assert len(base64.b64decode(body["session_key"])) == 16


def test_errmsg_ends_with_a_request_id(client):
    body = code2session(client, "no-such-code")

    assert body["errcode"] == 40029
    assert re.fullmatch(r"invalid code, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}", body["errmsg"])


@pytest.mark.parametrize(
    "overrides, errcode",
    [
        ({"appid": None, "secret": MINIPROGRAM_SECRET}, 41002),
        ({"secret": None}, 41004),
        ({"appid": UNKNOWN_APPID, "secret": MINIPROGRAM_SECRET}, 40013),
        ({"secret": "0" * 32}, 40125),
        ({"grant_type": None}, 40002),
        ({"grant_type": "client_credential"}, 40002),
        ({"js_code": None}, 41008),
    ],
    ids=[
        "appid missing",
        "secret missing",
        "unknown appid",
        "wrong secret",
        "no grant_type",
        "wrong grant_type",
        "code missing",
    ],
)
def test_bad_request_is_refused_and_leaves_the_code_usable(phone, overrides, errcode):
    code = phone.login()

    assert_error(code2session(phone.client, code, **overrides), errcode)

    assert "openid" in code2session(phone.client, code)


def test_unknown_code_is_invalid(client):
    assert_error(code2session(client, "0" * 32), 40029)


@pytest.mark.parametrize(
    "code", ["a\x00b", "x" * 300, "'; drop table x; --"], ids=["NUL", "too long", "SQL"]
)
def test_absurd_code_is_just_invalid(client, code):
    assert_error(code2session(client, code), 40029)


def test_code_lives_five_minutes(phone, clock):
    fresh, stale = phone.login(), phone.login()

    clock.advance(5 * 60 - 1)
    assert "openid" in code2session(phone.client, fresh)
    clock.advance(1)
    assert_error(code2session(phone.client, stale), 40029)


def test_code_works_once(phone):
    code = phone.login()
    assert "openid" in code2session(phone.client, code)

    assert_error(code2session(phone.client, code), 40163)


def test_code_of_another_app_is_invalid(phone):
    """A code belongs to the app whose wx.login made it."""
    code = phone.login()

    assert_error(code2session(phone.client, code, appid=UNBOUND_APPID), 40029)
    assert "openid" in code2session(phone.client, code, appid=MINIPROGRAM_APPID)


def test_code_dies_when_the_phone_clears_its_login(phone):
    code = phone.login()
    phone.call("clear", what="login")

    assert_error(code2session(phone.client, code), 40029)


def test_per_user_minute_quota(app, client, clock, phone, phone_of):
    app.config["SANDBOX_CODE2SESSION_PER_MINUTE"] = 2
    first, second, third = phone.login(), phone.login(), phone.login()
    assert "openid" in code2session(client, first)
    assert "openid" in code2session(client, second)

    assert_error(code2session(client, third), 45011)
    lihua = phone_of("lihua")
    assert "openid" in code2session(client, lihua.login()), "the quota is per user"

    clock.advance(60)
    assert "openid" in code2session(client, third), "next minute; the refused code was not spent"


def test_high_risk_user_is_blocked(client, phone_of):
    risky = phone_of("risky")

    assert_error(code2session(client, risky.login()), 40226)


def test_unbound_app_gets_no_unionid(phone_of):
    body = login(phone_of("xiaoming", UNBOUND_APPID))

    assert set(body) == {"openid", "session_key"}
