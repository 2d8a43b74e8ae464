"""Code samples on the guide pages, rendered one way.

The guides give a call's parameters as Jinja values (``false``, ``10000``, ``"CODE"``) and
write longer samples as ``{% set %}`` blocks. Everything of them on a page goes through the
two functions here, which make two mistakes impossible: Python's spelling in a JavaScript or
JSON sample (``False`` for ``false``, ``None`` for ``null``), and text escaped twice (a query
string showing ``&amp;user=``).
"""

import json

from markupsafe import escape

# What markupsafe.escape writes for the five characters it escapes, and the characters.
_ESCAPED = (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&amp;", "&"))


def value(sample, kind):
    """One parameter's value as a sample of ``kind`` spells it: JSON for a JSON body; for a
    JavaScript object, a query string, a header or an attribute, JavaScript's ``true``,
    ``false`` and ``null``, numbers as they are, and text as written."""
    if kind == "json":
        return json.dumps(sample, ensure_ascii=False)
    if isinstance(sample, bool):
        return "true" if sample else "false"
    if sample is None:
        return "null"
    return str(sample)


def block(text):
    """A ``{% set %}`` block of sample text, escaped exactly once for the page.

    In such a block Jinja escapes what its ``{{ expressions }}`` put in but leaves the written
    text raw (``<button …>`` stays as typed). Turn the expressions' escapes back into their
    characters, then escape the whole block once."""
    plain = str.__str__(text)
    for entity, character in _ESCAPED:
        plain = plain.replace(entity, character)
    return escape(plain)


def query_url(params, base, kind="query"):
    """The full URL of a call with query parameters, as a browser would send it."""
    # The values are written in the guides as they travel (redirect_uri already encoded).
    return base + "?" + "&".join(f"{name}={value(sample, kind)}" for name, sample, *_ in params)
