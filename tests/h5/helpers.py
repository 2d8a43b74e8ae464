"""One-call steps for the H5 browser tests: the persona holding the phone, what the pages show,
the steps of web authorization a person takes, and the database rows behind them.

The steps click what a person clicks (静默登录, 允许, 拒绝, 退出登录) and wait with Playwright's
own waiting; they never sleep.
"""

from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID
from webapp.accounts.models import Identity, WebSession
from webapp.extensions import db

PERSONA = "xiaoming"
AUTHORIZE_PATH = "/sandbox/open/connect/oauth2/authorize"
CONSENT_DECISION_PATH = AUTHORIZE_PATH + "/decision"
CALLBACK_GLOB = "**/h5/callback?**"


# Watching a tab ----------------------------------------------------------------------------


def problem_page(response):
    """Our explanation pages: a document answered 400 (a refused callback, ticket or form) or
    503 (WeChat away). Chromium logs a failed load for them; that line is expected."""
    return response.request.resource_type == "document" and response.status in (400, 503)


# The persona holding the phone -------------------------------------------------------------


def hold_phone_as(page, persona, server_url):
    """Set the sandbox_user cookie, as the lab's persona switcher does."""
    page.context.add_cookies([{"name": "sandbox_user", "value": persona, "url": server_url}])


def persona_ids(page, persona=PERSONA):
    """The persona's openids and unionid, as the sandbox lists them (GET /sandbox/users)."""
    users = page.request.get("/sandbox/users").json()["users"]
    found = next(user for user in users if user["id"] == persona)
    return {
        "official_openid": found["openids"][OFFICIAL_ACCOUNT_APPID],
        "miniprogram_openid": found["openids"][MINIPROGRAM_APPID],
        "unionid": found["unionid"],
    }


def path_of(url):
    return urlsplit(url).path


# What the pages show ---------------------------------------------------------------------


def problem_box(page):
    return page.locator("[data-problem]")


def expect_problem(page, kind):
    """Wait for the explanation page of ``kind``."""
    expect(problem_box(page)).to_have_attribute("data-problem", kind)


def expect_logged_in(page, method):
    expect(page.get_by_test_id("login-method")).to_have_text(method)


def expect_welcome(page):
    """The logged-out home page: the two ways to log in."""
    expect(page.get_by_role("link", name="静默登录（snsapi_base）")).to_be_visible()
    expect(page.get_by_test_id("login-method")).to_have_count(0)


def consent_buttons(page):
    return page.get_by_role("button", name="允许"), page.get_by_role("button", name="拒绝")


# The steps a person takes ------------------------------------------------------------------


def login_base(page):
    """From the H5 home page, log in silently (snsapi_base) and wait until logged in."""
    page.goto("/h5/")
    page.get_by_role("link", name="静默登录（snsapi_base）").click()
    expect_logged_in(page, "snsapi_base")


def approve_consent(page):
    """On WeChat's consent sheet, tap 允许."""
    allow, _ = consent_buttons(page)
    expect(allow).to_be_visible()
    allow.click()


def deny_consent(page):
    """On WeChat's consent sheet, tap 拒绝, and wait for the H5 page that explains it."""
    _, deny = consent_buttons(page)
    expect(deny).to_be_visible()
    deny.click()
    expect_problem(page, "denied")


def continue_silently(page):
    """On the page that explains a denial, tap 用静默授权继续 and wait until logged in with
    snsapi_base."""
    page.get_by_role("link", name="用静默授权继续").click()
    expect_logged_in(page, "snsapi_base")


def start_userinfo_login(page):
    """From the H5 home page, start 授权登录 (snsapi_userinfo)."""
    page.goto("/h5/")
    page.get_by_role("link", name="授权登录（snsapi_userinfo）").click()


def navigations(page):
    """Record (path, status) of every top-level navigation hop, redirects included."""
    hops = []
    page.on(
        "response",
        lambda response: (
            response.request.is_navigation_request()
            and response.frame == page.main_frame
            and hops.append((path_of(response.url), response.status))
        ),
    )
    return hops


# The database ------------------------------------------------------------------------------


def web_sessions(app):
    """Every WebSession row, oldest first (detached; columns loaded)."""
    with app.app_context():
        return list(db.session.scalars(select(WebSession).order_by(WebSession.id)))


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def identities(app):
    """{appid: Identity} for every identity row (detached; columns loaded)."""
    with app.app_context():
        return {row.appid: row for row in db.session.scalars(select(Identity))}
