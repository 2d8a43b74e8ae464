"""Browser tests: Playwright driving the system's Chromium (no downloaded browser), and the
watch that fails a test on a console error, a page error or a request leaving the machine."""

import os
import re

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
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self._console_errors.append((message.text, message.location.get("url")))
            ),
        )
        page.on("pageerror", lambda error: self._problems.append(f"page error: {error}"))
        page.on(
            "request",
            lambda request: (
                request.url.startswith(allowed)
                or self._problems.append(f"request left the machine: {request.url}")
            ),
        )
        if excuse is not None:
            page.on(
                "response",
                lambda response: (
                    excuse(response)
                    and self._excused_responses.add((response.url, response.status))
                ),
            )

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
