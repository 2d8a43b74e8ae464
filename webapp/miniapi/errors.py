"""The mini-program API's answers: the envelope, and every error it can give.

Success: ``{"code": 0, "msg": "ok", "data": ...}`` with HTTP 200. An error: a ``code`` that is
the HTTP status times 100 plus a number, a readable ``msg``, sometimes ``data`` with details.
"""

from flask import jsonify

from webapp.wechat.errors import WeChatError, WeChatUnavailable

# name: (HTTP status, code, message)
ERRORS = {
    "bad_request": (400, 40000, "invalid request"),
    "wechat_code_invalid": (
        400,
        40001,
        "the code is invalid or has expired: call wx.login for a new one",
    ),
    "decrypt_failed": (400, 40002, "the encrypted data could not be decrypted"),
    "signature_mismatch": (400, 40003, "rawData does not match its signature"),
    "phone_code_invalid": (
        400,
        40004,
        "the phone code is invalid, expired or used (it is not the wx.login code)",
    ),
    "avatar_rejected": (400, 40005, "the avatar was not accepted"),
    "token_missing": (401, 40100, "no token: send Authorization: Bearer <token>"),
    "token_invalid": (401, 40101, "the token is not one we issued: log in again"),
    "token_expired": (401, 40102, "the token has expired: log in again"),
    "token_revoked": (
        401,
        40103,
        "the token was revoked (logout, or a login on another device): log in again",
    ),
    "account_blocked": (
        403,
        40300,
        "WeChat blocked this account's login (40226): a high-risk account",
    ),
    "not_found": (404, 40400, "not found"),
    "code_already_used": (
        409,
        40900,
        "this code is already being used or was used to log in: keep the token from that login",
    ),
    "no_session_key": (409, 40901, "there is no session_key for this user: log in again"),
    "payload_too_large": (413, 41300, "the request body is too large"),
    "too_many_requests": (
        429,
        42901,
        "too many requests from this address: wait for the seconds in Retry-After",
    ),
    "wechat_rate_limited": (
        429,
        42900,
        "WeChat's minute quota was reached (45011): try again in a minute",
    ),
    "internal_error": (500, 50000, "the server failed unexpectedly: the cause is in its log"),
    "wechat_rejected": (502, 50200, "WeChat refused the call"),
    "wechat_unavailable": (503, 50300, "WeChat is busy or unreachable: try again"),
    "database_unavailable": (
        503,
        50301,
        "the database is unavailable or too slow to answer: try again in a few seconds",
    ),
}


class ApiError(Exception):
    def __init__(self, name, msg=None, data=None):
        self.status, self.code, default_msg = ERRORS[name]
        self.name, self.msg, self.data = name, msg or default_msg, data
        super().__init__(self.msg)

    def response(self):
        body = {"code": self.code, "msg": self.msg}
        if self.data is not None:
            body["data"] = self.data
        return jsonify(body), self.status


def ok(data=None):
    return jsonify(code=0, msg="ok", data=data)


def from_wechat(error, code_error="wechat_code_invalid"):
    """Translate a failed WeChat call into our error. ``code_error`` names the error for an
    invalid or used code (40029, 40163): which code depends on the API."""
    if isinstance(error, WeChatUnavailable):
        return ApiError("wechat_unavailable", data={"wechat": {"reason": error.reason}})
    detail = {"wechat": {"errcode": error.errcode, "errmsg": error.errmsg}}
    name = {
        40029: code_error,
        40163: code_error,
        42003: code_error,
        40226: "account_blocked",
        45011: "wechat_rate_limited",
        -1: "wechat_unavailable",
    }.get(error.errcode, "wechat_rejected")
    return ApiError(name, data=detail)


WECHAT_ERRORS = (WeChatError, WeChatUnavailable)
