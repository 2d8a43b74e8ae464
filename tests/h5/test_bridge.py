"""The web-view bridge in a real browser: the mini-program asks for a one-time ticket and opens
/h5/bridge?ticket=...; the H5 page logs in the same user, once, within a minute."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.h5.helpers import (
    expect_logged_in,
    expect_problem,
    expect_welcome,
    identities,
    path_of,
    persona_ids,
    web_sessions,
)
from tests.support import MINIPROGRAM_APPID, MiniProgram


@pytest.fixture
def logged_in(miniprogram):
    """The mini-program, logged in as the default persona."""
    assert miniprogram.login()["code"] == 0
    return miniprogram


def web_view_src(miniprogram):
    """POST /api/webview/ticket with the mini-program's token: the path to open in the web-view."""
    response = miniprogram.request("POST", "/api/webview/ticket")
    assert response.status_code == 200, response.text
    url = urlsplit(response.json()["data"]["url"])
    return f"{url.path}?{url.query}"


def test_ticket_logs_the_web_view_in_as_the_mini_program_user(page, app, logged_in):
    """The web-view opens the ticket URL and is logged in as the mini-program's user, without
    web authorization."""
    ids = persona_ids(page)

    page.goto(web_view_src(logged_in))

    expect_logged_in(page, "bridge")
    assert path_of(page.url) == "/h5/"
    expect(page.get_by_test_id("miniprogram-openid")).to_have_text(ids["miniprogram_openid"])
    expect(page.get_by_test_id("official-openid")).to_contain_text("还没有网页授权过")
    [row] = web_sessions(app)
    assert (row.method, row.identity_id) == ("bridge", None)
    assert row.user_id == identities(app)[MINIPROGRAM_APPID].user_id


def test_ticket_works_once(page, new_tab, app, logged_in):
    """A ticket forwarded to someone else (another browser) after use is refused."""
    src = web_view_src(logged_in)
    page.goto(src)
    expect_logged_in(page, "bridge")

    other = new_tab(problem_pages=True)
    response = other.goto(src)

    assert response.status == 400
    expect_problem(other, "ticket_used")
    assert len(web_sessions(app)) == 1
    other.get_by_role("link", name="回到首页").click()
    expect_welcome(other)


def test_ticket_older_than_a_minute_is_refused(clock, h5_page, app, logged_in):
    """A ticket lives 60 seconds."""
    src = web_view_src(logged_in)
    clock.advance(61)

    response = h5_page.goto(src)

    assert response.status == 400
    expect_problem(h5_page, "ticket_expired")
    assert web_sessions(app) == []


@pytest.mark.parametrize("ticket", ["garbage", "", "%00"])
def test_ticket_we_never_issued_is_refused(h5_page, app, ticket):
    """Anything that is not a ticket we issued is unknown."""
    response = h5_page.goto(f"/h5/bridge?ticket={ticket}")

    assert response.status == 400
    expect_problem(h5_page, "ticket_unknown")
    assert web_sessions(app) == []


# --- login CSRF: someone else's ticket ----------------------------------------------------------


def user_id_of(miniprogram):
    return miniprogram.request("GET", "/api/me").json()["data"]["user"]["id"]


def test_someone_elses_ticket_asks_before_switching_the_account(page, app, live_server, logged_in):
    """The victim's web-view is logged in as lihua; the attacker (xiaoming) sends their own
    fresh ticket. Opening it must not silently make the victim xiaoming."""
    victim = MiniProgram(live_server.url, user="lihua")
    assert victim.login()["code"] == 0
    page.goto(web_view_src(victim))
    expect_logged_in(page, "bridge")
    victim_id, attacker_id = user_id_of(victim), user_id_of(logged_in)
    attackers_link = web_view_src(logged_in)

    page.goto(attackers_link)

    expect(page.get_by_test_id("bridge-confirm")).to_be_visible()
    expect(page.get_by_test_id("ticket-user")).to_contain_text(f"用户 #{attacker_id}")
    expect(page.get_by_test_id("current-user")).to_have_text(f"用户 #{victim_id}")
    page.get_by_role("link", name="保持当前登录").click()
    expect(page.get_by_text(f"你已登录 H5 页面（用户 #{victim_id}）")).to_be_visible()
    assert [(row.user_id, row.ended_at) for row in web_sessions(app)] == [(victim_id, None)]

    # Someone who really means to switch can: the ticket was not used up by asking.
    page.goto(attackers_link)
    page.get_by_role("button", name="用这个账号登录").click()
    expect(page.get_by_text(f"你已登录 H5 页面（用户 #{attacker_id}）")).to_be_visible()
    assert [(row.user_id, row.end_reason) for row in web_sessions(app)] == [
        (victim_id, "replaced"),
        (attacker_id, None),
    ]


def test_a_ticket_link_on_another_site_asks_before_logging_in(new_tab, app, live_server, logged_in):
    """A link to the attacker's ticket on another site, clicked by someone not logged in."""
    tab = new_tab(allowed=("http://attacker.test",))
    link = live_server.url + web_view_src(logged_in)
    tab.route(
        "http://attacker.test/**",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8", body=f'<a href="{link}">领取红包</a>'
        ),
    )
    tab.goto("http://attacker.test/")

    tab.get_by_role("link", name="领取红包").click()

    expect(tab.get_by_test_id("bridge-confirm")).to_be_visible()
    expect(tab.get_by_test_id("current-user")).to_have_count(0)
    assert web_sessions(app) == []
    tab.get_by_role("link", name="不登录，回到首页").click()
    expect_welcome(tab)
