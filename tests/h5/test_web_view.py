"""Where an H5 page runs, as its script finds out: a plain browser (no way back), the lab's
simulated web-view (a same-origin iframe: back is a message to the lab), or a real mini-program
web-view (back is WeChat's JSSDK, loaded from res.wx.qq.com)."""

from playwright.sync_api import expect

JSSDK = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"
# What WeChat's JSSDK offers a web-view page, reduced to the one call these pages make.
JSSDK_STUB = "window.wx = {miniProgram: {navigateBack: function () { window.__back = true; }}};"
MINI_PROGRAM_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47 "
    "miniProgram/wx5d1c4a0f3e2b7a91"
)


def back_button(frame):
    return frame.get_by_role("button", name="返回小程序")


def environment_label(frame):
    return frame.locator("[data-env-label]")


def test_in_a_plain_browser_there_is_no_way_back(page):
    """Opened directly, the page says so and hides 返回小程序."""
    page.goto("/h5/")

    expect(environment_label(page)).to_have_text("运行在普通浏览器中")
    expect(back_button(page)).to_be_hidden()


def test_in_a_plain_browser_the_page_keeps_a_phones_width_and_links_back_to_the_site(new_tab):
    """On a wide screen the page stays as wide as a phone (as in a web-view), and a link leads
    back to the site, which a web-view would hide."""
    page = new_tab(viewport={"width": 1440, "height": 900})
    page.goto("/h5/")

    body = page.locator("body").bounding_box()
    button = page.get_by_role("link", name="静默登录（snsapi_base）").bounding_box()
    assert body["width"] <= 480 and abs(body["x"] + body["width"] / 2 - 720) < 2  # centred
    assert button["width"] < 480
    page.get_by_role("link", name="← 回到微信授权实验室").click()
    expect(page.locator("h1")).to_have_text("微信授权实验室")


def test_in_the_labs_web_view_back_is_a_message_to_the_lab(page, live_server):
    """In a same-origin iframe (the lab's simulated web-view), 返回小程序 posts
    {type: "web-view", action: "navigateBack"} to the parent page."""
    page.goto("/h5/about")
    page.evaluate("""() => {
        window.__messages = [];
        window.addEventListener('message', (event) =>
            window.__messages.push({origin: event.origin, data: event.data}));
        const webView = document.createElement('iframe');
        webView.title = 'web-view';
        webView.src = '/h5/';
        document.body.appendChild(webView);
    }""")
    web_view = page.frame_locator("iframe[title=web-view]")

    expect(environment_label(web_view)).to_have_text("运行在实验室的模拟 web-view 中")
    back_button(web_view).click()

    page.wait_for_function("() => window.__messages.length > 0")
    assert page.evaluate("window.__messages") == [
        {"origin": live_server.url, "data": {"type": "web-view", "action": "navigateBack"}}
    ]
    expect(environment_label(page)).to_have_text("运行在普通浏览器中")


def test_in_a_mini_program_web_view_back_is_wechats_jssdk(new_tab):
    """With miniProgram in the user agent, the page loads WeChat's JSSDK (served here by a
    route, never fetched) and 返回小程序 calls wx.miniProgram.navigateBack."""
    tab = new_tab(allowed=("https://res.wx.qq.com/",), user_agent=MINI_PROGRAM_UA)
    served = []

    def serve_jssdk(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="application/javascript", body=JSSDK_STUB)

    tab.context.route("https://res.wx.qq.com/**", serve_jssdk)

    tab.goto("/h5/")

    expect(environment_label(tab)).to_have_text("运行在小程序 web-view 中")
    back_button(tab).click()
    tab.wait_for_function("() => window.__back === true")
    assert served == [JSSDK]
