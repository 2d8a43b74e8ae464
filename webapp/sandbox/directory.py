"""Who exists in the sandbox WeChat: its apps and the personas who use them.

Both are fixed data, not state: every openid and unionid is derived from them, so the same
persona has the same ids on every machine and after every reset.
"""

import base64
import hashlib
from dataclasses import dataclass

from config import (
    SANDBOX_MINIPROGRAM_APPID,
    SANDBOX_MINIPROGRAM_SECRET,
    SANDBOX_OFFICIAL_ACCOUNT_APPID,
    SANDBOX_OFFICIAL_ACCOUNT_SECRET,
)

# A third app, not bound to the open platform (the lab's "隔壁小程序").
UNBOUND_APPID = "wx3b9d7f1e5c2a8406"
UNBOUND_SECRET = "7d1f3b5a9c0e2d4f6a8b0c2e4f6a8b1d"

# The open-platform account that binds apps together: bound apps see the same unionid.
OPEN_PLATFORM_ACCOUNT = "sandbox-open-platform"

MINIPROGRAM = "miniprogram"
OFFICIAL_ACCOUNT = "official_account"


@dataclass(frozen=True)
class App:
    appid: str
    secret: str
    name: str
    kind: str
    open_platform: str | None  # None: not bound, so WeChat returns no unionid

    def public(self):
        """Everything about the app but its secret."""
        return {
            "appid": self.appid,
            "name": self.name,
            "kind": self.kind,
            "bound_to_open_platform": self.open_platform is not None,
        }


@dataclass(frozen=True)
class Persona:
    id: str
    nickname: str
    country_code: str
    pure_phone_number: str
    high_risk: bool = False  # WeChat blocks logins of accounts it considers risky (40226)
    note: str = ""

    @property
    def phone_number(self):
        """WeChat writes the country code only for numbers outside mainland China."""
        if self.country_code == "86":
            return self.pure_phone_number
        return f"+{self.country_code}{self.pure_phone_number}"


APPS = {
    app.appid: app
    for app in (
        # The lab's own pair: an unconfigured developer server uses these credentials.
        App(
            SANDBOX_MINIPROGRAM_APPID,
            SANDBOX_MINIPROGRAM_SECRET,
            "授权实验室",
            MINIPROGRAM,
            OPEN_PLATFORM_ACCOUNT,
        ),
        App(
            SANDBOX_OFFICIAL_ACCOUNT_APPID,
            SANDBOX_OFFICIAL_ACCOUNT_SECRET,
            "授权实验室服务号",
            OFFICIAL_ACCOUNT,
            OPEN_PLATFORM_ACCOUNT,
        ),
        # Not bound to the open platform: logins work, but without unionid.
        App(
            UNBOUND_APPID,
            UNBOUND_SECRET,
            "隔壁小程序",
            MINIPROGRAM,
            None,
        ),
    )
}

PERSONAS = {
    persona.id: persona
    for persona in (
        Persona("xiaoming", "小明", "86", "13800138000", note="普通用户"),
        Persona(
            "lihua", "李华", "86", "13912345678", note="第二个普通用户：拿来对比两个人的 openid"
        ),
        Persona("amy", "Amy Chan", "852", "61234567", note="香港手机号（国家码 852）"),
        Persona(
            "risky",
            "风险账号",
            "86",
            "17000000000",
            high_risk=True,
            note="微信把这个账号标为高风险：code2Session 回 errcode 40226",
        ),
    )
}
DEFAULT_PERSONA = "xiaoming"


def _derived_id(*parts, length):
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:length]


def openid(app, persona):
    """The persona's id inside one app: 28 characters, sharing a prefix per app like WeChat's."""
    return (
        "o"
        + _derived_id("app-prefix", app.appid, length=5)
        + _derived_id("openid", app.appid, persona.id, length=22)
    )


def virtual_openid(app, persona):
    """The openid a snapshot page sees: stable, but not the persona's real one."""
    return "o" + _derived_id("snapshot", app.appid, persona.id, length=27)


def virtual_unionid(open_platform):
    """The unionid a snapshot page's token carries: virtual, and the same for every snapshot
    visitor of the account's apps (the sandbox's choice), so linking users by it merges them."""
    return "o" + _derived_id("snapshot-unionid", open_platform, length=27)


def unionid(app, persona):
    """The persona's id across the apps bound to one open-platform account, or None."""
    if app.open_platform is None:
        return None
    return account_unionid(app.open_platform, persona)


def account_unionid(open_platform, persona):
    return "o" + _derived_id("unionid", open_platform, persona.id, length=27)


def persona_by_openid(app, value):
    for persona in PERSONAS.values():
        if openid(app, persona) == value:
            return persona
    return None


def describe_persona(persona):
    """A persona as the sandbox's /users page lists it: ids per app, never anything secret."""
    return {
        "id": persona.id,
        "nickname": persona.nickname,
        "high_risk": persona.high_risk,
        "note": persona.note,
        "phone_number": persona.phone_number,
        "openids": {appid: openid(app, persona) for appid, app in APPS.items()},
        "unionid": account_unionid(OPEN_PLATFORM_ACCOUNT, persona),
    }
