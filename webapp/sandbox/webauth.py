"""Web authorization (the service account's OAuth2 for H5 pages), as WeChat runs it.

- snsapi_base: a silent redirect with a code; the token gives the openid only.
- snsapi_userinfo: the consent page (允许 / 拒绝), unless the persona consented within
  SANDBOX_WEB_CONSENT_DAYS (and ``forcePopup=true`` was not asked). 拒绝 sends the browser back
  with ``state`` and no code, and for SANDBOX_WEB_DENIAL_CACHE_SECONDS later requests fail the
  same way at once, without a page. Both periods model what developers report; WeChat's
  documentation does not pin them down.
- On a snapshot page (an article opened from Moments, say) snsapi_userinfo shows no consent:
  the page runs with a virtual identity whose token says ``is_snapshotuser: 1``: a virtual
  openid and, as in WeChat's own example, a virtual unionid. Which virtual unionid is the
  sandbox's choice: one per open-platform account, shared by every snapshot visitor, so a
  backend that links accounts by it merges strangers (the collisions developers report).
- Codes live 5 minutes, once; access_tokens 7200 s; refresh_tokens 30 days. A refresh keeps an
  unexpired access_token and extends its expiry, and replaces an expired one (the Open
  Platform's page of the same endpoint says so; the official account's is silent: partly
  confirmed).
- redirect_uri: on the registered domain (10003 otherwise), on an accepted port (see
  _check_redirect_uri), its "#fragment" kept after the query. state: optional, at most 128
  bytes (see _check_state).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app
from sqlalchemy import delete, select

from webapp.clock import seconds_from_now, utcnow
from webapp.extensions import db
from webapp.sandbox import codes
from webapp.sandbox.directory import (
    APPS,
    OFFICIAL_ACCOUNT,
    PERSONAS,
    account_unionid,
    openid,
    virtual_openid,
    virtual_unionid,
)
from webapp.sandbox.errcodes import ErrcodeAnswer
from webapp.sandbox.lookup import lookupable
from webapp.sandbox.models import WebDenial, WebGrant, WebToken

BASE, USERINFO = "snsapi_base", "snsapi_userinfo"
SCOPES = (BASE, USERINFO)
ACCESS_TOKEN_LIFETIME = 7200
CONSENT_PAGE_LIFETIME = 600  # seconds before a consent page's buttons expire
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600
STATE_MAX_BYTES = 128
_STRICT_STATE = re.compile(r"[a-zA-Z0-9]*")

# The text WeChat's authorize page shows for each error, by the check that failed.
WRONG_DOMAIN = "redirect_uri域名与后台配置不一致"
PAGE_ERRORS = {
    10003: "redirect_uri 参数错误",  # not a web page's URL at all
    10005: "此公众号并没有这些 scope 的权限",
    10010: "scope 不能为空",
    10011: "redirect_uri 不能为空",
    10012: "appid 不能为空",
    10016: "不支持微信开放平台的 Appid，请使用公众号 Appid",
    40013: "不合法的 AppID，请开发者检查 AppID 的正确性",
}

# Said on every page that explains 10003: the lab's rule is not WeChat's.
REAL_WECHAT_PORTS = (
    "真实微信的网页授权域名不带端口，redirect_uri 也不能带端口号："
    "只能用 80（http）或 443（https）。"
)

# What each error means for the developer who caused it.
PAGE_ERROR_HINTS = {
    10003: "redirect_uri 必须是 http 或 https 的完整网址，并做 URL 编码。" + REAL_WECHAT_PORTS,
    10005: "网页授权要用服务号的 appid；小程序的 appid 没有 snsapi_base / snsapi_userinfo。",
    10016: "这里要填公众号的 appid。",
    40013: "这个 appid 不存在。",
}


class AuthorizePageError(Exception):
    """A request the authorize page refuses: WeChat shows an error page, no redirect. The
    page's title names the check that failed."""

    def __init__(self, errcode, message=None, hint=None):
        super().__init__(errcode)
        self.errcode = errcode
        self.message = message or PAGE_ERRORS[errcode]
        self.hint = PAGE_ERROR_HINTS.get(errcode, "") if hint is None else hint


