"""Everything a learner reads on the site's own pages is Chinese: the landing page, the guides,
the decrypt page (a passing and a failing check), the API docs, the sandbox page, the full
timeline and an error page. What counts as an English sentence: tests/support/language.py."""

import pytest
from playwright.sync_api import expect

from tests.guides.helpers import PAGES
from tests.support.language import assert_chinese, english_sentences
from webapp.miniapi.errors import EXPLAINED_BY_CODE

SITE_PAGES = [*PAGES, "/api/docs", "/sandbox/", "/lab/timeline"]


@pytest.fixture
def tab(watched_tabs):
    """A watched tab that may land on our 404 page or fetch /api/me's 401 (Chromium logs the
    status of both)."""
    page, _ = watched_tabs(excuse=lambda response: response.status in (401, 404))
    return page


@pytest.mark.parametrize("path", SITE_PAGES)
def test_the_page_is_chinese(tab, path):
    tab.goto(path)
    assert_chinese(tab)


def test_the_decrypt_page_explains_a_failure_in_chinese(tab):
    tab.goto("/guide/decrypt?example=official")
    tab.locator("#session_key").fill("AAAAAAAAAAAAAAAAAAAAAA==")
    tab.locator("#raw_data").fill('{"nickName":"Band"}')
    tab.locator("#signature").fill("0" * 40)
    tab.get_by_role("button", name="检查").click()
    expect(tab.locator('[data-check="aes"]')).to_have_attribute("data-status", "fail")
    expect(tab.locator('[data-check="signature"]')).to_have_attribute("data-status", "fail")
    assert_chinese(tab)


def test_the_404_page_is_chinese(tab):
    response = tab.goto("/no-such-page")

    assert response.status == 404
    expect(tab.locator("h1")).to_have_text("404 · 页面不存在")
    assert_chinese(tab)


def test_the_guides_try_button_answers_in_the_page(tab):
    """不带 token 调用 /api/me shows the answer under the button instead of a page of JSON."""
    tab.goto("/guide/login")
    tab.get_by_role("link", name="不带 token 调用 /api/me").click()

    # our code with what it means, as the lab shows it
    expect(tab.get_by_test_id("try-status")).to_have_text(
        f"HTTP 401 · 我们的 code 40100：{EXPLAINED_BY_CODE[40100]}"
    )
    expect(tab.get_by_test_id("try-body")).to_contain_text('"code": 40100')
    assert tab.url.endswith("/guide/login")
    assert_chinese(tab)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("404 · Not Found", ["Not Found"]),
        ("the code is invalid or has expired", ["the code is invalid or has expired"]),
        ("wx.login 的 code 无效，重新 wx.login", []),
        ("带上 openid 和 unionid，snsapi_base 不返回", []),
        ("getPhoneNumber:fail user deny：用户拒绝了", []),  # WeChat's errMsg is protocol
        ("HTTP 400 · 我们的 code 40003", []),
        ("Bearer token", ["Bearer token"]),
    ],
)
def test_what_counts_as_an_english_sentence(text, found):
    assert [sentence for sentence, *_ in english_sentences([(text, "p")])] == found
