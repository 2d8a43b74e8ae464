"""WeChat hanging, refusing or busy: both lanes (the mini-program's login and the H5 callback)
give up after one WECHAT_TIMEOUT, answer 503 "try again", and retry errcode -1 alike."""

from urllib.parse import urlsplit

import pytest

from tests.support import SilentServer, answered_within, refused_port
from webapp.wechat.policy import CallPolicy

TIMEOUT = 0.5  # WECHAT_TIMEOUT for these tests, in seconds
BOUND = 15  # the request must have answered by then: generous, but finite


def wx_login_code(client, app):
    body = {"appid": app.config["MINIPROGRAM_APPID"], "user": "lihua"}
    return client.post("/sandbox/device/login", json=body).get_json()["code"]


def h5_callback(client):
    """Start web authorization and follow WeChat's silent redirect to our callback; return the
    callback's answer (the step that calls WeChat's server API)."""
    start = client.get("/h5/login?scope=snsapi_base&next=/h5/")
    authorize = client.get(start.location.split("#")[0])
    assert authorize.status_code == 302, authorize.get_data(as_text=True)
    callback = urlsplit(authorize.location)
    return client.get(f"{callback.path}?{callback.query}")


def assert_h5_unavailable_page(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert 'data-problem="wechat_unavailable"' in page and "暂时连不上微信" in page


def assert_api_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json()["code"] == 50300


@pytest.fixture
def wechat_at(make_app):
    """An app whose WeChat server APIs are at ``base`` (its authorize page stays the mounted
    sandbox's, so the browser's part of web authorization still works)."""

    def make(base):
        return make_app(WECHAT_API_BASE=base, WECHAT_TIMEOUT=TIMEOUT)

    return make


def test_both_lanes_share_one_timeout_and_retry_rule(app):
    with app.app_context():
        policy = CallPolicy.from_config()
    assert (policy.timeout, policy.retries) == (app.config["WECHAT_TIMEOUT"], 2)


def test_a_hanging_wechat_is_given_up_on_in_both_lanes(wechat_at):
    with SilentServer() as hanging:
        app = wechat_at(hanging.url(path="/"))
        client = app.test_client()
        code = wx_login_code(client, app)

        login = answered_within(BOUND, lambda: client.post("/api/login", json={"code": code}))
        callback = answered_within(BOUND, lambda: h5_callback(client))

    assert_api_unavailable(login)
    assert_h5_unavailable_page(callback)


def test_a_refused_wechat_answers_503_in_both_lanes_never_500(wechat_at):
    app = wechat_at(f"http://127.0.0.1:{refused_port()}")
    client = app.test_client()
    code = wx_login_code(client, app)

    assert_api_unavailable(client.post("/api/login", json={"code": code}))
    assert_h5_unavailable_page(h5_callback(client))


def inject(client, api, errcode, times):
    response = client.post("/sandbox/faults", json={"api": api, "errcode": errcode, "times": times})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_the_h5_callback_retries_wechats_busy_answer_like_the_login(client):
    inject(client, "access_token", -1, times=2)  # the third try gets through

    response = h5_callback(client)

    assert response.status_code == 302 and response.location == "/h5/"
    assert client.get("/sandbox/faults").get_json()["faults"] == []
    assert "snsapi_base" in client.get("/h5/").get_data(as_text=True)


def test_the_h5_callback_says_try_again_when_wechat_stays_busy(client):
    inject(client, "access_token", -1, times=3)  # busy on every try

    assert_h5_unavailable_page(h5_callback(client))
