"""Web authorization in a real browser: silent snsapi_base, the snsapi_userinfo consent sheet
(允许 and 拒绝), the denial cache, the snapshot page, and where the browser lands afterwards."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.h5.helpers import (
    AUTHORIZE_PATH,
    CONSENT_DECISION_PATH,
    PERSONA,
    approve_consent,
    consent_buttons,
    continue_silently,
    count,
    deny_consent,
    expect_logged_in,
    expect_problem,
    identities,
    login_base,
    navigations,
    path_of,
    persona_ids,
    start_userinfo_login,
    web_sessions,
)
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID
from webapp.accounts.models import Identity, User
from webapp.extensions import db


def test_silent_login_shows_the_service_account_openid_without_a_consent_page(page, app):
    """静默登录: WeChat redirects straight back; the page shows the service account's openid
    and no unionid, which snsapi_base never gives."""
    ids = persona_ids(page)
    hops = navigations(page)

    login_base(page)

    assert path_of(page.url) == "/h5/"
    expect(page.get_by_test_id("official-openid")).to_have_text(ids["official_openid"])
    expect(page.get_by_test_id("unionid")).to_have_text("—")
    expect(page.get_by_test_id("unionid-source")).to_have_text("snsapi_base 不返回 unionid")
    expect(page.get_by_test_id("miniprogram-openid")).to_contain_text("还没有在小程序登录过")
    # /h5/ (welcome), then /h5/login -> authorize -> callback -> /h5/: every hop a redirect,
    # so WeChat never rendered a page (no consent sheet), and nothing was posted to it.
    assert hops == [
        ("/h5/", 200),
        ("/h5/login", 302),
        (AUTHORIZE_PATH, 302),
        ("/h5/callback", 302),
        ("/h5/", 200),
    ]
    [row] = web_sessions(app)
    assert (row.method, row.ended_at) == ("snsapi_base", None)


def test_consent_allow_gives_the_profile_and_links_the_mini_program_by_unionid(
    page, app, miniprogram
):
    """/h5/profile asks for snsapi_userinfo only when it is opened; 允许 gives nickname and
    unionid. A later mini-program login of the same person joins the same user by unionid."""
    ids = persona_ids(page)

    page.goto("/h5/profile")
    expect(page.get_by_role("heading", name="获取你的昵称、头像")).to_be_visible()
    expect(consent_buttons(page)[1]).to_be_visible()  # 拒绝 is offered too
    approve_consent(page)

    expect(page.get_by_test_id("nickname")).to_have_text("小明")
    assert path_of(page.url) == "/h5/profile"
    expect_logged_in(page, "snsapi_userinfo")
    expect(page.get_by_test_id("unionid")).to_have_text(ids["unionid"])
    official = identities(app)[OFFICIAL_ACCOUNT_APPID]
    assert (official.nickname, official.unionid) == ("小明", ids["unionid"])

    assert miniprogram.login()["code"] == 0

    page.goto("/h5/")
    expect(page.get_by_test_id("official-openid")).to_have_text(ids["official_openid"])
    expect(page.get_by_test_id("miniprogram-openid")).to_have_text(ids["miniprogram_openid"])
    expect(page.get_by_test_id("unionid")).to_have_text(ids["unionid"])
    expect(page.get_by_test_id("greeting")).to_have_text("你好，小明")
    rows = identities(app)
    assert rows[MINIPROGRAM_APPID].user_id == rows[OFFICIAL_ACCOUNT_APPID].user_id
    with app.app_context():
        [user] = db.session.scalars(select(User)).all()
    assert (user.id, user.unionid) == (rows[OFFICIAL_ACCOUNT_APPID].user_id, ids["unionid"])


def test_profile_after_a_silent_login_upgrades_the_same_identity(page, app):
    """Logged in with snsapi_base, 查看我的微信资料 asks for consent once and keeps the same
    identity and user, now with a unionid."""
    ids = persona_ids(page)
    login_base(page)
    [before] = identities(app).values()

    page.get_by_role("link", name="查看我的微信资料").click()
    approve_consent(page)

    expect(page.get_by_test_id("nickname")).to_have_text("小明")
    expect_logged_in(page, "snsapi_userinfo")
    [after] = identities(app).values()
    assert (after.id, after.user_id, after.unionid) == (before.id, before.user_id, ids["unionid"])
    assert count(app, User) == 1
    first, second = web_sessions(app)
    assert (first.end_reason, second.ended_at) == ("replaced", None)


def test_consent_is_remembered_so_a_second_userinfo_login_is_silent(page):
    """After 允许, WeChat does not ask again (for about 30 days): the next snsapi_userinfo
    login goes straight through."""
    start_userinfo_login(page)
    approve_consent(page)
    expect_logged_in(page, "snsapi_userinfo")
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_test_id("logged-out")).to_be_visible()
    hops = navigations(page)

    start_userinfo_login(page)

    expect_logged_in(page, "snsapi_userinfo")
    assert (AUTHORIZE_PATH, 302) in hops
    assert not any(path == CONSENT_DECISION_PATH for path, _ in hops)


def test_deny_explains_and_offers_a_silent_login_that_works(page, app):
    """拒绝 sends the browser back with no code: the H5 page explains it, creates nothing, and
    its button continues with snsapi_base."""
    start_userinfo_login(page)
    deny_consent(page)

    assert path_of(page.url) == "/h5/callback"
    assert count(app, User) == 0 and web_sessions(app) == []

    continue_silently(page)

    assert path_of(page.url) == "/h5/"
    [row] = web_sessions(app)
    assert row.method == "snsapi_base"


def test_denial_is_cached_until_the_web_authorization_is_cleared(page):
    """Right after 拒绝, WeChat answers a new snsapi_userinfo request at once with a denial,
    without the consent sheet; clearing the web authorization brings the sheet back."""
    start_userinfo_login(page)
    deny_consent(page)
    hops = navigations(page)

    page.goto("/h5/profile")

    expect_problem(page, "denied")
    expect(consent_buttons(page)[0]).to_have_count(0)
    assert (AUTHORIZE_PATH, 302) in hops  # WeChat redirected back: no page was shown
    assert not any(status == 200 for path, status in hops if path == AUTHORIZE_PATH)

    cleared = page.request.post(
        "/sandbox/device/clear",
        data={"appid": MINIPROGRAM_APPID, "user": PERSONA, "what": "web-auth"},
    )
    assert cleared.ok, cleared.text()

    page.goto("/h5/profile")
    approve_consent(page)
    expect(page.get_by_test_id("nickname")).to_have_text("小明")


def test_snapshot_page_shows_a_virtual_identity_and_full_service_logs_in_for_real(page, app):
    """On a snapshot page, snsapi_userinfo gives a virtual identity: the H5 page says so and
    creates no account. 使用完整服务 leads to the real consent and a real login."""
    switched = page.request.post("/sandbox/open/snapshot-mode", data={"on": True})
    assert switched.ok, switched.text()

    page.goto("/h5/login?scope=snsapi_userinfo")

    full_service = page.get_by_role("link", name="使用完整服务")
    expect(full_service).to_be_visible()
    snapshot = page.frame_locator("iframe.wx-snapshot-frame")
    expect(snapshot.get_by_role("heading", name="你正在浏览快照页")).to_be_visible()
    expect(snapshot.locator("code")).to_have_text("is_snapshotuser: 1")
    assert count(app, User) == 0 and count(app, Identity) == 0 and web_sessions(app) == []

    full_service.click()
    approve_consent(page)

    expect_logged_in(page, "snsapi_userinfo")
    ids = persona_ids(page)
    expect(page.get_by_test_id("official-openid")).to_have_text(ids["official_openid"])
    expect(page.get_by_test_id("unionid")).to_have_text(ids["unionid"])
    assert count(app, User) == 1


@pytest.mark.parametrize(
    "next_value",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_to_another_site(page, live_server, next_value):
    """An attacker's ``next`` is ignored: after login the browser is on this site's /h5/."""
    page.goto(f"/h5/login?scope=snsapi_base&next={quote(next_value, safe='')}")

    expect_logged_in(page, "snsapi_base")
    assert page.url.startswith(f"{live_server.url}/h5/")
    assert path_of(page.url) == "/h5/"


def test_login_returns_to_a_page_of_this_site(page):
    """A same-site ``next`` is honoured."""
    page.goto(f"/h5/login?scope=snsapi_base&next={quote('/h5/about')}")

    expect(page.get_by_role("heading", name="票据还是网页授权？")).to_be_visible()
    assert path_of(page.url) == "/h5/about"


def test_deny_on_the_profile_page_continues_silently_without_asking_again(page, app):
    """Denying the profile page's consent, then 用静默授权继续, logs in with snsapi_base and
    lands on a page that works without the profile, not on the denial again."""
    page.goto("/h5/profile")
    deny_consent(page)

    continue_silently(page)

    assert path_of(page.url) == "/h5/"
    [row] = web_sessions(app)
    assert row.method == "snsapi_base"


def test_unknown_scope_is_explained_and_never_reaches_wechat(h5_page):
    """Only snsapi_base and snsapi_userinfo exist: anything else stops at our own page."""
    hops = navigations(h5_page)

    response = h5_page.goto("/h5/login?scope=snsapi_login")

    assert response.status == 400
    expect_problem(h5_page, "bad_scope")
    assert hops == [("/h5/login", 400)]


def test_a_silent_login_says_where_the_unionid_it_shows_came_from(page):
    """snsapi_base never returns a unionid; after an earlier snsapi_userinfo the user has one,
    and the page says it is that earlier one."""
    ids = persona_ids(page)
    page.goto("/h5/profile")
    approve_consent(page)
    expect_logged_in(page, "snsapi_userinfo")
    expect(page.get_by_test_id("unionid-source")).to_have_text("这次 snsapi_userinfo 授权返回的")
    page.get_by_role("link", name="返回").click()
    page.get_by_role("button", name="退出登录").click()

    login_base(page)

    expect(page.get_by_test_id("unionid")).to_have_text(ids["unionid"])
    expect(page.get_by_test_id("unionid-source")).to_have_text(
        "这次 snsapi_base 没有返回 unionid；这是同一个用户记录上已有的："
        "之前一次 snsapi_userinfo 授权返回的"
    )
