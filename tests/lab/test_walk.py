"""A newcomer's first walk through the lab, screen by screen, timed. With LAB_SCREENSHOTS set to
a directory, each screen is saved there (NN-name.png) with walk.json (the duration and the
files), for the project's closing note; without it the walk still runs and asserts."""

import json
import os
import time
from pathlib import Path

from playwright.sync_api import expect


class Camera:
    """Save numbered screenshots of the tab into LAB_SCREENSHOTS, or nothing when it is unset."""

    def __init__(self, page):
        self.page = page
        folder = os.environ.get("LAB_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        self.files = []
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def shoot(self, name, element=None):
        if element is not None:
            element.scroll_into_view_if_needed()
        else:
            self.page.evaluate("() => window.scrollTo(0, 0)")
        if self.folder:
            filename = f"{len(self.files) + 1:02d}-{name}.png"
            self.page.screenshot(path=self.folder / filename, animations="disabled")
            self.files.append(filename)


def test_newcomer_walk_screenshots(new_lab, record_property):
    started = time.monotonic()
    lab = new_lab(privacy_agreed=False)
    page = lab.page
    camera = Camera(page)

    # First launch: WeChat's privacy popup, then the automatic login.
    lab.open(logged_in=False)
    expect(page.get_by_test_id("privacy-popup")).to_be_visible()
    lab.settle()
    camera.shoot("privacy-popup")
    lab.tap("privacy-agree")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")
    camera.shoot("logged-in")

    # The 401 path: a broken token in storage, then GET /api/me.
    lab.edit_storage("token", "bad-token")
    lab.tap("api-me")
    lab.expect_result("login", "→ HTTP 401 · 我们的 code 40101：")
    camera.shoot("401-retry")

    # 资料: the avatar and nickname fill-in, saved to the server.
    lab.tab("profile")
    lab.tap("choose-avatar")
    page.get_by_test_id("avatar-source").locator('[data-action="avatar-source"]').nth(1).click()
    page.get_by_test_id("avatar-picker").locator(
        '[data-action="avatar-option"][data-index="1"]'
    ).click()
    page.get_by_test_id("nickname-input").focus()
    lab.tap("nickname-suggest")
    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200 · 我们的 code 0")
    expect(page.get_by_test_id("server-nickname")).to_have_text("小明")
    camera.shoot("profile-saved")

    # 手机号: WeChat's consent sheet over the page.
    expect(page.get_by_test_id("phone-toast")).to_have_count(0)  # 保存资料成功 has gone
    lab.tab("phone")
    lab.tap("phone-code")
    expect(page.get_by_test_id("phone-sheet")).to_contain_text("获取你的手机号")
    camera.shoot("phone-sheet")
    lab.answer_sheet("allow")
    lab.expect_result("phone", "POST /api/phone → HTTP 200 · 我们的 code 0")
    expect(page.get_by_test_id("phone-number")).to_have_text("+86 13800138000")

    # 权限: a refusal, then WeChat's settings page from wx.openSetting.
    lab.tab("permissions")
    lab.tap("authorize", scope="scope.userLocation")
    lab.answer_sheet("deny")
    lab.expect_result("permissions", "authorize:fail auth deny", state="fail")
    lab.tap("open-setting-hint")
    expect(page.get_by_test_id("setting-page")).to_be_visible()
    camera.shoot("settings-page")
    lab.tap("setting-back")
    lab.expect_result("permissions", "wx.openSetting → openSetting:ok")

    # 网页: the consent page inside the web-view, then the H5 profile it unlocks.
    lab.tab("h5")
    lab.tap("webview-profile")
    expect(lab.frame.get_by_role("button", name="允许")).to_be_visible()
    lab.settle()
    camera.shoot("webview-consent")
    lab.mark()
    lab.frame.get_by_role("button", name="允许").click()
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_userinfo")
    lab.settle()
    camera.shoot("webview-profile")
    lab.frame.locator('[data-action="navigate-back"]').click()
    lab.expect_page("h5")

    # 清缓存 → 清除登录状态: the inspector says WeChat's side is gone, our token is not.
    lab.tab("login")
    note = lab.clear("login")
    assert "我们自己的 token 没有动" in note
    expect(lab.session_key_state).to_have_text("登录状态已清除")
    camera.shoot("reset-login-state")

    # A pitfall: session_key rotation, with what happened, why, and the fix.
    lines = lab.run_pitfall("rotation")
    assert any("code 40003" in text for text, _ in lines)
    camera.shoot("pitfall-rotation", page.get_by_test_id("pitfall-box"))

    # The timeline of everything above, in three lanes.
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".step").first).to_be_visible()
    camera.shoot("timeline", page.locator(".lab-timeline"))

    # The decrypt tool with WeChat's official example.
    page.goto("/guide/decrypt?example=official")
    page.get_by_role("button", name="检查").click()
    expect(page.get_by_test_id("result")).to_contain_text("每一项检查都通过了")
    expect(page.get_by_test_id("plaintext")).to_contain_text('"nickName": "Band"')
    camera.shoot("decrypt", page.get_by_test_id("result"))

    seconds = round(time.monotonic() - started, 1)
    record_property("walk_seconds", seconds)
    if camera.folder:
        (camera.folder / "walk.json").write_text(
            json.dumps(
                {"walk_seconds": seconds, "screenshots": camera.files}, ensure_ascii=False, indent=2
            )
        )
        assert len(camera.files) == 12
    assert seconds < 120
