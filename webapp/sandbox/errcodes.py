"""WeChat's error vocabulary: codes, texts and the shape of an error answer.

WeChat answers errors with HTTP 200 and ``{"errcode": N, "errmsg": "text, rid: ..."}``; the rid
identifies the request for WeChat's support staff.
"""

import secrets

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40029: "invalid code",
    40030: "invalid refresh_token",
    40066: "invalid url",
    40125: "invalid appsecret",
    40163: "code been used",
    40164: "invalid ip, not in whitelist",
    40226: "code blocked",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41008: "missing code",
    42001: "access_token expired",
    42002: "refresh_token expired",
    42003: "code expired",
    43001: "require GET method",
    43002: "require POST method",
    44002: "empty post data",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
    48001: "api unauthorized",
    87008: "invalid sig_method",
    87009: "invalid signature",
}


class ErrcodeAnswer(Exception):
    """An error answer of WeChat's, raised anywhere in the sandbox and rendered by the view.
    ``text`` replaces the code's usual errmsg where WeChat says more (40164 names the IP)."""

    def __init__(self, errcode, text=None):
        super().__init__(errcode)
        self.errcode, self.text = errcode, text or ERRMSG[errcode]

    def body(self):
        return {"errcode": self.errcode, "errmsg": f"{self.text}, rid: {new_rid()}"}


def new_rid():
    return "-".join(secrets.token_hex(4) for _ in range(3))


def ok(**fields):
    """The success answer of the APIs that report errcode 0."""
    return {"errcode": 0, "errmsg": "ok", **fields}
