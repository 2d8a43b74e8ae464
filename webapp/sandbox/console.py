"""The sandbox's own pages, outside WeChat's API: personas, apps, avatars, fault injection."""

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from webapp import jsonreader
from webapp.sandbox import faults
from webapp.sandbox.directory import APPS, PERSONAS, describe_persona
from webapp.wechat.transport import IN_PROCESS_KEY

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")

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
