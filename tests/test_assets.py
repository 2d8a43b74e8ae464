"""Static files: under a version of their folder's content, kept by browsers for a year."""

import re
from urllib.parse import urljoin

import pytest
from flask import request

from webapp import STATIC_FOLDER
from webapp.assets import folder_version

VERSION = folder_version(STATIC_FOLDER)
RELATIVE_IMPORT = re.compile(r"""(?:from|import)\s+['"](\./[^'"]+)['"]""")


def test_pages_link_their_files_under_the_folders_version(client):
    page = client.get("/h5/about").get_data(as_text=True)
    assert f'href="/static/{VERSION}/css/wechat.css"' in page
    assert f'src="/static/{VERSION}/js/h5.js"' in page

    answer = client.get(f"/static/{VERSION}/css/wechat.css")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/css/wechat.css").status_code == 404  # no unversioned copy


def test_a_file_kept_a_year_does_not_vary_by_cookie(client):
    """Else a browser asks for every file again once the lab sets a cookie (sandbox_user)."""
    client.set_cookie("sandbox_user", "xiaohong")
    answer = client.get(f"/static/{VERSION}/favicon.svg")
    assert "immutable" in answer.headers["Cache-Control"]
    assert "Cookie" not in answer.headers.get("Vary", "")
    # A page still does: what it shows depends on the session.
    assert "Cookie" in client.get("/lab/").headers["Vary"]


def test_any_change_to_any_file_makes_a_new_version(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    (tmp_path / "b.css").write_text("body {}\n")
    first = folder_version(tmp_path)
    assert folder_version(tmp_path) == first

    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    changed = folder_version(tmp_path)
    (tmp_path / "js" / "a.js").rename(tmp_path / "js" / "c.js")
    renamed = folder_version(tmp_path)
    assert len({first, changed, renamed}) == 3


def test_the_labs_modules_reach_each_other_under_the_version(client):
    """The lab's modules import each other by relative path: every import resolves under the
    importing module's versioned URL, to a file kept a year."""
    pending, seen = [f"/static/{VERSION}/js/lab/lab.js"], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "max-age=31536000" in answer.headers["Cache-Control"]
        for relative in RELATIVE_IMPORT.findall(answer.get_data(as_text=True)):
            imported = urljoin(url, relative)
            assert imported.startswith(f"/static/{VERSION}/js/lab/"), imported
            if imported not in seen:
                pending.append(imported)
    assert len(seen) == 10  # lab.js and the nine modules it reaches


@pytest.fixture
def app(make_app):
    """An app of this module's own: a test here adds a hook to it (see the ``app`` fixture)."""
    return make_app()


def test_a_repeat_visit_asks_the_server_for_the_page_alone(app, page):
    reached = []
    app.before_request(lambda: reached.append(request.path))

    for path in ("/h5/about", "/lab/"):
        page.goto(path, wait_until="networkidle")
        assert any(hit.startswith("/static/") for hit in reached), reached
        reached.clear()
        page.goto(path, wait_until="networkidle")
        # The page, and no file again. (The lab's scripts then ask for data: the inspector's
        # state, the timeline, what the phone asks WeChat as it starts.)
        assert reached[0] == path, reached
        assert not [hit for hit in reached if hit.startswith("/static/")], reached
        if path == "/h5/about":
            assert reached == [path]
        reached.clear()
