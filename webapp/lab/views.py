"""The lab: the phone simulator, the state inspector, the exchange timeline, the source viewer."""

import json
import os

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from webapp import jsonreader
from webapp.assets import keep_a_year
from webapp.extensions import csrf, db
from webapp.lab import explain, har, inspector, miniprogram, pitfalls, recorder, sequence, source
from webapp.lab.urls import split_url
from webapp.sandbox.directory import APPS, MINIPROGRAM, PERSONAS, describe_persona
from webapp.sandbox.holder import holding_the_phone
from webapp.wechat.client import miniprogram_client
from webapp.wechat.errors import WeChatError, WeChatUnavailable

bp = Blueprint("lab", __name__, url_prefix="/lab")


@bp.get("/")
def index():
    """The simulator page. It starts a lab trace (a cookie) so the timeline can follow it."""
    response = current_app.make_response(
        render_template(
            "lab/index.html",
            personas=[describe_persona(persona) for persona in PERSONAS.values()],
            persona_id=holding_the_phone().id,
            miniprograms=[app.public() for app in APPS.values() if app.kind == MINIPROGRAM],
            appid=current_app.config["MINIPROGRAM_APPID"],
            official_appid=current_app.config["OFFICIAL_ACCOUNT_APPID"],
            pitfalls=pitfalls.CATALOGUE,
            # The phone runs the mini-program in miniprogram/, served below.
            miniprogram_base=url_for("lab.index") + f"miniprogram/{miniprogram.version()}/",
            miniprogram_files=miniprogram.javascript_files(),
            miniprogram_app=miniprogram.app_json(),
        )
    )
    if recorder.current_trace() is None:
        recorder.prune(current_app.config["LAB_RETENTION"])  # a new session: time to tidy up
        db.session.commit()
        recorder.set_trace_cookie(response)
    return response


@bp.get("/spa/")
def spa():
    """A single-page app with a hash router, standing in for a learner's, as a redirect_uri:
    the hash-router pitfall opens web authorization with /lab/spa/#/profile."""
    return render_template("lab/spa.html")


@bp.post("/api/other-server/force-refresh")
def other_server_force_refresh():
    """Play a second developer server with the same appid that forces a stable_token refresh,
    as a misconfigured instance would: our server's cached token dies at once. Answer WeChat's
    errcode and the new token's lifetime, never the token. Only against the mounted sandbox:
    forcing a refresh of a real app's token would break its real servers."""
    if current_app.config["WECHAT_API_BASE"]:
        return jsonify(
            code=40900, msg="the lab plays a second server only against its own sandbox WeChat"
        ), 409
    try:
        answer = miniprogram_client().stable_token(force_refresh=True)
    except WeChatError as error:  # 45011: force refreshes less than 30 s apart, say
        return jsonify(errcode=error.errcode, errmsg=error.errmsg)
    except WeChatUnavailable:
        return jsonify(errcode=-1, errmsg="WeChat is busy or unreachable"), 503
    return jsonify(errcode=0, expires_in=answer["expires_in"])


@bp.get("/timeline")
def timeline():
    """Every exchange of this lab session in three lanes; ``?fragment=1`` for the lab page."""
    trace = recorder.current_trace()
    steps = recorder.exchanges(trace) if trace else []
    fragment = bool(request.args.get("fragment"))
    return render_template(
        "lab/_timeline.html" if fragment else "lab/timeline.html",
        rows=sequence.rows(steps),
        steps=len(steps),
        lanes=sequence.LANES,
        in_lab=fragment,
        has_trace=trace is not None,
        why=explain.why,
        label=explain.label,
        split_url=split_url,
        recording=current_app.config["LAB_RECORDING"],
    )


@bp.get("/timeline.har")
def timeline_har():
    """The same exchanges as an HTTP Archive, for Chrome DevTools' Network panel and the like."""
    trace = recorder.current_trace()
    document = har.archive(recorder.exchanges(trace) if trace else [], request.host_url)
    return current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="wechat-auth-lab.har"'},
    )


