"""What can go wrong when the developer server talks to WeChat."""


class WeChatError(Exception):
    """WeChat answered with a non-zero errcode."""

    def __init__(self, api, errcode, errmsg):
        super().__init__(f"{api}: errcode {errcode}: {errmsg}")
        self.api, self.errcode, self.errmsg = api, errcode, errmsg


class WeChatUnavailable(Exception):
    """WeChat could not be reached, or did not answer with JSON."""

    def __init__(self, api, reason):
        super().__init__(f"{api}: {reason}")
        self.api, self.reason = api, reason
