"""Reading the mini-program's WXML files: each must be well formed, as WeChat's compiler wants."""

import re
from html.parser import HTMLParser

# WXML's components that miniprogram/ uses, beside its own (usingComponents).
COMPONENTS = {"view", "text", "button", "image", "input", "web-view", "block"}
HANDLER = re.compile(r"^(bind|catch):?\w+$")
MUSTACHE = re.compile(r"\{\{(.*?)\}\}")


class WxmlError(ValueError):
    pass


class Wxml(HTMLParser):
    """Parse a WXML text: ``handlers`` (bindtap="onLogin" -> "onLogin") and ``tags`` used.
    Raises WxmlError on a tag left open or closed out of order, an unknown tag, or a ``{{``
    without its ``}}``."""

    def __init__(self, text, components=()):
        super().__init__(convert_charrefs=True)
        self.known = COMPONENTS | set(components)
        self.open_tags, self.handlers, self.tags = [], set(), set()
        self.feed(text)
        self.close()
        if self.open_tags:
            raise WxmlError(f"<{self.open_tags[-1]}> is never closed")

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        if not self.open_tags or self.open_tags.pop() != tag:
            raise WxmlError(f"</{tag}> closes nothing open")

    def handle_data(self, data):
        _check_mustaches(data)

    def _element(self, tag, attrs):
        if tag not in self.known:
            raise WxmlError(f"<{tag}> is not a WXML component here")
        self.tags.add(tag)
        for name, value in attrs:
            _check_mustaches(value or "")
            if HANDLER.match(name):
                if not re.fullmatch(r"[A-Za-z_]\w*", value or ""):
                    raise WxmlError(f'{name}="{value}" does not name a handler')
                self.handlers.add(value)


def _check_mustaches(text):
    if text.count("{{") != text.count("}}"):
        raise WxmlError(f"unbalanced {{{{ }}}} in {text.strip()!r}")
    for expression in MUSTACHE.findall(text):
        if not expression.strip():
            raise WxmlError("an empty {{}}")
