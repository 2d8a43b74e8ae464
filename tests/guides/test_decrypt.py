"""The decrypt page: WeChat's demo vector, every way it refuses data, bad input, CSRF, and that
nothing pasted is kept."""

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from tests.guides.helpers import csrf_token
from tests.support import MINIPROGRAM_APPID, MINIPROGRAM_SECRET
from tests.wechat.conftest import DEMO_ENCRYPTED_DATA
from webapp.extensions import db
from webapp.guides.decrypt import OFFICIAL_EXAMPLE

DEMO = {
    "appid": "wx4f4bc4dec97d474b",
    "session_key": "tiihtNczf5v6AKRyjwEUhQ==",
    "iv": "r7BXXKkLb8qrSNn05n0qiA==",
    "encrypted_data": DEMO_ENCRYPTED_DATA,
}
DECRYPT_CHECKS = ["session_key", "iv", "encrypted_data", "aes", "json", "watermark", "age"]


def submit(client, **fields):
    """POST the form as a browser would, with the page's CSRF token."""
    data = {"csrf_token": csrf_token(client), **fields}
    return client.post("/guide/decrypt", data=data)


def statuses(html):
    """{check: pass | fail | skip} as the page shows them."""
    return dict(re.findall(r'data-check="([a-z_]+)" data-status="([a-z]+)"', html))


def test_the_page_prefills_wechats_demo_vector(client):
    html = client.get("/guide/decrypt?example=official").get_data(as_text=True)

    assert OFFICIAL_EXAMPLE == DEMO  # the page's copy is the tests' copy of the official vector
    assert 'value="wx4f4bc4dec97d474b"' in html and 'value="tiihtNczf5v6AKRyjwEUhQ=="' in html
    assert f">{DEMO_ENCRYPTED_DATA}</textarea>" in html
    assert 'href="/guide/decrypt?example=official"' in client.get("/guide/decrypt").get_data(
        as_text=True
    )


def test_the_form_carries_a_csrf_token_and_the_privacy_note(client):
    html = client.get("/guide/decrypt").get_data(as_text=True)

    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert "不会被保存，也不会写进日志" in html


def test_decrypts_the_demo_vector_and_passes_every_check(client):
    response = submit(client, **DEMO)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert statuses(html) == {**dict.fromkeys(DECRYPT_CHECKS[:-1], "pass"), "age": "skip"}
    assert "每一项检查都通过了" in html
    plaintext = unescape(
        re.search(r'<pre data-testid="plaintext">(.*?)</pre>', html, re.S).group(1)
    )
    assert '"openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE"' in plaintext
    assert '"nickName": "Band"' in plaintext and '"timestamp": 1477314187' in plaintext
    assert response.headers["Cache-Control"] == "no-store"


def test_max_age_refuses_the_old_demo_watermark(client):
    html = submit(client, **DEMO, max_age="300").get_data(as_text=True)

    assert statuses(html) == {**dict.fromkeys(DECRYPT_CHECKS[:-1], "pass"), "age": "fail"}
    assert "水印时间太早" in html and "2016-10-24" in html
    assert "oGZUI0egBJY1zhBYw2KhdUfwVJJE" in html  # readable, but refused: the page says so
    assert "服务器应当拒绝它" in html


def test_a_wrong_key_is_41003_and_blames_the_rotation(client):
    html = submit(client, **{**DEMO, "session_key": "AAAAAAAAAAAAAAAAAAAAAA=="}).get_data(
        as_text=True
    )

    assert statuses(html) == {
        "session_key": "pass",
        "iv": "pass",
        "encrypted_data": "pass",
        "aes": "fail",
        "json": "skip",
        "watermark": "skip",
        "age": "skip",
    }
    failed = html[html.index('data-check="aes"') : html.index('data-check="json"')]
    assert '<span class="g-check-code">-41003</span>' in failed
    assert "session_key 已经换过了" in failed and "又调用了一次 wx.login" in failed
    # what the server's code raised, as code: the English likely cause is told in Chinese above
    assert (
        "<code>OpenDataError(-41003, &#39;padding is invalid after decrypting&#39;)</code>"
        in failed
    )
    assert "the session_key has rotated" not in failed
    assert "每一项检查都通过了" not in html and 'data-testid="plaintext"' not in html


