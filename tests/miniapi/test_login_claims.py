"""A login that died between claiming its code and answering (kill -9 of its worker) leaves
an unfinished claim behind. It must not block the code's real outcome: once the claim's lease
is over, the next request with the code hears what WeChat says about it."""

import requests

from tests.miniapi.helpers import assert_error, ok_data, row_counts
from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET
from webapp.accounts.login_claims import lease_seconds
from webapp.accounts.models import LoginClaim
from webapp.accounts.tokens import hash_token
from webapp.clock import utcnow
from webapp.extensions import db


def leave_claim_of_a_crashed_login(app, code):
    """What a login that was killed right after claiming its code leaves in the database."""
    with app.app_context():
        db.session.add(LoginClaim(code_hash=hash_token(code), created_at=utcnow()))
        db.session.commit()


def redeem_at_wechat(base_url, code):
    """The crashed login had reached WeChat: code2Session redeemed the code."""
    answer = requests.get(
        f"{base_url}/sandbox/api/sns/jscode2session",
        params={
            "appid": MINIPROGRAM_APPID,
            "secret": MINIPROGRAM_SECRET,
            "js_code": code,
            "grant_type": "authorization_code",
        },
        timeout=10,
    ).json()
    assert "openid" in answer, answer


def post_login(miniprogram, code):
    return miniprogram.request("POST", "/api/login", json={"code": code})


def test_a_claim_left_by_a_crashed_login_gives_way_to_the_login(app, miniprogram, clock):
    code = miniprogram.wx_login()
    leave_claim_of_a_crashed_login(app, code)

    # Within the lease the first request may still be working on it: wait for its answer.
    waiting = assert_error(post_login(miniprogram, code), 409, 40900)
    assert "being used by another request" in waiting["msg"]

    clock.advance(lease_seconds(app.config) + 1)
    data = ok_data(post_login(miniprogram, code))

    assert data["token"] and data["is_new_user"] is True
    assert row_counts(app)["tokens"] == 1
    # Now the code did log in: a double tap is told to keep that token.
    used = assert_error(post_login(miniprogram, code), 409, 40900)
    assert "keep the token" in used["msg"]


def test_a_claim_left_after_wechat_redeemed_the_code_hears_wechats_40163(
    app, miniprogram, live_server, clock
):
    code = miniprogram.wx_login()
    redeem_at_wechat(live_server.url, code)
    leave_claim_of_a_crashed_login(app, code)
    clock.advance(lease_seconds(app.config) + 1)

    body = assert_error(post_login(miniprogram, code), 400, 40001)

    assert body["data"]["wechat"]["errcode"] == 40163
    assert row_counts(app)["tokens"] == 0


def test_the_lease_outlasts_every_wait_of_a_living_login(app):
    """A claim is taken over only once its request cannot still be waiting: every try of
    code2Session and its backoff, and the database's waits."""
    config = app.config
    tries = config["WECHAT_RETRIES"] + 1
    assert lease_seconds(config) >= tries * config["WECHAT_TIMEOUT"] + config["DATABASE_TIMEOUT"]
