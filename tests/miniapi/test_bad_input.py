"""Bad input gets a clear error and changes nothing; no request makes the server answer 500."""

import json

import pytest

from tests.miniapi.helpers import (
    PNG_BYTES,
    assert_envelope,
    assert_error,
    ok_data,
    row_counts,
    snapshot,
)

THREE_MB = 3 * 1024 * 1024
JSON = {"Content-Type": "application/json"}

# (why it is wrong, requests keyword arguments, what msg must mention)
BAD_LOGIN_BODIES = [
    ("no body", {}, "JSON object"),
    ("a form, not JSON", {"data": {"code": "abc"}}, "JSON object"),
    (
        "JSON sent as text/plain",
        {"data": '{"code": "abc"}', "headers": {"Content-Type": "text/plain"}},
        "JSON object",
    ),
    ("broken JSON", {"data": '{"code": ', "headers": JSON}, "JSON object"),
    ("a JSON array", {"json": [{"code": "abc"}]}, "JSON object"),
    ("a JSON string", {"json": "abc"}, "JSON object"),
    ("JSON null", {"data": "null", "headers": JSON}, "JSON object"),
    ("no code", {"json": {}}, "'code' is required"),
    ("code null", {"json": {"code": None}}, "'code' is required"),
    ("code a number", {"json": {"code": 123}}, "'code' must be a string"),
    ("code true", {"json": {"code": True}}, "'code' must be a string"),
    ("code a list", {"json": {"code": ["abc"]}}, "'code' must be a string"),
    ("code empty", {"json": {"code": ""}}, "'code' must not be empty"),
    ("code whitespace", {"json": {"code": "  \t "}}, "'code' must not be empty"),
    ("device a number", {"json": {"code": "abc", "device": 5}}, "'device' must be a string"),
]


@pytest.mark.parametrize(
    "why, request_args, says", BAD_LOGIN_BODIES, ids=[case[0] for case in BAD_LOGIN_BODIES]
)
def test_a_bad_login_body_is_a_400_that_changes_nothing(app, miniprogram, why, request_args, says):
    before = row_counts(app)

    body = assert_error(miniprogram.request("POST", "/api/login", **request_args), 400, 40000)

    assert says in body["msg"]
    assert row_counts(app) == before


def test_a_body_over_the_size_limit_answers_413_in_json(app, miniprogram):
    assert THREE_MB > app.config["MAX_CONTENT_LENGTH"]
    before = row_counts(app)
    oversized = json.dumps({"code": miniprogram.wx_login(), "padding": "x" * THREE_MB})

    response = miniprogram.request("POST", "/api/login", data=oversized, headers=JSON)

    body = assert_error(response, 413, 41300)
    assert "too large" in body["msg"]
    assert row_counts(app) == before


def test_an_oversized_upload_answers_413_and_changes_nothing(app, logged_in):
    before = snapshot(app)
    huge_png = PNG_BYTES + b"\0" * THREE_MB

    response = logged_in.request(
        "POST",
        "/api/profile",
        data={"nickname": "大文件"},
        files={"avatar": ("a.png", huge_png, "image/png")},
    )

    assert_error(response, 413, 41300)
    assert snapshot(app) == before


# --- nothing answers 500 -------------------------------------------------------------------------

ALL_FIELDS = ("code", "device", "all", "nickname", "rawData", "signature", "encryptedData", "iv")

MALFORMED = {
    "no body": {},
    "text": {"data": "hello", "headers": {"Content-Type": "text/plain"}},
    "broken JSON": {"data": '{"code": "abc"', "headers": JSON},
    "not UTF-8": {"data": b'{"code": "\xff\xfe"}', "headers": JSON},
    "deeply nested JSON": {"data": "[" * 100_000, "headers": JSON},
    "JSON array": {"json": [1, 2, 3]},
    "JSON null": {"data": "null", "headers": JSON},
    "JSON number": {"json": 42},
    "NaN": {"data": '{"code": NaN, "nickname": Infinity}', "headers": JSON},
    "wrong types": {
        "json": {
            "code": 123,
            "device": [],
            "all": "yes",
            "nickname": {},
            "rawData": 1.5,
            "signature": True,
            "encryptedData": [1],
            "iv": {"a": 1},
        }
    },
    "empty strings": {"json": dict.fromkeys(ALL_FIELDS, "")},
    "NUL characters": {"json": dict.fromkeys(ALL_FIELDS, "ab\u0000cd")},
    "lone surrogates": {"data": json.dumps(dict.fromkeys(ALL_FIELDS, "\ud800")), "headers": JSON},
    "100 kB strings": {"json": dict.fromkeys(ALL_FIELDS, "x" * 100_000)},
    "a form": {"data": dict.fromkeys(ALL_FIELDS, "abc")},
    "multipart without boundary": {
        "data": b"--x\r\n",
        "headers": {"Content-Type": "multipart/form-data"},
    },
    "broken multipart": {
        "data": b'--x\r\nContent-Disposition: form-data; name="avatar"\r\n',
        "headers": {"Content-Type": "multipart/form-data; boundary=x"},
    },
    "multipart with NUL": {
        "data": {"nickname": "a\u0000b"},
        "files": {"avatar": ("a\u0000.png", b"\0\0", "image/png")},
    },
}
BAD_PATH_VALUES = ("nothing-here", "%00", "x" * 300, "..%2F..%2Fetc", "%F0%9F%98%80")


