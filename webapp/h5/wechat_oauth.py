"""WeChat web authorization through authlib's Flask client, adapted in one place.

WeChat's OAuth2 differs from the standard in ways authlib lets us bend without rewriting it:
- the authorize URL says ``appid`` instead of ``client_id``, wants its parameters in a fixed
  order, and ends with ``#wechat_redirect``;
- the token endpoint is a GET with ``appid`` and ``secret`` in the query (a client auth method);
- errors come back as HTTP 200 with ``errcode`` (an ``access_token_response`` compliance hook
  turns them into WeChatError); the token carries openid, unionid and is_snapshotuser;
- protected APIs take ``access_token`` in the query (``token_placement="uri"``).
State is authlib's: random, kept in this browser's session, popped on use; we add expiry.
Every call to WeChat runs under policy.py's timeout and retry rule, the same as the
mini-program client's.
"""

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.common.security import generate_token
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, session

from webapp.wechat.errors import WeChatError
from webapp.wechat.observe import observed
from webapp.wechat.policy import CallPolicy, wechat_body
from webapp.wechat.transport import api_base, mount_sandbox, open_base

NAME = "wechat"
STATE_LIFETIME = 600  # seconds from the redirect to WeChat until the callback must arrive
MAX_PENDING = 3  # authorizations one browser may have started and not finished (a few tabs)
BASE, USERINFO = "snsapi_base", "snsapi_userinfo"


class WeChatSession(OAuth2Session):
    """authlib's requests session, speaking WeChat's dialect."""

    def create_authorization_url(self, url, state=None, code_verifier=None, **kwargs):
        state = state or generate_token(32)  # letters and digits: WeChat's state charset
        params = [
            ("appid", self.client_id),
            ("redirect_uri", kwargs.pop("redirect_uri", None) or self.redirect_uri),
            ("response_type", "code"),
            ("scope", kwargs.pop("scope", None) or self.scope),
            ("state", state),
        ]
        params += [(key, value) for key, value in kwargs.items() if value is not None]
        return f"{url}?{urlencode(params)}#wechat_redirect", state


def appid_and_secret_in_query(auth, method, uri, headers, body):
    """Client authentication the WeChat way: appid and secret as query parameters, and only
    the parameters WeChat reads (no client_id, no redirect_uri)."""
    parts = urlsplit(uri)
    params = [
        (key, value)
        for key, value in parse_qsl(parts.query)
        if key not in ("client_id", "redirect_uri")
    ]
    params[:0] = [("appid", auth.client_id), ("secret", auth.client_secret)]
    return urlunsplit(parts._replace(query=urlencode(params))), headers, body


def raise_errcode(response):
    """access_token_response hook: WeChat's errors are HTTP 200 with an errcode. Its body is
    JSON labelled text/plain: read it as WeChat's answer (wechat_body), and hand authlib the
    result."""
    body = wechat_body("oauth2/access_token", response)
    if body.get("errcode"):
        raise WeChatError("oauth2/access_token", body["errcode"], body.get("errmsg", ""))
    body.setdefault("token_type", "Bearer")  # WeChat omits it; authlib's token wants one
    response.json = lambda **kwargs: body
    return response


class ExpiringStateIntegration(FlaskIntegration):
    """authlib keeps each pending authorization in the session cookie with an expiry it only
    checks when cleaning up: refuse an expired state when it is read, too; and keep only the
    newest few, or every start (a reload, a bot) would grow the cookie until browsers drop it."""

    expires_in = STATE_LIFETIME

    def get_state_data(self, session, state):
        stored = session.get(f"_state_{self.name}_{state}")
        if not stored or stored.get("exp", 0) < time.time():
            return None
        return super().get_state_data(session, state)

    def set_state_data(self, session, state, data):
        super().set_state_data(session, state, data)
        prefix = f"_state_{self.name}_"
        pending = sorted(
            (key for key in session if key.startswith(prefix)), key=lambda key: session[key]["exp"]
        )
        for key in pending[:-MAX_PENDING]:  # the oldest go first
            session.pop(key)


class WeChatWebAuth(FlaskOAuth2App):
    client_cls = WeChatSession

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy

    def _get_oauth_client(self, **metadata):
        client = super()._get_oauth_client(**metadata)
        client.register_client_auth_method(("wechat", appid_and_secret_in_query))
        client.register_compliance_hook("access_token_response", raise_errcode)
        return observed(mount_sandbox(client))

    # The pending authorization of a state, kept in this browser's session (by authlib).

    def take_pending(self, state):
        """The authorization ``state`` was started with, or None; used up either way."""
        pending = self.framework.get_state_data(session, state)
        if pending is not None:
            self.framework.clear_state_data(session, state)
        return pending

    def put_back_pending(self, state, pending):
        """Keep ``state`` usable once more, with a fresh lifetime (the snapshot page's case)."""
        self.framework.set_state_data(session, state, pending)

    def exchange_code(self, code, redirect_uri):
        """/sns/oauth2/access_token: the callback's code for a token, under the call policy
        (the state was checked by the caller)."""
        return self.policy.run(
            "access_token",
            lambda: self.fetch_access_token(redirect_uri=redirect_uri, code=code, method="GET"),
        )

    def userinfo_of(self, token):
        """/sns/userinfo for a snsapi_userinfo token, under the call policy."""

        def attempt():
            response = self.get(
                "sns/userinfo", params={"openid": token["openid"], "lang": "zh_CN"}, token=token
            )
            body = wechat_body("userinfo", response)
            if body.get("errcode"):
                raise WeChatError("userinfo", body["errcode"], body.get("errmsg", ""))
            return body

        return self.policy.run("userinfo", attempt)


def web_auth_client():
    """The service account's OAuth client, for WeChat or the sandbox, per configuration."""
    config = current_app.config
    policy = CallPolicy.from_config()
    return WeChatWebAuth(
        ExpiringStateIntegration(NAME),
        NAME,
        client_id=config["OFFICIAL_ACCOUNT_APPID"],
        client_secret=config["OFFICIAL_ACCOUNT_SECRET"],
        authorize_url=open_base() + "/connect/oauth2/authorize",
        access_token_url=api_base() + "/sns/oauth2/access_token",
        api_base_url=api_base() + "/",
        client_kwargs={
            "token_endpoint_auth_method": "wechat",
            "token_placement": "uri",
            # authlib's own setting: a plain "timeout" would be kept and never used.
            "default_timeout": policy.timeout,
        },
        policy=policy,
    )
