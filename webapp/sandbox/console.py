"""The sandbox's own pages, outside WeChat's API: personas, apps, avatars, fault injection,
the phone-number quota and the content-review switch."""

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from webapp import jsonreader
from webapp.extensions import db
from webapp.sandbox import faults, phone_quota
from webapp.sandbox.directory import APPS, MINIPROGRAM, PERSONAS, describe_persona
from webapp.wechat.transport import IN_PROCESS_KEY

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")

REVIEW_COOKIE = "sandbox_review"  # "reject": WeChat's content review turns down what is picked
AVATAR_COLOURS = {"xiaoming": "#07c160", "lihua": "#10aeff", "amy": "#fa9d3b", "risky": "#fa5151"}


@bp.get("/")
def index():
    return render_template(
        "sandbox/index.html",
        apps=[app.public() for app in APPS.values()],
        personas=[describe_persona(persona) for persona in PERSONAS.values()],
        injectable=faults.INJECTABLE_APIS,
    )


@bp.get("/users")
def users():
    """The personas one can hold the phone as, with their openid in every app."""
    return jsonify(users=[describe_persona(persona) for persona in PERSONAS.values()])


@bp.get("/apps")
def apps():
    return jsonify(apps=[app.public() for app in APPS.values()])


@bp.get("/avatar/<name>.svg")
def avatar(name):
    """A persona's avatar, or WeChat's gray default (``default``), served locally."""
    if name == "default":
        colour, initial = "#c9c9c9", ""
    elif name in PERSONAS:
        colour, initial = AVATAR_COLOURS.get(name, "#576b95"), PERSONAS[name].nickname[0]
    else:
        abort(404)
    svg = render_template("sandbox/avatar.svg", colour=colour, initial=initial)
    return Response(
        svg, mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


def avatar_url(name):
    """A persona's picture (``default``: the gray one) as WeChat links it, by full URL. Called
    in-process by the developer server, the sandbox has no address a browser could reach, so
    it names the picture by its path on this server instead."""
    return url_for("sandbox.avatar", name=name, _external=not request.environ.get(IN_PROCESS_KEY))


@bp.get("/faults")
def list_faults():
    return jsonify(faults=[_describe(fault) for fault in faults.pending()])


@bp.post("/faults")
def inject_fault():
    """Make the next ``times`` calls of ``api`` answer ``errcode``: {api, errcode, times?}."""
    try:
        data = jsonreader.read_object()
    except jsonreader.BadJson as error:
        return jsonify(code=400, msg=f"send {{api, errcode, times?}}: {error.reason}"), error.status
    errcode, times = data.get("errcode"), data.get("times", 1)
    if type(errcode) is not int or type(times) is not int:
        return jsonify(code=400, msg="errcode and times must be integers"), 400
    try:
        fault = faults.inject(data.get("api"), errcode, times)
    except ValueError as error:
        return jsonify(code=400, msg=str(error)), 400
    return jsonify(fault=_describe(fault)), 201


@bp.delete("/faults")
def clear_faults():
    return jsonify(cleared=faults.clear())


def _describe(fault):
    return {
        "id": fault.id,
        "api": fault.api,
        "errcode": fault.errcode,
        "remaining": fault.remaining,
    }


@bp.get("/phone-quota")
def list_phone_quota():
    """Each mini-program's phone-number allowance: quota, used, remaining."""
    return jsonify(
        apps=[phone_quota.describe(app.appid) for app in APPS.values() if app.kind == MINIPROGRAM]
    )


@bp.post("/phone-quota")
def set_phone_quota():
    """Leave a mini-program ``remaining`` calls: {appid, remaining} (0: used up)."""
    try:
        data = jsonreader.read_object()
    except jsonreader.BadJson as error:
        return jsonify(code=400, msg=f"send {{appid, remaining}}: {error.reason}"), error.status
    appid, calls_left = data.get("appid"), data.get("remaining")
    app = APPS.get(appid) if isinstance(appid, str) else None
    if app is None or app.kind != MINIPROGRAM:
        return jsonify(code=400, msg="send {appid, remaining} with a sandbox mini-program"), 400
    if type(calls_left) is not int or not 0 <= calls_left <= phone_quota.allowance():
        return jsonify(
            code=400, msg=f"remaining must be an integer from 0 to {phone_quota.allowance()}"
        ), 400
    phone_quota.set_remaining(app.appid, calls_left)
    db.session.commit()
    return jsonify(phone_quota.describe(app.appid))


@bp.post("/review-mode")
def review_mode():
    """Make WeChat's content review reject every picked avatar and typed nickname
    (``{"reject": true}``) on this browser's phone, or pass them again."""
    try:
        data = jsonreader.read_object()
    except jsonreader.BadJson as error:
        return jsonify(code=400, msg=f'send {{"reject": true}}: {error.reason}'), error.status
    if not isinstance(data.get("reject"), bool):
        return jsonify(code=400, msg='send {"reject": true} or {"reject": false}'), 400
    response = jsonify(review_rejects=data["reject"])
    if data["reject"]:
        response.set_cookie(REVIEW_COOKIE, "reject", samesite="Lax")
    else:
        response.delete_cookie(REVIEW_COOKIE)
    return response
