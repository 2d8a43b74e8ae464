"""The decrypt tool (/guide/decrypt) in the browser: fill in WeChat's official example with one
click, submit it, and read each check and the plaintext."""

import re

from playwright.sync_api import expect

DECRYPT_CHECKS = ["session_key", "iv", "encrypted_data", "aes", "json", "watermark", "age"]


def test_decrypt_the_official_example(lab_tab):
    page, _ = lab_tab(privacy_agreed=False)
    page.goto("/guide/decrypt")
    expect(page.locator("h1")).to_have_text("解密 encryptedData")
    expect(page.locator("#session_key")).to_have_value("")

    page.get_by_role("link", name="用官方示例填入").click()
    expect(page).to_have_url(re.compile(r"/guide/decrypt\?example=official$"))
    expect(page.locator("#appid")).to_have_value("wx4f4bc4dec97d474b")
    expect(page.locator("#session_key")).to_have_value("tiihtNczf5v6AKRyjwEUhQ==")
    expect(page.locator("#iv")).to_have_value("r7BXXKkLb8qrSNn05n0qiA==")
    expect(page.locator("#encrypted_data")).not_to_have_value("")

    with page.expect_navigation() as submitted:
        page.get_by_role("button", name="检查").click()
    assert submitted.value.status == 200
    result = page.get_by_test_id("result")
    expect(result).to_contain_text("每一项检查都通过了")
    checks = result.locator("[data-check]")
    expect(checks).to_have_count(len(DECRYPT_CHECKS))
    assert [check.get_attribute("data-check") for check in checks.all()] == DECRYPT_CHECKS
    for check in DECRYPT_CHECKS[:-1]:
        expect(result.locator(f'[data-check="{check}"]')).to_have_attribute("data-status", "pass")
        expect(result.locator(f'[data-check="{check}"] .g-check-status')).to_have_text("通过")
    # No max_age was given, so the watermark's age was not checked (the example is from 2016).
    expect(result.locator('[data-check="age"]')).to_have_attribute("data-status", "skip")
    plaintext = page.get_by_test_id("plaintext")
    expect(plaintext).to_contain_text('"nickName": "Band"')
    expect(plaintext).to_contain_text('"openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE"')
    expect(plaintext).to_contain_text('"appid": "wx4f4bc4dec97d474b"')