@dataclass(frozen=True)
class AuthorizeRequest:
    app: object
    redirect_uri: str
    scope: str
    state: str
    force_popup: bool

    def as_params(self):
        """The request's parameters, in WeChat's order, to repeat it (after the consent page)."""
        params = {
            "appid": self.app.appid,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "state": self.state,
        }
        if self.force_popup:
            params["forcePopup"] = "true"
        return params


def parse_authorize(args, request_host):
    """Validate the authorize parameters like WeChat; raise AuthorizePageError if unfit.

    ``request_host`` is the host (and port) the browser reached this page at: unless
    SANDBOX_WEB_AUTH_DOMAIN names one, it stands for the registered web-authorization domain.
    """
    appid = args.get("appid", "")
    if not appid:
        raise AuthorizePageError(10012)
    app = APPS.get(appid)
    if app is None:
        raise AuthorizePageError(40013)
    if app.kind != OFFICIAL_ACCOUNT:
        raise AuthorizePageError(10005)  # a mini-program has no web authorization
    redirect_uri = args.get("redirect_uri", "")
    if not redirect_uri:
        raise AuthorizePageError(10011)
    _check_redirect_uri(redirect_uri, request_host)
    scope = args.get("scope", "")
    if not scope:
        raise AuthorizePageError(10010)
    if scope not in SCOPES:
        raise AuthorizePageError(10005)
    if args.get("response_type") != "code":  # WeChat's answer is undocumented: the sandbox's
        raise AuthorizePageError(
            10005, "response_type 只能是 code", "网页授权的 response_type 固定写 code。"
        )
    state = args.get("state", "")
    _check_state(state)
    return AuthorizeRequest(app, redirect_uri, scope, state, args.get("forcePopup") == "true")


def _check_redirect_uri(redirect_uri, request_host):
    """10003 unless redirect_uri is a web page on the registered domain, on an accepted port.

    WeChat refuses any port ("redirect_uri不支持带端口号"). The lab runs on 127.0.0.1:5000, so
    by default the sandbox accepts exactly the port it is itself served on (the registered
    domain it stands for), and refuses every other one; SANDBOX_WEB_AUTH_STRICT_PORT refuses
    every port, as WeChat does."""
    try:
        target = urlsplit(redirect_uri)
        port = target.port
    except ValueError:  # not a URL at all: an unclosed "[", a port that is not a number
        raise AuthorizePageError(10003) from None
    # Only a web page can receive the code: not javascript:, not a scheme-relative URL.
    if target.scheme.lower() not in ("http", "https") or not target.hostname:
        raise AuthorizePageError(10003)
    host, registered_port = _registered_domain(request_host)
    registered = f"{host}:{registered_port}" if registered_port else host
    if target.hostname != host:
        raise AuthorizePageError(
            10003,
            WRONG_DOMAIN,
            f"redirect_uri 的域名 {target.hostname} 不是公众号后台登记的网页授权域名 "
            f"{host}。{REAL_WECHAT_PORTS}",
        )
    if port is not None and current_app.config["SANDBOX_WEB_AUTH_STRICT_PORT"]:
        raise AuthorizePageError(
            10003,
            WRONG_DOMAIN,
            f"redirect_uri 带了端口 :{port}。{REAL_WECHAT_PORTS}"
            "沙箱现在按真实微信的规则检查（SANDBOX_WEB_AUTH_STRICT_PORT），任何端口都不接受。",
        )
    if port != registered_port:
        shown = f":{port}" if port else "默认端口（80 / 443）"
        raise AuthorizePageError(
            10003,
            WRONG_DOMAIN,
            f"redirect_uri 用的是{shown}，而沙箱登记的网页授权域名是 {registered}。"
            f"{REAL_WECHAT_PORTS}沙箱为了让实验室在本机端口上能跑，只接受本服务自己的端口。",
        )


