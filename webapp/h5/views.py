"""The H5 pages, for a mini-program's web-view: web authorization, the ticket bridge, logout.

Web authorization logs the visitor in with the *service account's* openid: another appid,
another openid than the mini-program's, joined to the same user by unionid. The bridge carries
a mini-program login into the web-view without OAuth.
"""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from webapp.accounts import identities, tickets, web_sessions
from webapp.accounts.models import User
from webapp.extensions import csrf, db
from webapp.h5.problems import PROBLEMS
from webapp.h5.safe_next import safe_next
from webapp.h5.visitor import Visitor
from webapp.h5.wechat_oauth import BASE, USERINFO, web_auth_client
from webapp.security import content_security_policy
from webapp.wechat.errors import WeChatError, WeChatUnavailable
from webapp.wechat.policy import SYSTEM_BUSY

bp = Blueprint("h5", __name__, url_prefix="/h5")

CODE_PROBLEMS = {40029: "code_invalid", 40163: "code_used", 42003: "code_expired"}
# How each way of logging in is called on the pages.
LOGIN_METHODS = {BASE: "静默网页授权", USERINFO: "网页授权（要资料）", "bridge": "一次性票据"}


@bp.after_request
def allow_wechat_jssdk(response):
    """These pages may load WeChat's JSSDK (only inside a real mini-program web-view), and
    show WeChat's avatars (headimgurl, on its own https host)."""
    jssdk = urlsplit(current_app.config["WECHAT_JSSDK_URL"])
    response.headers["Content-Security-Policy"] = content_security_policy(
        script_sources=[f"{jssdk.scheme}://{jssdk.netloc}"], image_sources=["https:"]
    )
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    return _problem("csrf", 400)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("h5/welcome.html")
    return render_template("h5/home.html", **_visitor_context())


@bp.get("/login")
def login():
    """Start web authorization: ``scope`` snsapi_base (silent) or snsapi_userinfo (consent)."""
    scope = request.args.get("scope", BASE)
    if scope not in (BASE, USERINFO):
        return _problem("bad_scope", 400)
    client = web_auth_client()
    redirect_uri = url_for(".callback", _external=True)
    authorization = client.create_authorization_url(redirect_uri, scope=scope)
    # authlib keeps the state in this browser's session; we add where to go afterwards.
    client.save_authorize_data(
        state=authorization["state"],
        redirect_uri=redirect_uri,
        scope=scope,
        next=safe_next(request.args.get("next")),
    )
    return redirect(authorization["url"])


@bp.get("/callback")
def callback():
    """WeChat sends the browser back here with ``code`` and ``state`` (no code: 拒绝)."""
    client = web_auth_client()
    state = request.args.get("state", "")
    pending = client.take_pending(state)  # a state is used once, whatever follows
    if pending is None:
        return _problem("state_mismatch", 400)
    if not request.args.get("code"):
        # Continue silently to a page that works without the profile: the profile page would
        # only ask again and, during WeChat's denial cache, be denied again.
        next_path = pending["next"]
        if urlsplit(next_path).path == url_for(".profile"):
            next_path = url_for(".home")
        return _problem("denied", 200, scope=pending.get("scope"), next_path=next_path)
    try:
        token = client.exchange_code(request.args["code"], pending["redirect_uri"])
        profile = client.userinfo_of(token) if token.get("scope") == USERINFO else {}
    except WeChatError as error:
        if error.errcode == SYSTEM_BUSY:  # still busy after the retries
            return _problem("wechat_unavailable", 503, next_path=pending["next"])
        return _problem(
            CODE_PROBLEMS.get(error.errcode, "wechat_error"),
            400,
            errcode=error.errcode,
            next_path=pending["next"],
            scope=pending.get("scope"),
        )
    except WeChatUnavailable:
        return _problem("wechat_unavailable", 503, next_path=pending["next"])

    if str(token.get("is_snapshotuser", "")) == "1":
        # A virtual identity on a snapshot page: its openid and its unionid are virtual (and
        # the unionid may be every snapshot visitor's). Show the page; never make it an
        # account, never link one by it.
        # 使用完整服务 sends the browser through the authorize URL again and WeChat comes back
        # with the same state. Nobody logged in with it here, so put it back (with a fresh
        # lifetime) for that real callback, which uses it up; this snapshot code is spent.
        client.put_back_pending(state, pending)
        return render_template("h5/snapshot.html", profile=profile)
    identity, _ = identities.identity_for(
        current_app.config["OFFICIAL_ACCOUNT_APPID"], token["openid"], token.get("unionid")
    )
    if profile:
        identity.nickname = profile.get("nickname")
        identity.avatar_url = profile.get("headimgurl")
    _log_in(identity.user, identity, token.get("scope", BASE))  # one transaction with the identity
    return redirect(pending["next"])


