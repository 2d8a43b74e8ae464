"""The developer server's client for WeChat's server APIs, over ``requests``.

It talks to whatever ``WECHAT_API_BASE`` names: real WeChat or the sandbox; it cannot tell
which (transport.py decides how a call gets there). Every non-zero errcode becomes a
``WeChatError``; the timeout and the retry rule (-1 is retried with backoff, nothing else is)
are policy.py's, shared with the web-authorization client. Secrets never reach the log.
"""

import logging

import requests
from flask import current_app

from webapp.redact import redact_text
from webapp.wechat.errors import WeChatError
from webapp.wechat.observe import observed
from webapp.wechat.policy import CallPolicy, wechat_body
from webapp.wechat.transport import api_base, mount_sandbox

log = logging.getLogger(__name__)


class WeChatClient:
    def __init__(self, api_base, appid, secret, *, policy=None, session=None):
        self.api_base = api_base.rstrip("/")
        self.appid, self._secret = appid, secret
        self.policy = policy or CallPolicy()
        self.http = observed(session or mount_sandbox(requests.Session()))

    def code2session(self, js_code):
        """Exchange a wx.login code: {openid, session_key, unionid?}."""
        return self.call(
            "GET",
            "/sns/jscode2session",
            params={
                "appid": self.appid,
                "secret": self._secret,
                "js_code": js_code,
                "grant_type": "authorization_code",
            },
        )

    def stable_token(self, force_refresh=False):
        """Fetch the app's access_token: {access_token, expires_in}."""
        return self.call(
            "POST",
            "/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self._secret,
                "force_refresh": force_refresh,
            },
        )

    def check_session(self, access_token, openid, signature):
        return self.call(
            "GET",
            "/wxa/checksession",
            params={
                "access_token": access_token,
                "openid": openid,
                "signature": signature,
                "sig_method": "hmac_sha256",
            },
        )

    def phone_number(self, access_token, code):
        """Exchange a getPhoneNumber code: {phone_info: {...}}."""
        return self.call(
            "POST",
            "/wxa/business/getuserphonenumber",
            params={"access_token": access_token},
            json={"code": code},
        )

    def call(self, method, path, *, params=None, json=None):
        """Send one API call; return its JSON body, or raise WeChatError/WeChatUnavailable."""
        api = path.rsplit("/", 1)[-1]
        return self.policy.run(api, lambda: self._send(api, method, path, params, json))

    def _send(self, api, method, path, params, json):
        url = self.api_base + path
        response = self.http.request(
            method, url, params=params, json=json, timeout=self.policy.timeout
        )
        body = wechat_body(api, response)
        errcode = body.get("errcode", 0)
        log.info("WeChat %s %s -> errcode %s", method, redact_text(response.url), errcode)
        if errcode:
            raise WeChatError(api, errcode, body.get("errmsg", ""))
        return body


def miniprogram_client():
    config = current_app.config
    return WeChatClient(
        api_base(),
        config["MINIPROGRAM_APPID"],
        config["MINIPROGRAM_SECRET"],
        policy=CallPolicy.from_config(),
    )
