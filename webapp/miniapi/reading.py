"""Reading the mini-program's requests: JSON bodies with typed fields, and the bearer token."""

import functools

from flask import g, request

from webapp import jsonreader
from webapp.accounts import tokens
from webapp.extensions import db
from webapp.miniapi.errors import ApiError


def json_body(required=None, optional=None, *, allow_empty=False):
    """Return the JSON object of the request, its fields checked against {name: type}.

    An empty body counts as ``{}`` only when ``allow_empty``; a body that is not a JSON object,
    a missing required field or a field of the wrong type is a 400 that names the problem.
    """
    required, optional = required or {}, optional or {}
    try:
        data = jsonreader.read_object(allow_empty=allow_empty)
    except jsonreader.BadJson as error:
        name = "payload_too_large" if error.status == 413 else "bad_request"
        raise ApiError(name, error.reason) from error
    for name, kind in {**required, **optional}.items():
        if name not in data or data[name] is None:
            if name in required:
                raise ApiError("bad_request", f"field '{name}' is required")
            continue
        # bool is an int in Python; a JSON true is no number here
        if not isinstance(data[name], kind) or (kind is not bool and isinstance(data[name], bool)):
            raise ApiError("bad_request", f"field '{name}' must be {_type_name(kind)}")
        if kind is str and not data[name].strip():
            raise ApiError("bad_request", f"field '{name}' must not be empty")
        if kind is str and not storable_text(data[name]):
            raise ApiError(
                "bad_request",
                f"field '{name}' must be text without NUL characters or unpaired surrogates",
            )
    return data


def storable_text(value):
    """Whether a database can keep the string: PostgreSQL refuses NUL, and a lone surrogate
    (JSON's "\\ud800") is no character at all, so it cannot be encoded as UTF-8."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def token_required(view):
    """Let the request through only with a live bearer token; put it in ``g.api_token``."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:  # the scheme name is case-insensitive (RFC 7235): "bearer" is "Bearer"
            g.api_token = tokens.authenticate(token.strip() if scheme.lower() == "bearer" else "")
        except tokens.TokenRejected as rejected:
            raise ApiError(f"token_{rejected.reason}") from rejected
        if tokens.note_use(g.api_token):
            db.session.commit()
        return view(*args, **kwargs)

    checked.takes_bearer_token = True  # webapp/limits.py counts the 401s of these views
    return checked


def _type_name(kind):
    return {str: "a string", bool: "true or false", int: "an integer"}.get(kind, kind.__name__)
