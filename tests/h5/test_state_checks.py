"""The checks on WeChat's way back (/h5/callback), in a real browser: the state must be the one
this browser was given, unused and fresh; the code must be fresh. Each refusal is a page that
explains it, and nobody is logged in."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.h5.helpers import (
    CALLBACK_GLOB,
    CONSENT_DECISION_PATH,
    approve_consent,
    expect_logged_in,
    expect_problem,
    expect_welcome,
    login_base,
    path_of,
    start_userinfo_login,
    web_sessions,
)

# Playwright's routes see only the first request of a navigation, never a redirect's target,
# so WeChat's redirect back to /h5/callback cannot be routed itself. The tap on 允许 starts a
# navigation (a form POST) whose answer is that redirect: the tests hold it there.


def hold_after_consent(page):
    """Let WeChat answer 允许 (issuing the code) but keep its redirect back from the browser, as
    a lost tab would; return the list of callback URLs held."""
    held = []

    def hold(route):
        answer = route.fetch(max_redirects=0)
        held.append(answer.headers["location"])
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body="<!doctype html><title>held</title><p>held</p>",
        )

    page.route("**" + CONSENT_DECISION_PATH, hold)
    return held


def arrive_late_after_consent(page, clock, seconds):
    """Let WeChat answer 允许 (issuing the code), then let ``seconds`` pass before the browser
    follows the redirect back to /h5/callback."""

    def arrive_late(route):
        answer = route.fetch(max_redirects=0)
        clock.advance(seconds)
        route.fulfill(response=answer)

    page.route("**" + CONSENT_DECISION_PATH, arrive_late)


def test_forged_callback_is_refused(h5_page, app):
    """A callback with a state this browser never sent (CSRF login) is refused with 400."""
    response = h5_page.goto("/h5/callback?code=anything&state=forged")

    assert response.status == 400
    expect_problem(h5_page, "state_mismatch")
    h5_page.goto("/h5/")
    expect_welcome(h5_page)
    assert web_sessions(app) == []


def test_replayed_callback_is_refused_and_the_first_login_stands(h5_page, app):
    """The state is single use: opening the same callback URL again is refused, creates no
    session, and leaves the first login as it was."""
    with h5_page.expect_request(CALLBACK_GLOB) as callback:
        login_base(h5_page)
    [first] = web_sessions(app)

    response = h5_page.goto(callback.value.url)

    assert response.status == 400
    expect_problem(h5_page, "state_mismatch")
    [row] = web_sessions(app)
    assert (row.id, row.ended_at) == (first.id, None)
    h5_page.goto("/h5/")
    expect_logged_in(h5_page, "snsapi_base")


def test_callback_in_a_browser_without_the_session_cookie_is_refused(page, new_tab, app):
    """The state lives in the browser that started the login: the same callback opened in
    another browser (or after the cookie was dropped) is a mismatch. In the first browser the
    very same URL still logs in, so the cookie was the only difference."""
    held = hold_after_consent(page)
    start_userinfo_login(page)
    approve_consent(page)
    expect(page.get_by_text("held")).to_be_visible()
    [callback_url] = held
    assert path_of(callback_url) == "/h5/callback"

    other = new_tab(problem_pages=True)
    response = other.goto(callback_url)

    assert response.status == 400
    expect_problem(other, "state_mismatch")
    assert web_sessions(app) == []

    page.goto(callback_url)
    expect_logged_in(page, "snsapi_userinfo")


def test_code_older_than_five_minutes_is_refused(clock, h5_page, app):
    """WeChat's code lives 5 minutes: a callback that arrives later gets 42003, shown as
    code_expired, with a way to log in again."""
    arrive_late_after_consent(h5_page, clock, 301)
    start_userinfo_login(h5_page)
    with h5_page.expect_response(CALLBACK_GLOB) as callback:
        approve_consent(h5_page)

    assert callback.value.status == 400
    expect_problem(h5_page, "code_expired")
    expect(h5_page.get_by_text("微信返回 errcode 42003")).to_be_visible()
    assert web_sessions(app) == []

    h5_page.get_by_role("link", name="重新登录").click()
    expect_logged_in(h5_page, "snsapi_userinfo")  # consented already: no sheet this time


def test_state_older_than_ten_minutes_is_refused(clock, h5_page, app):
    """A login that takes more than 10 minutes comes back with a stale state: refused."""
    arrive_late_after_consent(h5_page, clock, 601)
    start_userinfo_login(h5_page)
    approve_consent(h5_page)

    expect_problem(h5_page, "state_mismatch")
    assert path_of(h5_page.url) == "/h5/callback"
    assert web_sessions(app) == []


def test_a_snapshot_callback_keeps_the_state_for_the_one_real_login(h5_page):
    """The snapshot page's callback logs nobody in, so the state stays: 使用完整服务 comes back
    with the same state and logs in, and that login uses it up: the same callback again is
    refused."""
    page = h5_page
    callbacks = []
    page.on(
        "request", lambda request: "/h5/callback?" in request.url and callbacks.append(request.url)
    )
    page.request.post("/sandbox/open/snapshot-mode", data={"on": True})

    page.goto("/h5/login?scope=snsapi_userinfo")
    snapshot = page.frame_locator("iframe.wx-snapshot-frame")
    expect(snapshot.get_by_test_id("snapshot-state")).to_contain_text("同一个 state")
    page.get_by_role("link", name="使用完整服务").click()
    approve_consent(page)
    expect_logged_in(page, "snsapi_userinfo")

    snapshot_callback, real_callback = (parse_qs(urlsplit(url).query) for url in callbacks)
    assert snapshot_callback["state"] == real_callback["state"]
    assert snapshot_callback["code"] != real_callback["code"]
    page.goto(callbacks[-1])  # WeChat, or a replay, sending that state once more
    expect_problem(page, "state_mismatch")
