"""The lab's login page, walked as a newcomer would: the privacy popup and the automatic login,
wx.login, wx.checkSession, GET /api/me, the server's session_key check, the 401 path after
editing the stored token, logout, relaunch and switching the persona holding the phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.lab.helpers import assert_steps
from tests.support import MINIPROGRAM_APPID

LOGIN_STEPS = [
    ("sandbox_device.login", "200"),
    ("miniapi.login", "200"),
    ("/sns/jscode2session", "200"),
    ("phone:setStorageSync", ""),
]


def openid_of(lab, persona):
    users = lab.page.request.get("/sandbox/users").json()["users"]
    return next(user for user in users if user["id"] == persona)["openids"][MINIPROGRAM_APPID]


def test_first_launch_asks_for_privacy_then_logs_in_by_itself(new_lab):
    lab = new_lab(privacy_agreed=False)
    page = lab.open(logged_in=False).page
    popup = page.get_by_test_id("privacy-popup")

    expect(popup).to_be_visible()
    expect(popup).to_contain_text("《授权实验室小程序隐私保护指引》")
    lab.expect_page("launch")
    expect(page.get_by_test_id("launch-status")).to_have_text("请先阅读隐私保护指引")
    lab.settle()
    # The phone asked WeChat whether the user agreed (WeChat's record, not the app's storage).
    assert lab.storage() == {}
    assert lab.steps() == [("sandbox_device.privacy_setting", "200")]
    expect(page.get_by_test_id("storage-summary")).to_contain_text("0 项")

    lab.tap("privacy-disagree")
    expect(popup).to_be_hidden()
    expect(page.get_by_test_id("launch-status")).to_have_text("你没有同意隐私保护指引")
    expect(page.locator('[data-page="launch"]')).to_contain_text(
        "errno 104 privacy permission is not authorized"
    )
    assert lab.steps() == [("sandbox_device.privacy_setting", "200")], "nothing recorded"
    # 重新查看: wx.requirePrivacyAuthorize makes WeChat ask us again, through our listener.
    lab.tap("privacy-show")
    lab.answer_privacy_popup(agree=False, asked_by="requirePrivacyAuthorize")
    expect(page.get_by_test_id("launch-status")).to_have_text("你没有同意隐私保护指引")
    lab.tap("privacy-show")
    expect(page.get_by_test_id("privacy-referrer")).to_contain_text("requirePrivacyAuthorize")

    lab.tap("privacy-agree")  # the tap records the agreement with WeChat
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()
    assert_steps(lab.steps(), ["sandbox_device.agree_privacy", "sandbox_device.login"])
    lab.expect_page("login")
    expect(page.get_by_test_id("nav-title")).to_have_text("登录")
    expect(page.get_by_test_id("tab-bar")).to_be_visible()
    expect(page.get_by_test_id("login-openid")).to_have_text(openid_of(lab, "xiaoming"))
    token = lab.token()
    assert lab.storage() == {"token": token}
    expect(page.get_by_test_id("login-token")).to_have_text(f"{token[:8]}…")
    assert_steps(lab.new_steps(), LOGIN_STEPS)
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")
    expect(lab.panel("api-tokens")).to_contain_text("lab-phone")
    expect(lab.panel("api-tokens").locator(".state-active")).to_have_count(1)
    expect(lab.panel("user")).to_contain_text("用户 #1")
    expect(lab.panel("user")).to_contain_text(openid_of(lab, "xiaoming"))
    # WeChat keeps the agreement: the next launch goes straight to the login.
    lab.tap("relaunch")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    expect(popup).to_be_hidden()


def test_a_login_refreshes_the_panels_once_after_its_last_call(lab):
    """wx.login, then POST /api/login (code2Session behind it), then setStorageSync: each call
    starts in the callback of the one before. The panels refresh once, after the last one, and
    show all of it."""
    lab.idle()
    refreshes = int(lab.root.get_attribute("data-refresh-count"))
    lab.skip_steps()

    lab.tap("wx-login")
    lab.settle()
    assert lab.root.get_attribute("data-refresh-count") == str(refreshes + 1)
    assert lab.new_steps() == LOGIN_STEPS


def test_login_page_buttons_and_what_each_leaves_behind(lab):
    page = lab.page
    first_token = lab.token()
    lab.skip_steps()

    lab.tap("wx-login")
    lab.expect_result("login", "wx.login → POST /api/login → HTTP 200 · 我们的 code 0")
    expect(page.get_by_test_id("phone-toast")).to_contain_text("登录成功")
    assert_steps(lab.new_steps(), LOGIN_STEPS)
    second_token = lab.token()
    assert second_token != first_token and lab.storage() == {"token": second_token}
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")  # the same user, a new token
    tokens = lab.panel("api-tokens")
    expect(tokens.locator(".state-active")).to_have_count(
        1
    )  # single-device: the old one is revoked
    expect(tokens.locator(".state-revoked")).to_have_count(1)
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")

    lab.tap("wx-check-session")
    lab.expect_result("login", "checkSession:ok：session_key 还有效")
    assert lab.new_steps() == [("sandbox_device.check_session", "200")]

    lab.tap("api-me")
    lab.expect_result("login", "GET /api/me → HTTP 200 · 我们的 code 0")
    assert lab.new_steps() == [("miniapi.me", "200")]

    lab.tap("api-session-check")
    text = lab.expect_result(
        "login", "POST /api/session/check → HTTP 200 · 我们的 code 0 · session_key：有效（live"
    )
    assert text.endswith("还是微信最新的那一个）")
    assert_steps(lab.new_steps(), [("miniapi.check_session", "200"), "/wxa/checksession"])
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")


def test_a_token_edited_in_storage_gets_401_then_a_new_login_and_a_retry(lab):
    page = lab.page
    old_token = lab.token()
    lab.skip_steps()

    lab.edit_storage("token", "bad-token")
    assert lab.storage() == {"token": "bad-token"}
    expect(page.get_by_test_id("login-token")).to_have_text(
        f"{old_token[:8]}…"
    )  # the page has not looked yet

    lab.tap("api-me")
    lab.expect_result(
        "login",
        re.compile(
            r"^GET /api/me → HTTP 401 · 我们的 code 40101：这个 token 不是我们签发的："
            r"删掉它，重新登录 → 已清掉 token、重新登录并重试 → HTTP 200 · 我们的 code 0$"
        ),
    )
    assert_steps(
        lab.new_steps(),
        [
            ("miniapi.me", "401"),
            ("phone:removeStorageSync", ""),
            *LOGIN_STEPS,
            ("miniapi.me", "200"),
        ],
    )
    new_token = lab.token()
    assert new_token not in (old_token, "bad-token") and lab.storage() == {"token": new_token}
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    # Chromium logged the 401 fetch: let through only because the tab really received it.
    server = page.url.split("/lab/")[0]
    assert [url for text, url in lab.watch.excused() if "status of 401" in text] == [
        f"{server}/api/me"
    ]


def test_logout_and_logout_everywhere(lab):
    page = lab.page
    lab.skip_steps()

    lab.tap("logout")
    modal = page.get_by_test_id("phone-modal")
    expect(modal).to_contain_text("确定退出登录？")
    lab.tap("modal-cancel")  # changing one's mind changes nothing
    expect(modal).to_have_count(0)
    assert list(lab.storage()) == ["token"]

    lab.tap("logout")
    lab.confirm_modal("确定退出登录？")
    lab.expect_result(
        "login", "POST /api/logout → HTTP 200 · 我们的 code 0 · 已 wx.removeStorageSync('token')"
    )
    expect(lab.login_state).to_have_text("未登录")
    expect(page.get_by_test_id("login-token")).to_have_text("（没有）")
    # Logged out, neither id is shown: both say so the same way.
    expect(page.get_by_test_id("login-openid")).to_have_text("—")
    expect(page.get_by_test_id("login-unionid")).to_have_text("—")
    assert lab.storage() == {}
    expect(page.get_by_test_id("storage-rows")).to_contain_text("空：")
    assert_steps(
        lab.new_steps(),
        [
            ("phone:showModal", ""),
            ("phone:showModal", ""),
            ("miniapi.logout", "200"),
            ("phone:removeStorageSync", ""),
        ],
    )
    tokens = lab.panel("api-tokens")
    expect(tokens.locator(".state-active")).to_have_count(0)
    expect(tokens.locator(".state-revoked")).to_have_count(1)
    expect(tokens.locator(".state-revoked + small")).to_have_text("退出登录")
    expect(tokens.locator(".state-revoked + small")).to_have_attribute("title", "logout")

    lab.tap("logout")  # nothing to log out of
    expect(lab.result("login")).to_have_text("还没有登录")
    expect(lab.result("login")).to_have_attribute("data-state", "fail")

    lab.tap("wx-login")
    lab.expect_result("login", "wx.login → POST /api/login → HTTP 200")
    lab.tap("logout-all")
    lab.confirm_modal("在所有设备上退出？")
    lab.expect_result("login", "POST /api/logout → HTTP 200 · 我们的 code 0")
    expect(lab.login_state).to_have_text("未登录")
    assert lab.storage() == {}
    expect(lab.panel("api-tokens").locator(".state-active")).to_have_count(0)


def test_relaunch_and_persona_switching(lab):
    page = lab.page
    token = lab.token()
    lab.skip_steps()

    # 重新进入小程序 with a token: wx.checkSession passes, so no new login; /api/me once.
    seen = lab.step_count("miniapi.me")
    lab.tap("relaunch")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.expect_step_count("miniapi.me", seen + 1)
    steps = lab.new_steps()
    assert ("sandbox_device.check_session", "200") in steps and ("miniapi.me", "200") in steps
    assert "miniapi.login" not in [endpoint for endpoint, _ in steps]
    assert lab.token() == token

    # 李华 picks up the phone: her storage, her login, her openid.
    lab.switch_persona("lihua")
    expect(page.get_by_test_id("current-persona")).to_have_text("李华")
    expect(lab.login_state).to_have_text("已登录 · 用户 #2")
    lab.settle()
    assert_steps(lab.new_steps(), LOGIN_STEPS)
    expect(page.get_by_test_id("login-openid")).to_have_text(openid_of(lab, "lihua"))
    assert openid_of(lab, "lihua") != openid_of(lab, "xiaoming")
    lihua_token = lab.token()
    assert lihua_token != token and lab.storage() == {"token": lihua_token}
    expect(page.locator('[data-testid="inspector"] .inspector-panels')).to_have_attribute(
        "data-persona", "lihua"
    )
    expect(lab.panel("user")).to_contain_text("用户 #2")

    # Back to 小明: his token was waiting in his own storage.
    lab.switch_persona("xiaoming")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()
    assert lab.storage() == {"token": token}
    assert "miniapi.login" not in [endpoint for endpoint, _ in lab.new_steps()]

    # WeChat blocks the risky account: 40226 behind our 403 / 40300.
    lab.switch_persona("risky")
    expect(page.get_by_test_id("current-persona")).to_have_text("风险账号")
    lab.expect_result(
        "login",
        re.compile(r"^自动登录失败：HTTP 403 · 我们的 code 40300：.*40226.* · 微信 errcode 40226$"),
        state="fail",
    )
    expect(page.get_by_test_id("phone-toast")).to_contain_text("登录失败")
    expect(lab.login_state).to_have_text("未登录")
    assert lab.storage() == {}
    assert_steps(
        lab.new_steps(), ["sandbox_device.login", ("miniapi.login", "403"), "/sns/jscode2session"]
    )
    expect(lab.panel("user")).to_contain_text("风险账号 还没有在开发者服务器上登录过。")
    expect(lab.session_key_state).to_have_text("没有（还没登录过）")

    # The capsule's ··· → 重新进入小程序 is a cold start too.
    lab.switch_persona("amy")
    expect(lab.login_state).to_have_text("已登录 · 用户 #3")
    lab.tap("capsule-menu")
    sheet = page.get_by_test_id("phone-actionsheet")
    expect(sheet).to_contain_text("设置")
    lab.skip_steps()
    checks = lab.step_count("sandbox_device.check_session")
    sheet.locator('[data-action="actionsheet-item"][data-index="1"]').click()
    lab.expect_step_count("sandbox_device.check_session", checks + 1)
    expect(lab.login_state).to_have_text("已登录 · 用户 #3")
    assert ("sandbox_device.check_session", "200") in lab.new_steps()


@pytest.mark.parametrize(
    "answer",
    [
        {"json": {"errcode": 45011, "errmsg": "api minute-quota reach limit"}},
        {"content_type": "text/html", "body": "<h1>429 Too Many Requests</h1>"},
    ],
    ids=["json-without-errMsg", "not-json"],
)
def test_a_sandbox_answer_without_an_errmsg_fails_the_login_with_its_http_status(lab, answer):
    """The sandbox's phone answers with an errMsg, as wx.login does. An answer without one (a
    429 in a server API's shape, errcode/errmsg; a page that is not JSON) still fails the login
    with the HTTP status as its reason: the lab's wx.login says what sandboxPhone says."""
    lab.page.route(
        "**/sandbox/device/login",
        lambda route: route.fulfill(status=429, **answer),
    )
    token = lab.token()
    lab.skip_steps()

    lab.tap("wx-login")

    lab.expect_result("login", "登录失败：HTTP 429", state="fail")
    assert lab.token() == token  # the old token stays: nothing replaced it
    assert lab.new_steps() == []  # nothing reached our server
