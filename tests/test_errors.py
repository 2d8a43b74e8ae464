"""The error handlers: what they keep (405's Allow), what they let through (a real bug's
traceback in tests and in the debugger), and what a visitor sees instead (a calm 500)."""

import logging

import pytest


def boom():
    raise RuntimeError("a bug")


@pytest.fixture
def buggy_app(make_app):
    """An app with two views that fail like a bug: one under /api, one page."""

    def make(**settings):
        app = make_app(**settings)
        app.add_url_rule("/api/boom", "api_boom", boom)
        app.add_url_rule("/boom", "page_boom", boom)
        return app

    return make


def test_a_405_keeps_its_allow_header_in_json(client):
    response = client.delete("/api/login")

    assert response.status_code == 405
    assert response.get_json()["code"] == 40500
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_a_405_keeps_its_allow_header_on_a_page(client):
    response = client.post("/h5/about")

    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"].split(", ")


def test_in_tests_and_in_the_debugger_a_bug_raises_its_own_traceback(buggy_app):
    for settings in ({}, {"DEBUG": True}):
        client = buggy_app(**settings).test_client()
        for path in ("/api/boom", "/boom"):
            with pytest.raises(RuntimeError, match="a bug"):
                client.get(path)


def test_served_a_bug_answers_a_calm_500_and_logs_the_cause(buggy_app, caplog):
    app = buggy_app(PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()

    with caplog.at_level(logging.ERROR):
        api = client.get("/api/boom")
        page = client.get("/boom")

    assert api.status_code == 500
    assert api.get_json() == {
        "code": 50000,
        "msg": "the server failed unexpectedly: the cause is in its log",
    }
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "a bug" not in page.get_data(as_text=True)
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert [str(error) for error in logged] == ["a bug", "a bug"]
