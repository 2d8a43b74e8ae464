"""POST /api/login: a wx.login code for our own token, and every way that can go wrong."""

import threading

import requests

from tests.miniapi.helpers import (
    assert_error,
    inject_fault,
    ok_data,
    pending_faults,
    persona,
    row_counts,
)
from tests.support import (
    MINIPROGRAM_APPID,
    OFFICIAL_ACCOUNT_APPID,
    UNBOUND_APPID,
    UNBOUND_SECRET,
)
from webapp.accounts import identities
from webapp.extensions import db


def post_login(miniprogram, code):
    return miniprogram.request("POST", "/api/login", json={"code": code})


# --- the happy paths ---------------------------------------------------------------------------


def test_first_login_creates_the_user_and_a_working_token(miniprogram):
    xiaoming = persona(miniprogram.base_url, "xiaoming")

    data = ok_data(post_login(miniprogram, miniprogram.wx_login()))

    assert data["is_new_user"] is True
    assert data["token_type"] == "Bearer" and data["token"]
    assert data["expires_in"] == 7 * 24 * 3600
    user = data["user"]
    assert user["identities"] == [
        {"appid": MINIPROGRAM_APPID, "openid": xiaoming["openids"][MINIPROGRAM_APPID]}
    ]
    assert user["unionid"] == xiaoming["unionid"]
    assert "session_key" not in str(data)

    miniprogram.token = data["token"]
    me = ok_data(miniprogram.request("GET", "/api/me"))
    assert me["user"] == user


def test_returning_login_finds_the_same_user(miniprogram):
    first = miniprogram.login()["data"]

    again = miniprogram.login()["data"]

    assert again["is_new_user"] is False
    assert again["user"]["id"] == first["user"]["id"]
    assert again["token"] != first["token"]


def test_unionid_links_the_service_account_identity_to_the_same_user(app, logged_in):
    """The H5 login (service account) finds the mini-program's user by unionid."""
    xiaoming = persona(logged_in.base_url, "xiaoming")

    with app.app_context():
        identity, created_user = identities.identity_for(
            OFFICIAL_ACCOUNT_APPID, xiaoming["openids"][OFFICIAL_ACCOUNT_APPID], xiaoming["unionid"]
        )
        db.session.commit()  # as the H5 login will, once it has found the user
        assert identity.user_id == logged_in.user_id
        assert created_user is False

    me = ok_data(logged_in.request("GET", "/api/me"))["user"]
    assert me["identities"] == [
        {"appid": MINIPROGRAM_APPID, "openid": xiaoming["openids"][MINIPROGRAM_APPID]},
        {"appid": OFFICIAL_ACCOUNT_APPID, "openid": xiaoming["openids"][OFFICIAL_ACCOUNT_APPID]},
    ]


def test_an_app_not_bound_to_the_open_platform_gets_no_unionid(app, device):
    app.config.update(MINIPROGRAM_APPID=UNBOUND_APPID, MINIPROGRAM_SECRET=UNBOUND_SECRET)
    unbound = device(appid=UNBOUND_APPID)

    data = ok_data(post_login(unbound, unbound.wx_login()))

    assert data["user"]["unionid"] is None
    assert data["user"]["identities"] == [
        {
            "appid": UNBOUND_APPID,
            "openid": persona(unbound.base_url, "xiaoming")["openids"][UNBOUND_APPID],
        }
    ]


def test_unknown_fields_in_the_body_are_ignored(miniprogram):
    response = miniprogram.request(
        "POST",
        "/api/login",
        json={"code": miniprogram.wx_login(), "device": "iPhone 15", "theme": "dark", "extra": [1]},
    )

    assert ok_data(response)["is_new_user"] is True


# --- a code used twice ---------------------------------------------------------------------------


def test_a_double_submitted_code_answers_409_and_keeps_the_first_login(app, miniprogram):
    code = miniprogram.wx_login()
    first = miniprogram.login(code)
    assert first["code"] == 0, first

    body = assert_error(post_login(miniprogram, code), 409, 40900)

    assert "keep the token" in body["msg"]
    assert row_counts(app)["users"] == 1
    me = ok_data(miniprogram.request("GET", "/api/me"))
    assert me["user"]["id"] == first["data"]["user"]["id"]


