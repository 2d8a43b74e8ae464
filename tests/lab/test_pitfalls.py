"""The one-click pitfalls: each 重现 button, what its result list says, the explanation shown
beside it, and the exchanges the timeline recorded (with their statuses and errcodes)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.lab.helpers import assert_lines, assert_steps
from tests.support import MINIPROGRAM_APPID
from tests.support.language import assert_chinese
from webapp.lab.pitfalls import CATALOGUE

MSG = r' "msg": "[^"]+"$'  # our API's msg, shown as sent beside the Chinese
BY_ID = {pitfall.id: pitfall for pitfall in CATALOGUE}

# What the result list shows: (regex searched in a line, its data-state), in order.
LINES = {
    "rotation": [
        (r"^wx\.getUserProfile → getUserProfile:ok", None),
        (r"^getPhoneNumber → getPhoneNumber:ok", None),
        (r"^又一次 wx\.login \+ POST /api/login → HTTP 200 · 我们的 code 0", None),
        (
            r"^POST /api/profile/legacy（旧数据） → HTTP 400 · 我们的 code 40003："
            r".*session_key 换了.*" + MSG,
            "fail",
        ),
        (
            r"^POST /api/phone/legacy（旧数据） → HTTP 400 · 我们的 code 40002：.* · "
            r"解密错误码 -41003：.*session_key 已经换过.*" + MSG,
            "fail",
        ),
    ],
    "double-submit": [
        (r"^wx\.login → code ", None),
        (r"^小程序保留 200 那个请求的 token（收到 40900 时不要丢掉它，也不要重新登录）$", "ok"),
    ],
    "wrong-app": [
        (r"^隔壁小程序（wx3b9d7f1e5c2a8406）的 wx\.login → code ", None),
        (
            r"^发给我们（wx5d1c4a0f3e2b7a91）的 POST /api/login → HTTP 400 · 我们的 code 40001："
            r".* · 微信 errcode 40029" + MSG,
            "fail",
        ),
    ],
    "busy": [
        (r"^已注入故障：jscode2session 接下来 3 次回 errcode -1$", None),
        (
            r"^POST /api/login（服务器重试 2 次后放弃） → HTTP 503 · 我们的 code 50300：.* · "
            r"微信 errcode -1" + MSG,
            "fail",
        ),
        (r"^已清除故障，用同一个 code 再试一次$", None),
        (r"^POST /api/login（同一个 code） → HTTP 200 · 我们的 code 0$", "ok"),
    ],
    "quota": [
        (r"^已注入故障：jscode2session 下一次回 errcode 45011$", None),
        (r"^POST /api/login → HTTP 429 · 我们的 code 42900：.* · 微信 errcode 45011" + MSG, "fail"),
        (r"^POST /api/login（同一个 code） → HTTP 200 · 我们的 code 0$", "ok"),
    ],
    "state-mismatch": [
        (r"^web-view 打开 /h5/callback\?code=x&state=forged$", None),
        (r"^web-view 显示：登录已停止：state 校验没有通过（data-problem=state_mismatch）$", "fail"),
    ],
    "state-replay": [
        (r"^web-view 打开 /h5/login\?scope=snsapi_base&next=/h5/$", None),
        (r"^web-view 用 snsapi_base 登录成功", "ok"),
        (r"^时间线里记下的回调：/h5/callback\?code=\w+&state=\w+$", None),
        (r"^web-view 打开 /h5/callback\?code=\w+&state=\w+$", None),
        (
            r"^同一个回调再打开一次，web-view 显示：登录已停止：state 校验没有通过"
            r"（data-problem=state_mismatch）$",
            "fail",
        ),
    ],
    "state-cookie": [
        (r"^已清除网页授权记录", None),
        (r"^web-view 打开 /h5/login\?scope=snsapi_userinfo&next=/h5/profile$", None),
        (r"^web-view 停在微信的授权页", None),
        (r"^丢掉了 web-view 的会话 cookie", None),
        (r"web-view 显示：登录已停止：state 校验没有通过（data-problem=state_mismatch）$", "fail"),
    ],
    "redirect-uri": [
        (
            r"^web-view 打开 /sandbox/open/connect/oauth2/authorize\?"
            r".*redirect_uri=https%3A%2F%2Fevil\.example%2Fcb",
            None,
        ),
        (r"^微信的错误页：redirect_uri域名与后台配置不一致 · 错误码 10003$", "fail"),
    ],
    "redirect-port": [
        (
            r"^web-view 打开 /sandbox/open/connect/oauth2/authorize\?"
            r".*redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fh5%2Fcallback",
            None,
        ),
        (r"^微信的错误页：redirect_uri域名与后台配置不一致 · 错误码 10003$", "fail"),
        (r"redirect_uri 用的是:\d+.*只能用 80（http）或 443（https）", None),
    ],
    "hash-router": [
        (r"^微信送回：/lab/spa/\?code=…&state=spa123#/profile，单页应用的路由是 #/profile$", None),
        (r"^从路由的 query 找 code → 没有 code：页面以为还没授权", "fail"),
        (r"^从 location\.search 找 code → code=[A-Za-z0-9]{8}…（32 位），state=spa123$", "ok"),
        (r"^replaceState 之后的地址：/lab/spa/#/profile$", None),
    ],
    "snapshot": [
        (r"^快照模式：开$", None),
        (r"^微信：.*is_snapshotuser: 1", "fail"),
        (r"^H5 页面：你正在浏览快照页（没有创建账号）$", "fail"),
        (r"^快照模式：关$", None),
    ],
    "force-refresh": [
        (
            r"^POST /api/session/check（我们的服务器取到 access_token 并缓存） → "
            r"HTTP 200 · 我们的 code 0$",
            "ok",
        ),
        (
            r"^另一台服务器：POST /cgi-bin/stable_token \{\"force_refresh\": true\} → 新 token",
            "fail",
        ),
        (
            r"^POST /api/session/check（收到 40001：丢掉缓存、重新获取、重试一次） → "
            r"HTTP 200 · 我们的 code 0$",
            "ok",
        ),
    ],
    "phone-quota": [
        (r"^已把「wx5d1c4a0f3e2b7a91」剩下的手机号额度从 1000 次设为 0$", None),
        (r"^bindgetphonenumber → getPhoneNumber:fail no quota · errno 1400001$", "fail"),
        (
            r"^微信的提示：申请获取你的手机号，但该功能使用次数已达当前小程序上限，暂时无法使用$",
            None,
        ),
        (r"^已恢复额度：1000 次$", None),
    ],
}

# What the timeline recorded, in order: endpoint or (endpoint, status).
STEPS = {
    "rotation": [
        "sandbox_device.user_profile",
        "sandbox_device.phone_number",
        ("sandbox_device.login", "200"),
        ("miniapi.login", "200"),
        ("/sns/jscode2session", "200"),
        ("phone:setStorageSync", ""),
        ("miniapi.save_legacy_profile", "400"),
        ("miniapi.bind_phone_legacy", "400"),
    ],
    "double-submit": [("sandbox_device.login", "200"), ("phone:setStorageSync", "")],
    "wrong-app": [
        ("sandbox_device.login", "200"),
        ("miniapi.login", "400"),
        ("/sns/jscode2session", "200"),
    ],
    "busy": [
        ("sandbox_device.login", "200"),
        ("miniapi.login", "503"),
        ("/sns/jscode2session", "200"),
        ("miniapi.login", "200"),
        ("/sns/jscode2session", "200"),
        ("phone:setStorageSync", ""),
    ],
    "quota": [
        ("sandbox_device.login", "200"),
        ("miniapi.login", "429"),
        ("/sns/jscode2session", "200"),
        ("miniapi.login", "200"),
        ("/sns/jscode2session", "200"),
        ("phone:setStorageSync", ""),
    ],
    "state-mismatch": [("h5.callback", "400")],
    "state-replay": [
        ("h5.login", "302"),
        ("sandbox_open.authorize", "302"),
        ("h5.callback", "302"),
        ("/sns/oauth2/access_token", "200"),
        ("h5.home", "200"),
        ("h5.callback", "400"),
    ],
    "state-cookie": [
        ("sandbox_device.clear", "200"),
        ("h5.login", "302"),
        ("sandbox_open.authorize", "200"),
        ("sandbox_open.decide", "302"),
        ("h5.callback", "400"),
    ],
    "redirect-uri": [("sandbox_open.authorize", "200")],
    "redirect-port": [("sandbox_open.authorize", "200")],
    "hash-router": [("sandbox_open.authorize", "302")],
    "snapshot": [
        ("sandbox_open.snapshot_mode", "200"),
        ("h5.login", "302"),
        ("sandbox_open.authorize", "200"),
        ("h5.callback", "200"),
        ("/sns/oauth2/access_token", "200"),
        ("/sns/userinfo", "200"),
        ("sandbox_open.snapshot_mode", "200"),
    ],
    "force-refresh": [
        ("miniapi.check_session", "200"),
        "/cgi-bin/stable_token",
        "/wxa/checksession",
        "/cgi-bin/stable_token",  # the other server's, forced
        ("miniapi.check_session", "200"),
        "/wxa/checksession",  # 40001
        "/cgi-bin/stable_token",
        "/wxa/checksession",
    ],
    "phone-quota": [("sandbox_device.phone_number", "200")],
}
# The failed fetches Chromium logs for each: (path, status).
FAILED_LOADS = {
    "rotation": {("/api/profile/legacy", 400), ("/api/phone/legacy", 400)},
    "double-submit": {("/api/login", 409)},
    "wrong-app": {("/api/login", 400)},
    "busy": {("/api/login", 503)},
    "quota": {("/api/login", 429)},
    "state-mismatch": {("/h5/callback?code=x&state=forged", 400)},
    "state-replay": {("/h5/callback", 400)},
    "state-cookie": {("/h5/callback", 400)},
    "redirect-uri": set(),
    "redirect-port": set(),
    "hash-router": set(),
    "snapshot": set(),
    "force-refresh": set(),
    "phone-quota": set(),
}


def test_every_pitfall_has_a_card(lab):
    cards = lab.page.get_by_test_id("pitfall-card")
    assert [card.get_attribute("data-pitfall-id") for card in cards.all()] == [
        p.id for p in CATALOGUE
    ]
    assert set(LINES) == set(STEPS) == set(BY_ID)
    for pitfall in CATALOGUE:
        card = cards.and_(lab.page.locator(f'[data-pitfall-id="{pitfall.id}"]'))
        expect(card.get_by_test_id("pitfall-card-title")).to_have_text(pitfall.title)
        expect(card).to_contain_text(pitfall.errcode)
    expect(lab.page.get_by_test_id("pitfall-box")).to_be_hidden()


@pytest.mark.parametrize("pitfall", [p.id for p in CATALOGUE])
def test_pitfall(lab, pitfall):
    page = lab.page
    token = lab.token()
    lab.skip_steps()

    lines = lab.run_pitfall(pitfall)

    assert_lines(lines, LINES[pitfall])
    assert not any(text.startswith("没能走完") for text, _ in lines), lines
    box = page.get_by_test_id("pitfall-box")
    expect(box.get_by_test_id("pitfall-title")).to_have_text(BY_ID[pitfall].title)
    shown = box.locator('[data-testid="pitfall-explanation"]:visible')
    expect(shown).to_have_count(1)  # only the one that ran
    expect(shown).to_have_attribute("data-pitfall-explanation", pitfall)
    expect(shown.get_by_test_id("pitfall-why")).to_have_text(BY_ID[pitfall].why)
    expect(shown.get_by_test_id("pitfall-fix")).to_have_text(BY_ID[pitfall].fix)
    expect(shown.locator(".pitfall-steps li")).to_have_count(len(BY_ID[pitfall].steps))

    steps = lab.new_steps()
    assert_steps(steps, STEPS[pitfall])
    server = page.url.split("/lab/")[0]
    failed = {
        (url.removeprefix(server), int(text.split("status of ")[1][:3]))
        for text, url in lab.watch.excused()
    }
    if pitfall in ("state-replay", "state-cookie"):  # a real callback: its code and state vary
        failed = {(path.split("?")[0], status) for path, status in failed}
    assert failed == FAILED_LOADS[pitfall]
    CHECKS[pitfall](lab, steps, token)
    assert_chinese(page, f"the lab after the {pitfall} pitfall")


def _rotation(lab, steps, token):
    # The legacy data was refused; the login it did in between left a fresh session_key.
    expect(lab.session_key_state).to_have_text("有效（与微信一致）")
    assert lab.token() != token
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")


def _double_submit(lab, steps, token):
    lines = {
        text.split("：", 1)[1]: state
        for text, state in lab.pitfall_lines()
        if text.startswith("请求 ")
    }
    # Our English msg says "being used right now" if the first request was still working on
    # the code, "was used to log in" if it had finished: which one depends on timing.
    second = next(line for line in lines if "409" in line)
    assert lines == {"POST /api/login → HTTP 200 · 我们的 code 0": "ok", second: "fail"}
    assert second.startswith(
        "POST /api/login → HTTP 409 · 我们的 code 40900：这个 code 正在被另一个请求使用，"
        "或已经登录过：保留那次登录的 token，不要重新登录 "
    )
    assert second.endswith(
        (
            '"msg": "this code is being used by another request right now: wait for its answer"',
            '"msg": "this code was used to log in already: keep the token from that login"',
        )
    )
    logins = sorted(status for endpoint, status in steps if endpoint == "miniapi.login")
    assert logins == ["200", "409"], steps
    # The second request never reached WeChat: one code2Session for two requests.
    assert [endpoint for endpoint, _ in steps].count("/sns/jscode2session") == 1, steps
    assert sorted(lab.outcomes("miniapi.login")[-2:])[1].startswith("code 40900 ")
    assert lab.token() != token and list(lab.storage()) == ["token"]  # kept the good one
    expect(lab.login_state).to_have_text("已登录 · 用户 #1")
    expect(lab.panel("api-tokens").locator(".state-active")).to_have_count(1)


def _wrong_app(lab, steps, token):
    assert lab.outcomes("/sns/jscode2session")[-1].startswith("errcode 40029")
    assert lab.token() == token  # a failed login takes nothing away


def _busy(lab, steps, token):
    outcomes = lab.outcomes("/sns/jscode2session")[-4:]
    assert [outcome.split(" ")[:2] for outcome in outcomes[:3]] == [["errcode", "-1"]] * 3, (
        outcomes
    )  # 1 + 2 retries
    assert not outcomes[3].startswith("errcode -1"), outcomes  # the same code, once WeChat is back
    assert lab.token() != token


def _quota(lab, steps, token):
    outcomes = lab.outcomes("/sns/jscode2session")[-2:]
    assert outcomes[0].startswith("errcode 45011") and not outcomes[1].startswith("errcode"), (
        outcomes
    )
    assert lab.token() != token


def _state_mismatch(lab, steps, token):
    lab.expect_page("webview")
    expect(lab.frame.locator("[data-problem]")).to_have_attribute("data-problem", "state_mismatch")
    assert "/sns/oauth2/access_token" not in [
        endpoint for endpoint, _ in steps
    ]  # WeChat never asked
    expect(lab.panel("web-sessions")).to_contain_text("没有 H5 会话。")


def _state_replay(lab, steps, token):
    """The replayed URL is the very callback that logged in, and WeChat was asked only once."""
    lab.expect_page("webview")
    expect(lab.frame.locator("[data-problem]")).to_have_attribute("data-problem", "state_mismatch")
    callbacks = lab.page.get_by_test_id("timeline").locator('.step[data-endpoint="h5.callback"]')
    first, replay = callbacks.nth(-2), callbacks.nth(-1)
    expect(replay).to_have_attribute("data-url", first.get_attribute("data-url"))
    assert [endpoint for endpoint, _ in steps].count("/sns/oauth2/access_token") == 1


def _state_cookie(lab, steps, token):
    """The callback carried the state WeChat was given, but this browser no longer had it: no
    code was exchanged, nobody was logged in."""
    lab.expect_page("webview")
    expect(lab.frame.locator("[data-problem]")).to_have_attribute("data-problem", "state_mismatch")
    timeline = lab.page.get_by_test_id("timeline")
    authorize = timeline.locator('.step[data-endpoint="sandbox_open.authorize"]').last
    callback = timeline.locator('.step[data-endpoint="h5.callback"]').last
    sent = parse_qs(urlsplit(authorize.get_attribute("data-url")).query)
    came_back = parse_qs(urlsplit(callback.get_attribute("data-url")).query)
    assert came_back["state"] == sent["state"] and came_back["code"]
    assert "/sns/oauth2/access_token" not in [endpoint for endpoint, _ in steps]
    expect(lab.panel("web-sessions")).to_contain_text("没有 H5 会话。")


def _redirect_uri(lab, steps, token):
    lab.expect_page("webview")
    expect(lab.frame.locator(".wx-msg-title")).to_have_text("redirect_uri域名与后台配置不一致")
    expect(lab.frame.locator(".wx-msg-note")).to_contain_text("只能用 80（http）或 443（https）")
    assert "h5.callback" not in [endpoint for endpoint, _ in steps]  # no code went anywhere


def _redirect_port(lab, steps, token):
    lab.expect_page("webview")
    expect(lab.frame.locator(".wx-msg-title")).to_have_text("redirect_uri域名与后台配置不一致")
    assert "h5.callback" not in [endpoint for endpoint, _ in steps]


def _hash_router(lab, steps, token):
    lab.expect_page("webview")
    expect(lab.frame.get_by_test_id("spa-route")).to_have_text("#/profile")
    # WeChat put the code before the "#": the fragment came back last.
    assert re.fullmatch(
        r"→ http://127\.0\.0\.1:\d+/lab/spa/\?code=[A-Za-z0-9]{32}&state=spa123#/profile",
        lab.outcomes("sandbox_open.authorize")[-1],
    ), lab.outcomes("sandbox_open.authorize")


def _force_refresh(lab, steps, token):
    checks = lab.outcomes("/wxa/checksession")[-3:]
    assert [outcome.split(" ")[:2] for outcome in checks] == [
        ["errcode", "0"],
        ["errcode", "40001"],
        ["errcode", "0"],
    ], checks
    forced = lab.page.get_by_test_id("timeline").locator(
        '.step[data-endpoint="/cgi-bin/stable_token"]'
    )
    expect(forced).to_have_count(3)
    forced.nth(1).locator(".step-raw summary").click()
    expect(forced.nth(1).locator(".raw-request")).to_contain_text('"force_refresh": true')
    expect(forced.nth(1).locator(".raw-response")).to_contain_text('"access_token": "***"')


def _phone_quota(lab, steps, token):
    lab.expect_page("phone")
    expect(lab.page.get_by_test_id("phone-detail")).to_contain_text("errno: 1400001")
    assert lab.outcomes("sandbox_device.phone_number")[-1] == "getPhoneNumber:fail no quota"
    quota = lab.page.request.get("/sandbox/phone-quota").json()["apps"]
    assert {row["appid"]: row["remaining"] for row in quota}[MINIPROGRAM_APPID] == 1000
    expect(lab.page.get_by_test_id("phone-sheet")).to_have_count(0)  # never asked


def _snapshot(lab, steps, token):
    lab.expect_page("webview")
    expect(lab.frame.locator(".wx-snapshot")).to_be_visible()
    # No account was made for the virtual identity, and snapshot mode is off again.
    expect(lab.panel("web-sessions")).to_contain_text("没有 H5 会话。")
    expect(lab.panel("user")).not_to_contain_text("服务号")
    assert "sandbox_snapshot" not in [cookie["name"] for cookie in lab.page.context.cookies()]


CHECKS = {
    "rotation": _rotation,
    "double-submit": _double_submit,
    "wrong-app": _wrong_app,
    "busy": _busy,
    "quota": _quota,
    "state-mismatch": _state_mismatch,
    "state-replay": _state_replay,
    "state-cookie": _state_cookie,
    "redirect-uri": _redirect_uri,
    "redirect-port": _redirect_port,
    "hash-router": _hash_router,
    "snapshot": _snapshot,
    "force-refresh": _force_refresh,
    "phone-quota": _phone_quota,
}


def test_only_the_labs_own_request_drops_the_web_views_cookie(app):
    """The dropped-cookie pitfall's helper deletes the session cookie for a JSON request (the
    lab's fetch), and refuses anything a form on another site could send."""
    client = app.test_client()
    client.set_cookie("session", "anything")

    refused = client.post("/lab/api/webview/drop-cookies", data={"x": "1"})
    assert refused.status_code == 400 and client.get_cookie("session") is not None

    dropped = client.post("/lab/api/webview/drop-cookies", json={})
    assert dropped.get_json() == {"dropped": ["session"]}
    assert client.get_cookie("session") is None
