"""Response headers: HSTS in production, X-Frame-Options beside the CSP's frame-ancestors,
no-store on every answer that may carry a token or someone's data, and the lab's cookie
out of scripts' reach."""

import re

import pytest

from tests.support import MINIPROGRAM_APPID
from webapp import create_app

REAL = {
    "SECRET_KEY": "a-long-random-production-key",
    "MINIPROGRAM_APPID": "wx0000000000000001",
    "MINIPROGRAM_SECRET": "real-mini-program-secret",
    "OFFICIAL_ACCOUNT_APPID": "wx0000000000000002",
    "OFFICIAL_ACCOUNT_SECRET": "real-service-account-secret",
}


def test_production_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_CONFIG", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite'}")
    for name, value in REAL.items():
        monkeypatch.setenv(name, value)

    response = create_app().test_client().get("/")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_sends_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize("path", ["/", "/h5/", "/lab/", "/guide/", "/api/docs"])
def test_x_frame_options_matches_frame_ancestors(client, path):
    response = client.get(path)

    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def logged_in(client):
    code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
    answer = client.post("/api/login", json={"code": code["code"]})
    assert answer.headers["Cache-Control"] == "no-store"  # it carries the token
    return {"Authorization": f"Bearer {answer.get_json()['data']['token']}"}


def test_every_answer_with_a_token_or_personal_data_is_no_store(client):
    bearer = logged_in(client)
    ticket = client.post("/api/webview/ticket", headers=bearer)
    bridge = client.get(ticket.get_json()["data"]["url"].replace("http://localhost", ""))
    answers = {
        "a wx.login code": client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}),
        "the user": client.get("/api/me", headers=bearer),
        "a web-view ticket": ticket,
        "the bridge's login": bridge,
        "the H5 page with openids": client.get("/h5/"),
        "the bridge's confirmation": client.post("/h5/bridge", data={"ticket": "guess"}),
        "the decrypt page's checks": client.post("/guide/decrypt", data={}),
        "the inspector": client.get("/lab/inspector"),
        "the timeline": client.get("/lab/timeline"),
        "WeChat's access_token": client.post(
            "/sandbox/api/cgi-bin/stable_token",
            json={"grant_type": "client_credential", "appid": MINIPROGRAM_APPID, "secret": "x"},
        ),
    }
    for what, response in answers.items():
        assert response.headers.get("Cache-Control") == "no-store", what


def test_static_files_and_avatars_stay_cacheable(client):
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")
    avatar = client.get("/sandbox/avatar/xiaoming.svg")
    assert avatar.headers["Cache-Control"] == "public, max-age=86400"


def test_the_lab_trace_cookie_is_httponly(client):
    cookie = next(
        header
        for header in client.get("/lab/").headers.getlist("Set-Cookie")
        if header.startswith("lab_trace=")
    )
    assert "HttpOnly" in cookie


def test_clearing_the_timeline_needs_the_pages_csrf_token(client):
    page = client.get("/lab/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    client.post("/lab/api/exchanges", json={"api": "setStorageSync"})

    forged = client.post("/lab/timeline/clear")

    assert forged.status_code == 400 and forged.get_json()["code"] == 40000
    assert "setStorageSync" in client.get("/lab/timeline").get_data(as_text=True)
    cleared = client.post("/lab/timeline/clear", headers={"X-CSRFToken": token})
    assert cleared.get_json() == {"cleared": True}
    assert "setStorageSync" not in client.get("/lab/timeline").get_data(as_text=True)
