"""Error handlers in one place: JSON for the machine-facing paths, a page for the rest.

Only ``InternalServerError`` is caught as "unexpected": Flask wraps any unhandled exception in
one, after logging it, and only when it does not propagate it (so ``flask run --debug`` still
shows the debugger and the tests still see the real traceback).

A part of the app that speaks another protocol's error shape (the sandbox's WeChat APIs, its
phone) registers a lane: HTTP errors under its path prefix are answered by its own function.
"""

import time

from flask import current_app, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from webapp.extensions import db
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
    "/sandbox/phone-quota",
    "/sandbox/review-mode",
    "/lab/api/",
    "/lab/timeline/clear",
    "/healthz",
    "/livez",
)
# How long a client should wait before trying again when the database is away.
DATABASE_RETRY_AFTER = 5

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
        response = jsonify(code=code, msg=_message(error, code))
    else:
        response = current_app.make_response(render_template("error.html", error=error))
    response.status_code = error.code
    # What the error says besides its body: 405's Allow, for one.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_internal_error(error):
    """A calm 500 that reveals nothing; Flask has logged the real cause already."""
    return handle_http_error(InternalServerError())


def handle_database_unavailable(error):
    """The database refused, timed out or went away: 503, never a hang or a 500. The pool
    checks each connection before use (pool_pre_ping), so the next request recovers."""
    current_app.logger.warning(
        "Database unavailable on %s %s: %s", request.method, request.path, type(error).__name__
    )
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is likely gone already)
        db.session.remove()
    status, code, message = ERRORS["database_unavailable"]
    lane = _lane(request.path)
    if lane is not None:  # in its own shape: the sandbox's APIs answer -1, as WeChat does
        return current_app.make_response(lane(ServiceUnavailable()))
    if wants_json():
        response = jsonify(code=code, msg=message)
    else:
        response = current_app.make_response(
            render_template(
                "error.html",
                error=ServiceUnavailable(),
                title="数据库暂时不可用",
                explanation="服务器连不上它的数据库，或者数据库太忙、没有及时回答。"
                "请过几秒钟再试，服务器会自己恢复。",
            )
        )
    response.status_code = status
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def handle_rate_limited(error):
    """429 with Retry-After: in the API's envelope, or a page that explains it."""
    limit = _current_limit()
    retry_after = max(1, int(limit.reset_at - time.time())) if limit else 60
    status, code, message = ERRORS["too_many_requests"]
    if wants_json():
        response = jsonify(code=code, msg=message, data={"retry_after": retry_after})
    else:
        response = current_app.make_response(
            render_template(
                "error.html",
                error=error,
                title="请求太频繁",
                explanation=f"这个地址在短时间里发来的请求超过了上限（{_in_words(limit)}）。"
                f"这是防止有人反复试探登录的保护。请等 {retry_after} 秒后再试。",
            )
        )
    response.status_code = status
    response.headers["Retry-After"] = str(retry_after)
    return response


def _in_words(limit):
    """A limit as the page says it: 每 60 秒最多 60 次."""
    if limit is None:
        return "次数有上限"
    return f"每 {limit.limit.get_expiry()} 秒最多 {limit.limit.amount} 次"


def _current_limit():
    for limiter in current_app.extensions.get("limiter", ()):
        if limiter.current_limit is not None:
            return limiter.current_limit
    return None


def _message(error, code):
    """The error's own description when the code that raised it wrote one, else ours."""
    if error.description != type(error).description:
        return error.description
    return API_MESSAGES.get(code, error.description)


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeout, handle_database_unavailable)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
