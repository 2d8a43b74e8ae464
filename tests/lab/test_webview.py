"""The lab's 网页 tab: the web-view opened with a one-time ticket, and with web authorization
(silent snsapi_base, then snsapi_userinfo with WeChat's consent page inside the frame); the
H5 page's 返回小程序 button and the navigation bar's back arrow."""

import re

from playwright.sync_api import expect

from tests.lab.helpers import assert_steps
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID


def persona_ids(lab, persona="xiaoming"):
    users = lab.page.request.get("/sandbox/users").json()["users"]
    found = next(user for user in users if user["id"] == persona)
    return (
        found["openids"][MINIPROGRAM_APPID],
        found["openids"][OFFICIAL_ACCOUNT_APPID],
        found["unionid"],
    )


def back_to_the_mini_program(lab):
    """The H5 page's 返回小程序 (wx.miniProgram.navigateBack in a real web-view)."""
    lab.frame.locator('[data-action="navigate-back"]').click()
    lab.expect_page("h5")
    expect(lab.page.get_by_test_id("nav-title")).to_have_text("网页")
    expect(lab.page.get_by_test_id("webview-frame")).to_be_hidden()


def test_webview_by_ticket_is_the_same_user(lab):
    page = lab.page
    miniprogram_openid, _, unionid = persona_ids(lab)
    # Give the user a nickname first, so the H5 page can greet them by it.
    lab.tab("profile")
    page.get_by_test_id("nickname-input").fill("小明")
    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200 · 我们的 code 0")

    lab.tab("h5")
    expect(page.get_by_test_id("nav-title")).to_have_text("网页")
    lab.skip_steps()
    lab.tap("webview-ticket")
    expect(lab.frame.get_by_test_id("greeting")).to_have_text("你好，小明")
    lab.expect_page("webview")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("bridge")
    expect(lab.frame.locator(".wx-msg-desc")).to_have_text(
        "你已登录 H5 页面（用户 #1）。"
    )  # the mini-program's user
    expect(lab.frame.get_by_test_id("miniprogram-openid")).to_have_text(miniprogram_openid)
    expect(lab.frame.get_by_test_id("unionid")).to_have_text(unionid)
    # The bridge asks WeChat nothing: the page says where that unionid came from.
    expect(lab.frame.get_by_test_id("unionid-source")).to_have_text(
        "票据登录不经过微信；这是同一个用户记录上已有的：小程序登录时 code2Session 返回的"
    )
    expect(lab.frame.locator("[data-env-label]")).to_have_text("运行在实验室的模拟 web-view 中")
    expect(lab.frame.locator("[data-site-link]")).to_be_hidden()  # back leads to the phone
    expect(page.get_by_test_id("nav-title")).to_have_text("授权实验室 H5")  # the page's <title>
    expect(lab.locate("nav-back")).to_be_visible()
    lab.settle()
    assert_steps(
        lab.new_steps(),
        [("miniapi.webview_ticket", "200"), ("h5.bridge", "302"), ("h5.home", "200")],
    )
    expect(lab.panel("web-sessions").locator("li")).to_have_count(1)
    expect(lab.panel("web-sessions")).to_contain_text("bridge 有效")

    back_to_the_mini_program(lab)
    expect(lab.result("h5")).to_have_text("POST /api/webview/ticket → HTTP 200 · 我们的 code 0")

    # The ticket is single-use: a second visit gets a new one and a second H5 session.
    lab.tap("webview-ticket")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("bridge")
    lab.settle()
    expect(lab.panel("web-sessions").locator("li")).to_have_count(2)
    lab.tap("nav-back")  # the navigation bar's ‹ goes back too
    lab.expect_page("h5")


