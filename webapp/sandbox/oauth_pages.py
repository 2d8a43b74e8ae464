"""The sandbox's open.weixin.qq.com: the authorize endpoint and the pages WeChat shows there.

The browser arrives from the H5 page; WeChat decides on the persona holding the phone (the
``sandbox_user`` cookie): a silent redirect, the consent page, an immediate refusal during the
denial cache, the snapshot page, or an error page when the request itself is wrong.
"""

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webapp import jsonreader
from webapp.extensions import db
from webapp.sandbox import webauth
from webapp.sandbox.holder import holding_the_phone

bp = Blueprint("sandbox_open", __name__, url_prefix="/sandbox/open")

SNAPSHOT_COOKIE = "sandbox_snapshot"  # the page was opened as a snapshot page
DECISIONS = ("allow", "deny")


@bp.get("/connect/oauth2/authorize")
def authorize():
    try:
        auth_request = webauth.parse_authorize(request.args, request.host)
    except webauth.AuthorizePageError as error:
        return render_template("sandbox/open/error.html", error=error), 200
    persona = holding_the_phone()
    if webauth.denied_recently(auth_request, persona.id):
        return redirect(webauth.back_to_client(auth_request))
    if request.cookies.get(SNAPSHOT_COOKIE) == "1" and auth_request.scope == webauth.USERINFO:
        code = webauth.issue_code(auth_request, persona.id, snapshot=True)
        db.session.commit()
        return render_template(
            "sandbox/open/snapshot.html",
            app=auth_request.app,
            page_url=webauth.back_to_client(auth_request, code),
            full_service_url=url_for(".leave_snapshot", **auth_request.as_params()),
        )
    if webauth.needs_consent(auth_request, persona.id):
        page_id = webauth.open_consent(auth_request, persona.id)
        db.session.commit()
        return render_template(
            "sandbox/open/consent.html",
            app=auth_request.app,
            persona=persona,
            decision_token=_serializer().dumps(
                {**auth_request.as_params(), "user": persona.id, "page": page_id}
            ),
        )
    code = webauth.issue_code(auth_request, persona.id)
    db.session.commit()
    return redirect(webauth.back_to_client(auth_request, code))


@bp.post("/connect/oauth2/authorize/decision")
def decide():
    """The consent page's 允许 / 拒绝. The form carries the request, signed by the page, and the
    page's one-time id: an answer counts once, so a resubmitted form changes nothing."""
    try:
        params = _serializer().loads(
            request.form.get("token", ""), max_age=webauth.CONSENT_PAGE_LIFETIME
        )
    except BadSignature:
        return _page_expired()
    decision = request.form.get("decision")
    if decision not in DECISIONS:
        return _page_expired()
    persona_id, page_id = params.pop("user"), params.pop("page", "")
    try:
        auth_request = webauth.parse_authorize(params, request.host)
    except webauth.AuthorizePageError as error:
        return render_template("sandbox/open/error.html", error=error), 200
    if not webauth.answer_consent(auth_request, persona_id, page_id):
        return _page_expired()
    if decision == "allow":
        code = webauth.grant(auth_request, persona_id)
        db.session.commit()
        return redirect(webauth.back_to_client(auth_request, code))
    webauth.deny(auth_request, persona_id)
    db.session.commit()
    return redirect(webauth.back_to_client(auth_request))


@bp.get("/snapshot/leave")
def leave_snapshot():
    """使用完整服务: leave the snapshot page and authorize again, for real."""
    # The parameters go back as they came, in their order; as url_for keywords, names such
    # as _method or _external would steer url_for itself.
    query = urlencode(list(request.args.items(multi=True)))
    response = redirect(f"{url_for('.authorize')}?{query}#wechat_redirect")
    response.delete_cookie(SNAPSHOT_COOKIE)
    return response


@bp.post("/snapshot-mode")
def snapshot_mode():
    """Open the next pages as a snapshot page (``{"on": true}``) or normally."""
    try:
        data = jsonreader.read_object()
    except jsonreader.BadJson as error:
        abort(error.status, description=f'send {{"on": true}} or {{"on": false}}: {error.reason}')
    if not isinstance(data.get("on"), bool):
        abort(400, description='send {"on": true} or {"on": false}')
    response = current_app.json.response(snapshot_mode=data["on"])
    if data["on"]:
        response.set_cookie(SNAPSHOT_COOKIE, "1", samesite="Lax")
    else:
        response.delete_cookie(SNAPSHOT_COOKIE)
    return response


def _page_expired():
    """The page for a consent form the sandbox no longer takes: too old, altered or answered."""
    return render_template("sandbox/open/error.html", error=None), 400


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sandbox-consent")
