"""Code samples on the guide pages come from one helper (webapp/guides/samples.py), which can
write neither Python's spelling in a JavaScript or JSON sample nor text escaped twice."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from tests.guides.helpers import GUIDE_PATHS
from webapp.guides import samples


class CodeText(HTMLParser):
    """The text of every <pre> and <code> of a page, as a reader sees it (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("pre", "code"):
            self._depth += 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag in ("pre", "code") and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def code_on(html):
    parser = CodeText()
    parser.feed(html)
    return parser.texts


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (False, "js", "false"),
        (True, "query", "true"),
        (None, "js", "null"),
        (10000, "js", "10000"),
        ("'scope.userLocation'", "js", "'scope.userLocation'"),
        (False, "json", "false"),
        ("小明", "json", '"小明"'),
        (None, "json", "null"),
    ],
)
def test_a_value_is_spelled_as_the_sample_language_spells_it(value, kind, shown):
    assert samples.value(value, kind) == shown


def test_a_block_is_escaped_exactly_once():
    # What a {% set %} block holds: its written text raw, an expression's "&" escaped.
    captured = Markup('<button open-type="x">') + Markup("\nGET /a?b=1") + Markup.escape("&c=2")

    assert samples.block(captured) == ("&lt;button open-type=&#34;x&#34;&gt;\nGET /a?b=1&amp;c=2")


@pytest.mark.parametrize("path", GUIDE_PATHS)
def test_no_guide_sample_shows_python_or_an_entity(client, path):
    html = client.get(path).get_data(as_text=True)

    for text in code_on(html):
        assert not re.search(r"\b(False|True|None)\b", text), (path, text)
        assert not re.search(r"&(amp|lt|gt|quot|#\d+);", text), (path, text)


def test_the_permissions_guide_samples_read_as_javascript(client):
    code = code_on(client.get("/guide/permissions").get_data(as_text=True))

    assert "withSubscriptions: false," in code
    assert any(
        "GET /sandbox/device/setting?appid=" in text and "&user=xiaoming" in text for text in code
    )
