"""Every link on the landing page, the guides and the decrypt page leads somewhere real.

Each href that starts with "/" is fetched with the test client. Most must answer 200. The
exceptions are links that demonstrate something, and each is checked for exactly that: the
web-authorization start redirects to the sandbox's authorize page; the forged callback, the
forged ticket and /api/me without a token show their explained failure.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.guides.helpers import PAGES, parse
from tests.support import MINIPROGRAM_APPID, OFFICIAL_ACCOUNT_APPID
from webapp.lab import source

# href (without its fragment) -> (status, text the answer must contain)
DEMONSTRATIONS = {
    "/h5/callback?code=fake&state=forged": (400, "state 校验没有通过"),
    "/h5/bridge?ticket=forged": (400, "票据无效"),
    "/api/me": (401, '"code":40100'),
}


def links_on(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return [href for href in parse(response.get_data(as_text=True)).hrefs if href.startswith("/")]


def check_link(client, href):
    url = href.split("#")[0]
    response = client.get(url)
    body = response.get_data(as_text=True)
    if url in DEMONSTRATIONS:
        status, text = DEMONSTRATIONS[url]
        assert response.status_code == status, href
        assert text.replace(" ", "") in body.replace(" ", ""), href
    elif urlsplit(url).path == "/h5/login":
        # Web authorization starts with a redirect to the (sandbox's) authorize page.
        assert response.status_code == 302, href
        assert (
            "/sandbox/open/connect/oauth2/authorize?appid=" + OFFICIAL_ACCOUNT_APPID
            in response.location
        )
    else:
        assert response.status_code == 200, f"{href} answered {response.status_code}"
    return body


@pytest.mark.parametrize("page", PAGES)
def test_every_link_on_the_page_works(client, page):
    hrefs = links_on(client, page)
    assert hrefs, page
    for href in dict.fromkeys(hrefs):  # each once, in page order
        body = check_link(client, href)
        fragment = href.partition("#")[2]
        # An anchor must exist on its page (line anchors of the source viewer are checked
        # against the file below; #wechat_redirect is part of WeChat's URL, not an anchor).
        if fragment and not href.startswith(("/lab/source/", "/sandbox/open/")):
            assert f'id="{fragment}"' in body, f"{href}: no element with that id"


@pytest.mark.parametrize("page", PAGES)
def test_source_links_point_at_the_definition(client, page):
    """A link to "file.py#L42" lands on the line that defines the function it names."""
    html = client.get(page).get_data(as_text=True)
    links = re.findall(r'href="/lab/source/([^"#]+)(?:#L(\d+))?"[^>]*>.*?</span> ([^<]+)</a>', html)
    for path, line, label in links:
        lines = source.read(path)
        assert lines is not None, path
        if line:
            name = label.split(" · ")[-1].split(".")[-1].rstrip("()").split()[0]
            # The line is the definition's first: its decorators, then the def.
            index = int(line) - 1
            while lines[index].lstrip().startswith("@"):
                index += 1
            if path.endswith(".js"):  # a function, or a method of Page({...})
                definition = rf"\s*(async\s+)?(function\s+{re.escape(name)}\b|{re.escape(name)}\()"
            else:
                definition = rf"\s*(async\s+)?(def|class)\s+{re.escape(name)}\b"
            found = lines[index]
            assert re.match(definition, found), f"{path}#L{line} is not {name}: {found!r}"


@pytest.mark.parametrize("guide", ["login", "profile", "phone", "permissions", "bridge"])
def test_the_mini_program_side_links_into_the_folder_devtools_opens(client, guide):
    html = client.get(f"/guide/{guide}").get_data(as_text=True)
    links = re.findall(r'href="/lab/source/(miniprogram/[^"#]+\.js)#L\d+"', html)
    assert links, "no line of miniprogram/ linked"
    assert "小程序代码：" in html


def test_the_demonstration_links_show_what_they_promise(client):
    """The web-auth guide's 10003 and 10005 links show the sandbox's error pages."""
    hrefs = links_on(client, "/guide/web-auth")
    authorize = [
        href for href in hrefs if href.startswith("/sandbox/open/connect/oauth2/authorize")
    ]
    assert len(authorize) == 3
    pages = {href: client.get(href.split("#")[0]).get_data(as_text=True) for href in authorize}
    evil = next(href for href in authorize if "evil.example" in href)
    port = next(href for href in authorize if "%3A1%2Fh5%2Fcallback" in href)
    mini = next(href for href in authorize if f"appid={MINIPROGRAM_APPID}" in href)
    for refused in (evil, port):
        assert "<code>10003</code>" in pages[refused]
        assert "redirect_uri域名与后台配置不一致" in pages[refused]
        assert "只能用 80（http）或 443（https）" in pages[refused]
    assert "<code>10005</code>" in pages[mini]
    assert all(href.endswith("#wechat_redirect") for href in authorize)


def test_the_authsetting_link_is_the_sandbox_phone(client):
    hrefs = links_on(client, "/guide/permissions")
    setting = next(href for href in hrefs if href.startswith("/sandbox/device/setting"))
    answer = client.get(setting).get_json()
    assert answer["errMsg"] == "getSetting:ok" and answer["authSetting"] == {}
