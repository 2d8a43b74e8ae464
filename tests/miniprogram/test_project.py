"""The mini-program folder as WeChat DevTools opens it: its project files, its pages and
components, and that its WXML and JSON are well formed."""

import json
import os
import re

import pytest

from tests.miniprogram.wxml import Wxml, WxmlError
from webapp.lab import miniprogram

FOLDER = miniprogram.FOLDER


def read(path):
    with open(os.path.join(FOLDER, path), encoding="utf-8") as file:
        return file.read()


def app_json():
    return json.loads(read("app.json"))


def pages_and_components():
    """Every page and component, as the path of its files without the extension."""
    components = [path.lstrip("/") for path in app_json()["usingComponents"].values()]
    return app_json()["pages"] + components


def test_devtools_opens_it_as_a_mini_program():
    project = json.loads(read("project.config.json"))
    assert project["compileType"] == "miniprogram"
    # A placeholder DevTools accepts: the README says to put your own (or a test account's).
    assert project["appid"] == "touristappid"
    # 不校验合法域名: http://127.0.0.1 for local work (a phone needs registered HTTPS domains).
    assert project["setting"]["urlCheck"] is False
    assert json.loads(read("sitemap.json"))["rules"]
    assert os.path.isfile(os.path.join(FOLDER, "app.js"))
    assert os.path.isfile(os.path.join(FOLDER, "app.wxss"))


def test_every_json_file_is_json():
    for path in miniprogram_files(".json"):
        json.loads(read(path))  # raises on a comment or a trailing comma, as DevTools would


def miniprogram_files(suffix):
    for parent, _, files in os.walk(FOLDER):
        for name in files:
            if name.endswith(suffix):
                yield os.path.relpath(os.path.join(parent, name), FOLDER)


def test_every_page_and_component_has_its_files():
    for path in pages_and_components():
        for suffix in (".js", ".json", ".wxml"):
            assert os.path.isfile(os.path.join(FOLDER, path + suffix)), path + suffix
    assert json.loads(read("components/privacy-popup/index.json"))["component"] is True


def test_the_tab_bar_lists_pages_and_the_first_page_is_not_a_tab():
    config = app_json()
    tabs = [tab["pagePath"] for tab in config["tabBar"]["list"]]
    assert set(tabs) <= set(config["pages"])
    assert config["pages"][0] == "pages/launch/index"
    assert config["pages"][0] not in tabs  # it switches to the tab bar once logged in


@pytest.mark.parametrize("path", pages_and_components())
def test_every_wxml_parses(path):
    document = Wxml(read(path + ".wxml"), components=app_json()["usingComponents"])
    assert document.tags


def test_a_broken_wxml_is_caught():
    """The parser the test above trusts refuses what WeChat's compiler would."""
    for broken in (
        "<view><text>a</view>",
        "<view>{{ user.nickname </view>",
        "<div></div>",
        '<button bindtap="{{handler}}"></button>',
        "<view>",
    ):
        with pytest.raises(WxmlError):
            Wxml(broken)


def test_every_page_shows_the_privacy_popup_with_the_id_app_js_asks_for():
    """app.js answers wx.onNeedPrivacyAuthorization with the page's #privacy-popup."""
    assert "selectComponent('#privacy-popup')" in read("app.js")
    for route in app_json()["pages"]:
        if route == "pages/webview/index":
            continue  # a web-view page shows nothing but the web-view
        assert '<privacy-popup id="privacy-popup" />' in read(route + ".wxml"), route


def test_the_codes_file_is_the_servers_catalogue():
    assert read(miniprogram.CODES_FILE) == miniprogram.codes_module(), (
        "run: flask --app webapp lab write-miniprogram-codes"
    )


def test_the_server_address_is_in_config_js_only():
    """One place to change it: nothing else names a host or a port."""
    assert "server: 'http://127.0.0.1:8000'" in read("config.js")
    for path in miniprogram_files(".js"):
        if path != "config.js":
            assert not re.search(r"https?://|127\.0\.0\.1|:8000", read(path)), path
