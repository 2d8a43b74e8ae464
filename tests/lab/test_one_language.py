"""Everything the lab shows a learner is Chinese, including what JavaScript writes: result lines,
WeChat's sheets, modals and pickers, the web-view's pages, the 清缓存 notes, the inspector and the
timeline. The pitfalls are checked where they run (test_pitfalls.py). Protocol and field names
stay as WeChat spells them; what counts as an English sentence: tests/support/language.py."""

from playwright.sync_api import expect

from tests.support.language import assert_chinese


def test_first_launch_and_the_privacy_refusal_are_chinese(new_lab):
    lab = new_lab(privacy_agreed=False)
    lab.open(logged_in=False)
    expect(lab.page.get_by_test_id("privacy-popup")).to_be_visible()
    assert_chinese(lab.page, "the privacy popup")
    lab.tap("privacy-disagree")
    expect(lab.page.get_by_test_id("launch-status")).to_have_text("你没有同意隐私保护指引")
    assert_chinese(lab.page, "the refusal")


def test_a_walk_through_every_tab_reads_in_chinese(lab):
    page = lab.page
    assert_chinese(page, "the lab after the automatic login")

    # 登录: the answers, a 401 and its retry, the logout modal, logged out.
    lab.tap("api-session-check")
    lab.expect_result("login", "session_key：有效")
    lab.edit_storage("token", "bad-token")
    lab.tap("api-me")
    lab.expect_result("login", "已清掉 token、重新登录并重试")
    assert_chinese(page, "a 401 and its retry")
    lab.mark()
    lab.locate("logout").click()
    expect(page.get_by_test_id("phone-modal")).to_be_visible()
    assert_chinese(page, "the logout modal")
    lab.tap("modal-confirm")
    lab.expect_result("login", "POST /api/logout → HTTP 200")
    assert_chinese(page, "logged out")
    lab.tap("wx-login")
    lab.expect_result("login", "wx.login → POST /api/login → HTTP 200")

    # 资料: WeChat's avatar sheet and the album, the legacy profile's sheet and answer.
    lab.tab("profile")
    lab.locate("choose-avatar").click()
    expect(page.get_by_test_id("avatar-source")).to_be_visible()
    assert_chinese(page, "the chooseAvatar sheet")
    page.get_by_test_id("avatar-source").locator('[data-action="avatar-source"]').nth(1).click()
    expect(page.get_by_test_id("avatar-picker")).to_be_visible()
    assert_chinese(page, "the album")
    page.get_by_test_id("avatar-picker").locator('[data-action="avatar-option"]').first.click()
    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200")
    lab.mark()
    lab.locate("get-user-profile").click()
    expect(page.get_by_test_id("phone-sheet")).to_be_visible()
    assert_chinese(page, "the getUserProfile sheet")
    lab.tap("sheet-allow")
    lab.expect_result("profile", "POST /api/profile/legacy → HTTP 200")
    assert_chinese(page, "the legacy profile's answer")

    # 手机号: a refusal and a failure.
    lab.tab("phone")
    lab.tap("phone-code")
    lab.answer_sheet("deny")
    lab.expect_result("phone", "getPhoneNumber:fail user deny", state="fail")
    assert_chinese(page, "a refused phone number")

    # 权限: a refusal, then WeChat's settings page.
    lab.tab("permissions")
    lab.tap("authorize", scope="scope.camera")
    lab.answer_sheet("deny")
    lab.expect_result("permissions", "authorize:fail auth deny", state="fail")
    lab.tap("open-setting-hint")
    expect(page.get_by_test_id("setting-page")).to_be_visible()
    assert_chinese(page, "the settings page")
    lab.tap("setting-back")
    lab.expect_result("permissions", "openSetting:ok")

    # 网页: the H5 pages in the web-view, by ticket, silently and with WeChat's consent page.
    lab.tab("h5")
    lab.tap("webview-ticket")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("bridge")
    lab.settle()
    assert_chinese(page, "the web-view logged in by ticket")
    lab.frame.locator('[data-action="navigate-back"]').click()
    lab.tap("webview-profile")
    expect(lab.frame.get_by_role("button", name="允许")).to_be_visible()
    lab.settle()
    assert_chinese(page, "WeChat's consent page in the web-view")
    lab.mark()
    lab.frame.get_by_role("button", name="允许").click()
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_userinfo")
    lab.settle()
    assert_chinese(page, "the H5 profile")
    lab.frame.locator('[data-action="navigate-back"]').click()

    # 清缓存: every note, then the timeline of all of the above.
    for what in ("storage", "auth", "login", "web-auth", "all"):
        lab.clear(what)
        assert_chinese(page, f"the note of 清缓存 {what}")
    page.goto("/lab/timeline")
    assert_chinese(page, "the full timeline")
