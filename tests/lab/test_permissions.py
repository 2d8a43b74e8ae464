"""The lab's 权限 page: wx.authorize allowed and denied, asking again after a refusal,
wx.openSetting to turn a permission back on, wx.getSetting, and the capsule's ··· → 设置."""

from playwright.sync_api import expect

from tests.lab.helpers import SCOPES, assert_steps


def scope_state(lab, scope):
    return lab.page.locator(
        f'[data-testid="scope-row"][data-scope="{scope}"] [data-testid="scope-state"]'
    )


def test_authorize_allow_deny_open_setting_and_get_setting(lab):
    page = lab.page
    lab.tab("permissions")
    expect(page.get_by_test_id("nav-title")).to_have_text("权限")
    lab.settle()
    rows = page.get_by_test_id("scope-row")
    expect(rows).to_have_count(len(SCOPES))
    assert [row.get_attribute("data-scope") for row in rows.all()] == list(SCOPES)
    for scope in SCOPES:
        expect(scope_state(lab, scope)).to_have_text("未询问")
    expect(page.get_by_test_id("auth-setting")).to_have_text("{}")
    expect(lab.panel("authsetting")).to_contain_text("还没有问过任何权限。")
    lab.skip_steps()

    lab.tap("authorize", scope="scope.camera")
    lab.answer_sheet("allow", asks="使用你的摄像头")
    lab.expect_result("permissions", "wx.authorize scope.camera → authorize:ok")
    expect(scope_state(lab, "scope.camera")).to_have_text("已允许")
    expect(scope_state(lab, "scope.camera")).to_have_attribute("data-state", "true")
    # One row for one wx.authorize (the sheet is WeChat's, on the phone), then the page reads
    # authSetting again.
    assert lab.new_steps() == [
        ("sandbox_device.authorize", "200"),
        ("sandbox_device.setting", "200"),
    ]
    expect(lab.panel("authsetting").locator("li")).to_have_text(["scope.camera 允许"])

    lab.tap("authorize", scope="scope.userLocation")
    lab.answer_sheet("deny", asks="获取你的位置信息")
    lab.expect_result(
        "permissions",
        "wx.authorize scope.userLocation → authorize:fail auth deny"
        "：拒绝过的权限不会再弹窗，请到设置页打开",
        state="fail",
    )
    expect(scope_state(lab, "scope.userLocation")).to_have_text("已拒绝")
    expect(lab.locate("open-setting-hint")).to_be_visible()  # 去设置页打开权限
    expect(lab.panel("authsetting").locator(".state-off")).to_have_text("拒绝")
    lab.skip_steps()

    # Asking again fails at once: WeChat shows no sheet for a scope the user refused.
    lab.tap("authorize", scope="scope.userLocation")
    lab.settle()
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)
    expect(lab.result("permissions")).to_contain_text("authorize:fail auth deny")
    steps = lab.new_steps()
    assert [endpoint for endpoint, _ in steps].count("sandbox_device.authorize") == 1, steps

    lab.tap("get-setting")
    lab.expect_result("permissions", "wx.getSetting → authSetting 里有 2 项")
    expect(page.get_by_test_id("auth-setting")).to_contain_text('"scope.userLocation": false')

    # wx.openSetting: WeChat's settings page lists only the scopes asked so far.
    lab.tap("open-setting-hint")
    settings = page.get_by_test_id("setting-page")
    expect(settings).to_be_visible()
    expect(settings.get_by_test_id("setting-row")).to_have_count(2)
    location = settings.locator('[data-action="setting-switch"][data-scope="scope.userLocation"]')
    expect(location).not_to_be_checked()
    expect(
        settings.locator('[data-action="setting-switch"][data-scope="scope.camera"]')
    ).to_be_checked()
    lab.mark()
    location.click()
    lab.settle()
    expect(location).to_be_checked()
    expect(location).to_be_enabled()
    lab.tap("setting-back")
    expect(settings).to_have_count(0)
    lab.expect_result("permissions", "wx.openSetting → openSetting:ok")
    expect(scope_state(lab, "scope.userLocation")).to_have_text("已允许")
    expect(lab.locate("open-setting-hint")).to_be_hidden()
    assert_steps(
        lab.new_steps(),
        [("sandbox_device.change_setting", "200"), ("sandbox_device.setting", "200")],
    )
    expect(lab.panel("authsetting").locator("li")).to_have_text(
        ["scope.camera 允许", "scope.userLocation 允许"]
    )

    lab.tap("authorize", scope="scope.userLocation")  # allowed now: passes without a sheet
    lab.expect_result("permissions", "wx.authorize scope.userLocation → authorize:ok")
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)

    # A real user turns a permission off from the capsule: ··· → 设置.
    lab.tap("capsule-menu")
    page.get_by_test_id("phone-actionsheet").locator(
        '[data-action="actionsheet-item"][data-index="0"]'
    ).click()
    expect(settings).to_be_visible()
    camera = settings.locator('[data-action="setting-switch"][data-scope="scope.camera"]')
    lab.mark()
    camera.click()
    lab.settle()
    expect(camera).not_to_be_checked()
    lab.tap("setting-back")
    expect(settings).to_have_count(0)
    lab.tap("get-setting")
    lab.expect_result("permissions", "wx.getSetting → authSetting 里有 2 项")
    expect(scope_state(lab, "scope.camera")).to_have_text("已拒绝")
    expect(lab.panel("authsetting").locator("li")).to_have_text(
        ["scope.camera 拒绝", "scope.userLocation 允许"]
    )
    lab.tap("authorize", scope="scope.camera")
    lab.expect_result(
        "permissions", "wx.authorize scope.camera → authorize:fail auth deny", state="fail"
    )
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)


def test_scopes_wx_authorize_cannot_or_need_not_ask_and_an_undeclared_one(lab):
    page = lab.page
    lab.tab("permissions")

    lab.tap("authorize", scope="scope.address")  # no longer needs authorization
    lab.expect_result("permissions", "wx.authorize scope.address → authorize:ok")
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)

    lab.tap("authorize", scope="scope.userLocationBackground")
    lab.expect_result(
        "permissions",
        "只能由用户在设置页打开 · errno 103",
        state="fail",
    )
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)

    lab.tap("authorize", scope="scope.addPhoneContact")  # the privacy guide does not declare it
    lab.expect_result(
        "permissions",
        "authorize:fail api scope is not declared in the privacy agreement："
        "隐私保护指引里没有声明这个权限",
        state="fail",
    )
    expect(lab.result("permissions")).to_contain_text("errno 112")
    expect(lab.locate("open-setting-hint")).to_be_hidden()  # the settings page cannot help
    expect(page.get_by_test_id("auth-setting")).to_have_text("{}")