def test_a_plus_turned_into_a_space_is_41004(client):
    mangled = DEMO_ENCRYPTED_DATA.replace("+", " ", 1)
    html = submit(client, **{**DEMO, "encrypted_data": mangled}).get_data(as_text=True)

    assert statuses(html)["encrypted_data"] == "fail"
    failed = html[html.index('data-check="encrypted_data"') : html.index('data-check="aes"')]
    assert "-41004" in failed and "“+”在 URL 编码时变成了空格" in failed


@pytest.mark.parametrize(
    "change, check, code, words",
    [
        (
            {"session_key": "tiihtNczf5v6AKRyjwEUhQ="},
            "session_key",
            "-41001",
            "有 23 个字符，应该是 24 个",
        ),
        ({"iv": "r7BXXKkLb8qrSNn05n0qiA"}, "iv", "-41002", "有 22 个字符，应该是 24 个"),
        ({"iv": "r7BXXKkLb8qrSNn05n0qi%3D"}, "iv", "-41002", "还是 URL 编码过的"),
        ({"appid": MINIPROGRAM_APPID}, "watermark", "-41003", f"不是你填的 {MINIPROGRAM_APPID}"),
        (
            {"iv": "AAAAAAAAAAAAAAAAAAAAAA=="},
            "json",
            "-41003",
            "iv 和 encryptedData 不是同一次调用",
        ),
        ({"encrypted_data": DEMO_ENCRYPTED_DATA[:-8]}, "encrypted_data", "-41003", "被截断了"),
        ({"session_key": "é" * 24}, "session_key", "-41001", "不是 16 字节的 base64"),
    ],
)
def test_each_refusal_names_its_check_and_cause(client, change, check, code, words):
    response = submit(client, **{**DEMO, **change})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    shown = statuses(html)
    assert shown[check] == "fail"
    order = DECRYPT_CHECKS
    assert all(shown[earlier] == "pass" for earlier in order[: order.index(check)])
    assert all(shown[later] == "skip" for later in order[order.index(check) + 1 :])
    failed = html[html.index(f'data-check="{check}"') :]
    assert code in failed[:2000] and words in failed[:2000]


def session_key_of(client, code):
    """The session_key code2Session gives the developer server for a wx.login code."""
    answer = client.get(
        "/sandbox/api/sns/jscode2session",
        query_string={
            "appid": MINIPROGRAM_APPID,
            "secret": MINIPROGRAM_SECRET,
            "js_code": code,
            "grant_type": "authorization_code",
        },
    )
    return json.loads(answer.get_data())["session_key"]  # WeChat labels it text/plain


def test_a_real_getuserprofile_payload_passes_the_signature_check(client, phone):
    """Everything from the sandbox: wx.login, code2Session's session_key, getUserProfile."""
    session_key = session_key_of(client, phone.login())
    profile = phone.call("user-profile", desc="用于完善会员资料", decision="allow")

    fields = {
        "appid": MINIPROGRAM_APPID,
        "session_key": session_key,
        "iv": profile["iv"],
        "encrypted_data": profile["encryptedData"],
        "raw_data": profile["rawData"],
        "signature": profile["signature"],
        "max_age": "60",
    }
    html = submit(client, **fields).get_data(as_text=True)

    assert statuses(html) == {**dict.fromkeys(DECRYPT_CHECKS, "pass"), "signature": "pass"}
    assert '"nickName": "微信用户"' in unescape(html)
    assert f'"appid": "{MINIPROGRAM_APPID}"' in unescape(html)

    tampered = submit(
        client, **{**fields, "raw_data": profile["rawData"].replace("微信用户", "小明")}
    )
    shown = statuses(tampered.get_data(as_text=True))
    assert shown["signature"] == "fail" and shown["watermark"] == "pass"


