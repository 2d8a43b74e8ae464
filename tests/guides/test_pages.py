"""The landing page and the guides: each renders, and says what it must."""

import re
from html import unescape

import pytest

from config import SANDBOX_MINIPROGRAM_SECRET, SANDBOX_OFFICIAL_ACCOUNT_SECRET
from tests.guides.helpers import GUIDE_PATHS, PAGES, call_params, parse
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID
from webapp.guides.content import GUIDES, example_ids
from webapp.lab import pitfalls


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.name)
def test_every_guide_renders_numbered_steps(client, guide):
    html = page(client, f"/guide/{guide.name}")

    assert f"<h1>{guide.title}</h1>" in html
    steps = re.findall(r'<section class="g-step" id="step-(\d+)">', html)
    assert steps and steps == [str(n) for n in range(1, len(steps) + 1)]
    # the table of contents lists each step once
    assert re.findall(r'href="#step-(\d+)"', html)[: len(steps)] == steps
    assert html.count('class="g-exchange"') >= len(steps) - 1  # request beside response
    assert 'class="g-param"' in html  # one parameter per line


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_under_the_strict_csp(client, path):
    """No inline script, handler or style: the Content-Security-Policy would block them.
    Scripts come from this site's static files only."""
    html = page(client, path)

    assert all(
        re.fullmatch(r'<script src="/static/[0-9a-f]+/js/[\w/.-]+\.js" defer></script>', tag)
        for tag in re.findall(r"<script\b.*?</script>", html, re.S)
    )
    assert not re.search(r"\son[a-z]+=", html)
    assert " style=" not in html and "<style" not in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_no_secret(client, path):
    html = page(client, path)

    for secret in (SANDBOX_MINIPROGRAM_SECRET, SANDBOX_OFFICIAL_ACCOUNT_SECRET):
        assert secret not in html
    if path in ("/guide/login", "/guide/phone", "/guide/web-auth"):
        assert "APPSECRET" in html  # where a secret goes, a placeholder stands


def test_unknown_guide_is_404(client):
    assert client.get("/guide/oauth3").status_code == 404


def test_guide_index_lists_every_guide_and_the_decrypt_tool(client):
    html = page(client, "/guide/")

    for path in [*GUIDE_PATHS, "/guide/decrypt"]:
        assert f'href="{path}"' in html


# The login guide


def test_login_guide_lists_code2session_one_parameter_per_line(client):
    html = page(client, "/guide/login")

    assert call_params(html, "https://api.weixin.qq.com/sns/jscode2session") == [
        "appid",
        "secret",
        "js_code",
        "grant_type",
    ]
    assert call_params(html, "/api/login") == ["code", "device"]
    assert (
        f"?appid={MINIPROGRAM_APPID}&amp;secret=APPSECRET&amp;js_code=CODE&amp;grant_type=authorization_code"
        in html
    )


def test_login_guide_covers_its_pitfalls(client):
    html = page(client, "/guide/login")

    assert "5 分钟" in html and "只能用一次" in html
    assert "-41003" in html and "因为 session_key 已经换了" in html
    assert "40900" in html and "409 CONFLICT" in html  # a double tap
    assert "401" in html and "wx.removeStorageSync" in html  # 401: log in again
    assert 'href="/lab/source/webapp/miniapi/views.py#L' in html
    # WeChat answers even a wrong request with HTTP 200 and an errcode; each lane its own way.
    for errcode in ("43001", "43002", "40066", "44002"):
        assert errcode in html, errcode
    note = html[html.index('data-testid="error-shapes"') :]
    lanes = re.findall(r"<li>(.*?)</li>", note[: note.index("</ul>")], re.S)
    assert [re.sub(r"<[^>]+>", "", lane).split("（")[0] for lane in lanes] == [
        "/sandbox/api",
        "/sandbox/device",
        "/api",
        "页面",
    ]
    for lane, shape in zip(lanes, ("errmsg", "errno", "信封", "不是 JSON"), strict=True):
        assert shape in lane, lane


# The profile and phone guides


def test_profile_guide_explains_the_timeline(client):
    html = page(client, "/guide/profile")

    for date in ("2021-04-28", "2021-10-20", "2022-11-08"):
        assert f'<time datetime="{date}">{date}</time>' in html
    assert "getUserProfile" in html and "微信用户" in html
    assert "chooseAvatar" in html and 'type="nickname"' in html
    assert "can only be invoked by user TAP gesture" in html
    assert call_params(html, "/api/profile/legacy") == [
        "rawData",
        "signature",
        "encryptedData",
        "iv",
    ]


