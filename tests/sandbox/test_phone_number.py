"""POST /wxa/business/getuserphonenumber: the getPhoneNumber button's code for the number."""

import re
import time

import pytest

from tests.sandbox.helpers import (
    API,
    assert_error,
    fetch_token,
    phone_number,
    wechat_answer,
)
from tests.support import MINIPROGRAM_APPID, UNBOUND_APPID


def tap_allow(phone):
    """The user taps the getPhoneNumber button and allows: the button's code."""
    code = phone.call("phone-number", decision="allow")["code"]
    assert re.fullmatch(r"[0-9a-f]{64}", code)
    return code


def test_code_gives_the_phone_number(phone, access_token, clock):
    body = phone_number(phone.client, access_token, tap_allow(phone))

    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    info = body["phone_info"]
    assert {k: info[k] for k in ("phoneNumber", "purePhoneNumber", "countryCode")} == {
        "phoneNumber": "13800138000",
        "purePhoneNumber": "13800138000",
        "countryCode": "86",
    }
    assert info["watermark"] == {"appid": MINIPROGRAM_APPID, "timestamp": int(time.time())}


def test_number_outside_mainland_china_carries_its_country_code(phone_of, access_token):
    amy = phone_of("amy")

    info = phone_number(amy.client, access_token, tap_allow(amy))["phone_info"]

    assert (info["phoneNumber"], info["purePhoneNumber"], info["countryCode"]) == (
        "+85261234567",
        "61234567",
        "852",
    )


@pytest.mark.parametrize(
    "body",
    [{}, {"code": ""}, {"code": 123}, {"code": None}],
    ids=["no code", "empty", "number", "null"],
)
def test_code_missing_or_not_a_string(client, access_token, body):
    response = client.post(
        f"{API}/wxa/business/getuserphonenumber",
        query_string={"access_token": access_token},
        json=body,
    )

    assert_error(wechat_answer(response), 47001)


def test_body_not_json(client, access_token):
    response = client.post(
        f"{API}/wxa/business/getuserphonenumber",
        query_string={"access_token": access_token},
        data="code=abc",
    )

    assert_error(wechat_answer(response), 47001)


def test_unknown_code(client, access_token):
    assert_error(phone_number(client, access_token, "0" * 64), 40029)


def test_code_lives_five_minutes(phone, access_token, clock):
    fresh, stale = tap_allow(phone), tap_allow(phone)

    clock.advance(5 * 60 - 1)
    assert phone_number(phone.client, access_token, fresh)["errcode"] == 0
    clock.advance(1)
    assert_error(phone_number(phone.client, access_token, stale), 40029)


def test_code_works_once(phone, access_token):
    code = tap_allow(phone)
    assert phone_number(phone.client, access_token, code)["errcode"] == 0

    assert_error(phone_number(phone.client, access_token, code), 40029)


def test_code_of_another_app(phone, client):
    code = tap_allow(phone)
    other_token = fetch_token(client, appid=UNBOUND_APPID)["access_token"]

    assert_error(phone_number(client, other_token, code), 40029)


def test_wx_login_code_is_not_a_phone_code(phone, access_token):
    """The classic mix-up: sending wx.login's code to getuserphonenumber."""
    assert_error(phone_number(phone.client, access_token, phone.login()), 40029)


@pytest.mark.parametrize("token, errcode", [(None, 41001), ("not-a-token", 40001)])
def test_access_token_errors_leave_the_code_usable(phone, access_token, token, errcode):
    code = tap_allow(phone)
    response = phone.client.post(
        f"{API}/wxa/business/getuserphonenumber",
        query_string={"access_token": token} if token else {},
        json={"code": code},
    )

    assert_error(wechat_answer(response), errcode)
    assert phone_number(phone.client, access_token, code)["errcode"] == 0


def test_expired_access_token(phone, client, clock):
    token = fetch_token(client)["access_token"]
    code = tap_allow(phone)
    clock.advance(7200)

    assert_error(phone_number(client, token, code), 42001)
