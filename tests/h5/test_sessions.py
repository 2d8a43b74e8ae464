"""H5 sessions end on the server: 退出登录 ends this browser's, 在所有设备上退出 H5 ends every
browser's of the user; both are POST forms with a CSRF token."""

from playwright.sync_api import expect

from tests.h5.helpers import (
    expect_logged_in,
    expect_welcome,
    hold_phone_as,
    login_base,
    web_sessions,
)


def log_out(page):
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_test_id("logged-out")).to_have_text("已退出")


def test_logout_ends_the_session_on_the_server(page, app):
    """退出登录: the page confirms it, the home page welcomes a stranger again, and the row
    says when and why it ended."""
    login_base(page)

    log_out(page)

    expect(page.get_by_text("本浏览器的 H5 会话已在服务端结束。")).to_be_visible()
    page.get_by_role("link", name="回到首页").click()
    expect_welcome(page)
    [row] = web_sessions(app)
    assert row.ended_at is not None and row.end_reason == "logout"


def test_logout_ends_only_this_browsers_session(page, new_tab, app):
    """Another browser of the same user stays logged in."""
    other = new_tab()
    login_base(page)
    login_base(other)

    log_out(page)

    other.goto("/h5/")
    expect_logged_in(other, "snsapi_base")
    mine, theirs = web_sessions(app)
    assert (mine.end_reason, theirs.ended_at) == ("logout", None)


def test_logout_without_the_csrf_token_is_refused_and_changes_nothing(page, app):
    """A POST without the page's CSRF token (a form on another site, say) is refused with an
    explanation, and the session goes on."""
    login_base(page)

    for form in (None, {"csrf_token": "forged"}):
        response = page.request.post("/h5/logout", form=form)
        assert response.status == 400
        assert 'data-problem="csrf"' in response.text()

    page.goto("/h5/")
    expect_logged_in(page, "snsapi_base")
    [row] = web_sessions(app)
    assert row.ended_at is None


def test_ending_all_sessions_logs_out_every_browser_of_the_user(page, new_tab, app, live_server):
    """在所有设备上退出 H5 in one browser: the user's other browser is logged out on its next
    visit; another person's session is untouched."""
    other = new_tab()
    someone_else = new_tab()
    hold_phone_as(someone_else, "lihua", live_server.url)
    login_base(page)
    login_base(other)
    login_base(someone_else)

    page.get_by_role("button", name="在所有设备上退出 H5").click()

    expect(page.get_by_test_id("logged-out")).to_be_visible()
    expect(page.get_by_text("结束了 2 个 H5 会话（所有浏览器和 web-view）。")).to_be_visible()
    other.goto("/h5/")
    expect_welcome(other)
    someone_else.goto("/h5/")
    expect_logged_in(someone_else, "snsapi_base")
    mine, theirs, lihuas = web_sessions(app)
    assert mine.user_id == theirs.user_id != lihuas.user_id
    assert [row.end_reason for row in (mine, theirs)] == ["ended-everywhere"] * 2
    assert mine.ended_at is not None and theirs.ended_at is not None
    assert lihuas.ended_at is None