def api_operations(app):
    """(METHOD, path) of every /api route, each <parameter> filled with each bad value."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        paths = [rule.rule]
        if rule.arguments:
            paths = [rule.rule.split("<")[0] + value for value in BAD_PATH_VALUES]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path in paths:
                yield method, path


def test_api_operations_covers_every_endpoint(app):
    operations = {(method, path) for method, path in api_operations(app)}
    for expected in [
        ("POST", "/api/login"),
        ("GET", "/api/me"),
        ("POST", "/api/logout"),
        ("POST", "/api/session/check"),
        ("POST", "/api/profile"),
        ("DELETE", "/api/profile"),
        ("POST", "/api/profile/legacy"),
        ("POST", "/api/phone"),
        ("POST", "/api/phone/legacy"),
        ("DELETE", "/api/phone"),
        ("POST", "/api/webview/ticket"),
        ("GET", "/api/avatars/%00"),
    ]:
        assert expected in operations


@pytest.mark.parametrize("malformed", MALFORMED, ids=list(MALFORMED))
def test_no_malformed_request_makes_the_server_answer_500(app, logged_in, malformed):
    """Every /api operation, with a live token, given the same malformed request."""
    for method, path in api_operations(app):
        response = logged_in.request(method, path, **MALFORMED[malformed])

        assert response.status_code < 500, (method, path, response.status_code, response.text)
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            if "code" in body or response.status_code >= 400:
                assert_envelope(response)
        else:
            assert response.status_code == 200, (method, path, response.text[:200])
        if path == "/api/logout" and response.status_code == 200:
            assert logged_in.login()["code"] == 0  # log in again for the next operation


def test_a_code_of_100_kb_is_refused_without_asking_wechat_in_vain(app, miniprogram):
    before = row_counts(app)

    body = assert_error(
        miniprogram.request("POST", "/api/login", json={"code": "x" * 100_000}), 400, 40001
    )

    assert "wx.login" in body["msg"]
    assert row_counts(app) == before


def test_a_nickname_with_a_nul_character_is_refused(app, logged_in):
    before = snapshot(app)

    for request_args in (
        {"json": {"nickname": "小\u0000明"}},
        {
            "data": {"nickname": "小\u0000明"},
            "files": {"avatar": ("a.png", PNG_BYTES, "image/png")},
        },
    ):
        body = assert_error(logged_in.request("POST", "/api/profile", **request_args), 400, 40000)
        assert "nickname" in body["msg"]

    assert snapshot(app) == before


def test_bad_input_to_authenticated_endpoints_changes_nothing(app, logged_in):
    ok_data(logged_in.request("POST", "/api/profile", json={"nickname": "小明"}))
    before = snapshot(app)

    for method, path, request_args in [
        ("POST", "/api/profile", {"json": {"nickname": 7}}),
        ("POST", "/api/profile", {"json": ["小红"]}),
        ("POST", "/api/phone", {"json": {"code": ""}}),
        ("POST", "/api/phone", {"json": {}}),
        ("POST", "/api/phone/legacy", {"json": {"encryptedData": "abc"}}),
        ("POST", "/api/profile/legacy", {"json": {"rawData": "{}"}}),
        ("POST", "/api/logout", {"json": {"all": "yes"}}),
        ("POST", "/api/logout", {"json": [True]}),
    ]:
        assert_error(logged_in.request(method, path, **request_args), 400, 40000)

    assert snapshot(app) == before
