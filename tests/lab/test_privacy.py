"""The privacy guide on the lab's phone (enforced since 2023-10-17): declining it at launch still
logs in (wx.login is no privacy API); each privacy API then makes WeChat ask the mini-program
(wx.onNeedPrivacyAuthorization), fails with errno 104 if the user declines again, and goes on if
the user agrees; until then the nickname input is a plain input."""

from playwright.sync_api import expect

from tests.lab.helpers import choose_source


def test_declined_privacy_is_asked_again_by_each_privacy_api(new_lab):
    lab = new_lab(privacy_agreed=False)
    page = lab.open(logged_in=False).page
    popup = page.get_by_test_id("privacy-popup")
    referrer = page.get_by_test_id("privacy-referrer")
    expect(popup).to_be_visible()
    expect(referrer).to_be_hidden()  # asked at launch, not by an API
    lab.tap("privacy-disagree")
    lab.tap("privacy-continue")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()
    expect(lab.panel("authsetting").get_by_test_id("privacy-state")).to_contain_text("未同意")
    lab.tab("profile")

    # <input type="nickname"> is a plain input: no WeChat nickname offered.
    asked = lab.step_count("sandbox_device.privacy_setting")
    nickname = page.get_by_test_id("nickname-input")
    nickname.focus()
    lab.expect_step_count("sandbox_device.privacy_setting", asked + 1)
    expect(page.get_by_test_id("nickname-suggestion")).to_be_hidden()
    nickname.blur()

    # chooseAvatar: WeChat asks us first; declined, the picker never opens.
    lab.tap("choose-avatar")
    lab.answer_privacy_popup(agree=False, asked_by="chooseAvatar")
    lab.expect_step_count("sandbox_device.choose_avatar", 1)
    expect(page.get_by_test_id("avatar-picker")).to_have_count(0)
    assert lab.outcomes("sandbox_device.choose_avatar") == [
        "chooseAvatar:fail privacy permission is not authorized"
    ]

    # getUserProfile: declined again, it fails with errno 104 and no sheet.
    lab.tap("get-user-profile")
    lab.answer_privacy_popup(agree=False, asked_by="getUserProfile")
    lab.expect_result(
        "profile",
        "getUserProfile:fail privacy permission is not authorized · errno 104",
        state="fail",
    )
    expect(page.get_by_test_id("phone-sheet")).to_have_count(0)

    # Agreed: WeChat records it on the button's tap, and the call goes on to its sheet.
    lab.tap("get-user-profile")
    lab.answer_privacy_popup(agree=True, asked_by="getUserProfile")
    lab.answer_sheet("allow", asks="获取你的昵称、头像")
    lab.expect_result("profile", "getUserProfile:ok → POST /api/profile/legacy → HTTP 200")
    steps = [endpoint for endpoint, _ in lab.steps()]
    assert steps.count("sandbox_device.agree_privacy") == 1
    expect(lab.panel("authsetting").get_by_test_id("privacy-state")).to_have_text(
        "隐私保护指引：已同意"
    )

    # Now the nickname input offers the WeChat nickname, and chooseAvatar opens its picker.
    nickname.focus()
    expect(page.get_by_test_id("nickname-suggestion")).to_be_visible()
    nickname.blur()
    lab.tap("choose-avatar")
    choose_source(page, "从相册选择")
    expect(page.get_by_test_id("avatar-picker")).to_be_visible()
    expect(popup).to_be_hidden()


def test_the_agreement_is_wechats_record_not_the_mini_programs_storage(new_lab):
    """清除数据缓存 keeps it; another browser (the same persona) finds it too."""
    lab = new_lab(privacy_agreed=False)
    page = lab.open(logged_in=False).page
    lab.tap("privacy-agree")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.settle()

    lab.clear("storage")
    assert lab.storage() == {}
    lab.tap("relaunch")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    expect(page.get_by_test_id("privacy-popup")).to_be_hidden()

    other = new_lab(privacy_agreed=False).open()  # another phone of 小明's: no popup either
    expect(other.page.get_by_test_id("privacy-popup")).to_be_hidden()