@bp.post("/timeline/clear")
def clear_timeline():
    """Forget this lab session's exchanges. A CSRF token in X-CSRFToken (lab.js sends the
    page's): another site cannot wipe a learner's timeline."""
    csrf.protect()
    trace = recorder.current_trace()
    if trace:
        recorder.forget(trace)
        db.session.commit()
    return jsonify(cleared=True)


@bp.post("/api/exchanges")
def record_phone_exchange():
    """The wx shim reports what happened only on the phone (storage, modals)."""
    usage = "send {api, request?, response?, outcome?} with a lab trace"
    try:
        data = jsonreader.read_object()
    except jsonreader.BadJson as error:
        return jsonify(code=error.status * 100, msg=f"{usage}: {error.reason}"), error.status
    trace = recorder.current_trace()
    if trace is None or not isinstance(data.get("api"), str):
        return jsonify(code=40000, msg=usage), 400
    entry = {
        key: data.get(key)
        for key in ("api", "request", "response", "outcome", "source")
        if isinstance(data.get(key), str)
    }
    if not recorder.record_from_phone(trace, entry):
        return jsonify(code=50300, msg="the exchange could not be stored", recorded=False), 503
    return jsonify(recorded=True), 201


@bp.post("/api/webview/drop-cookies")
def drop_webview_cookies():
    """Make the web-view forget this site's session cookie, as a new in-app browser would
    (the dropped-cookie pitfall): the OAuth state kept in it is gone, and so is the H5 login.
    Only the lab's own fetch may ask: a form on another site cannot send JSON."""
    if not request.is_json:
        return jsonify(code=40000, msg="send Content-Type: application/json"), 400
    response = jsonify(dropped=[current_app.config["SESSION_COOKIE_NAME"]])
    interface = current_app.session_interface
    response.delete_cookie(
        current_app.config["SESSION_COOKIE_NAME"],
        path=interface.get_cookie_path(current_app),
        domain=interface.get_cookie_domain(current_app),
    )
    return response


@bp.get("/inspector")
def inspector_panels():
    """The server-side and WeChat-side panels of the inspector, rendered here."""
    appid = request.args.get("appid") or current_app.config["MINIPROGRAM_APPID"]
    if appid not in APPS:
        abort(404)
    return render_template("lab/_inspector.html", **inspector.snapshot(holding_the_phone(), appid))


@bp.get("/miniprogram/<version>/<path:path>")
def miniprogram_file(version, path):
    """A .js file of miniprogram/ for the phone, as an ES module."""
    module = miniprogram.as_module(path)
    if module is None:
        abort(404)
    response = current_app.response_class(module, mimetype="text/javascript")
    # Under this version the file never changes (see webapp/assets.py); under another, or
    # while `flask --debug run` serves files being edited, the browser asks every time.
    if version == miniprogram.version() and not current_app.debug:
        keep_a_year(response)
    else:
        response.cache_control.no_cache = True
    return response


@bp.cli.command("write-miniprogram-codes")
def write_miniprogram_codes():
    """Write miniprogram/utils/codes.js from the server's catalogues of codes."""
    path = os.path.join(miniprogram.FOLDER, miniprogram.CODES_FILE)
    with open(path, "w", encoding="utf-8") as file:
        file.write(miniprogram.codes_module())
    print(f"wrote {os.path.relpath(path)}")


@bp.get("/source/<path:path>")
def show_source(path):
    lines = source.read(path)
    if lines is None:
        abort(404)
    return render_template("lab/source.html", path=path, lines=lines)


@bp.app_template_filter("outcome")
def outcome_filter(text):
    return explain.outcome(text)


@bp.app_template_filter("source_link")
def source_link(location):
    """ "webapp/x.py:42" -> the source viewer at line 42."""
    path, _, line = (location or "").partition(":")
    return url_for("lab.show_source", path=path) + (f"#L{line}" if line else "")
