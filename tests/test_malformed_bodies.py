"""Malformed bodies at every JSON endpoint of every lane: each answers in its own error shape
(the API's envelope, WeChat's errcode, the wx errMsg, the lab's JSON), never with a 5xx.

The endpoints come from the app's URL map, so a new JSON endpoint is covered the day it is
added; the bodies are the ones that broke JSON readers before: deep nesting, NUL, lone
surrogates, wrong types, oversize, not UTF-8, not JSON at all.
"""

import json

import pytest

from tests.support import MINIPROGRAM_APPID
from webapp.errors import JSON_PREFIXES
from webapp.lab.recorder import TRACE_COOKIE

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Every field name any lane reads from a JSON body.
FIELDS = (
    "code device all nickname rawData signature encryptedData iv "  # the API
    "grant_type appid secret force_refresh "  # WeChat's stable_token, getuserphonenumber
    "user desc era tap decision scope granted what "  # the phone
    "api errcode times on remaining reject "  # the sandbox console
    "request response outcome source"  # the lab's recorder
).split()


def with_every_field(value):
    """A JSON object holding ``value`` in every field, around a real appid and persona (so the
    body gets past the first check of each endpoint)."""
    return json.dumps({**dict.fromkeys(FIELDS, value), "appid": MINIPROGRAM_APPID, "user": "amy"})


MALFORMED = {
    "nested 100,000 deep": "[" * 100_000,
    "nested 100,000 deep, closed": "[" * 100_000 + "]" * 100_000,
    "objects nested 5,000 deep": '{"a":' * 5_000 + "1" + "}" * 5_000,
    "nested 40 deep": with_every_field(json.loads("[" * 40 + "]" * 40)),
    "NUL in every field": with_every_field("a\u0000b"),
    "lone surrogates in every field": with_every_field("\ud800"),
    "lists in every field": with_every_field(["x"]),
    "objects in every field": with_every_field({"x": 1}),
    "numbers in every field": with_every_field(1e308),
    "NaN": '{"code": NaN, "errcode": Infinity, "times": -Infinity}',
    "oversize": json.dumps({"code": "x" * (3 * 1024 * 1024)}),
    "not UTF-8": b'{"code": "\xff\xfe"}',
    "broken JSON": '{"code": ',
    "a JSON array": "[1, 2, 3]",
    "a JSON string": '"code"',
}


def json_endpoints(app):
    """(method, path) of every endpoint that takes a JSON body, in every lane."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(JSON_PREFIXES) or rule.arguments:
            continue
        for method in sorted(rule.methods & BODY_METHODS):
            yield method, rule.rule


def test_every_lane_is_covered(app):
    endpoints = set(json_endpoints(app))
    for expected in [
        ("POST", "/api/login"),
        ("POST", "/api/profile"),
        ("POST", "/sandbox/api/cgi-bin/stable_token"),
        ("POST", "/sandbox/api/wxa/business/getuserphonenumber"),
        ("POST", "/sandbox/device/login"),
        ("POST", "/sandbox/device/user-profile"),
        ("POST", "/sandbox/device/setting"),
        ("POST", "/sandbox/faults"),
        ("POST", "/sandbox/open/snapshot-mode"),
        ("POST", "/sandbox/phone-quota"),
        ("POST", "/sandbox/review-mode"),
        ("POST", "/lab/api/exchanges"),
    ]:
        assert expected in endpoints


def assert_lane_shape(path, response):
    """The answer is JSON in the shape of the endpoint's lane, and no 5xx."""
    where = (path, response.status_code, response.get_data(as_text=True)[:300])
    assert response.status_code < 500, where
    assert response.mimetype == "application/json", where
    body = response.get_json()
    assert isinstance(body, dict), where
    if path.startswith("/sandbox/api/"):  # WeChat: HTTP 200 and an errcode
        assert response.status_code == 200, where
        assert isinstance(body["errcode"], int) and isinstance(body["errmsg"], str), where
    elif path.startswith("/sandbox/device/"):  # the wx API: errMsg "<api>:ok" or ":fail ..."
        assert isinstance(body.get("errMsg"), str) or body.get("needsDecision"), where
        if response.status_code >= 400:
            assert ":fail " in body["errMsg"], where
    elif response.status_code >= 400:  # the API's envelope, and the lab's and console's JSON
        assert isinstance(body["code"], int) and isinstance(body["msg"], str), where
        assert body["msg"], where


@pytest.mark.parametrize("kind", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_body_gets_each_lanes_own_error_never_a_5xx(app, kind):
    client = app.test_client()
    client.set_cookie(TRACE_COOKIE, "malformed-bodies-trace")
    code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID}).get_json()
    token = client.post("/api/login", json={"code": code["code"]}).get_json()["data"]["token"]
    body = MALFORMED[kind]

    for method, path in json_endpoints(app):
        response = client.open(
            path,
            method=method,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )

        assert_lane_shape(path, response)
        if path == "/api/logout" and response.status_code == 200:  # log in again
            code = client.post("/sandbox/device/login", json={"appid": MINIPROGRAM_APPID})
            answer = client.post("/api/login", json={"code": code.get_json()["code"]})
            token = answer.get_json()["data"]["token"]


def test_the_lab_api_refuses_deep_nesting_in_its_own_json(client):
    client.set_cookie(TRACE_COOKIE, "malformed-bodies-trace")

    response = client.post(
        "/lab/api/exchanges", data="[" * 100_000, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 40000 and "nested at most 32 levels" in body["msg"]


def test_an_oversized_body_is_a_413_in_each_lanes_shape(client):
    oversize = json.dumps({"api": "x" * (3 * 1024 * 1024)})
    headers = {"Content-Type": "application/json"}

    device = client.post("/sandbox/device/login", data=oversize, headers=headers)
    lab = client.post("/lab/api/exchanges", data=oversize, headers=headers)
    wechat = client.post("/sandbox/api/cgi-bin/stable_token", data=oversize, headers=headers)

    assert device.status_code == 413
    assert device.get_json()["errMsg"] == "login:fail the request body is too large"
    assert lab.status_code == 413 and lab.get_json()["code"] == 41300
    assert wechat.status_code == 200 and wechat.get_json()["errcode"] == 47001