def test_phone_guide_compares_code_and_decrypt(client):
    html = page(client, "/guide/phone")

    assert call_params(html, "/api/phone") == ["code"]
    assert call_params(html, "/api/phone/legacy") == ["encryptedData", "iv"]
    assert call_params(html, "https://api.weixin.qq.com/wxa/business/getuserphonenumber") == [
        "access_token"
    ]
    assert "2023-08" in html and "1000" in html  # paid, with a free trial quota
    assert "把 wx.login 的 code 当成手机号 code" in html and "40029" in html and "40004" in html
    assert "40164" in html and "SANDBOX_IP_WHITELIST" in html
    assert "查哪几个接口是沙箱的选择" in html


# The permissions guide


def test_permissions_guide_links_to_the_live_authsetting(client):
    html = page(client, "/guide/permissions")

    assert f'href="/sandbox/device/setting?appid={MINIPROGRAM_APPID}&amp;user=xiaoming"' in html
    assert "authorize:fail auth deny" in html and "wx.openSetting" in html
    assert "2023-10-17" in html and "沙箱没有模拟隐私协议" not in html
    # What the app does now: the privacy guide is modelled, its errnos shown, its link live.
    for words in ("wx.onNeedPrivacyAuthorization", "agreePrivacyAuthorization", "errno 104"):
        assert words in html, words
    assert "api scope is not declared in the privacy agreement" in html
    assert (
        f'href="/sandbox/device/privacy-setting?appid={MINIPROGRAM_APPID}&amp;user=xiaoming"'
        in (html)
    )


# The web-authorization guide


def test_web_auth_guide_has_the_authorize_url_in_wechats_order(client):
    html = page(client, "/guide/web-auth")

    assert call_params(html, "https://open.weixin.qq.com/connect/oauth2/authorize") == [
        "appid",
        "redirect_uri",
        "response_type",
        "scope",
        "state",
        "#wechat_redirect",
    ]
    assert call_params(html, "https://api.weixin.qq.com/sns/oauth2/access_token") == [
        "appid",
        "secret",
        "code",
        "grant_type",
    ]
    assert (
        f"appid={OFFICIAL_ACCOUNT_APPID}&amp;redirect_uri=http%3A%2F%2Flocalhost%2Fh5%2Fcallback"
        in html
    )
    # the token exchange is one of the calls the sandbox's IP whitelist checks
    exchange = html[html.index('id="step-5"') : html.index('id="step-6"')]
    assert "40164" in exchange and "SANDBOX_IP_WHITELIST" in exchange
    assert "<code>/sns/oauth2/access_token</code> 上检查：查哪几个接口是沙箱的选择" in exchange


def test_web_auth_guide_tells_the_snapshot_page_as_the_lab_does(client):
    """One explanation of the snapshot page, with both of its conditions, in the guide and in
    the lab's pitfall."""
    guide = page(client, "/guide/web-auth")
    lab = page(client, "/lab/")
    told = unescape(re.search(r'<p data-testid="snapshot-page">(.*?)</p>', guide, re.S).group(1))
    card = lab[lab.index('data-pitfall-explanation="snapshot"') :]
    why = unescape(re.search(r'<dd data-testid="pitfall-why">(.*?)</dd>', card, re.S).group(1))

    assert told == pitfalls.SNAPSHOT_PAGE and why.startswith(told)
    assert "朋友圈" in told and "单页模式" in told  # opened as a single page
    assert "一进来就请求 snsapi_userinfo" in told  # and asking for the profile on entry
    assert "两个条件缺一个都不会出现快照页" in told


def test_web_auth_guide_says_a_service_account_is_an_official_account(client):
    html = page(client, "/guide/web-auth")
    definition = re.search(r'<p [^>]*data-testid="service-account">(.*?)</p>', html, re.S)

    text = re.sub(r"<[^>]+>", "", definition.group(1))
    assert "服务号是公众号的一种" in text and "订阅号" in text
    assert "网页授权的接口只有（通过了微信认证的）服务号才有" in text


