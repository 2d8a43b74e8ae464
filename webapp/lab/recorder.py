"""Write down every exchange of a lab session, with its secrets masked.

Who records what, each by the code that really handled it:
- requests reaching this server from the browser (the mini-program's wx.request to /api, the
  web-view's pages under /h5, the phone's calls to the sandbox device and the browser's visits
  to the sandbox's authorize page): an after-request hook, with the exact request and answer;
- the developer server's calls to WeChat (or the sandbox): the ``wechat_exchange`` signal of
  webapp/wechat/observe.py, with what ``requests`` really sent;
- what happens only inside the phone (wx.setStorageSync...): the wx shim posts it
  (/lab/api/exchanges).
All of one lab session share a trace id, the ``lab_trace`` cookie the lab page sets. It lasts
as long as the exchanges are kept (``LAB_RETENTION``), so the timeline survives a browser restart,
and it is HttpOnly: no script needs to read it.

What the learner's own browser tab does (opening /api/docs or /h5/about from the menu, a link in
a guide) is not the phone's doing and is not recorded; see ``from_the_phone``.
"""

import inspect
import json
import os
import re
import secrets
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, select
from werkzeug.exceptions import RequestEntityTooLarge

from webapp import jsonreader
from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.lab import explain
from webapp.lab.models import Exchange
from webapp.redact import redact_mapping, redact_text
from webapp.wechat.observe import wechat_exchange

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRACE_COOKIE = "lab_trace"
_TRACE = re.compile(r"[A-Za-z0-9_-]{8,40}")
MAX_BODY = 4000  # characters of a body kept in the record

# Incoming paths worth recording, and the lanes they join.
INCOMING = (
    ("/api/", "miniprogram", "server"),
    ("/h5/", "miniprogram", "server"),
    ("/sandbox/device/", "miniprogram", "wechat"),
    ("/sandbox/open/", "miniprogram", "wechat"),
)
SHOWN_HEADERS = ("Content-Type", "Authorization", "Location", "Content-Length")


def current_trace():
    if not has_request_context():
        return None
    trace = request.cookies.get(TRACE_COOKIE, "")
    return trace if _TRACE.fullmatch(trace) else None


def start_timer():
    g.lab_started_at = utcnow()


def set_trace_cookie(response):
    """Start a lab trace in this browser, kept as long as its exchanges are."""
    response.set_cookie(
        TRACE_COOKIE,
        secrets.token_urlsafe(16),
        max_age=current_app.config["LAB_RETENTION"],
        httponly=True,
        samesite="Lax",
    )


def from_the_phone():
    """Whether this request comes from the lab's phone (its wx.request, the web-view, an image
    on a page) rather than from the learner's own tab. A browser says what a request is for in
    Sec-Fetch-Dest: "document" is a top-level page, which the phone never loads (its web-view
    is an iframe). Browsers send the header to https and to localhost only; without it, the
    request is recorded, as before."""
    return request.headers.get("Sec-Fetch-Dest") != "document"


def record_incoming(response):
    """after_request: record this request if it belongs to a lab trace and a recorded path."""
    trace = current_trace()
    lanes = next(
        (
            (source, target)
            for prefix, source, target in INCOMING
            if request.path.startswith(prefix)
        ),
        None,
    )
    if trace is None or lanes is None or not from_the_phone() or _asks_for_a_decision(response):
        return response
    try:
        body_text = _body_text(request.mimetype, request.get_data(cache=True), request.files)
    except RequestEntityTooLarge:  # the body was refused: say so, do not read it
        body_text = "[a body over the size limit, not read]"
    raw_request = _raw(
        f"{request.method} {request.full_path.rstrip('?')} HTTP/1.1", request.headers, body_text
    )
    raw_response = _raw(
        f"HTTP/1.1 {response.status}",
        response.headers,
        _body_text(
            response.mimetype, response.get_data() if not response.direct_passthrough else b""
        ),
    )
    view = current_app.view_functions.get(request.endpoint)
    _save(
        trace,
        lanes,
        request.endpoint or request.path,
        source_of(view),
        request.method,
        request.full_path.rstrip("?"),
        response.status_code,
        _outcome(response),
        raw_request,
        raw_response,
        g.get("lab_started_at"),
        utcnow() - g.lab_started_at if "lab_started_at" in g else None,
    )
    return response


def record_wechat_call(response):
    """wechat_exchange receiver: the developer server called WeChat."""
    trace = current_trace()
    if trace is None or not current_app.config["LAB_RECORDING"]:
        return
    sent = response.request
    body = sent.body.decode() if isinstance(sent.body, bytes) else (sent.body or "")
    raw_request = _raw(
        f"{sent.method} {_path_and_query(sent.url)} HTTP/1.1\nHost: {urlsplit(sent.url).netloc}",
        sent.headers,
        _body_text(sent.headers.get("Content-Type", ""), body.encode()),
    )
    raw_response = _raw(
        f"HTTP/1.1 {response.status_code} {response.reason}",
        response.headers,
        _body_text(response.headers.get("Content-Type", ""), response.content),
    )
    started = utcnow() - response.elapsed
    api = explain.wechat_api_of(sent.url)
    _save(
        trace,
        ("server", "wechat"),
        api,
        source_of(explain.WECHAT_CALLERS.get(api)),
        sent.method,
        sent.url,
        response.status_code,
        _outcome_of_body(response.content),
        raw_request,
        raw_response,
        started,
        response.elapsed,
    )


