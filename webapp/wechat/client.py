"""The developer server's client for WeChat's server APIs, over ``requests``.

It talks to whatever ``WECHAT_API_BASE`` names: real WeChat or the sandbox; it cannot tell
which (transport.py decides how a call gets there). Every non-zero errcode becomes a
``WeChatError``; -1 ("system error", WeChat's word for "busy, try again") is retried with
backoff, nothing else is. Secrets never reach the log.
"""

import json as jsonlib
import logging
import time

import requests
from flask import current_app

from webapp.redact import redact_text
from webapp.wechat.errors import WeChatError, WeChatUnavailable
from webapp.wechat.observe import observed
from webapp.wechat.transport import api_base, mount_sandbox

log = logging.getLogger(__name__)

SYSTEM_BUSY = -1


class WeChatClient:
    def __init__(
        self, api_base, appid, secret, *, timeout=5.0, retries=2, backoff=0.2, session=None
    ):
        self.api_base = api_base.rstrip("/")
        self.appid, self._secret = appid, secret
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
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
        for attempt in range(self.retries + 1):
            body = self._send(api, method, path, params, json)
            errcode = body.get("errcode", 0)
            if errcode != SYSTEM_BUSY or attempt == self.retries:
                break
            time.sleep(self.backoff * 2**attempt)
        if errcode:
            raise WeChatError(api, errcode, body.get("errmsg", ""))
        return body

    def _send(self, api, method, path, params, json):
        url = self.api_base + path
        try:
            response = self.http.request(
                method, url, params=params, json=json, timeout=self.timeout
            )
            body = parse_body(response)
        except (requests.RequestException, ValueError) as error:
            log.warning("WeChat %s %s failed: %s", method, redact_text(url), type(error).__name__)
            raise WeChatUnavailable(api, type(error).__name__) from error
        if not response.ok or not isinstance(body, dict):
            raise WeChatUnavailable(api, f"HTTP {response.status_code}, not a WeChat answer")
        log.info(
            "WeChat %s %s -> errcode %s", method, redact_text(response.url), body.get("errcode", 0)
        )
        return body


def parse_body(response):
    """WeChat's answer as JSON, whatever its Content-Type says. jscode2session and the sns/*
    APIs label their JSON "text/plain" without a charset: trusting the header, a client refuses
    the body (Spring's RestTemplate, aiohttp's .json()) or, as requests' ``.json()`` does,
    decodes it as ISO-8859-1 and garbles every Chinese nickname. JSON is UTF-8: parse the
    bytes. Raises ValueError if they are not JSON."""
    return jsonlib.loads(response.content)


def miniprogram_client():
    config = current_app.config
    return WeChatClient(
        api_base(),
        config["MINIPROGRAM_APPID"],
        config["MINIPROGRAM_SECRET"],
        timeout=config["WECHAT_TIMEOUT"],
        retries=config["WECHAT_RETRIES"],
        backoff=config["WECHAT_RETRY_BACKOFF"],
    )
