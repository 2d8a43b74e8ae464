"""Fixtures for the H5 browser tests."""

import pytest

from tests.h5.helpers import problem_page
from tests.support import LOCAL


@pytest.fixture
def new_tab(watched_tabs):
    """Open a tab in a clean browser context (its own cookies: another browser, another phone),
    watched like the ``page`` fixture: the test fails on a console error, a page error or a
    request leaving the machine. ``allowed`` adds URL prefixes the test routes itself;
    ``problem_pages`` lets the tab show our 400 explanation pages (see problem_page)."""

    def open_tab(allowed=(), problem_pages=False, **context_options):
        excuse = problem_page if problem_pages else None
        tab, _ = watched_tabs(LOCAL + tuple(allowed), excuse, **context_options)
        return tab

    return open_tab


@pytest.fixture
def h5_page(new_tab):
    """Like ``page``, for tests that end on an explanation page answered with 400: Chrome's
    "Failed to load resource" line for that very document is expected, nothing else is."""
    return new_tab(problem_pages=True)
