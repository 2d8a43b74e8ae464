"""Rate limits: on by default, per client address, 429 with Retry-After in the API's envelope
or on a page; only failed bearer tokens count against the API's shared token limit; Redis
shares one count between processes. (The rest of the suite runs with limits off.)"""

import os

import pytest

from config import Config
from tests.support import MINIPROGRAM_APPID, SilentServer, answered_within
from webapp.limits import FAILED_TOKENS, LIMITS


def allowed(limit):
    """120 for "120 per minute"."""
    return int(limit.split()[0])


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True)


def assert_api_429(response):
    assert response.status_code == 429, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == 42901 and "Retry-After" in body["msg"]
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60 and body["data"] == {"retry_after": retry_after}


def test_limits_are_on_by_default_and_read_from_the_environment():
    assert Config.RATELIMIT_ENABLED is True
    settings = Config.from_env(
        {"RATELIMIT_ENABLED": "0", "RATELIMIT_STORAGE_URI": "redis://cache:6379/2"}
    )
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"


def test_api_login_answers_429_in_the_envelope_past_its_limit(limited_app):
    client = limited_app.test_client()
    for _ in range(allowed(LIMITS["miniapi.login"])):
        assert client.post("/api/login", json={}).status_code == 400

    assert_api_429(client.post("/api/login", json={}))
    # Another address is counted on its own.
    other = client.post("/api/login", json={}, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 400


def api_token(client):
    code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
    return client.post("/api/login", json={"code": code["code"]}).get_json()["data"]["token"]


# endpoint: a request it counts, as (method, url, keyword arguments for the test client)
LIMITED_REQUESTS = {
    "miniapi.login": ("POST", "/api/login", {"json": {}}),
    "miniapi.webview_ticket": ("POST", "/api/webview/ticket", {"token": True}),
    "h5.login": ("GET", "/h5/login?scope=snsapi_none", {}),
    "h5.callback": ("GET", "/h5/callback?code=guess&state=guess", {}),
    "h5.bridge": ("GET", "/h5/bridge?ticket=guess", {}),
    "h5.confirm_bridge": ("POST", "/h5/bridge", {"data": {"ticket": "guess"}}),
    "guides.decrypt_result": ("POST", "/guide/decrypt", {"data": {}}),
}


def test_every_limit_has_a_request_here():
    assert set(LIMITED_REQUESTS) == set(LIMITS)


@pytest.mark.parametrize("endpoint", sorted(LIMITED_REQUESTS))
def test_each_limited_endpoint_answers_429_past_its_limit(limited_app, endpoint):
    client = limited_app.test_client()
    method, url, options = LIMITED_REQUESTS[endpoint]
    if options.pop("token", False):
        options["headers"] = {"Authorization": f"Bearer {api_token(client)}"}

    answers = [client.open(url, method=method, **options) for _ in range(allowed(LIMITS[endpoint]))]
    refused = client.open(url, method=method, **options)

    assert all(answer.status_code != 429 for answer in answers)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    if url.startswith("/api/"):
        assert_api_429(refused)
    else:
        assert "请求太频繁" in refused.get_data(as_text=True)


def test_the_bridge_answers_an_explanatory_page_past_its_limit(limited_app):
    client = limited_app.test_client()
    for _ in range(allowed(LIMITS["h5.bridge"])):
        assert client.get("/h5/bridge?ticket=guess").status_code == 400

    response = client.get("/h5/bridge?ticket=guess")

    assert response.status_code == 429 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "请求太频繁" in page and "每 60 秒最多 60 次" in page and "秒后再试" in page
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_only_failed_bearer_tokens_count_against_the_token_limit(limited_app):
    client = limited_app.test_client()
    token = api_token(client)
    good = {"Authorization": f"Bearer {token}"}
    guessed = {"Authorization": "Bearer guessed"}
    failures = allowed(FAILED_TOKENS)

    for _ in range(failures + 20):  # a working mini-program is never slowed down
        assert client.get("/api/me", headers=good).status_code == 200
    for _ in range(failures):
        assert client.get("/api/me", headers=guessed).status_code == 401

    assert_api_429(client.get("/api/me", headers=guessed))
    assert_api_429(client.post("/api/logout", headers=guessed))  # one count for the whole API


def test_with_limits_off_nothing_is_limited(app):
    client = app.test_client()
    for _ in range(allowed(LIMITS["h5.bridge"]) + 10):
        assert client.get("/h5/bridge?ticket=guess").status_code == 400


def test_a_silent_redis_does_not_hang_requests_and_counting_goes_on(make_app):
    with SilentServer() as silent:
        app = make_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=silent.url("redis", "/0"),
            DATABASE_TIMEOUT=0.5,
        )
        client = app.test_client()

        def hammer():
            return [
                client.get("/h5/bridge?ticket=guess").status_code
                for _ in range(allowed(LIMITS["h5.bridge"]) + 1)
            ]

        statuses = answered_within(30, hammer)

    assert statuses[-1] == 429 and set(statuses[:-1]) == {400}


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="needs a Redis server: set TEST_REDIS_URL"
)
def test_redis_shares_one_count_between_processes(make_app):
    url = os.environ["TEST_REDIS_URL"]
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": url}
    first, second = make_app(**settings), make_app(**settings)
    next(iter(first.extensions["limiter"])).reset()  # start the shared count from zero

    for _ in range(allowed(LIMITS["h5.bridge"])):
        assert first.test_client().get("/h5/bridge?ticket=guess").status_code == 400

    assert second.test_client().get("/h5/bridge?ticket=guess").status_code == 429
