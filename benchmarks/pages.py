"""What a page costs a browser: bytes and requests on a first visit and on a repeat visit.

Chromium (through Playwright) opens each page in a new browser context (an empty cache), then
navigates to it once more, as a person coming back would. The DevTools protocol says what went
over the network: every request that was not answered from the browser's cache, and the bytes
it took (headers and body, as DevTools' "transferred" column).
"""

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PERSONA = "lihua"  # who holds the phone; amy, who never answers it, on the consent page
_CONSENT_TOKEN = re.compile(r'name="token" value="([^"]+)"')
# What a page loads to show itself; the rest (fetch, XHR) is data its scripts ask for.
ASSET_TYPES = {"Stylesheet", "Script", "Image", "Font", "Other"}


@dataclass
class Visit:
    requests: int = 0  # requests that reached the server
    bytes: int = 0  # their size on the wire: headers and bodies
    asset_requests: int = 0  # of them, the page's files (styles, scripts, images)
    data_requests: int = 0  # of them, what the page's scripts fetched
    paths: list = field(default_factory=list)  # what reached the server, in order


@dataclass
class PageWeight:
    name: str
    path: str
    first: Visit
    repeat: Visit

    def as_dict(self):
        return asdict(self)


# Each page: its name, the persona holding the phone, and how to reach it: a function that
# prepares the browser context through its API (which leaves the browser's cache empty) and
# returns the path to visit.


def logged_out(path):
    return lambda context, base_url: path


def logged_in_snsapi_base(context, base_url):
    context.request.get(f"{base_url}/h5/login?scope=snsapi_base&next=/h5/")
    return "/h5/"


def logged_in_snsapi_userinfo(context, base_url):
    consent = context.request.get(f"{base_url}/h5/login?scope=snsapi_userinfo&next=/h5/profile")
    token = _CONSENT_TOKEN.search(consent.text()).group(1)
    context.request.post(
        f"{base_url}/sandbox/open/connect/oauth2/authorize/decision",
        form={"token": token, "decision": "allow"},
    )
    return "/h5/profile"


def consent_page(context, base_url):
    """WeChat's authorize URL for snsapi_userinfo, as /h5/login redirects to it."""
    start = context.request.get(
        f"{base_url}/h5/login?scope=snsapi_userinfo&next=/h5/profile", max_redirects=0
    )
    return start.headers["location"]


PAGES = (
    ("H5 welcome", PERSONA, logged_out("/h5/")),
    ("H5 about", PERSONA, logged_out("/h5/about")),
    ("H5 home (logged in)", PERSONA, logged_in_snsapi_base),
    ("H5 profile (snsapi_userinfo)", PERSONA, logged_in_snsapi_userinfo),
    ("WeChat consent page (sandbox)", "amy", consent_page),
    ("the lab", PERSONA, logged_out("/lab/")),
)


def measure_pages(base_url, chromium):
    """Return a PageWeight for each of PAGES."""
    from playwright.sync_api import sync_playwright

    weights = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            for name, persona, reach in PAGES:
                context = browser.new_context(base_url=base_url, locale="zh-CN")
                context.add_cookies([{"name": "sandbox_user", "value": persona, "url": base_url}])
                path = urlsplit(reach(context, base_url))._replace(
                    scheme="", netloc="", fragment=""
                )
                path = path.geturl()  # the browser never sends a #fragment
                page = context.new_page()
                first = _visit(context, page, path)
                repeat = _visit(context, page, path)
                weights.append(PageWeight(name, path, first, repeat))
                context.close()
        finally:
            browser.close()
    return weights


def _visit(context, page, path):
    """Navigate to ``path`` and wait until the network is idle; return what went over it."""
    devtools = context.new_cdp_session(page)
    devtools.send("Network.enable")
    requests, cached, finished, redirects = {}, set(), {}, {}

    def sent(event):
        # A redirect comes as the next request of the same id: each hop counts.
        hops = requests.setdefault(event["requestId"], [])
        hops.append((event["request"]["url"], event.get("type", "Other")))
        if "redirectResponse" in event:
            redirects[event["requestId"]] = redirects.get(event["requestId"], 0) + event[
                "redirectResponse"
            ].get("encodedDataLength", 0)

    devtools.on("Network.requestWillBeSent", sent)
    devtools.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    devtools.on(
        "Network.responseReceived",
        lambda event: event["response"].get("fromDiskCache") and cached.add(event["requestId"]),
    )
    devtools.on(
        "Network.loadingFinished",
        lambda event: finished.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page.goto(path, wait_until="networkidle")
    devtools.detach()

    visit = Visit()
    for request_id, hops in requests.items():
        if request_id in cached:
            continue
        visit.bytes += finished.get(request_id, 0) + redirects.get(request_id, 0)
        for url, kind in hops:
            visit.requests += 1
            visit.paths.append(urlsplit(url).path)
            if kind in ASSET_TYPES:
                visit.asset_requests += 1
            elif kind in ("Fetch", "XHR"):
                visit.data_requests += 1
    return visit
