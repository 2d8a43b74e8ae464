"""The lab: the phone simulator, the state inspector, the exchange timeline, the source viewer."""

import secrets

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from webapp.lab import explain, inspector, pitfalls, recorder, source
from webapp.lab.urls import split_url
from webapp.sandbox.device import PERSONA_COOKIE
from webapp.sandbox.directory import APPS, DEFAULT_PERSONA, MINIPROGRAM, PERSONAS, describe_persona
from webapp.wechat.client import miniprogram_client
from webapp.wechat.errors import WeChatError, WeChatUnavailable

bp = Blueprint("lab", __name__, url_prefix="/lab")

LANES = (("miniprogram", "小程序 / 浏览器"), ("server", "开发者服务器"), ("wechat", "微信（沙箱）"))


@bp.get("/")
def index():
    """The simulator page. It starts a lab trace (a cookie) so the timeline can follow it."""
    response = current_app.make_response(
        render_template(
            "lab/index.html",
            personas=[describe_persona(persona) for persona in PERSONAS.values()],
            persona_id=_persona().id,
            miniprograms=[app.public() for app in APPS.values() if app.kind == MINIPROGRAM],
            appid=current_app.config["MINIPROGRAM_APPID"],
            official_appid=current_app.config["OFFICIAL_ACCOUNT_APPID"],
            pitfalls=pitfalls.CATALOGUE,
        )
    )
    if recorder.current_trace() is None:
        recorder.prune(current_app.config["LAB_RETENTION"])  # a new session: time to tidy up
        response.set_cookie(recorder.TRACE_COOKIE, secrets.token_urlsafe(16), samesite="Lax")
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
    template = "lab/_timeline.html" if request.args.get("fragment") else "lab/timeline.html"
    return render_template(
        template,
        steps=steps,
        lanes=LANES,
        why=explain.why,
        split_url=split_url,
        recording=current_app.config["LAB_RECORDING"],
    )


@bp.post("/timeline/clear")
def clear_timeline():
    trace = recorder.current_trace()
    if trace:
        recorder.forget(trace)
    return jsonify(cleared=True)


@bp.post("/api/exchanges")
def record_phone_exchange():
    """The wx shim reports what happened only on the phone (storage, modals)."""
    trace, data = recorder.current_trace(), request.get_json(silent=True)
    if trace is None or not isinstance(data, dict) or not isinstance(data.get("api"), str):
        return jsonify(
            code=40000, msg="send {api, request?, response?, outcome?} with a lab trace"
        ), 400
    entry = {
        key: data.get(key)
        for key in ("api", "request", "response", "outcome", "source")
        if isinstance(data.get(key), str)
    }
    recorder.record_from_phone(trace, entry)
    return jsonify(recorded=True), 201


@bp.get("/inspector")
def inspector_panels():
    """The server-side and WeChat-side panels of the inspector, rendered here."""
    appid = request.args.get("appid") or current_app.config["MINIPROGRAM_APPID"]
    if appid not in APPS:
        abort(404)
    return render_template("lab/_inspector.html", **inspector.snapshot(_persona(), appid))


@bp.get("/source/<path:path>")
def show_source(path):
    lines = source.read(path)
    if lines is None:
        abort(404)
    return render_template("lab/source.html", path=path, lines=lines)


@bp.app_template_filter("source_link")
def source_link(location):
    """ "webapp/x.py:42" -> the source viewer at line 42."""
    path, _, line = (location or "").partition(":")
    return url_for("lab.show_source", path=path) + (f"#L{line}" if line else "")


def _persona():
    return PERSONAS.get(request.cookies.get(PERSONA_COOKIE, "")) or PERSONAS[DEFAULT_PERSONA]
