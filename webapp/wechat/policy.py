"""One timeout and one retry rule for every call to WeChat, from every lane.

The mini-program client (client.py) and the web-authorization client (h5/wechat_oauth.py) both
send each HTTP call with ``WECHAT_TIMEOUT`` and run it through ``CallPolicy.run``: errcode -1
("system error", WeChat's word for "busy, try again") is retried with exponential backoff,
nothing else is; a call that cannot reach WeChat or gets no WeChat answer back becomes
``WeChatUnavailable``, so every caller answers "try again" instead of failing.
"""

import json
import logging
import time
from dataclasses import dataclass

import requests
from flask import current_app

from webapp.wechat.errors import WeChatError, WeChatUnavailable

log = logging.getLogger(__name__)

SYSTEM_BUSY = -1


def wechat_body(api, response):
    """WeChat's answer to a call of ``api`` as a JSON object, whatever its Content-Type says;
    WeChatUnavailable for anything else (an HTTP error, a page, not JSON).

    jscode2session and the sns/* APIs label their JSON "text/plain" without a charset: trusting
    the header, a client refuses the body (Spring's RestTemplate, aiohttp's ``.json()``) or, as
    requests' ``.json()`` does, decodes it as ISO-8859-1 and garbles every Chinese nickname.
    JSON is UTF-8: parse the bytes.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not response.ok or not isinstance(body, dict):
        raise WeChatUnavailable(api, f"HTTP {response.status_code}, not a WeChat answer")
    return body


@dataclass(frozen=True)
class CallPolicy:
    timeout: float = 5.0  # seconds for one HTTP call (connecting, and each wait for bytes)
    retries: int = 2  # extra attempts after errcode -1
    backoff: float = 0.2  # seconds before the first retry; doubled before each next one

    @classmethod
    def from_config(cls):
        config = current_app.config
        return cls(
            config["WECHAT_TIMEOUT"], config["WECHAT_RETRIES"], config["WECHAT_RETRY_BACKOFF"]
        )

    def run(self, api, attempt):
        """Return ``attempt()``, WeChat's answer to one call of ``api``; retry it on -1.

        ``attempt`` raises WeChatError for a non-zero errcode. Network failures and answers
        that are no WeChat JSON become WeChatUnavailable.
        """
        for number in range(self.retries + 1):
            try:
                return attempt()
            except WeChatError as error:
                if error.errcode != SYSTEM_BUSY or number == self.retries:
                    raise
            except (requests.RequestException, ValueError) as error:
                log.warning("WeChat %s failed: %s", api, type(error).__name__)
                raise WeChatUnavailable(api, type(error).__name__) from error
            time.sleep(self.backoff * 2**number)
        raise AssertionError("unreachable: the last attempt returns or raises")
