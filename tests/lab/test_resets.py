"""The 清缓存 menu, item by item, as DevTools offers it: what each note says, and what the
storage panel, the inspector and the timeline show afterwards."""

import re

from playwright.sync_api import expect

from tests.lab.helpers import assert_steps


def allow_camera(lab):
    lab.tab("permissions")
    lab.tap("authorize", scope="scope.camera")
    lab.answer_sheet("allow")
    lab.expect_result("permissions", "wx.authorize scope.camera → authorize:ok")
    expect(lab.panel("authsetting").locator("li")).to_have_text(["scope.camera 允许"])


def consent_to_web_authorization(lab):
    lab.tab("h5")
    lab.tap("webview-profile")
    lab.mark()
    lab.frame.get_by_role("button", name="允许").click()
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_userinfo")
    lab.settle()
    expect(lab.panel("web-auth")).to_contain_text(re.compile(r"授权记录：\s*有"))
    lab.frame.locator('[data-action="navigate-back"]').click()
    lab.expect_page("h5")


def test_clear_storage(lab):
    page = lab.page
    token = lab.token()
    lab.skip_steps()

    note = lab.clear("storage")
    assert note.startswith("已清除数据缓存：小明 在「授权实验室」的本地存储（1 项：token）")
    assert "最近使用" in note
    assert lab.storage() == {}
    expect(page.get_by_test_id("storage-summary")).to_contain_text("0 项")
    assert lab.new_steps() == [("phone:clearStorageSync", "")]
    expect(lab.login_state).to_have_text("未登录")  # the page looked again: no token
    # Only the phone forgot the token: the server still holds it, WeChat still the session_key.
    expect(lab.panel("api-tokens").locator(".state-active")).to_have_count(1)
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")

    lab.tap("relaunch")  # no token: the automatic login runs again
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()
    assert_steps(
        lab.new_steps(), ["sandbox_device.login", ("miniapi.login", "200"), "phone:setStorageSync"]
    )
    assert lab.token() != token and list(lab.storage()) == ["token"]


def test_clear_authorization_data(lab):
    page = lab.page
    allow_camera(lab)
    lab.skip_steps()

    note = lab.clear("auth")
    assert note.startswith("已清除授权数据：authSetting 1 项，以及隐私保护指引的同意记录")
    assert "设置" in note
    assert lab.new_steps() == [("sandbox_device.clear", "200"), ("sandbox_device.setting", "200")]
    expect(lab.panel("authsetting")).to_contain_text("还没有问过任何权限。")
    expect(lab.panel("authsetting").locator("li")).to_have_count(0)
    expect(
        page.locator(
            '[data-testid="scope-row"][data-scope="scope.camera"] [data-testid="scope-state"]'
        )
    ).to_have_text("未询问")  # the page asked WeChat again
    assert list(lab.storage()) == ["token"]  # storage is not authorization data

    # The privacy agreement went too: before the scope's sheet, WeChat asks the mini-program
    # to show its privacy popup (wx.onNeedPrivacyAuthorization).
    lab.tap("authorize", scope="scope.camera")
    lab.answer_privacy_popup(agree=True, asked_by="authorize")
    lab.answer_sheet("deny", asks="使用你的摄像头")  # asked again: the sheet is back
    lab.expect_result("permissions", "authorize:fail auth deny", state="fail")
    expect(page.get_by_test_id("privacy-popup")).to_be_hidden()

    # Agreed again: the next launch goes straight to the login.
    lab.tap("relaunch")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    expect(page.get_by_test_id("privacy-popup")).to_be_hidden()
    lab.settle()