def test_web_auth_guide_shows_the_state_check_and_a_mismatch(client):
    html = page(client, "/guide/web-auth")

    for box in ("① 生成", "② 保存", "③ 比对"):
        assert box in html
    assert "_state_wechat_STATE" in html
    assert 'href="/h5/callback?code=fake&amp;state=forged"' in html
    assert 'href="/h5/login?scope=snsapi_base&amp;next=/h5/"' in html
    assert 'href="/h5/login?scope=snsapi_userinfo&amp;next=/h5/profile"' in html
    assert "redirect_uri=https%3A%2F%2Fevil.example%2Fcb" in html
    # each of the three places links to its code
    assert re.search(
        r'href="/lab/source/webapp/h5/wechat_oauth.py#L\d+"[^>]*>.*?create_authorization_url\(\)',
        html,
    )
    assert re.search(r'href="/lab/source/webapp/h5/views.py#L\d+"[^>]*>.*?login\(\)', html)
    assert re.search(
        r'href="/lab/source/webapp/h5/wechat_oauth.py#L\d+"[^>]*>.*?get_state_data\(\)', html
    )


def test_web_auth_guide_shows_both_openids_and_the_unionid(client):
    html = page(client, "/guide/web-auth")
    ids = example_ids()

    assert ids["miniprogram_openid"] != ids["official_openid"]
    for value in ids.values():
        assert value in html


# The bridge and resets guides


def test_bridge_guide_walks_the_ticket(client):
    html = page(client, "/guide/bridge")

    assert call_params(html, "/h5/bridge") == ["ticket"]
    assert "60 秒" in html and "只能用一次" in html
    assert 'href="/h5/bridge?ticket=forged"' in html


def test_resets_guide_is_a_table_of_states_and_ways(client):
    html = page(client, "/guide/resets")
    table = html[html.index('<table class="data g-matrix">') : html.index("</table>")]

    for column in (
        "清除数据缓存",
        "清除授权数据",
        "清除登录状态",
        "全部清除",
        "真实用户",
        "我们的代码",
    ):
        assert column in table
    rows = re.findall(r'<th scope="row">(.*?)<', table)
    assert rows == [
        "wx 本地存储",
        "authSetting",
        "隐私保护指引的同意",
        "session_key",
        "我们的 token",
        "H5 会话",
        "微信的网页授权记录",
        "拒绝缓存 ",
    ]
    assert table.count("<tr>") == 2 + len(rows)
    # each state row has the four DevTools cells
    assert table.count('<td class="g-dt">') == 4 * len(rows)
    assert "从小程序里清不掉的" in html


# The landing page


def test_landing_page_puts_the_three_concepts_side_by_side(client):
    html = page(client, "/")

    concepts = re.findall(
        r'<section class="l-concept l-concept-([a-z-]+)">(.*?)</section>', html, re.S
    )
    assert [name for name, _ in concepts] == ["login", "authorization", "web-auth"]
    links = {name: parse(body).hrefs for name, body in concepts}
    assert links["login"] == ["/guide/login"]
    assert links["authorization"] == ["/guide/profile", "/guide/phone", "/guide/permissions"]
    assert links["web-auth"] == ["/guide/web-auth", "/guide/bridge"]
    for _, body in concepts:  # the same rows in each column
        assert body.count('<dl class="l-row">') == 6


def test_landing_page_says_how_to_use_the_app_and_the_key_facts(client):
    html = page(client, "/")
    hrefs = parse(html).hrefs

    for path in (
        "/lab/",
        "/guide/",
        "/api/docs",
        "/h5/",
        "/sandbox/",
        "/guide/decrypt",
        "/guide/resets",
    ):
        assert path in hrefs
    assert "openid 每个应用一个，unionid 每个人一个" in html
    assert "session_key 永远不离开服务器" in html
    assert "什么会重置什么" in html
    ids = example_ids()
    assert ids["miniprogram_openid"] in html and ids["official_openid"] in html


def test_without_the_sandbox_the_landing_page_links_only_to_what_exists(make_app):
    """SANDBOX_ENABLED off (as in production): no lab, no guides, and no link to them."""
    app = make_app(
        SANDBOX_ENABLED=False,
        WECHAT_API_BASE="https://api.weixin.qq.com",
        WECHAT_OPEN_BASE="https://open.weixin.qq.com",
    )
    client = app.test_client()
    html = page(client, "/")
    hrefs = [href for href in parse(html).hrefs if href.startswith("/")]
    assert "小程序登录" in html and "/guide/login" not in hrefs and "/lab/" not in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("path", ["/", "/guide/login", "/lab/", "/api/docs", "/sandbox/"])
def test_the_top_navigation_offers_the_guides(client, path):
    html = page(client, path)
    nav = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert '<a href="/guide/">指南</a>' in nav
