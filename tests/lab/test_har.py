"""The timeline as HAR 1.2: valid against the format's schema, one entry per HTTP exchange of
the three lanes, the phone's own actions beside them, every secret masked as on the page."""

import json

from playwright.sync_api import expect

from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET
from tests.support.har import har_errors

TRACE = "har-test-trace"


def lab_session(client):
    """A lab session that logged in once: wx.login, POST /api/login (and, behind it,
    jscode2session), and the token going into storage (reported by the phone)."""
    client.set_cookie("lab_trace", TRACE)
    code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
    token = client.post("/api/login", json={"code": code["code"]}).get_json()["data"]["token"]
    client.post(
        "/lab/api/exchanges",
        json={"api": "setStorageSync", "request": f'{{"key": "token", "token": "{token}"}}'},
    )
    return token


def test_a_lab_session_exports_as_valid_har(client):
    token = lab_session(client)

    response = client.get("/lab/timeline.har")
    document = response.get_json()

    assert response.headers["Content-Disposition"] == 'attachment; filename="wechat-auth-lab.har"'
    assert har_errors(document) == []
    entries = document["log"]["entries"]
    # In the order they started: /api/login calls jscode2session while it runs.
    assert [(entry["request"]["method"], entry["_lanes"]) for entry in entries] == [
        ("POST", {"from": "miniprogram", "to": "wechat"}),
        ("POST", {"from": "miniprogram", "to": "server"}),
        ("GET", {"from": "server", "to": "wechat"}),
    ]
    device, login, code2session = entries
    assert device["request"]["url"] == "http://localhost/sandbox/device/login"
    assert json.loads(device["response"]["content"]["text"])["errMsg"] == "login:ok"
    assert login["request"]["postData"]["mimeType"] == "application/json"
    assert login["response"]["status"] == 200 and login["response"]["statusText"] == "OK"
    assert all(
        entry["time"] >= 0 and entry["timings"]["wait"] == entry["time"] for entry in entries
    )
    assert "code2Session" in code2session["comment"]
    query = {item["name"]: item["value"] for item in code2session["request"]["queryString"]}
    assert query["appid"] == MINIPROGRAM_APPID and query["secret"] == "***"
    assert [action["api"] for action in document["log"]["_phoneActions"]] == ["setStorageSync"]

    text = response.get_data(as_text=True)
    assert MINIPROGRAM_SECRET not in text and token not in text
    assert json.loads(code2session["response"]["content"]["text"])["session_key"] == "***"


def test_without_a_lab_session_the_archive_is_empty_but_valid(client):
    document = client.get("/lab/timeline.har").get_json()

    assert har_errors(document) == [] and document["log"]["entries"] == []


def test_the_timeline_exports_its_har_from_the_lab(lab):
    """导出 HAR under the timeline downloads this session's archive."""
    with lab.page.expect_download() as download:
        lab.page.get_by_test_id("timeline-har-link").click()

    expect(lab.page.get_by_test_id("timeline-har-link")).to_have_text("导出 HAR")
    assert download.value.suggested_filename == "wechat-auth-lab.har"
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert har_errors(document) == []
    endpoints = [entry["request"]["url"] for entry in document["log"]["entries"]]
    assert any(url.endswith("/api/login") for url in endpoints)
    assert any("/sns/jscode2session?" in url for url in endpoints)