def test_two_requests_with_one_code_at_once_give_one_login_and_one_409(app, miniprogram):
    """A double tap: both requests leave at the same moment; only one may redeem the code."""
    code = miniprogram.wx_login()
    start = threading.Barrier(2)
    answers = []

    def tap():
        with requests.Session() as http:
            start.wait(timeout=10)
            response = http.post(miniprogram.base_url + "/api/login", json={"code": code})
            answers.append((response.status_code, response.json()["code"]))

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == [(200, 0), (409, 40900)]
    counts = row_counts(app)
    assert counts["users"] == 1 and counts["tokens"] == 1


# --- codes WeChat refuses ------------------------------------------------------------------------


def test_an_invalid_code_answers_40001_with_wechats_40029(app, miniprogram):
    body = assert_error(post_login(miniprogram, "this-is-not-a-code-at-all-000000"), 400, 40001)

    assert body["data"]["wechat"]["errcode"] == 40029
    assert "wx.login" in body["msg"]
    assert row_counts(app)["users"] == 0


def test_a_code_issued_for_another_app_is_invalid_here(app, miniprogram, device):
    other_app_code = device(appid=UNBOUND_APPID).wx_login()

    body = assert_error(post_login(miniprogram, other_app_code), 400, 40001)

    assert body["data"]["wechat"]["errcode"] == 40029
    assert row_counts(app)["users"] == 0


def test_a_high_risk_account_is_refused_with_403(app, device):
    risky = device(user="risky")

    body = assert_error(post_login(risky, risky.wx_login()), 403, 40300)

    assert body["data"]["wechat"]["errcode"] == 40226
    assert row_counts(app)["users"] == 0


# --- WeChat busy or rate limited ------------------------------------------------------------------


def test_one_system_error_is_retried_transparently(miniprogram):
    inject_fault(miniprogram.base_url, "jscode2session", -1, times=1)

    body = miniprogram.login()

    assert body["code"] == 0, body
    assert pending_faults(miniprogram.base_url) == []  # the fault was met, then retried


def test_wechat_busy_three_times_answers_503_and_the_code_stays_usable(app, miniprogram):
    """Three -1 in a row: give up with 503, and release the code so the user can retry it."""
    inject_fault(miniprogram.base_url, "jscode2session", -1, times=3)
    code = miniprogram.wx_login()

    body = assert_error(post_login(miniprogram, code), 503, 50300)

    assert body["data"]["wechat"]["errcode"] == -1
    assert pending_faults(miniprogram.base_url) == []  # 1 call + 2 retries used all three
    assert row_counts(app)["users"] == 0
    assert ok_data(post_login(miniprogram, code))["is_new_user"] is True


def test_wechats_minute_quota_answers_429(app, miniprogram):
    inject_fault(miniprogram.base_url, "jscode2session", 45011)
    code = miniprogram.wx_login()

    body = assert_error(post_login(miniprogram, code), 429, 42900)

    assert body["data"]["wechat"]["errcode"] == 45011
    assert row_counts(app)["users"] == 0
    # The code was not redeemed, so it is released for a later try.
    assert ok_data(post_login(miniprogram, code))["is_new_user"] is True


def test_two_first_logins_of_one_person_at_once_make_one_user(app, miniprogram, device):
    """Two phones of one new user log in at the same moment, each with its own code."""
    phones = [miniprogram, device()]
    codes = [phone.wx_login() for phone in phones]
    start = threading.Barrier(2)
    answers = []

    def log_in(code):
        with requests.Session() as http:
            start.wait(timeout=10)
            response = http.post(miniprogram.base_url + "/api/login", json={"code": code})
            answers.append(response.json())

    threads = [threading.Thread(target=log_in, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [answer["code"] for answer in answers] == [0, 0], answers
    assert len({answer["data"]["user"]["id"] for answer in answers}) == 1
    assert sorted(answer["data"]["is_new_user"] for answer in answers) == [False, True]
    counts = row_counts(app)
    assert counts["users"] == 1 and counts["identities"] == 1
