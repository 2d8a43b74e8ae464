"""The phone and the mini-program, each step one call."""

import requests

from config import SANDBOX_MINIPROGRAM_APPID as MINIPROGRAM_APPID


class Phone:
    """The WeChat app on a persona's phone, driven through the sandbox's device endpoints.
    ``privacy_agreed``: the persona tapped 同意 on the mini-program's privacy guide first (since
    2023-10-17 every privacy API fails with errno 104 until then)."""

    def __init__(self, client, user="xiaoming", appid=MINIPROGRAM_APPID, privacy_agreed=True):
        self.client, self.user, self.appid = client, user, appid
        if privacy_agreed:
            assert self.call("agree-privacy")["errMsg"] == "agreePrivacyAuthorization:ok"

    def call(self, endpoint, **params):
        body = {"appid": self.appid, "user": self.user, **params}
        if endpoint in ("setting", "privacy-setting"):
            return self.client.get(f"/sandbox/device/{endpoint}", query_string=body).get_json()
        return self.client.post(f"/sandbox/device/{endpoint}", json=body).get_json()

    def login(self):
        """wx.login: return a fresh code."""
        return self.call("login")["code"]


class MiniProgram:
    """The lab's mini-program on a persona's phone, over real HTTP: wx.* calls go to the
    sandbox's device endpoints, wx.request goes to the developer server's /api with the token
    it stored, as a real mini-program does."""

    def __init__(self, base_url, user="xiaoming", appid=MINIPROGRAM_APPID, privacy_agreed=True):
        self.base_url, self.user, self.appid = base_url, user, appid
        self.http = requests.Session()
        self.token = None
        if privacy_agreed:  # the persona tapped 同意 on the privacy guide at first launch
            assert self.wx("agree-privacy")["errMsg"] == "agreePrivacyAuthorization:ok"

    def wx(self, endpoint, **params):
        """Call a sandbox device endpoint (wx.login, getUserProfile, ...) and return its JSON."""
        body = {"appid": self.appid, "user": self.user, **params}
        return self.http.post(
            f"{self.base_url}/sandbox/device/{endpoint}", json=body, timeout=10
        ).json()

    def wx_login(self):
        return self.wx("login")["code"]

    def request(self, method, path, **kwargs):
        """wx.request: the stored token as a bearer header. Returns the requests.Response."""
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.http.request(method, self.base_url + path, headers=headers, **kwargs)

    def login(self, code=None):
        """wx.login, then POST /api/login; keep the token as wx.setStorageSync would."""
        response = self.request("POST", "/api/login", json={"code": code or self.wx_login()})
        body = response.json()
        if body["code"] == 0:
            self.token = body["data"]["token"]
        return body
