"""Browser tests: Playwright driving the system's Chromium (no downloaded browser), the
watch that fails a test on a console error, a page error or a request leaving the machine,
and the pool that hands each test clean browser contexts."""

import os
import re
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

LOCAL = ("http://127.0.0.1", "data:", "about:")
# What Chromium logs for every response with an error status, a page's or a fetch()'s.
FAILED_LOAD = re.compile(
    r"Failed to load resource: the server responded with a status of (\d{3})\b"
)


class TabWatch:
    """Collect what fails a browser test: console errors (CSP refusals included), page errors,
    and requests that leave the machine (anything not starting with ``allowed``).

    Chromium also logs "Failed to load resource" for each response with an error status. A
    test whose flow asks for such answers passes ``excuse(response)``: the line is then let
    through for a response the tab really received with that status, and only then."""

    def __init__(self, page, allowed=LOCAL, excuse=None):
        self._problems, self._console_errors, self._excused_responses = [], [], set()
        self.origins = set()  # every http(s) origin the tab asked something of
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self._console_errors.append((message.text, message.location.get("url")))
            ),
        )
        page.on("pageerror", lambda error: self._problems.append(f"page error: {error}"))
        page.on("request", lambda request: self._requested(request.url, allowed))
        if excuse is not None:
            page.on(
                "response",
                lambda response: (
                    excuse(response)
                    and self._excused_responses.add((response.url, response.status))
                ),
            )

    def _requested(self, url, allowed):
        if not url.startswith(allowed):
            self._problems.append(f"request left the machine: {url}")
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def problems(self):
        return self._problems + [
            f"console error: {text} ({url})"
            for text, url in self._console_errors
            if not self._excused(text, url)
        ]

    def excused(self):
        """The "Failed to load resource" lines let through, as (text, url), for assertions."""
        return [(text, url) for text, url in self._console_errors if self._excused(text, url)]

    def _excused(self, text, url):
        match = FAILED_LOAD.match(text)
        return bool(match) and (url, int(match.group(1))) in self._excused_responses


class ContextPool:
    """Browser contexts for one test process, each lent to one test at a time, cleaned between.

    A fresh context is what "another browser, another phone" means in these tests, but making
    one and starting its first renderer process costs about as much CPU as a short lab test
    itself. So a context that has served a test is kept, and before it serves the next one it
    is made as a new one would be: no cookies, no stored data for any origin its tabs used
    (localStorage, IndexedDB, Cache Storage), no HTTP cache, no granted permissions, no routes,
    and no tab of the last test's (popups closed; the test's own tab left on about:blank, which
    keeps the renderer process running for the next test's new tab). A context that cannot be
    cleaned is closed instead. Contexts are pooled by their options."""

    def __init__(self, browser, base_url, **options):
        self._browser, self._options = browser, {"base_url": base_url, **options}
        self._idle = {}  # options -> contexts ready for a test
        self._options_of = {}  # context -> its options, as a key of _idle

    def take(self, **options):
        """A new tab in a clean context with these options (beside the pool's own)."""
        key = repr(sorted(options.items()))
        idle = self._idle.setdefault(key, [])
        if idle:
            context = idle.pop()
        else:
            context = self._browser.new_context(**self._options, **options)
            self._options_of[context] = key
        return context.new_page()

    def give_back(self, tab, origins=()):
        """Clean the tab's context (``origins``: where its tabs stored data) for the next test."""
        context = tab.context
        try:
            self._clean(context, tab, {self._options["base_url"], *origins})
        except PlaywrightError:
            del self._options_of[context]
            context.close()
            return
        self._idle[self._options_of[context]].append(context)

    def close(self):
        for context in self._options_of:
            context.close()

    def _clean(self, context, tab, origins):
        for other in context.pages:
            if other is not tab:
                other.close()
        tab.goto("about:blank")  # the page's scripts end; the renderer process stays
        context.unroute_all(behavior="ignoreErrors")
        context.clear_cookies()
        context.clear_permissions()
        devtools = context.new_cdp_session(tab)
        for origin in sorted(origins):
            devtools.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        devtools.send("Network.clearBrowserCache")
        devtools.detach()