def test_webview_by_web_authorization_with_consent_in_the_frame(lab):
    page = lab.page
    miniprogram_openid, official_openid, unionid = persona_ids(lab)
    lab.tab("h5")
    lab.skip_steps()

    # snsapi_base: silent, the service account's openid, no unionid.
    lab.tap("webview-oauth")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_base")
    expect(lab.frame.get_by_test_id("official-openid")).to_have_text(official_openid)
    expect(lab.frame.get_by_test_id("unionid")).to_have_text("—")
    expect(lab.frame.get_by_test_id("unionid-source")).to_have_text("snsapi_base 不返回 unionid")
    lab.settle()
    assert_steps(
        lab.new_steps(),
        [
            ("h5.login", "302"),
            ("sandbox_open.authorize", "302"),
            ("h5.callback", "302"),
            ("/sns/oauth2/access_token", "200"),
            ("h5.home", "200"),
        ],
    )
    back_to_the_mini_program(lab)

    # snsapi_userinfo: WeChat's consent page opens inside the web-view. First 拒绝.
    lab.tap("webview-profile")
    consent = lab.frame.locator(".wx-sheet")
    expect(consent).to_contain_text("授权实验室服务号 申请")
    expect(consent).to_contain_text("获取你的昵称、头像")
    lab.settle()
    assert_steps(
        lab.new_steps(),
        [("h5.profile", "302"), ("h5.login", "302"), ("sandbox_open.authorize", "200")],
    )
    lab.mark()
    lab.frame.get_by_role("button", name="拒绝").click()
    expect(lab.frame.locator(".wx-msg-title")).to_have_text("你没有授权")
    expect(lab.frame.get_by_role("link", name="用静默授权继续")).to_be_visible()
    lab.settle()
    assert_steps(lab.new_steps(), [("sandbox_open.decide", "302"), ("h5.callback", "200")])
    expect(lab.panel("web-auth")).to_contain_text(re.compile(r"拒绝缓存：\s*生效中"))
    back_to_the_mini_program(lab)

    # The refusal is remembered for a while: clear it as DevTools can (a mini-program cannot).
    note = lab.clear("web-auth")
    assert "拒绝缓存 1 条" in note
    expect(lab.panel("web-auth")).to_contain_text(re.compile(r"拒绝缓存：\s*没有"))
    lab.skip_steps()

    lab.tap("webview-profile")
    expect(lab.frame.get_by_role("button", name="允许")).to_be_visible()
    lab.mark()
    lab.frame.get_by_role("button", name="允许").click()
    expect(lab.frame.get_by_test_id("nickname")).to_have_text("小明")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_userinfo")
    expect(lab.frame.get_by_test_id("official-openid")).to_have_text(official_openid)
    expect(lab.frame.get_by_test_id("miniprogram-openid")).to_have_text(
        miniprogram_openid
    )  # merged by unionid
    expect(lab.frame.get_by_test_id("unionid")).to_have_text(unionid)
    expect(page.get_by_test_id("nav-title")).to_have_text("我的微信资料")
    lab.settle()
    assert_steps(
        lab.new_steps(),
        [
            ("sandbox_open.decide", "302"),
            ("h5.callback", "302"),
            ("/sns/oauth2/access_token", "200"),
            ("/sns/userinfo", "200"),
            ("h5.profile", "200"),
        ],
    )
    expect(lab.panel("web-auth")).to_contain_text(
        re.compile(r"snsapi_userinfo 授权记录：\s*有（\d{4}-\d{2}-\d{2} 前免弹窗）")
    )
    expect(lab.panel("web-sessions")).to_contain_text("snsapi_userinfo 有效")
    expect(lab.panel("user")).to_contain_text(
        f"{OFFICIAL_ACCOUNT_APPID} → {official_openid} 服务号"
    )
    back_to_the_mini_program(lab)

    # The consent is remembered (30 days): the next time, no page, straight to the profile.
    lab.tap("webview-profile")
    expect(lab.frame.get_by_test_id("nickname")).to_have_text("小明")
    expect(lab.frame.locator(".wx-sheet")).to_have_count(0)
    lab.settle()
    steps = lab.new_steps()
    assert "sandbox_open.decide" not in [endpoint for endpoint, _ in steps], steps
    assert ("sandbox_open.authorize", "302") in steps or ("h5.profile", "200") in steps, steps
    back_to_the_mini_program(lab)
