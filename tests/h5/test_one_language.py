"""The H5 pages speak Chinese: welcome, about, each way of being logged in, the profile, the
snapshot page, the pages that explain a refusal, and logged out."""

from playwright.sync_api import expect

from tests.h5.helpers import (
    approve_consent,
    expect_logged_in,
    expect_problem,
    login_base,
)
from tests.support.language import assert_chinese


def test_every_h5_page_is_chinese(h5_page):
    page = h5_page
    for path in ("/h5/", "/h5/about"):
        page.goto(path)
        assert_chinese(page)
    for path, kind in (
        ("/h5/callback?code=x&state=forged", "state_mismatch"),
        ("/h5/bridge?ticket=forged", "ticket_unknown"),
        ("/h5/login?scope=snsapi_login", "bad_scope"),
    ):
        page.goto(path)
        expect_problem(page, kind)
        assert_chinese(page)

    login_base(page)
    assert_chinese(page)
    page.goto("/h5/profile")
    approve_consent(page)
    expect_logged_in(page, "snsapi_userinfo")
    assert_chinese(page)
    page.get_by_role("link", name="返回").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_test_id("logged-out")).to_be_visible()
    assert_chinese(page)


def test_the_snapshot_page_is_chinese(page):
    page.request.post("/sandbox/open/snapshot-mode", data={"on": True})
    page.goto("/h5/login?scope=snsapi_userinfo")
    snapshot = page.frame_locator("iframe.wx-snapshot-frame")
    expect(snapshot.get_by_test_id("snapshot-state")).to_be_visible()
    assert_chinese(page)
