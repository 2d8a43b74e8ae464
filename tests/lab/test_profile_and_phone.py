"""The lab's 资料 and 手机号 pages: the avatar and nickname fill-in (the new way), the legacy
wx.getUserProfile (today's and before 2022-11-08) and a refusal; the phone number by code, by
decrypting encryptedData, a refusal and unbinding."""

import base64
import re

from playwright.sync_api import expect

from tests.lab.helpers import assert_steps, choose_source


def chosen_png(page, replacing=None):
    """The PNG the page shows as the chosen avatar; with ``replacing`` (the bytes shown before),
    once the page shows the new pick: WeChat reviews a pick before the page hears of it."""
    chosen = page.get_by_test_id("chosen-avatar")
    expect(chosen).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    if replacing is not None:
        before = "data:image/png;base64," + base64.b64encode(replacing).decode()
        expect(chosen).not_to_have_attribute("src", before)
    return base64.b64decode(chosen.get_attribute("src").split(",")[1])


def test_choose_avatar_offers_the_wechat_avatar_the_album_and_the_camera(lab):
    """As WeChat's sheet does: each source hands the page a temporary PNG, and the one picked
    is the one uploaded."""
    page = lab.page
    lab.tab("profile")
    pictures, shown = {}, None
    for source in ("用微信头像", "拍照", "从相册选择"):
        lab.tap("choose-avatar")
        choose_source(page, source)
        if source == "从相册选择":
            page.get_by_test_id("avatar-picker").locator(
                '[data-action="avatar-option"]'
            ).first.click()
        pictures[source] = shown = chosen_png(page, replacing=shown)
        expect(page.get_by_test_id("chosen-avatar")).to_be_visible()
    assert len(set(pictures.values())) == 3  # three different pictures

    lab.tap("choose-avatar")
    choose_source(page, "用微信头像")
    wechat_avatar = chosen_png(page, replacing=shown)
    assert wechat_avatar == pictures["用微信头像"]  # the persona's own picture, every time
    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200 · 我们的 code 0")
    server_avatar = page.locator(
        '[data-page="profile"] .mp-avatar-small[data-src="server.avatar_url"]'
    )
    assert page.request.get(server_avatar.get_attribute("src")).body() == wechat_avatar