def record_from_phone(trace, entry):
    """An exchange the wx shim reports: something that happened only on the phone. Return
    whether it was stored."""
    return _save(
        trace,
        ("miniprogram", "miniprogram"),
        "phone:" + entry["api"],
        entry.get("source"),
        "CALL",
        entry["api"],
        None,
        entry.get("outcome"),
        redact_text(entry.get("request", ""))[:MAX_BODY],
        redact_text(entry.get("response", ""))[:MAX_BODY],
        None,
    )


def exchanges(trace):
    return db.session.scalars(
        select(Exchange).where(Exchange.trace == trace).order_by(Exchange.started_at, Exchange.id)
    ).all()


def forget(trace):
    db.session.execute(delete(Exchange).where(Exchange.trace == trace))


def prune(max_age):
    """Drop every trace's exchanges older than ``max_age`` seconds. A trace is never closed
    (it is a browser's cookie), so without this the database keeps all it ever recorded."""
    db.session.execute(delete(Exchange).where(Exchange.started_at < seconds_from_now(-max_age)))


def init_app(app):
    if not app.config["LAB_RECORDING"]:
        return
    app.before_request(start_timer)
    app.after_request(record_incoming)
    # weak=False: the receiver is a module function, alive for the process anyway.
    wechat_exchange.connect(record_wechat_call, weak=False)


def source_of(function):
    """Where a function is defined, as "path/to/file.py:line", relative to the project."""
    if function is None:
        return None
    function = inspect.unwrap(function)
    path = os.path.relpath(inspect.getsourcefile(function), PROJECT_ROOT)
    return f"{path}:{inspect.getsourcelines(function)[1]}"


def _save(
    trace,
    lanes,
    endpoint,
    source,
    method,
    url,
    status,
    outcome,
    raw_request,
    raw_response,
    started_at,
    duration=None,
):
    """Store one exchange; return whether it was stored. Every text is made storable first
    (no database keeps a NUL or a lone surrogate, and each column has its length)."""
    row = {
        "trace": trace,
        "source_lane": lanes[0],
        "target_lane": lanes[1],
        "endpoint": endpoint,
        "source": source,
        "method": method,
        "url": redact_text(url),
        "status": status,
        "outcome": outcome,
        "raw_request": raw_request,
        "raw_response": raw_response,
        "started_at": started_at or utcnow(),
        "duration_ms": None if duration is None else round(duration.total_seconds() * 1000),
    }
    columns = Exchange.__table__.columns
    for name, value in row.items():
        if isinstance(value, str):
            row[name] = _storable(value, columns[name].type.length)
    # Recording must never break what it records: use a separate session, and swallow errors.
    try:
        with db.engine.begin() as connection:
            connection.execute(Exchange.__table__.insert().values(**row))
    except Exception:  # noqa: BLE001  (the lab's record is not worth a failed request)
        current_app.logger.exception("Could not record a lab exchange")
        return False
    return True


def _storable(text, length=None):
    """``text`` as any database keeps it: NUL and lone surrogates written as JSON escapes
    (\\u0000, \\ud800), cut to ``length`` characters with an ellipsis."""
    if "\x00" in text:
        text = text.replace("\x00", "\\u0000")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if length is not None and len(text) > length:
        text = text[: length - 1] + "…"
    return text


def _raw(first_line, headers, body):
    lines = [first_line]
    for name in SHOWN_HEADERS:
        if headers.get(name):
            lines.append(f"{name}: {headers[name]}")
    text = "\n".join(lines) + ("\n\n" + body if body else "")
    return redact_text(text)


def _body_text(mimetype, data, files=None):
    """A body as the timeline shows it: JSON with secrets masked, forms as text, files and
    pages summarised."""
    mimetype = (mimetype or "").split(";")[0].strip()
    if files:
        described = ", ".join(
            f"{name}: {upload.filename} ({upload.mimetype})" for name, upload in files.items()
        )
        return f"[multipart form data: {described}]"
    if not data:
        return ""
    # WeChat labels some of its JSON text/plain (jscode2session, sns/*): read it as JSON too.
    if mimetype.endswith("json") or mimetype == "text/plain":
        try:
            parsed = jsonreader.parse(data)
        except jsonreader.BadJson:
            return redact_text(data.decode(errors="replace")[:MAX_BODY])
        return json.dumps(redact_mapping(parsed), ensure_ascii=False, indent=2)[:MAX_BODY]
    if mimetype in ("text/html", "image/svg+xml") or mimetype.startswith("image/"):
        return f"[{mimetype}, {len(data)} bytes]"
    return redact_text(data.decode(errors="replace"))[:MAX_BODY]


def _asks_for_a_decision(response):
    """The phone's first call of wx.getUserProfile, getPhoneNumber or wx.authorize only asks the
    sandbox whether WeChat would show its sheet (``needsDecision``); the call that carries the
    user's answer follows at once. On a real phone both are one wx call: record that one."""
    if response.mimetype != "application/json" or response.direct_passthrough:
        return False
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("needsDecision") is True


def _outcome(response):
    """A few words on how it went: errcode, errMsg, our envelope's code, or a redirect."""
    if response.status_code in (301, 302, 303, 307) and response.location:
        return "→ " + redact_text(response.location)[:180]
    if response.mimetype in ("application/json", "text/plain") and not response.direct_passthrough:
        return _outcome_of_body(response.get_data())
    return None


def _outcome_of_body(data):
    try:
        body = jsonreader.parse(data)
    except (jsonreader.BadJson, TypeError):
        return None
    if not isinstance(body, dict):
        return None
    if "errMsg" in body:
        return body["errMsg"]
    if "errcode" in body:
        return f"errcode {body['errcode']}" + (
            f" {body.get('errmsg', '')}"[:120] if body["errcode"] else ""
        )
    if "code" in body and "msg" in body:
        return f"code {body['code']} {body['msg']}"[:180]
    return "ok"


def _path_and_query(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
