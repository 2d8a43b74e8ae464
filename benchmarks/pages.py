"""What a page costs a browser: bytes and requests on a first visit and on a repeat visit.

Chromium (through Playwright) opens each page in a new browser context (an empty cache), then
navigates to it once more, as a person coming back would; all the pages at the same time. The
DevTools protocol says what went over the network: every request that was not answered from the
browser's cache, and the bytes it took (headers and body, as DevTools' "transferred" column).
"""

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
# Who holds the phone. Every page is reached (logged in, consent given) before any loads, so
# the home page has a persona of its own: lihua's greets her by the nickname her consent gave.
# amy, who never answers, is on the consent page.
PERSONA = "lihua"
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
    ("H5 home (logged in)", "xiaoming", logged_in_snsapi_base),
    ("H5 profile (snsapi_userinfo)", PERSONA, logged_in_snsapi_userinfo),
    ("WeChat consent page (sandbox)", "amy", consent_page),
    ("the lab", PERSONA, logged_out("/lab/")),
)


def measure_pages(base_url, chromium):
    """Return a PageWeight for each of PAGES.

    Each page has a browser context of its own, and all of them load at once: what one
    visit measures is its own context's traffic, and the half second of quiet network that
    ends each visit is waited out for all pages together."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            tabs = [_open(browser, base_url, persona, reach) for _, persona, reach in PAGES]
            first = _visit_all(tabs)
            repeat = _visit_all(tabs)
        finally:
            browser.close()
    names, paths = [name for name, _, _ in PAGES], [path for _, path in tabs]
    return list(map(PageWeight, names, paths, first, repeat))


def _open(browser, base_url, persona, reach):
    """A tab in a new context, with ``persona`` holding the phone; returns (tab, path)."""
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.add_cookies([{"name": "sandbox_user", "value": persona, "url": base_url}])
    path = urlsplit(reach(context, base_url))._replace(scheme="", netloc="", fragment="")
    return context.new_page(), path.geturl()  # the browser never sends a #fragment


def _visit_all(tabs):
    """Navigate each tab to its path, all at once; wait until each one's network is idle."""
    recordings = []
    for tab, path in tabs:
        recordings.append(_Recording(tab))
        tab.goto(path, wait_until="commit")
    for tab, _ in tabs:
        tab.wait_for_load_state("networkidle")
    return [recording.visit() for recording in recordings]


class _Recording:
    """What goes over a tab's network from now on, as DevTools sees it."""

    def __init__(self, tab):
        self.requests, self.cached, self.finished, self.redirects = {}, set(), {}, {}
        self._devtools = tab.context.new_cdp_session(tab)
        self._devtools.send("Network.enable")
        self._devtools.on("Network.requestWillBeSent", self._sent)
        self._devtools.on("Network.requestServedFromCache", self._from_cache)
        self._devtools.on(
            "Network.responseReceived",
            lambda event: event["response"].get("fromDiskCache") and self._from_cache(event),
        )
        self._devtools.on(
            "Network.loadingFinished",
            lambda event: self.finished.__setitem__(event["requestId"], event["encodedDataLength"]),
        )

    def _sent(self, event):
        # A redirect comes as the next request of the same id: each hop counts.
        request_id = event["requestId"]
        self.requests.setdefault(request_id, []).append(
            (event["request"]["url"], event.get("type", "Other"))
        )
        if "redirectResponse" in event:
            size = event["redirectResponse"].get("encodedDataLength", 0)
            self.redirects[request_id] = self.redirects.get(request_id, 0) + size

    def _from_cache(self, event):
        self.cached.add(event["requestId"])

    def visit(self):
        """Stop recording; return the Visit: what went over the network, not from the cache."""
        self._devtools.detach()
        visit = Visit()
        for request_id, hops in self.requests.items():
            if request_id in self.cached:
                continue
            visit.bytes += self.finished.get(request_id, 0) + self.redirects.get(request_id, 0)
            for url, kind in hops:
                visit.requests += 1
                visit.paths.append(urlsplit(url).path)
                if kind in ASSET_TYPES:
                    visit.asset_requests += 1
                elif kind in ("Fetch", "XHR"):
                    visit.data_requests += 1
        return visit
