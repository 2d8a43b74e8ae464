"""Fixtures for the lab's browser tests: a watched tab and the lab page opened in it."""

import pytest

from tests.lab.helpers import LAB_LOCAL, Lab, agree_privacy, error_answer

# Wide enough for the phone, the side panels and the timeline to sit as a learner sees them.
VIEWPORT = {"width": 1440, "height": 1100}


@pytest.fixture
def lab_tab(watched_tabs, live_server):
    """Open a tab in a clean browser context (its own cookies and localStorage: another
    phone), watched like the ``page`` fixture, except that Chromium's "Failed to load
    resource" line is let through for a response the tab really received with that 4xx/5xx
    status (see TabWatch). ``privacy_agreed``: every persona agreed to the privacy guide
    before (WeChat's record, in the sandbox), so the lab starts without the popup."""

    def open_tab(privacy_agreed=True, **context_options):
        tab, watch = watched_tabs(LAB_LOCAL, error_answer, viewport=VIEWPORT, **context_options)
        if privacy_agreed:
            agree_privacy(live_server.url)
        return tab, watch

    return open_tab


@pytest.fixture
def new_lab(lab_tab):
    """A Lab on a fresh tab, not opened yet."""

    def make(privacy_agreed=True):
        return Lab(*lab_tab(privacy_agreed=privacy_agreed))

    return make


@pytest.fixture
def lab(new_lab):
    """The lab page, opened, with 小明 logged in by the mini-program's automatic login."""
    return new_lab().open()