def _registered_domain(request_host):
    """(host, port or None) of the registered web-authorization domain: SANDBOX_WEB_AUTH_DOMAIN,
    or the host and port this request reached (a Host header too odd to read matches no
    redirect_uri)."""
    try:
        return parse_domain(current_app.config["SANDBOX_WEB_AUTH_DOMAIN"] or request_host)
    except ValueError:
        return "", None


def parse_domain(value):
    """ "host" or "host:port" as (lower-case host, port or None); ValueError if it is neither."""
    parts = urlsplit("//" + value)
    if not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not host or host:port")
    return parts.hostname, parts.port


def _check_state(state):
    """state is optional; WeChat's doc allows [a-zA-Z0-9]{0,128}. Other characters, URL-encoded,
    are reported to pass, so the sandbox lets them through unless SANDBOX_WEB_STATE_STRICT.
    Which errcode WeChat gives a state it refuses is unconfirmed: the sandbox shows 10013."""
    if len(state.encode()) > STATE_MAX_BYTES:
        raise AuthorizePageError(
            10013,
            f"state 超过 {STATE_MAX_BYTES} 字节",
            "state 最多 128 字节。用它带一个随机值（防 CSRF）就够了，别把要传的数据塞进去。",
        )
    if current_app.config["SANDBOX_WEB_STATE_STRICT"] and not _STRICT_STATE.fullmatch(state):
        raise AuthorizePageError(
            10013,
            "state 只能包含字母和数字",
            "微信文档规定 state 只能是 a-zA-Z0-9；据开发者反馈，URL 编码的其他字符实际也能通过。"
            "沙箱现在按文档检查（SANDBOX_WEB_STATE_STRICT）。",
        )


def back_to_client(auth_request, code=None):
    """The redirect_uri with ``code`` (when there is one) and ``state`` added to its query."""
    parts = urlsplit(auth_request.redirect_uri)
    params = {"code": code} if code else {}
    params["state"] = auth_request.state
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    # A "#/path" in redirect_uri stays, after the query: a hash router then finds no code in
    # its own route (the SPA trap).
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def needs_consent(auth_request, persona_id):
    if auth_request.scope != USERINFO:
        return False
    return auth_request.force_popup or _live_grant(auth_request.app.appid, persona_id) is None


def denied_recently(auth_request, persona_id):
    if auth_request.scope != USERINFO:
        return False
    return (
        db.session.scalar(
            select(WebDenial).where(
                WebDenial.appid == auth_request.app.appid,
                WebDenial.persona == persona_id,
                WebDenial.until > utcnow(),
            )
        )
        is not None
    )


def open_consent(auth_request, persona_id):
    """Show the consent page: return the one-time id its form sends back with 允许 or 拒绝."""
    page_id = codes.issue(
        codes.CONSENT, auth_request.app.appid, persona_id, lifetime=CONSENT_PAGE_LIFETIME
    )
    return page_id


def answer_consent(auth_request, persona_id, page_id):
    """Take the page's answer: False if the page is not this persona's, has expired or was
    answered already (a resubmitted form), and then nothing is recorded."""
    page = codes.find(codes.CONSENT, auth_request.app.appid, page_id)
    return (
        page is not None
        and page.persona == persona_id
        and not codes.expired(page)
        and codes.redeem(page)
    )


def grant(auth_request, persona_id):
    """Record 允许 and return the code for the redirect."""
    db.session.add(
        WebGrant(
            appid=auth_request.app.appid,
            persona=persona_id,
            granted_at=utcnow(),
            expires_at=utcnow() + timedelta(days=current_app.config["SANDBOX_WEB_CONSENT_DAYS"]),
        )
    )
    return issue_code(auth_request, persona_id)


