"""The timeline: its buttons, its steps (URL, raw exchange, source link), and that after a rich
walk through the lab it holds no secret: no session_key, no app secret, no bearer token, no
WeChat access_token."""

import html
import re
import time

from playwright.sync_api import expect

from tests.lab.helpers import (
    APP_SECRETS,
    LAB_LOCAL,
    assert_steps,
    error_answer,
    session_keys,
    wechat_tokens,
)
from tests.support import TabWatch


def test_timeline_buttons_steps_and_the_full_page(lab):
    page = lab.page
    timeline = page.get_by_test_id("timeline")
    # The launch: getPrivacySetting, wx.login, POST /api/login, code2Session, setStorageSync.
    expect(timeline.locator(".timeline")).to_have_attribute("data-steps", "5")
    expect(timeline.locator(".timeline-lane-title")).to_have_text(
        ["小程序 / 浏览器", "开发者服务器", "微信（沙箱）"]
    )

    # A step: the lanes it joins, the URL one parameter per line, why it happened, the code.
    step = timeline.locator('.step[data-endpoint="/sns/jscode2session"]')
    expect(step).to_have_class(re.compile(r"\bfrom-server to-wechat\b"))
    expect(step.locator(".step-address")).to_contain_text("/sandbox/api/sns/jscode2session")
    expect(step.locator(".step-params dt")).to_have_text(
        ["appid", "secret", "js_code", "grant_type"]
    )
    expect(step.locator(".step-params dd").nth(1)).to_have_text("***")
    expect(step.locator(".step-why")).to_contain_text("code2Session")
    raw = step.locator(".step-raw")
    expect(raw.locator(".raw-response")).to_be_hidden()
    raw.locator("summary").click()
    expect(raw.locator(".raw-response")).to_contain_text('"session_key": "***"')
    source = step.locator(".step-source")
    expect(source).to_have_text(re.compile(r"^webapp/wechat/client\.py:\d+$"))
    href = source.get_attribute("href")
    assert re.fullmatch(r"/lab/source/webapp/wechat/client\.py#L\d+", href)
    assert page.request.get(href.split("#")[0]).ok

    # 刷新 keeps an open step open, and so does a refresh that brings a new step.
    lab.tap("timeline-refresh")
    lab.settle()
    expect(raw).to_have_attribute("open", "")
    lab.tap("wx-check-session")
    lab.expect_result("login", "checkSession:ok")
    expect(timeline.locator(".timeline")).to_have_attribute("data-steps", "6")
    expect(raw).to_have_attribute("open", "")

    # 整页查看 opens the same timeline as a page of its own.
    link = page.get_by_test_id("timeline-full-link")
    expect(link).to_have_attribute("href", "/lab/timeline")
    with page.context.expect_page() as opened:
        link.click()
    full = opened.value
    watch = TabWatch(full, LAB_LOCAL, excuse=error_answer)
    expect(full.locator("h1")).to_have_text("交互时间线")
    expect(full.locator(".step")).to_have_count(6)
    full.close()
    assert not watch.problems(), watch.problems()

    # 清空时间线, then the next action starts a new one.
    lab.tap("timeline-clear")
    lab.settle()
    expect(timeline.locator(".timeline")).to_have_attribute("data-steps", "0")
    expect(timeline.locator(".timeline-empty")).to_contain_text("还没有交互")
    lab.skip_steps()
    lab.tap("wx-check-session")
    lab.expect_result("login", "checkSession:ok")
    assert lab.steps() == [("sandbox_device.check_session", "200")]


