"""/lab/miniprogram/<version>/<path>: the folder's files as the lab's phone runs them."""

import os

from webapp.lab import miniprogram


def served(client, path, version=None):
    return client.get(f"/lab/miniprogram/{version or miniprogram.version()}/{path}")


def source_lines(path):
    with open(os.path.join(miniprogram.FOLDER, path), encoding="utf-8") as file:
        return file.read().splitlines()


def test_a_file_is_an_es_module_with_the_files_own_line_numbers(client):
    answer = served(client, "utils/auth.js")

    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    lines = answer.get_data(as_text=True).splitlines()
    original = source_lines("utils/auth.js")
    assert lines[0] == miniprogram.OPENING + original[0]
    assert lines[1 : len(original)] == original[1:]  # line n of the module is line n of the file
    assert lines[len(original)] == "}"


def test_the_lab_gets_its_own_config(client):
    """The lab's phone talks to the server it came from, whose sandbox its wx already uses."""
    module = served(client, "config.js").get_data(as_text=True)
    assert "server: ''" in module and "sandbox: null" in module
    assert "127.0.0.1:8000" not in module


def test_only_the_folders_javascript_is_served(client):
    for path in ("app.json", "pages/login/index.wxml", "../config.py", "nothing.js"):
        assert served(client, path).status_code == 404, path


def test_a_browser_keeps_a_file_under_its_version_and_no_other(client):
    kept = served(client, "app.js")
    assert "immutable" in kept.headers["Cache-Control"]
    assert "max-age=31536000" in kept.headers["Cache-Control"]
    assert "Cookie" not in kept.headers.get("Vary", "")  # the same file for every visitor
    elsewhere = served(client, "app.js", version="0123456789ab")
    assert elsewhere.status_code == 200
    assert elsewhere.headers["Cache-Control"] == "no-cache"


def test_the_lab_page_names_the_folder_every_file_and_the_app_json(client):
    page = client.get("/lab/").get_data(as_text=True)
    assert '"pagePath": "pages/login/index"' in page
    assert f'data-miniprogram-base="/lab/miniprogram/{miniprogram.version()}/"' in page
    for path in (
        "app.js",
        "utils/request.js",
        "pages/login/index.js",
        "components/privacy-popup/index.js",
    ):
        assert f'"{path}"' in page


def test_the_source_viewer_shows_the_mini_programs_files(client):
    page = client.get("/lab/source/miniprogram/pages/login/index.wxml").get_data(as_text=True)
    assert "&lt;button type=&#34;primary&#34; bindtap=&#34;onLogin&#34;&gt;" in page
