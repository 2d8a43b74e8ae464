"""How the developer server reaches WeChat: in-process to the mounted sandbox, over HTTP to a
configured host, and never anywhere a request's Host header names."""

import pytest
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import func, select

from tests.support import LiveServer, MiniProgram
from webapp import create_sandbox_app
from webapp.accounts.models import User, WebSession
from webapp.extensions import db

ATTACKER = "attacker.example"


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens an HTTP connection from this process's requests."""
    sent = []

    def refuse(adapter, request, *args, **kwargs):
        sent.append(request.url)
        raise AssertionError(f"a request left over the network: {request.url}")

    monkeypatch.setattr(HTTPAdapter, "send", refuse)
    return sent


def users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_a_login_with_a_forged_host_header_still_reaches_the_mounted_sandbox(
    app, client, no_network
):
    """The Host header names the attacker's server. The developer server's call to
    jscode2session goes in-process all the same: the app secret goes nowhere, and the answer
    is the sandbox's own (a forged reply could have logged the attacker in as anyone)."""
    code = client.post(
        "/sandbox/device/login", json={"appid": app.config["MINIPROGRAM_APPID"]}
    ).get_json()["code"]

    response = client.post(
        "/api/login", json={"code": code}, base_url=f"http://{ATTACKER}", headers={"Host": ATTACKER}
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["is_new_user"] is True
    assert no_network == [] and users(app) == 1


def test_web_authorization_with_a_forged_host_header_exchanges_the_code_in_process(app, no_network):
    """/h5/login → WeChat's authorize page → /h5/callback, every request naming the attacker's
    host: the code is still redeemed in-process, and the visitor is logged in."""
    client = app.test_client()
    response = client.get(
        "/h5/login?scope=snsapi_base&next=/h5/",
        base_url=f"http://{ATTACKER}",
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert [hop.request.path for hop in response.history] == [
        "/h5/login",
        "/sandbox/open/connect/oauth2/authorize",
        "/h5/callback",
    ]
    assert no_network == []
    with app.app_context():
        assert db.session.scalar(select(WebSession.method)) == "snsapi_base"


def test_a_configured_base_url_is_reached_over_http(make_app, database_url):
    """WECHAT_API_BASE names another host (here a sandbox run on its own, as
    ``create_sandbox_app`` serves it): the same login goes over the network to it."""
    standalone = create_sandbox_app({"DATABASE_URL": database_url})
    with LiveServer(standalone) as wechat:
        app = make_app(
            WECHAT_API_BASE=f"{wechat.url}/sandbox/api",
            WECHAT_OPEN_BASE=f"{wechat.url}/sandbox/open",
        )
        calls = []
        send = requests.Session.send

        def spy(session, request, **kwargs):
            calls.append(request.url)
            return send(session, request, **kwargs)

        with pytest.MonkeyPatch.context() as patch, LiveServer(app) as server:
            patch.setattr(requests.Session, "send", spy)
            phone = MiniProgram(wechat.url)
            body = MiniProgram(server.url).login(code=phone.wx_login())

    assert body["code"] == 0, body
    assert [url.split("?")[0] for url in calls if "jscode2session" in url] == [
        f"{wechat.url}/sandbox/api/sns/jscode2session"
    ]
