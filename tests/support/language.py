"""One language for the learner: find English sentences left on a page.

What counts, precisely:
- What is read: every text node of the page and of its same-origin frames (the lab's
  web-view), hidden ones too (menus, banners and explanations that a click reveals), and the
  ``title``, ``placeholder``, ``alt`` and ``aria-label`` attributes a reader sees as tooltips and
  labels.
- What is not read: code (``code``, ``pre``, ``kbd``, ``samp``), ``script``, ``style``,
  ``template``, and what is marked ``translate="no"``: proper names (the product's name, the
  personas' nicknames), which a translation would not touch either.
- WeChat's ``errMsg`` strings (``authorize:fail auth deny``) are protocol, spelled as WeChat
  spells them: they are removed before looking.
- An English word is a token of two or more letters, all lowercase or capitalised (``invalid``,
  ``Found``), standing alone: not part of an identifier such as ``wx.login``, ``snsapi_base``,
  ``getUserProfile``, ``web-view`` or ``HTTP``.
- An English sentence is two or more English words in a row, separated by single spaces. So
  ``openid`` or ``token`` in a Chinese sentence passes; ``Not Found`` or ``the code is invalid``
  does not.
"""

import re

# Collects [text, where] pairs: the text of each node or attribute, and a short path to it.
COLLECT_TEXT = """
() => {
  const SKIP = 'code, pre, kbd, samp, script, style, template, [translate="no"]';
  const ATTRIBUTES = ['title', 'placeholder', 'alt', 'aria-label'];
  const found = [];
  const where = (element) => {
    const parts = [];
    for (let node = element; node && node.nodeType === 1 && parts.length < 4;
      node = node.parentElement) {
      const classes = typeof node.className === 'string' ? node.className.trim() : '';
      const dotted = classes ? '.' + classes.split(/\\s+/).join('.') : '';
      parts.unshift(node.tagName.toLowerCase() + dotted);
    }
    return parts.join(' > ');
  };
  const read = (doc) => {
    const walker = doc.createTreeWalker(doc.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && !parent.closest(SKIP) && node.textContent.trim()) {
        found.push([node.textContent, where(parent)]);
      }
    }
    doc.querySelectorAll(ATTRIBUTES.map((name) => `[${name}]`).join(', ')).forEach((element) => {
      if (element.closest(SKIP)) return;
      ATTRIBUTES.forEach((name) => {
        const value = element.getAttribute(name);
        if (value && value.trim()) found.push([value, `${where(element)} @${name}`]);
      });
    });
    doc.querySelectorAll('iframe').forEach((frame) => {
      let inner = null;
      try { inner = frame.contentDocument; } catch (error) { inner = null; }
      if (inner && inner.documentElement) read(inner);
    });
  };
  read(document);
  return found;
}
"""

ERRMSG = re.compile(r"\b[a-zA-Z]+:(?:ok|fail)\b(?:[ a-zA-Z]*[a-zA-Z])?")
WORD = r"[A-Za-z][a-z]+"
# Not glued to an identifier's characters on either side.
SENTENCE = re.compile(rf"(?<![\w.\-/:@#=&?'\"]){WORD}(?: {WORD})+(?![\w.\-/:@#=&(])")


def english_sentences(texts):
    """The English sentences in ``texts`` ([text, where] pairs), as (sentence, where, text)."""
    found = []
    for text, where in texts:
        plain = ERRMSG.sub(" ", " ".join(text.split()))
        found += [(match.group(0), where, text.strip()[:120]) for match in SENTENCE.finditer(plain)]
    return found


def english_on(page):
    """The English sentences on the page in ``page`` (a Playwright page) and its frames."""
    return english_sentences(page.evaluate(COLLECT_TEXT))


def assert_chinese(page, where=""):
    """Fail, naming each, if the page (and its frames) has an English sentence left."""
    found = english_on(page)
    assert not found, f"English on {where or page.url}: {found}"
