"""Reading the guide pages: their links, their steps, their call blocks, the decrypt form."""

import re
from html.parser import HTMLParser

from webapp.guides.content import GUIDES

GUIDE_PATHS = [f"/guide/{guide.name}" for guide in GUIDES]
# Every page whose links must all work: the landing page, the guides, the decrypt page.
PAGES = ["/", "/guide/", *GUIDE_PATHS, "/guide/decrypt", "/guide/decrypt?example=official"]


class PageParser(HTMLParser):
    """Collect hrefs, element ids, and the parameter lines of each call block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids, self.calls = [], set(), []
        self._in_target = self._in_param_code = self._in_param_name = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "g-call" in classes:
            self.calls.append({"target": "", "params": []})
        elif tag == "code" and "g-target" in classes:
            self._in_target = True
        elif tag == "code" and "g-param-code" in classes:
            self._in_param_code = True
        elif tag == "b" and self._in_param_code:
            self._in_param_name = True
            self.calls[-1]["params"].append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_target = self._in_param_code = False
        if tag == "b":
            self._in_param_name = False

    def handle_data(self, data):
        if self._in_target:
            self.calls[-1]["target"] += data
        elif self._in_param_name:
            self.calls[-1]["params"][-1] += data


def parse(html):
    parser = PageParser()
    parser.feed(html)
    return parser


def call_params(html, target):
    """The parameter names, in order, of the call block for ``target``."""
    blocks = [call for call in parse(html).calls if call["target"].strip() == target]
    assert blocks, f"no call block for {target}"
    return [name.strip('"') for name in blocks[0]["params"]]


def csrf_token(client):
    html = client.get("/guide/decrypt").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