def test_profile_new_way_legacy_pre2022_and_deny(lab):
    page = lab.page
    lab.tab("profile")
    expect(page.get_by_test_id("nav-title")).to_have_text("资料")
    expect(page.locator('[data-page="profile"]')).to_contain_text("还没有保存资料")
    lab.skip_steps()

    # <button open-type="chooseAvatar">: WeChat's picker, then the chosen picture in the page.
    lab.tap("choose-avatar")
    choose_source(page, "从相册选择")
    picker = page.get_by_test_id("avatar-picker")
    expect(picker.locator('[data-action="avatar-option"]')).to_have_count(4)
    picker.locator('[data-action="avatar-option"][data-index="2"]').click()
    expect(picker).to_have_count(0)
    chosen = page.get_by_test_id("chosen-avatar")
    expect(chosen).to_be_visible()
    expect(chosen).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    picked_png = base64.b64decode(chosen.get_attribute("src").split(",")[1])

    # <input type="nickname">: focusing it offers the WeChat nickname above the keyboard.
    nickname = page.get_by_test_id("nickname-input")
    nickname.focus()
    suggestion = page.get_by_test_id("nickname-suggestion")
    expect(suggestion).to_be_visible()
    expect(suggestion).to_contain_text("使用微信昵称")
    lab.tap("nickname-suggest")
    expect(nickname).to_have_value("小明")
    expect(suggestion).to_be_hidden()

    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200 · 我们的 code 0")
    expect(page.get_by_test_id("server-nickname")).to_have_text("小明")
    server_avatar = page.locator(
        '[data-page="profile"] .mp-avatar-small[data-src="server.avatar_url"]'
    )
    expect(server_avatar).to_have_attribute("src", re.compile(r"/api/avatars/[0-9a-f]+$"))
    assert (
        page.request.get(server_avatar.get_attribute("src")).body() == picked_png
    )  # the file uploaded
    expect(nickname).to_have_value("")  # the form is cleared once saved
    assert_steps(lab.new_steps(), [("miniapi.save_profile", "200")])
    expect(lab.panel("user")).to_contain_text("昵称 小明")

    # Legacy getUserProfile: a sheet every time; today it answers 微信用户, which the server
    # checks and decrypts but never lets replace the profile the user chose.
    saved_avatar = server_avatar.get_attribute("src")
    lab.tap("get-user-profile")
    lab.answer_sheet("allow", asks="获取你的昵称、头像")
    text = lab.expect_result(
        "profile", "getUserProfile:ok → POST /api/profile/legacy → HTTP 200 · 我们的 code 0"
    )
    assert text.endswith("服务器没有拿它覆盖用户自己选的头像和昵称")
    expect(page.get_by_test_id("legacy-nickname")).to_have_text("微信用户")
    expect(page.get_by_test_id("server-nickname")).to_have_text("小明")
    expect(server_avatar).to_have_attribute("src", saved_avatar)
    # One row for one wx.getUserProfile: the sheet is WeChat's, on the phone. (The page may
    # load the saved avatar's picture meanwhile: GET /api/avatars/..., miniapi.avatar.)
    assert [step for step in lab.new_steps() if step[0] != "miniapi.avatar"] == [
        ("sandbox_device.user_profile", "200"),
        ("miniapi.save_legacy_profile", "200"),
    ]

    # The sandbox can answer as WeChat did before 2022-11-08: the real nickname.
    lab.tap("get-user-profile-pre2022")
    lab.answer_sheet("allow", asks="获取你的昵称、头像")
    text = lab.expect_result(
        "profile", "getUserProfile:ok → POST /api/profile/legacy → HTTP 200 · 我们的 code 0"
    )
    assert text.endswith("服务器保存了这份资料")
    expect(page.get_by_test_id("legacy-nickname")).to_have_text("小明")
    expect(page.get_by_test_id("server-nickname")).to_have_text("小明")
    assert_steps(
        lab.new_steps(), ["sandbox_device.user_profile", ("miniapi.save_legacy_profile", "200")]
    )

    lab.tap("get-user-profile")
    lab.answer_sheet("deny")
    lab.expect_result("profile", re.compile(r"^getUserProfile:fail auth deny$"), state="fail")
    steps = lab.new_steps()
    assert "miniapi.save_legacy_profile" not in [endpoint for endpoint, _ in steps], (
        steps
    )  # nothing sent

    lab.tap("delete-profile")
    lab.expect_result("profile", "删除资料 → HTTP 200 · 我们的 code 0")
    expect(page.locator('[data-page="profile"]')).to_contain_text("还没有保存资料")
    assert lab.new_steps() == [("miniapi.delete_profile", "200")]
    expect(lab.panel("user")).to_contain_text("昵称 —")


