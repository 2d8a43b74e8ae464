"""WeChat web authorization through authlib's Flask client, adapted in one place.

WeChat's OAuth2 differs from the standard in ways authlib lets us bend without rewriting it:
- the authorize URL says ``appid`` instead of ``client_id``, wants its parameters in a fixed
  order, and ends with ``#wechat_redirect``;
- the token endpoint is a GET with ``appid`` and ``secret`` in the query (a client auth method);
- errors come back as HTTP 200 with ``errcode`` (an ``access_token_response`` compliance hook
  turns them into WeChatError); the token carries openid, unionid and is_snapshotuser;
- protected APIs take ``access_token`` in the query (``token_placement="uri"``).
State is authlib's: random, kept in this browser's session, popped on use; we add expiry.
"""

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.common.security import generate_token
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app

from webapp.wechat.client import parse_body
from webapp.wechat.errors import WeChatError, WeChatUnavailable
from webapp.wechat.observe import observed
from webapp.wechat.transport import api_base, mount_sandbox, open_base

NAME = "wechat"
STATE_LIFETIME = 600  # seconds from the redirect to WeChat until the callback must arrive
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
    JSON labelled text/plain: parse the bytes (parse_body), and hand authlib the result."""
    body = _wechat_body("oauth2/access_token", response)
    if body.get("errcode"):
        raise WeChatError("oauth2/access_token", body["errcode"], body.get("errmsg", ""))
    body.setdefault("token_type", "Bearer")  # WeChat omits it; authlib's token wants one
    response.json = lambda **kwargs: body
    return response


def _wechat_body(api, response):
    try:
        body = parse_body(response)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise WeChatUnavailable(api, f"HTTP {response.status_code}, not a WeChat answer")
    return body


class ExpiringStateIntegration(FlaskIntegration):
    """authlib keeps the state in the session with an expiry it only checks when cleaning up;
    refuse an expired state when it is read, too."""

    expires_in = STATE_LIFETIME

    def get_state_data(self, session, state):
        stored = session.get(f"_state_{self.name}_{state}")
        if not stored or stored.get("exp", 0) < time.time():
            return None
        return super().get_state_data(session, state)


class WeChatWebAuth(FlaskOAuth2App):
    client_cls = WeChatSession

    def _get_oauth_client(self, **metadata):
        client = super()._get_oauth_client(**metadata)
        client.register_client_auth_method(("wechat", appid_and_secret_in_query))
        client.register_compliance_hook("access_token_response", raise_errcode)
        return observed(mount_sandbox(client))

    def userinfo_of(self, token):
        """/sns/userinfo for a snsapi_userinfo token."""
        response = self.get(
            "sns/userinfo", params={"openid": token["openid"], "lang": "zh_CN"}, token=token
        )
        body = _wechat_body("userinfo", response)
        if body.get("errcode"):
            raise WeChatError("userinfo", body["errcode"], body.get("errmsg", ""))
        return body


def web_auth_client():
    """The service account's OAuth client, for WeChat or the sandbox, per configuration."""
    config = current_app.config
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
            "default_timeout": config["WECHAT_TIMEOUT"],
        },
    )
