"""The classic -41003: open data fetched, then wx.login ran again before it was sent.

WeChat encrypted the data with the session_key of that moment; wx.login rotated the key and the
new login gave our server the new one, which cannot decrypt the old data. The answer names the
cause, and fresh data (fetched after the login) goes through.
"""

from tests.miniapi.helpers import assert_error, legacy_phone, legacy_profile, ok_data


def test_phone_data_from_before_a_new_login_fails_with_41003_and_says_why(logged_in):
    before_login = logged_in.wx("phone-number", decision="allow")
    assert logged_in.login()["code"] == 0  # wx.login again: the session_key rotates

    response = logged_in.request("POST", "/api/phone/legacy", json=legacy_phone(before_login))

    body = assert_error(response, 400, 40002)
    assert body["data"]["errcode"] == -41003
    assert "wx.login" in body["data"]["likely_cause"]
    assert ok_data(logged_in.request("GET", "/api/me"))["user"]["phone"] is None

    fresh = logged_in.wx("phone-number", decision="allow")
    data = ok_data(logged_in.request("POST", "/api/phone/legacy", json=legacy_phone(fresh)))
    assert data["user"]["phone"]["purePhoneNumber"] == "13800138000"


def test_profile_data_from_before_a_new_login_fails_its_signature_and_says_why(logged_in):
    """rawData's signature is checked first, with the same session_key: it fails first."""
    before_login = logged_in.wx("user-profile", desc="展示头像昵称", decision="allow")
    assert logged_in.login()["code"] == 0

    response = logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(before_login))

    body = assert_error(response, 400, 40003)
    assert "signature" in body["msg"]
    assert "wx.login" in body["data"]["likely_cause"]
    assert ok_data(logged_in.request("GET", "/api/me"))["user"]["nickname"] is None

    fresh = logged_in.wx("user-profile", desc="展示头像昵称", decision="allow")
    data = ok_data(logged_in.request("POST", "/api/profile/legacy", json=legacy_profile(fresh)))
    assert data["notes"]  # checked and decrypted with the new key: today's anonymous profile


def test_a_wx_login_alone_breaks_the_data_too(logged_in):
    """No new login at all: wx.login rotated the key behind our back, same -41003."""
    logged_in.wx_login()
    rotated = logged_in.wx("phone-number", decision="allow")  # encrypted with the new key

    body = assert_error(
        logged_in.request("POST", "/api/phone/legacy", json=legacy_phone(rotated)), 400, 40002
    )

    assert body["data"]["errcode"] == -41003
