"""The mini-program API's answers: the envelope, and every error it can give.

Success: ``{"code": 0, "msg": "ok", "data": ...}`` with HTTP 200. An error: a ``code`` that is
the HTTP status times 100 plus a number, a readable ``msg``, sometimes ``data`` with details.
Each error is also explained in Chinese (``EXPLAINED``), for the pages a learner reads.
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


# What each error means, for the learner: /api/docs and the lab show it beside the ``msg``
# (which stays English, for the developer reading the JSON). Our codes and WeChat's errcodes are
# two numberings: ours is the HTTP status times 100 plus a number, so our 40001 is not
# WeChat's 40001.
EXPLAINED = {
    "bad_request": "请求体不是 JSON 对象，或缺字段、字段类型不对：msg 里写着是哪一个",
    "wechat_code_invalid": (
        "wx.login 的 code 无效、过期或已经用过（微信 errcode 40029、40163、42003）：重新 wx.login"
    ),
    "decrypt_failed": "encryptedData 解不开：data.errcode 里的解密错误码说明卡在哪一步",
    "signature_mismatch": (
        "rawData 和 signature 对不上：多半是拿到数据之后又调了 wx.login，session_key 换了；"
        "也可能 rawData 在路上被改过"
    ),
    "phone_code_invalid": "手机号 code 无效、过期或已经用过；它不是 wx.login 的 code",
    "avatar_rejected": "头像不是 PNG、JPEG、GIF 或 WebP 图片，或者超过 1 MB",
    "token_missing": "没有带 token：请求头要写 Authorization: Bearer 加上 token",
    "token_invalid": "这个 token 不是我们签发的：删掉它，重新登录",
    "token_expired": "token 已过期：重新登录",
    "token_revoked": "token 已吊销（退出登录了，或者在另一台设备上登录了）：重新登录",
    "account_blocked": "微信拦截了这个账号的登录（微信 errcode 40226，高风险账号）",
    "not_found": "没有这个地址或资源",
    "code_already_used": (
        "这个 code 正在被另一个请求使用，或已经登录过：保留那次登录的 token，不要重新登录"
    ),
    "no_session_key": "服务器上没有这个用户的 session_key：重新登录",
    "payload_too_large": "请求体太大了",
    "too_many_requests": (
        "这个地址的请求太频繁，碰到了我们自己的频率限制（防止有人反复试探登录）："
        "等 Retry-After 里的秒数再试"
    ),
    "wechat_rate_limited": "碰到了微信的每分钟频率限制（微信 errcode 45011）：过一分钟再试",
    "internal_error": "服务器出了意料之外的错：原因记在服务器日志里",
    "wechat_rejected": "微信拒绝了这次调用：data.wechat 里是微信的 errcode",
    "wechat_unavailable": "微信繁忙或连不上（微信 errcode -1，重试之后仍然失败）：稍后再试",
    "database_unavailable": "服务器的数据库暂时连不上或太慢：过几秒再试，服务器会自己恢复",
}
EXPLAINED_BY_CODE = {ERRORS[name][1]: text for name, text in EXPLAINED.items()}

# The WXBizDataCrypt codes that /api/profile/legacy and /api/phone/legacy put in data.errcode.
OPEN_DATA_CODES = {
    -41001: "session_key 不合法：应当是 24 个字符的 base64",
    -41002: "iv 不合法：应当是 24 个字符的 base64",
    -41003: (
        "解出来的数据不对（填充、JSON 或水印 appid）：几乎总是 session_key 已经换过，"
        "拿到数据之后又调了 wx.login"
    ),
    -41004: "base64 解码失败：多半是“+”在 URL 编码时变成了空格",
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