def deny(auth_request, persona_id):
    """Record 拒绝: the denial cache starts now."""
    db.session.add(
        WebDenial(
            appid=auth_request.app.appid,
            persona=persona_id,
            denied_at=utcnow(),
            until=seconds_from_now(current_app.config["SANDBOX_WEB_DENIAL_CACHE_SECONDS"]),
        )
    )


def issue_code(auth_request, persona_id, snapshot=False):
    code = codes.issue(
        codes.OAUTH, auth_request.app.appid, persona_id, scope=auth_request.scope, snapshot=snapshot
    )
    return code


def exchange_code(app, value):
    """/sns/oauth2/access_token: a code for a token row, or 41008, 40029, 42003, 40163."""
    if not value:
        raise ErrcodeAnswer(41008)
    code = codes.find(codes.OAUTH, app.appid, value)
    if code is None:
        raise ErrcodeAnswer(40029)
    if codes.expired(code):
        raise ErrcodeAnswer(42003)
    if not codes.redeem(code):
        raise ErrcodeAnswer(40163)
    token = WebToken(
        access_token=_new_token(),
        refresh_token=_new_token(),
        appid=app.appid,
        persona=code.persona,
        scope=code.scope,
        snapshot=code.snapshot,
        issued_at=utcnow(),
        expires_at=seconds_from_now(ACCESS_TOKEN_LIFETIME),
        refresh_expires_at=seconds_from_now(REFRESH_TOKEN_LIFETIME),
    )
    db.session.add(token)
    db.session.flush()
    return token


def refresh(app, refresh_token):
    """/sns/oauth2/refresh_token: the access_token with a new expiry (a new one if it had
    expired), or 40030, 42002."""
    token = (
        db.session.scalar(
            select(WebToken).where(
                WebToken.refresh_token == refresh_token, WebToken.appid == app.appid
            )
        )
        if lookupable(refresh_token)
        else None
    )
    if token is None:
        raise ErrcodeAnswer(40030)
    if token.refresh_expires_at <= utcnow():
        raise ErrcodeAnswer(42002)
    if token.expires_at <= utcnow():  # expired: a new access_token
        token.access_token = _new_token()
    token.expires_at = seconds_from_now(ACCESS_TOKEN_LIFETIME)  # unexpired: kept, extended
    return token


def authenticate(access_token, openid_value):
    """The token row for an access_token and the openid it belongs to, or 40001/42001/40003."""
    if not access_token:
        raise ErrcodeAnswer(41001)
    token = db.session.get(WebToken, access_token) if lookupable(access_token) else None
    if token is None:
        raise ErrcodeAnswer(40001)
    if token.expires_at <= utcnow():
        raise ErrcodeAnswer(42001)
    if openid_value != token_openid(token):
        raise ErrcodeAnswer(40003)
    return token


def token_openid(token):
    app, persona = APPS[token.appid], PERSONAS[token.persona]
    return virtual_openid(app, persona) if token.snapshot else openid(app, persona)


def token_unionid(token):
    app = APPS[token.appid]
    if app.open_platform is None:
        return None
    if token.snapshot:
        return virtual_unionid(app.open_platform)
    return account_unionid(app.open_platform, PERSONAS[token.persona])


def clear(persona_id):
    """Forget the persona's web grants, denials and tokens, with every service account."""
    cleared = {}
    for name, model in (
        ("web_grants", WebGrant),
        ("web_denials", WebDenial),
        ("web_tokens", WebToken),
    ):
        cleared[name] = db.session.execute(
            delete(model).where(model.persona == persona_id)
        ).rowcount
    return cleared


def _live_grant(appid, persona_id):
    return db.session.scalar(
        select(WebGrant).where(
            WebGrant.appid == appid, WebGrant.persona == persona_id, WebGrant.expires_at > utcnow()
        )
    )


def _new_token():
    return f"{secrets.randbelow(90) + 10}_{secrets.token_urlsafe(96)}"
