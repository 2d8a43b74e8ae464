"""Bearer tokens: how a request proves who it is, and every way a token stops working.

The mini-program's rule: a 401 means clear the stored token and log in again.
"""

import hashlib
import threading

from sqlalchemy import select

from tests.miniapi.helpers import assert_error, ok_data
from webapp.accounts.models import ApiToken
from webapp.extensions import db


def me(miniprogram, **kwargs):
    return miniprogram.request("GET", "/api/me", **kwargs)


def test_the_token_works_until_its_lifetime_is_over(app, clock, logged_in):
    """``clock`` comes before ``logged_in``: the token is issued on the frozen clock, so moving
    the clock by exactly its lifetime lands exactly on its expiry. (time-machine patches the
    whole process, so the live server's threads see the moved clock whatever the order.)"""
    lifetime = app.config["API_TOKEN_LIFETIME"]

    clock.advance(lifetime - 1)
    assert ok_data(me(logged_in))["user"]["id"] == logged_in.user_id

    clock.advance(1)
    body = assert_error(me(logged_in), 401, 40102)
    assert "expired" in body["msg"]


def test_a_token_we_never_issued_answers_40101(miniprogram):
    miniprogram.token = "garbage-that-looks-like-a-token"

    body = assert_error(me(miniprogram), 401, 40101)

    assert "log in again" in body["msg"]


def test_no_authorization_header_answers_40100(miniprogram):
    body = assert_error(me(miniprogram), 401, 40100)

    assert "Bearer" in body["msg"]


def test_another_scheme_than_bearer_answers_40100(logged_in):
    token, logged_in.token = logged_in.token, None

    assert_error(me(logged_in, headers={"Authorization": "Basic xxx"}), 401, 40100)
    assert_error(me(logged_in, headers={"Authorization": f"Basic {token}"}), 401, 40100)
    assert_error(me(logged_in, headers={"Authorization": token}), 401, 40100)


def test_the_scheme_name_is_case_insensitive(logged_in):
    """RFC 7235: "bearer" is the same scheme as "Bearer"."""
    token, logged_in.token = logged_in.token, None

    data = ok_data(me(logged_in, headers={"Authorization": f"bearer {token}"}))

    assert data["user"]["id"] == logged_in.user_id


def test_logout_revokes_the_token_on_the_server(logged_in):
    assert ok_data(logged_in.request("POST", "/api/logout")) == {"revoked": 1}

    body = assert_error(me(logged_in), 401, 40103)
    assert "revoked" in body["msg"]
    # Logging out twice is a 401 too: the token is gone.
    assert_error(logged_in.request("POST", "/api/logout"), 401, 40103)


def test_logout_all_revokes_the_other_devices_tokens(multi_device, logged_in, device):
    tablet = device()
    assert tablet.login()["code"] == 0

    data = ok_data(logged_in.request("POST", "/api/logout", json={"all": True}))

    assert data == {"revoked": 2}
    assert_error(me(logged_in), 401, 40103)
    assert_error(me(tablet), 401, 40103)


def test_single_device_a_new_login_revokes_the_first_token(app, logged_in, device):
    assert app.config["LOGIN_POLICY"] == "single-device"  # the default
    tablet = device()
    assert tablet.login()["code"] == 0

    body = assert_error(me(logged_in), 401, 40103)

    assert "another device" in body["msg"]
    assert ok_data(me(tablet))["user"]["id"] == logged_in.user_id


def test_multi_device_a_new_login_keeps_the_first_token(multi_device, logged_in, device):
    tablet = device()
    assert tablet.login()["code"] == 0

    assert ok_data(me(logged_in))["user"]["id"] == logged_in.user_id
    assert ok_data(me(tablet))["user"]["id"] == logged_in.user_id


def test_single_device_does_not_touch_other_users(logged_in, device):
    lihua = device(user="lihua")
    assert lihua.login()["code"] == 0

    assert ok_data(me(logged_in))["user"]["id"] == logged_in.user_id


def test_tokens_are_stored_only_as_hashes(app, logged_in):
    with app.app_context():
        rows = db.session.execute(select(ApiToken.__table__)).all()

    assert len(rows) == 1
    assert logged_in.token not in repr(rows)
    assert rows[0].token_hash == hashlib.sha256(logged_in.token.encode()).hexdigest()


def test_single_device_two_logins_at_once_leave_one_live_token(app, logged_in, device):
    """Two phones of one user log in at the same moment: single-device must still end with
    exactly one live token, whichever login finishes last."""
    phones = [logged_in, device()]
    for _ in range(5):  # the window is narrow: give a race several chances to show
        codes = [phone.wx_login() for phone in phones]
        start = threading.Barrier(2)

        def log_in(phone, code, start=start):
            start.wait(timeout=10)
            phone.login(code)

        threads = [
            threading.Thread(target=log_in, args=pair) for pair in zip(phones, codes, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        with app.app_context():
            live = db.session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all()
        assert len(live) == 1


def test_reading_with_a_token_stamps_its_last_use_at_most_once_a_minute(app, clock, logged_in):
    """Authenticating is a read: the token's last use is written when it is a minute old or
    more, not on every request (a write per request would serialise readers on SQLite)."""

    def last_used():
        with app.app_context():
            return db.session.scalar(select(ApiToken.last_used_at))

    ok_data(me(logged_in))
    first = last_used()
    assert first is not None

    clock.advance(59)
    ok_data(me(logged_in))
    assert last_used() == first

    clock.advance(1)
    ok_data(me(logged_in))
    assert (last_used() - first).total_seconds() == 60
