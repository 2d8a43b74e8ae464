"""Error handlers in one place: JSON for the machine-facing paths, a page for the rest.

A part of the app that speaks another protocol's error shape (the sandbox's WeChat APIs, its
phone) registers a lane: HTTP errors under its path prefix are answered by its own function.
"""

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.miniapi.errors import ERRORS

# Paths whose clients are programs, not people.
JSON_PREFIXES = (
    "/api/",
    "/sandbox/api/",
    "/sandbox/device/",
    "/sandbox/faults",
    "/sandbox/users",
    "/sandbox/apps",
    "/sandbox/open/snapshot-mode",
    "/lab/api/",
    "/healthz",
)


# The API's own wording where it has one (404 "not found", 413 "the request body is too large").
API_MESSAGES = {code: message for _, code, message in ERRORS.values()}


def wants_json():
    return request.path.startswith(JSON_PREFIXES) or request.path == "/api"


def register_lane(app, prefix, answer):
    """Answer HTTP errors under ``prefix`` with ``answer(error)`` instead of our own shapes."""
    app.extensions.setdefault("error_lanes", []).append((prefix, answer))


def _lane(path):
    for prefix, answer in current_app.extensions.get("error_lanes", ()):
        if path.startswith(prefix):
            return answer
    return None


def handle_http_error(error):
    lane = _lane(request.path)
    if lane is not None:
        return lane(error)
    if wants_json():  # the API's rule: the code is the HTTP status times 100
        code = error.code * 100
        return jsonify(code=code, msg=API_MESSAGES.get(code, error.description)), error.code
    return render_template("error.html", error=error), error.code


def handle_unexpected_error(error):
    """Log the real cause, answer with a calm 500 that reveals nothing."""
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
