"""The server access_token: one per app, shared by every thread and process through the
database, renewed 5 minutes before it expires."""

import threading
from datetime import timedelta

from sqlalchemy import select

from tests.miniapi.helpers import ok_data, stable_tokens_issued
from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sandbox.models import AccessToken
from webapp.wechat import access_token as access_token_module
from webapp.wechat.access_token import CachedAccessToken, get_access_token
from webapp.wechat.client import WeChatClient

HOUR = timedelta(hours=1)


def wechat_client(live_server):
    return WeChatClient(live_server.url + "/sandbox/api", MINIPROGRAM_APPID, MINIPROGRAM_SECRET)


def access_token(app, live_server):
    with app.app_context():
        return get_access_token(wechat_client(live_server))


def test_eight_threads_at_once_share_one_token(app, live_server):
    threads_count = 8
    start = threading.Barrier(threads_count)
    tokens, failures = [], []

    def fetch():
        try:
            start.wait(timeout=10)
            tokens.append(access_token(app, live_server))
        except Exception as error:  # reported below, with the others
            failures.append(repr(error))

    threads = [threading.Thread(target=fetch) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert len(tokens) == threads_count and len(set(tokens)) == 1
    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 1


def test_the_token_is_cached_in_the_database(app, live_server):
    token = access_token(app, live_server)

    with app.app_context():
        row = db.session.scalar(
            select(CachedAccessToken).where(CachedAccessToken.appid == MINIPROGRAM_APPID)
        )
        assert row.token == token and row.lease_until is None


def test_the_token_is_renewed_five_minutes_before_it_expires(app, clock, live_server):
    first = access_token(app, live_server)

    clock.advance(7200 - 400)  # 400 s left: still good
    assert access_token(app, live_server) == first
    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 1

    clock.advance(200)  # 200 s left: inside the 5-minute margin
    second = access_token(app, live_server)

    assert second != first
    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 2


def test_another_server_forcing_a_refresh_costs_one_retry(app, live_server, logged_in):
    """A second server with the same appid forces a stable_token refresh: our cached token dies
    at once. The next call meets 40001, drops the cached token, fetches the new one (without
    forcing) and retries once: the learner's request still succeeds."""
    check = lambda: logged_in.request("POST", "/api/session/check")  # noqa: E731
    assert ok_data(check())["session_key"] == "live"
    ours = access_token(app, live_server)

    with app.app_context():
        other_server = wechat_client(live_server)
        theirs = other_server.stable_token(force_refresh=True)["access_token"]

    assert ok_data(check())["session_key"] == "live"
    assert access_token(app, live_server) == theirs != ours
    with app.app_context():
        forced = db.session.scalars(
            select(AccessToken.forced).where(AccessToken.appid == MINIPROGRAM_APPID)
        ).all()
    assert sorted(forced) == [False, True], "only the other server forced a refresh"


def test_a_refresh_stuck_in_another_process_is_answered_503_not_500(app, logged_in, monkeypatch):
    """Another process holds the refresh lease and never finishes: waiting for it is bounded,
    and the API says WeChat is unavailable (try again) instead of failing with a 500."""
    monkeypatch.setattr(access_token_module, "LEASE_SECONDS", 0.3)  # how long a waiter waits
    phone = logged_in.wx("phone-number", decision="allow")
    with app.app_context():
        db.session.add(CachedAccessToken(appid=MINIPROGRAM_APPID, lease_until=utcnow() + HOUR))
        db.session.commit()

    answer = logged_in.request("POST", "/api/phone", json={"code": phone["code"]})

    assert answer.status_code == 503
    assert answer.json()["code"] == 50300
    assert stable_tokens_issued(app, MINIPROGRAM_APPID) == 0  # nobody else called WeChat
