"""The phone number both ways: the getPhoneNumber button's code exchanged with WeChat (base
library 2.21.2+), and the legacy encryptedData decrypted with the session_key. The exchange needs
the server's access_token, which the developer server caches and shares."""

from tests.miniapi.helpers import (
    assert_error,
    inject_fault,
    legacy_phone,
    ok_data,
    pending_faults,
    snapshot,
    stable_tokens_issued,
)
from tests.support import MINIPROGRAM_APPID

XIAOMING_PHONE = {
    "phoneNumber": "13800138000",
    "purePhoneNumber": "13800138000",
    "countryCode": "86",
}


def tap_get_phone_number(miniprogram):
    """The user taps <button open-type="getPhoneNumber"> and allows."""
    detail = miniprogram.wx("phone-number", decision="allow")
    assert detail["errMsg"] == "getPhoneNumber:ok", detail
    return detail


def exchange(miniprogram, code):
    return miniprogram.request("POST", "/api/phone", json={"code": code})


def me(miniprogram):
    return ok_data(miniprogram.request("GET", "/api/me"))["user"]


def test_the_phone_code_is_exchanged_for_the_number(logged_in):
    data = ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))

    assert data["user"]["phone"] == XIAOMING_PHONE
    assert me(logged_in)["phone"] == XIAOMING_PHONE


def test_a_phone_code_works_once(app, logged_in):
    code = tap_get_phone_number(logged_in)["code"]
    ok_data(exchange(logged_in, code))
    before = snapshot(app)

    body = assert_error(exchange(logged_in, code), 400, 40004)

    assert body["data"]["wechat"]["errcode"] == 40029
    assert snapshot(app) == before


def test_a_wx_login_code_is_not_a_phone_code(app, logged_in):
    """The classic mix-up: sending the wx.login code where the phone code belongs."""
    before = snapshot(app)

    body = assert_error(exchange(logged_in, logged_in.wx_login()), 400, 40004)

    assert "not the wx.login code" in body["msg"]
    assert snapshot(app) == before


def test_the_legacy_encrypted_data_is_decrypted(logged_in):
    data = ok_data(
        logged_in.request(
            "POST", "/api/phone/legacy", json=legacy_phone(tap_get_phone_number(logged_in))
        )
    )

    assert data["user"]["phone"] == XIAOMING_PHONE


def test_a_hong_kong_number_keeps_its_country_code(device):
    amy = device(user="amy")
    assert amy.login()["code"] == 0
    detail = tap_get_phone_number(amy)

    by_code = ok_data(exchange(amy, detail["code"]))["user"]["phone"]
    by_decryption = ok_data(amy.request("POST", "/api/phone/legacy", json=legacy_phone(detail)))[
        "user"
    ]["phone"]

    expected = {"phoneNumber": "+85261234567", "purePhoneNumber": "61234567", "countryCode": "852"}
    assert by_code == by_decryption == expected


def test_unbinding_removes_the_number(logged_in):
    ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))

    data = ok_data(logged_in.request("DELETE", "/api/phone"))

    assert data["user"]["phone"] is None
    assert me(logged_in)["phone"] is None


def test_a_denied_sheet_gives_nothing_to_send(logged_in):
    """getPhoneNumber:fail user deny carries no code: the mini-program sends nothing."""
    detail = logged_in.wx("phone-number", decision="deny")

    assert detail == {"errMsg": "getPhoneNumber:fail user deny"}


# --- the access_token behind the exchange --------------------------------------------------------


def test_two_exchanges_share_one_access_token(app, logged_in):
    ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))
    ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))

    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 1


def test_a_rejected_access_token_is_forgotten_and_the_call_retried(app, logged_in):
    """WeChat answers 40001 (not the latest token): fetch the token again, retry once."""
    ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))  # caches a token
    inject_fault(logged_in.base_url, "getuserphonenumber", 40001)

    data = ok_data(exchange(logged_in, tap_get_phone_number(logged_in)["code"]))

    assert data["user"]["phone"] == XIAOMING_PHONE
    assert pending_faults(logged_in.base_url) == []
    # stable_token hands back the same token while it is valid: still one issued.
    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 1


def test_a_second_rejection_is_not_retried_forever(logged_in):
    inject_fault(logged_in.base_url, "getuserphonenumber", 40001, times=2)

    body = assert_error(exchange(logged_in, tap_get_phone_number(logged_in)["code"]), 502, 50200)

    assert body["data"]["wechat"]["errcode"] == 40001
    assert pending_faults(logged_in.base_url) == []
