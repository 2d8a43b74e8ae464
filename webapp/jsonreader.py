"""One reader for every JSON body the app accepts, whatever lane it belongs to.

Each lane answers a bad body in its own shape (the API's envelope, WeChat's errcode, the wx
``errMsg``, the lab's JSON), but what counts as a bad body is decided here, once: too large,
not UTF-8, not JSON, NaN or Infinity (not JSON either), nested too deeply for the code that
walks it, or not an object at the top.
"""

import json

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

# Deeper than any body this app reads; anything that walks a body recursively (the redactor,
# the timeline's pretty-printer) stays far from Python's recursion limit.
MAX_DEPTH = 32
TOO_DEEP = f"the body must be a JSON object nested at most {MAX_DEPTH} levels deep"


class BadJson(ValueError):
    """The body is not a JSON object this app can use. ``reason`` says why in a sentence a
    client's developer can act on; ``status`` is 413 for a body over the size limit, else 400."""

    def __init__(self, reason, status=400):
        super().__init__(reason)
        self.reason, self.status = reason, status


def read_object(*, force=False, allow_empty=False):
    """Return the request's body as a dict, or raise BadJson.

    ``force``: read the body as JSON whatever its Content-Type (WeChat does); otherwise only an
    ``application/json`` body counts. ``allow_empty``: an empty body counts as ``{}``.
    """
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge as error:
        raise BadJson("the request body is too large", status=413) from error
    if allow_empty and not raw:
        return {}
    if not force and not request.is_json:
        raise BadJson("the body must be a JSON object (Content-Type: application/json)")
    data = parse(raw)
    if not isinstance(data, dict):
        raise BadJson("the body must be a JSON object")
    return data


def parse(raw):
    """Parse JSON bytes or text with this app's rules; raise BadJson."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise BadJson("the body must be a JSON object in UTF-8") from error
    except RecursionError as error:
        raise BadJson(TOO_DEEP) from error
    except ValueError as error:  # JSONDecodeError, and the constants refused below
        raise BadJson(f"the body must be a JSON object; this is not JSON: {error}") from error
    if _depth(data) > MAX_DEPTH:
        raise BadJson(TOO_DEEP)
    return data


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _depth(value, level=1):
    """How deep ``value`` is nested, counted only as far as one level past the limit."""
    if level > MAX_DEPTH or not isinstance(value, dict | list):
        return level if isinstance(value, dict | list) else level - 1
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, level + 1) for child in children), default=level)