def test_clear_login_state(lab):
    token = lab.token()
    lab.skip_steps()

    note = lab.clear("login")
    assert note.startswith("已清除登录状态：微信侧的 session_key 1 个")
    assert "我们自己的 token 没有动" in note
    expect(lab.session_key_state).to_have_text("登录状态已清除")
    expect(lab.panel("session-key")).to_contain_text("微信侧：没有有效的 session_key")
    assert lab.storage() == {"token": token}  # our token is untouched...
    expect(lab.panel("api-tokens").locator(".state-active")).to_have_count(1)
    assert lab.new_steps() == [("sandbox_device.clear", "200")]

    lab.tap("api-me")  # ...and still works with our server
    lab.expect_result("login", "GET /api/me → HTTP 200 · 我们的 code 0")
    lab.tap("wx-check-session")
    lab.expect_result(
        "login",
        re.compile(r"^checkSession:fail session time out：session_key 已失效，需要重新 wx\.login$"),
        state="fail",
    )
    lab.skip_steps()

    # The next launch sees checkSession fail and logs in again: a new session_key and token.
    stored = lab.step_count("phone:setStorageSync")
    lab.tap("relaunch")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.expect_step_count("phone:setStorageSync", stored + 1)
    assert_steps(
        lab.new_steps(),
        [
            ("sandbox_device.check_session", "200"),
            "sandbox_device.login",
            ("miniapi.login", "200"),
            "/sns/jscode2session",
            "phone:setStorageSync",
        ],
    )
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")
    assert lab.token() != token
    lab.tap("wx-check-session")
    lab.expect_result("login", "checkSession:ok：session_key 还有效")


def test_clear_web_authorization(lab):
    consent_to_web_authorization(lab)
    lab.skip_steps()

    note = lab.clear("web-auth")
    assert note.startswith(
        "已清除网页授权：snsapi_userinfo 授权记录 1 条、拒绝缓存 0 条、网页授权 access_token 1 个"
    )
    assert "个人信息与权限" in note
    assert lab.new_steps() == [("sandbox_device.clear", "200")]
    web_auth = lab.panel("web-auth")
    expect(web_auth).to_contain_text(re.compile(r"snsapi_userinfo 授权记录：\s*没有"))
    expect(web_auth).to_contain_text(re.compile(r"拒绝缓存：\s*没有"))
    # The H5 page's own session is the developer server's, not WeChat's: still there.
    expect(lab.panel("web-sessions")).to_contain_text("snsapi_userinfo 有效")
    assert list(lab.storage()) == ["token"]
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")


def test_clear_everything(lab):
    page = lab.page
    allow_camera(lab)
    consent_to_web_authorization(lab)
    lab.page.request.post("/sandbox/open/snapshot-mode", data={"on": True})
    assert "snapshot" in " ".join(cookie["name"] for cookie in page.context.cookies())
    lab.skip_steps()

    note = lab.clear("all")
    assert note.startswith(
        "全部清除：本地存储（1 项）、授权数据（authSetting 1 项、隐私同意）、"
        "登录状态（session_key 1 个）"
    )
    assert "快照模式已关" in note and "授权管理" in note
    assert_steps(lab.new_steps(), [("sandbox_device.clear", "200"), ("phone:clearStorageSync", "")])
    assert "snapshot" not in " ".join(cookie["name"] for cookie in page.context.cookies())
    # The mini-program restarted and asks for the privacy agreement again.
    expect(page.get_by_test_id("privacy-popup")).to_be_visible()
    lab.expect_page("launch")
    assert lab.storage() == {}
    expect(lab.panel("authsetting")).to_contain_text("还没有问过任何权限。")
    expect(lab.session_key_state).to_have_text("登录状态已清除")
    expect(lab.panel("web-auth")).to_contain_text(re.compile(r"snsapi_userinfo 授权记录：\s*没有"))

    lab.tap("privacy-agree")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")  # the same user on our server
    lab.settle()
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")
    assert list(lab.storage()) == ["token"]


def test_each_note_describes_the_state_as_it_is(lab):
    """After 清除数据缓存, our token is no longer in storage: 清除登录状态 then says so, rather
    than what is usually true."""
    note = lab.clear("storage")
    assert "服务器上的那个 token 没有被吊销" in note
    assert lab.storage() == {}

    note = lab.clear("login")
    assert "本地存储里现在没有 token" in note
    assert "还在本地存储里" not in note

    note = lab.clear("storage")  # nothing left to clear: no word about a token
    assert note.startswith("已清除数据缓存：小明 在「授权实验室」的本地存储（0 项），现在是空的。")
    assert "token" not in note