@bp.get("/profile")
def profile():
    """A page that needs the profile: only here do we ask snsapi_userinfo (not at the door)."""
    if not current_user.is_authenticated or current_user.session_row.method != USERINFO:
        return redirect(url_for(".login", scope=USERINFO, next=url_for(".profile")))
    return render_template("h5/profile.html", **_visitor_context())


@bp.get("/bridge")
def bridge():
    """Redeem the mini-program's one-time ticket: the same user, no OAuth.

    A ticket is a bearer credential in a URL: whoever opens it is logged in. So that nobody can
    log a visitor into *their* account by getting them to open their ticket (login CSRF), the
    visitor is asked first when the ticket would switch accounts, or when the link came from
    another site. A web-view opening its own ticket is neither, and logs straight in."""
    ticket = request.args.get("ticket", "")
    try:
        user_id = tickets.peek(ticket)
    except tickets.TicketRejected as rejected:
        return _problem(f"ticket_{rejected.reason}", 400)
    current_id = current_user.user.id if current_user.is_authenticated else None
    switches_account = current_id is not None and current_id != user_id
    if switches_account or _from_another_site():
        return render_template(
            "h5/bridge_confirm.html",
            ticket=ticket,
            user=db.session.get(User, user_id),
            current_id=current_id,
        )
    return _redeem_ticket(ticket)


@bp.post("/bridge")
def confirm_bridge():
    """The visitor chose to log in with the ticket on the page that asked them."""
    csrf.protect()
    return _redeem_ticket(request.form.get("ticket", ""))


@bp.get("/about")
def about():
    return render_template("h5/about.html")


@bp.post("/logout")
def logout():
    """End this browser's session, on the server too. A POST with a CSRF token: a link or an
    image on another site cannot log the visitor out."""
    csrf.protect()
    ended = 0
    if current_user.is_authenticated:
        web_sessions.end(current_user.session_row, "logout")
        db.session.commit()
        ended = 1
    logout_user()
    return render_template("h5/logged_out.html", ended=ended, everywhere=False)


@bp.post("/sessions/end-all")
def end_all_sessions():
    """End every H5 session of this user, in every browser and web-view."""
    csrf.protect()
    ended = 0
    if current_user.is_authenticated:
        ended = web_sessions.end_all(current_user.user.id, "ended-everywhere")
        db.session.commit()
    logout_user()
    return render_template("h5/logged_out.html", ended=ended, everywhere=True)


def _redeem_ticket(ticket):
    try:
        user_id = tickets.redeem(ticket)
    except tickets.TicketRejected as rejected:
        return _problem(f"ticket_{rejected.reason}", 400)
    _log_in(db.session.get(User, user_id), None, "bridge")
    return redirect(url_for(".home"))


def _from_another_site():
    """Whether the browser says this navigation started on another site. A mini-program's
    web-view opening its src sends ``none``, the lab's iframe ``same-origin``; old web-views
    send nothing, and only the account check above protects them."""
    return request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site")


def _log_in(user, identity, method):
    """Open an H5 session for ``user``, ending the one this browser had; commit the login."""
    if current_user.is_authenticated:  # a new login replaces this browser's session
        web_sessions.end(current_user.session_row, "replaced")
    token, row = web_sessions.start(
        user, identity, method, current_app.config["H5_SESSION_LIFETIME"]
    )
    db.session.commit()
    login_user(Visitor(row, token))


def _visitor_context():
    row = current_user.session_row
    user = row.user
    by_app = {identity.appid: identity for identity in user.identities}
    miniprogram_identity = by_app.get(current_app.config["MINIPROGRAM_APPID"])
    return {
        "web_session": row,
        "user": user,
        "miniprogram_identity": miniprogram_identity,
        "official_identity": by_app.get(current_app.config["OFFICIAL_ACCOUNT_APPID"]),
        "login_method_name": LOGIN_METHODS.get(row.method, row.method),
        "unionid_source": _unionid_source(user, row.method, miniprogram_identity),
    }


def _unionid_source(user, method, miniprogram_identity):
    """Where the unionid on the page came from: this login only gives one with
    snsapi_userinfo, so any other says which earlier login left it on the user."""
    if user.unionid is None:
        return "snsapi_base 不返回 unionid" if method == BASE else ""
    if method == USERINFO:
        return "这次 snsapi_userinfo 授权返回的"
    earlier = (
        "小程序登录时 code2Session 返回的"
        if miniprogram_identity is not None
        else "之前一次 snsapi_userinfo 授权返回的"
    )
    if method == BASE:
        return f"这次 snsapi_base 没有返回 unionid；这是同一个用户记录上已有的：{earlier}"
    return f"票据登录不经过微信；这是同一个用户记录上已有的：{earlier}"


def _problem(kind, status, **details):
    title, explanation = PROBLEMS[kind]
    return render_template(
        "h5/problem.html", kind=kind, title=title, explanation=explanation, details=details
    ), status