def test_fresh_sandbox_data_shows_beijing_time_and_passes_max_age_in_china(
    client, phone, clock, shanghai_time
):
    """On a server at UTC+8 the page reads the watermark as Unix time: it shows the moment the
    data was made in 北京时间 (UTC + 8 h, whatever the server's zone) and finds it 0 s old."""
    session_key = session_key_of(client, phone.login())
    button = phone.call("phone-number", decision="allow")
    beijing = datetime.now(UTC) + timedelta(hours=8)

    html = submit(
        client,
        appid=MINIPROGRAM_APPID,
        session_key=session_key,
        iv=button["iv"],
        encrypted_data=button["encryptedData"],
        max_age="60",
    ).get_data(as_text=True)

    assert statuses(html) == dict.fromkeys(DECRYPT_CHECKS, "pass")
    age = html[html.index('data-check="age"') :][:2000]
    assert f"水印时间 {beijing:%Y-%m-%d %H:%M:%S}（北京时间）。 距现在 0 秒，不超过 60 秒。" in age


def test_only_a_signature_can_be_checked(client):
    html = submit(
        client, session_key=DEMO["session_key"], raw_data='{"nickName":"Band"}', signature="0" * 40
    ).get_data(as_text=True)

    assert statuses(html) == {"signature": "fail"}
    assert "按这个 session_key 算出的是" in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "什么都没填"),
        ({"encrypted_data": DEMO_ENCRYPTED_DATA}, "还缺：session_key、appid、iv。"),
        ({**DEMO, "session_key": "   "}, "还缺：session_key。"),
        ({"session_key": DEMO["session_key"], "raw_data": "{}"}, "还缺：signature。"),
        ({**DEMO, "max_age": "ten"}, "max_age 应该是 0 到"),
        ({**DEMO, "max_age": "-5"}, "max_age 应该是 0 到"),
        ({**DEMO, "encrypted_data": "A" * 20_001}, "encryptedData 有 20001 个字符，超过了 20000"),
        ({**DEMO, "session_key": "x" * 201}, "session_key 有 201 个字符，超过了 200"),
    ],
)
def test_bad_input_gets_a_clear_message(client, fields, message):
    response = submit(client, **fields)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    problems = re.search(r'data-testid="problems">(.*?)</div>', html, re.S).group(1)
    assert message in problems
    assert "data-check=" not in html  # nothing was run


def test_a_body_over_the_size_limit_gets_a_clear_message(client):
    response = submit(client, **{**DEMO, "encrypted_data": "A" * (3 * 1024 * 1024)})

    assert response.status_code == 413
    assert "提交的内容太大了" in response.get_data(as_text=True)


def test_csrf_protection_is_active_under_testing(app):
    # TESTING does not switch Flask-WTF off: only WTF_CSRF_ENABLED would, and it is on.
    assert app.config["TESTING"] is True
    assert app.config["WTF_CSRF_ENABLED"] is True


@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_a_post_without_the_csrf_token_is_refused(client, token):
    data = {**DEMO} if token is None else {**DEMO, "csrf_token": token}
    client.get("/guide/decrypt")  # a session exists, so only the token is missing or wrong
    response = client.post("/guide/decrypt", data=data)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "CSRF 令牌" in html
    assert "data-check=" not in html and "oGZUI0egBJY1zhBYw2KhdUfwVJJE" not in html


def test_nothing_pasted_is_stored_or_logged(app, client, caplog):
    def row_counts():
        with app.app_context():
            return {
                table.name: db.session.query(table).count() for table in db.metadata.sorted_tables
            }

    before = row_counts()
    caplog.set_level(logging.DEBUG)
    response = submit(client, **DEMO, raw_data="{}", signature="0" * 40)

    assert response.status_code == 200
    assert row_counts() == before
    assert DEMO["session_key"] not in caplog.text
    with app.test_request_context():  # the session cookie holds the CSRF token, not our values
        cookie = client.get_cookie("session")
        session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert "csrf_token" in session
    assert DEMO["session_key"] not in repr(session) and DEMO["iv"] not in repr(session)
