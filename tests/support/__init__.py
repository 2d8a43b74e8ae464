"""What the tests share: the sandbox's credentials, a live server, the app as ``make serve``
runs it, a movable clock, the phone and the mini-program as one-call helpers, and the browser
watch. Fixtures live in the conftest files; the classes they use live here, so any test module
may import them."""

from benchmarks.served import ServedApp
from config import SANDBOX_MINIPROGRAM_APPID as MINIPROGRAM_APPID
from config import SANDBOX_MINIPROGRAM_SECRET as MINIPROGRAM_SECRET
from config import SANDBOX_OFFICIAL_ACCOUNT_APPID as OFFICIAL_ACCOUNT_APPID
from config import SANDBOX_OFFICIAL_ACCOUNT_SECRET as OFFICIAL_ACCOUNT_SECRET
from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS, LOCAL, ContextPool, TabWatch
from tests.support.phones import MiniProgram, Phone
from tests.support.servers import (
    Clock,
    LiveServer,
    SilentServer,
    answered_within,
    refused_port,
)
from webapp.sandbox.directory import UNBOUND_APPID, UNBOUND_SECRET

__all__ = [
    "CHROMIUM",
    "CHROMIUM_FLAGS",
    "LOCAL",
    "MINIPROGRAM_APPID",
    "MINIPROGRAM_SECRET",
    "OFFICIAL_ACCOUNT_APPID",
    "OFFICIAL_ACCOUNT_SECRET",
    "UNBOUND_APPID",
    "UNBOUND_SECRET",
    "Clock",
    "ContextPool",
    "LiveServer",
    "MiniProgram",
    "Phone",
    "ServedApp",
    "SilentServer",
    "TabWatch",
    "answered_within",
    "refused_port",
]