def test_phone_by_code_by_decryption_deny_and_unbind(lab):
    page = lab.page
    lab.tab("phone")
    expect(page.get_by_test_id("nav-title")).to_have_text("手机号")
    number = page.get_by_test_id("phone-number")
    expect(number).to_have_text("")
    expect(page.locator('[data-page="phone"]')).to_contain_text("未绑定")
    lab.skip_steps()

    lab.tap("phone-code")
    lab.answer_sheet("allow", asks="获取你的手机号")
    lab.expect_result("phone", re.compile(r"^POST /api/phone → HTTP 200 · 我们的 code 0$"))
    expect(number).to_have_text("+86 13800138000")
    expect(page.get_by_test_id("phone-detail")).to_contain_text("errMsg: getPhoneNumber:ok")
    assert_steps(
        lab.new_steps(),
        [
            "sandbox_device.phone_number",
            ("miniapi.bind_phone", "200"),
            ("/wxa/business/getuserphonenumber", "200"),
        ],
    )
    expect(lab.panel("user")).to_contain_text("手机号 13800138000")

    lab.tap("phone-unbind")
    lab.expect_result("phone", "DELETE /api/phone → HTTP 200 · 我们的 code 0")
    expect(number).to_have_text("")
    assert lab.new_steps() == [("miniapi.unbind_phone", "200")]
    expect(lab.panel("user")).to_contain_text("手机号 —")

    lab.tap("phone-legacy")
    lab.answer_sheet("allow", asks="获取你的手机号")
    lab.expect_result("phone", re.compile(r"^POST /api/phone/legacy → HTTP 200 · 我们的 code 0$"))
    expect(number).to_have_text("+86 13800138000")
    expect(page.get_by_test_id("phone-detail")).to_contain_text("encryptedData:")
    steps = lab.new_steps()
    assert_steps(steps, ["sandbox_device.phone_number", ("miniapi.bind_phone_legacy", "200")])
    assert "/wxa/business/getuserphonenumber" not in [
        endpoint for endpoint, _ in steps
    ]  # decrypted locally

    lab.tap("phone-code")
    lab.answer_sheet("deny")
    lab.expect_result("phone", re.compile(r"^getPhoneNumber:fail user deny$"), state="fail")
    expect(page.get_by_test_id("phone-detail")).to_have_text(
        "errMsg: getPhoneNumber:fail user deny"
    )
    expect(number).to_have_text("+86 13800138000")  # a refusal changes nothing on the server
    steps = lab.new_steps()
    assert all(endpoint == "sandbox_device.phone_number" for endpoint, _ in steps), steps

    lab.tap("phone-unbind")
    lab.expect_result("phone", "DELETE /api/phone → HTTP 200 · 我们的 code 0")
    expect(page.locator('[data-page="phone"]')).to_contain_text("未绑定")


def test_content_review_rejects_the_avatar_and_clears_the_nickname(lab):
    """Base library 2.24.4+: WeChat reviews a picked avatar (a rejected one never reaches
    bindchooseavatar) and a typed nickname (cleared on blur). The lab's switch makes the
    sandbox reject both."""
    page = lab.page
    lab.tab("profile")
    switch = page.locator('[data-action="review-reject"]')
    lab.mark()
    switch.check()
    lab.settle()
    assert "sandbox_review" in [cookie["name"] for cookie in page.context.cookies()]

    lab.tap("choose-avatar")
    choose_source(page, "从相册选择")
    picker = page.get_by_test_id("avatar-picker")
    picker.locator('[data-action="avatar-option"][data-index="1"]').click()
    expect(picker).to_have_count(0)
    lab.expect_step_count("sandbox_device.review", 1)
    expect(page.get_by_test_id("chosen-avatar")).to_be_hidden()  # no bindchooseavatar

    nickname = page.get_by_test_id("nickname-input")
    nickname.fill("审核不过的昵称")
    nickname.blur()
    lab.expect_step_count("sandbox_device.review", 2)
    expect(nickname).to_have_value("")
    lab.tap("save-profile")
    expect(page.get_by_test_id("phone-toast")).to_contain_text("先选头像或填昵称")

    # Switched off, the same picks go through.
    lab.mark()
    switch.uncheck()
    lab.settle()
    lab.tap("choose-avatar")
    choose_source(page, "从相册选择")
    picker.locator('[data-action="avatar-option"][data-index="1"]').click()
    expect(page.get_by_test_id("chosen-avatar")).to_be_visible()
    nickname.fill("小明的新昵称")
    nickname.blur()
    lab.expect_step_count("sandbox_device.review", 4)
    expect(nickname).to_have_value("小明的新昵称")
    lab.tap("save-profile")
    lab.expect_result("profile", "保存资料 → HTTP 200 · 我们的 code 0")
    expect(page.get_by_test_id("server-nickname")).to_have_text("小明的新昵称")


def test_a_used_up_phone_number_quota_fails_the_button(lab):
    """The button by hand, with the quota set from outside (the pitfall does the same)."""
    page = lab.page
    page.request.post("/sandbox/phone-quota", data={"appid": "wx5d1c4a0f3e2b7a91", "remaining": 0})
    lab.tab("phone")

    lab.tap("phone-code")
    lab.expect_result("phone", "getPhoneNumber:fail no quota · errno 1400001", state="fail")
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)
    expect(page.get_by_test_id("phone-toast")).to_contain_text("该功能使用次数已达当前小程序上限")
    expect(page.get_by_test_id("phone-number")).to_have_text("")