def test_the_timeline_never_shows_a_secret(lab, app):
    """A rich walk: logins, the 401 path, legacy profile and phone (decrypted with the
    session_key), the phone code (server access_token), the session check, a web-view by
    ticket and by snsapi_userinfo (web access and refresh tokens), a pitfall, a logout."""
    page = lab.page
    bearer_tokens = {lab.token()}

    lab.tap("wx-login")
    lab.expect_result("login", "wx.login → POST /api/login → HTTP 200")
    bearer_tokens.add(lab.token())
    lab.tap("api-session-check")
    lab.expect_result("login", "session_key：有效（live")
    lab.edit_storage("token", "bad-token")
    lab.tap("api-me")
    lab.expect_result("login", "已清掉 token、重新登录并重试 → HTTP 200")
    bearer_tokens.add(lab.token())

    lab.tab("profile")
    lab.tap("get-user-profile-pre2022")
    lab.answer_sheet("allow")
    lab.expect_result("profile", "getUserProfile:ok → POST /api/profile/legacy → HTTP 200")
    lab.tab("phone")
    lab.tap("phone-code")
    lab.answer_sheet("allow")
    lab.expect_result("phone", "POST /api/phone → HTTP 200")
    lab.tap("phone-legacy")
    lab.answer_sheet("allow")
    lab.expect_result("phone", "POST /api/phone/legacy → HTTP 200")

    lab.tab("h5")
    lab.tap("webview-ticket")
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("bridge")
    lab.frame.locator('[data-action="navigate-back"]').click()
    lab.tap("webview-profile")
    lab.frame.get_by_role("button", name="允许").click()
    expect(lab.frame.get_by_test_id("login-method")).to_have_text("snsapi_userinfo")
    lab.frame.locator('[data-action="navigate-back"]').click()

    lines = lab.run_pitfall("rotation")
    assert any("code 40003" in text for text, _ in lines)
    bearer_tokens.add(lab.token())

    lab.tab("login")
    lab.tap("logout")
    lab.confirm_modal("确定退出登录？")
    lab.expect_result("login", "POST /api/logout → HTTP 200")

    kept, issued = session_keys(app)
    assert kept and kept <= issued and len(issued) >= 4  # every login rotated it
    secrets = {
        "session_key": kept | issued,
        "app secret": set(APP_SECRETS),
        "bearer token": bearer_tokens - {None},
        "WeChat token": wechat_tokens(app),
    }
    assert len(secrets["bearer token"]) == 4 and secrets["WeChat token"]

    steps = lab.steps()
    assert_steps(
        steps,
        [
            "miniapi.check_session",
            "/cgi-bin/stable_token",
            "/wxa/checksession",
            ("miniapi.me", "401"),
            "miniapi.save_legacy_profile",
            "/wxa/business/getuserphonenumber",
            "miniapi.bind_phone_legacy",
            "h5.bridge",
            "/sns/oauth2/access_token",
            "/sns/userinfo",
            ("miniapi.bind_phone_legacy", "400"),
            ("miniapi.logout", "200"),
        ],
    )
    in_lab = page.get_by_test_id("timeline").inner_html()

    page.goto("/lab/timeline")
    expect(page.locator(".timeline")).to_have_attribute("data-steps", str(len(steps)))
    html = page.content()
    for kind, values in secrets.items():
        for value in values:
            assert value not in html, f"a {kind} is in /lab/timeline"
            assert value not in in_lab, f"a {kind} is in the lab's timeline"
    # ...because they were masked where they travel.
    assert "secret=***" in html and "Bearer ***" in html and '"session_key": "***"' in html
    assert '"access_token": "***"' in html and '"refresh_token": "***"' in html


def test_each_step_links_to_the_code_that_ran(lab):
    """Phone-only steps link to the line that called the wx API, in miniprogram/ when the
    mini-program called it; server steps to the view or client."""
    lab.tap("logout")
    lab.confirm_modal("确定退出登录？")
    lab.expect_result("login", "POST /api/logout → HTTP 200")
    lab.clear("storage")
    steps = lab.page.get_by_test_id("timeline").locator(".step")
    links = {}
    for step in steps.all():
        link = step.locator(".step-source")
        if link.count():
            links[step.get_attribute("data-endpoint")] = link.get_attribute("href")
    callers = {
        "setStorageSync": "miniprogram/utils/auth.js",  # the launch's login keeps the token
        "showModal": "miniprogram/pages/login/index.js",
        "removeStorageSync": "miniprogram/pages/login/index.js",
        "clearStorageSync": "static/js/lab/lab.js",  # the 清缓存 menu, not the mini-program
    }
    assert {f"phone:{api}" for api in callers} <= set(links)
    for endpoint, href in links.items():
        path, line = re.fullmatch(r"/lab/source/(.+)#L(\d+)", href).groups()
        page = lab.page.request.get(f"/lab/source/{path}")
        assert page.ok, href
        code = re.search(rf'<tr id="L{line}">.*?<pre>(.*?)</pre>', page.text(), re.S).group(1)
        if endpoint.startswith("phone:"):
            api = endpoint[len("phone:") :]
            assert path == callers[api], (endpoint, path)
            assert f"wx.{api}(" in html.unescape(code), (endpoint, code)
        else:
            assert code.lstrip().startswith(("def ", "@")), (endpoint, code)


# What the timeline keeps, and what it leaves out ----------------------------------------------


def test_the_timeline_survives_a_browser_restart(lab, browser, live_server):
    """The trace cookie lasts as long as its exchanges (LAB_RETENTION), and HttpOnly: a browser
    that restarts (and so forgets its session cookies) finds its timeline again."""
    cookies = lab.page.context.cookies()
    [trace] = [cookie for cookie in cookies if cookie["name"] == "lab_trace"]
    assert trace["httpOnly"] is True
    assert trace["expires"] > time.time() + 23 * 3600  # a day, not the browser's session
    assert lab.page.evaluate("() => document.cookie").find("lab_trace") == -1  # no script reads it

    # The restarted browser: every cookie that outlives the session, nothing else.
    restarted = browser.new_context(base_url=live_server.url)
    restarted.add_cookies([cookie for cookie in cookies if cookie["expires"] > 0])
    page = restarted.new_page()
    page.goto("/lab/timeline")
    # The launch: the privacy check, wx.login, /api/login (and code2Session), the token stored.
    expect(page.locator(".timeline")).to_have_attribute("data-steps", "5")
    expect(page.locator('.step[data-endpoint="miniapi.login"]')).to_have_count(1)
    restarted.close()


def test_the_learners_own_browsing_is_not_recorded(lab):
    """Pages the learner opens in the tab (the menu's API docs and H5 pages, a mistyped
    address, a guide and its "try it" button) are not the phone's doing."""
    page = lab.page
    lab.skip_steps()

    for path in ("/api/docs", "/h5/about", "/h5/", "/h5/nope", "/sandbox/"):
        page.goto(path)
    page.goto("/guide/login")
    page.get_by_role("link", name="不带 token 调用 /api/me").click()
    expect(page.get_by_test_id("try-status")).to_contain_text("HTTP 401 · 我们的 code 40100：")
    page.goto("/lab/")
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    lab.idle()

    # Only what the phone did on its relaunch: ask WeChat about the privacy agreement and the
    # session, read /api/me.
    assert lab.new_steps() == [
        ("sandbox_device.privacy_setting", "200"),
        ("sandbox_device.check_session", "200"),
        ("miniapi.me", "200"),
    ]


def test_one_wx_call_is_one_row_and_repeated_reads_fold(lab):
    """getPhoneNumber (a sheet first) is one row, not two; showing the permissions tab twice
    reads authSetting twice, the same answer: one row, ×2."""
    page = lab.page
    lab.tab("phone")
    lab.skip_steps()
    lab.tap("phone-code")
    lab.answer_sheet("allow")
    lab.expect_result("phone", "POST /api/phone → HTTP 200")
    steps = lab.new_steps()
    assert [endpoint for endpoint, _ in steps].count("sandbox_device.phone_number") == 1, steps

    lab.tab("permissions")
    lab.tab("login")
    lab.tab("permissions")
    # The tab shows before its wx.getSetting is answered: wait for the second read to arrive.
    row = page.get_by_test_id("timeline").locator('.step[data-endpoint="sandbox_device.setting"]')
    expect(row).to_have_attribute("data-count", "2")
    expect(row).to_have_count(1)
    expect(row.locator(".step-repeat")).to_have_text("×2")
    assert lab.new_steps() == [("sandbox_device.setting", "200")] * 2


def test_each_arrow_goes_from_the_lane_that_sent_to_the_lane_that_answered(lab):
    """wx.login goes from the mini-program to WeChat, past the developer server's lane without
    stopping there; /api/login goes to our server; code2Session from our server to WeChat."""
    timeline = lab.page.get_by_test_id("timeline")
    titles = timeline.locator(".timeline-lane-title")
    centres = [box["x"] + box["width"] / 2 for box in (t.bounding_box() for t in titles.all())]

    def arrow(endpoint):
        step = timeline.locator(f'.step[data-endpoint="{endpoint}"]').first
        box = step.locator(".step-arrow").bounding_box()
        return step, box["x"], box["x"] + box["width"]

    expected = {
        "sandbox_device.login": ("小程序 → 微信", "arrow-1-3 arrow-right", 0, 2),
        "miniapi.login": ("小程序 → 开发者服务器", "arrow-1-2 arrow-right", 0, 1),
        "/sns/jscode2session": ("开发者服务器 → 微信", "arrow-2-3 arrow-right", 1, 2),
    }
    for endpoint, (flow, classes, start, end) in expected.items():
        step, left, right = arrow(endpoint)
        expect(step.locator(".step-flow")).to_have_text(flow)
        expect(step.locator(".step-arrow")).to_have_class(f"step-arrow {classes}")
        assert abs(left - centres[start]) < 3 and abs(right - centres[end]) < 3, endpoint
        expect(step.locator(".step-return")).to_contain_text("200")  # the answer comes back

    # Something only the phone did: a loop on its own lane, and no answer from anyone.
    storage = timeline.locator('.step[data-endpoint="phone:setStorageSync"]')
    expect(storage.locator(".step-flow")).to_have_text("小程序（本机）")
    expect(storage.locator(".step-arrow")).to_have_class("step-arrow arrow-self arrow-at-1")
    expect(storage.locator(".step-return")).to_have_count(0)


def test_the_full_timeline_reads_without_javascript(lab, browser, live_server):
    """/lab/timeline is server-rendered: the arrows and the raw exchange (<details>) work with
    JavaScript off; a browser with no lab session is told where to start."""
    cookies = lab.page.context.cookies()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto("/lab/timeline")
    step = page.locator('.step[data-endpoint="/sns/jscode2session"]')
    expect(step.locator(".step-arrow")).to_be_visible()
    expect(step.locator(".raw-response")).to_be_hidden()
    step.locator(".step-raw summary").click()
    expect(step.locator(".raw-response")).to_contain_text('"openid"')
    expect(step.locator(".step-outcome")).to_have_text("ok")

    context.clear_cookies()
    page.goto("/lab/timeline")
    empty = page.locator(".timeline-empty")
    expect(empty).to_contain_text("这个浏览器还没有打开过实验室")
    expect(empty).not_to_contain_text("左边的手机")
    expect(empty.get_by_role("link", name="实验室")).to_have_attribute("href", "/lab/")
    context.close()
