"""What the guide pages share: the list of guides, the sandbox's example values, and the links
from a step to the code that runs it.

The walk-throughs themselves are templates (templates/guides/<name>.html): prose reads best as
HTML. Their repeated layout (a step, a call with one parameter per line, a request beside its
response) is in templates/guides/_macros.html.
"""

import functools
import importlib
import inspect
import os
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from config import SANDBOX_MINIPROGRAM_APPID, SANDBOX_OFFICIAL_ACCOUNT_APPID
from webapp.lab.recorder import PROJECT_ROOT
from webapp.sandbox.directory import PERSONAS, describe_persona


@dataclass(frozen=True)
class Guide:
    name: str  # the URL: /guide/<name>
    title: str
    summary: str
    concept: str  # which of the three concepts: login | authorization | web-auth | all

    @property
    def template(self):
        return f"guides/{self.name.replace('-', '_')}.html"


GUIDES = (
    Guide(
        "login",
        "小程序登录",
        "wx.login → code2Session → 我们自己的 token；session_key 留在服务器。",
        "login",
    ),
    Guide(
        "profile",
        "头像与昵称",
        "今天的“头像昵称填写能力”，以及 getUserProfile 的三次变化。",
        "authorization",
    ),
    Guide(
        "phone",
        "手机号",
        "用手机号 code 换号码（现行），或用 session_key 解密（旧方式）。",
        "authorization",
    ),
    Guide(
        "permissions",
        "权限（scope）",
        "wx.authorize、authSetting 和设置页：拒绝一次之后会怎样。",
        "authorization",
    ),
    Guide(
        "web-auth",
        "网页授权（H5）",
        "服务号的 OAuth2：state 在哪里生成、保存和比对，以及不匹配时会怎样。",
        "web-auth",
    ),
    Guide(
        "bridge",
        "web-view 票据桥",
        "不走 OAuth，把小程序里的登录带进 web-view 的 H5 页面。",
        "web-auth",
    ),
    Guide(
        "resets",
        "重置",
        "每一种状态住在哪里，被什么清掉：开发者工具、真实用户、我们的代码。",
        "all",
    ),
)
GUIDES_BY_NAME = {guide.name: guide for guide in GUIDES}

CONCEPTS = {
    "login": "小程序登录",
    "authorization": "资料 / 权限授权",
    "web-auth": "网页授权",
    "all": "三者都有",
}

# The sandbox's own apps: the guides show the values a learner sees in the lab.
MINIPROGRAM_APPID = SANDBOX_MINIPROGRAM_APPID
OFFICIAL_ACCOUNT_APPID = SANDBOX_OFFICIAL_ACCOUNT_APPID
EXAMPLE_PERSONA = describe_persona(PERSONAS["xiaoming"])

# The three hosts of a request in the guides.
API_HOST = "https://api.weixin.qq.com"
OPEN_HOST = "https://open.weixin.qq.com"


def example_ids():
    """xiaoming's ids: one openid per app, one unionid for the apps bound together."""
    openids = EXAMPLE_PERSONA["openids"]
    return {
        "nickname": EXAMPLE_PERSONA["nickname"],
        "miniprogram_openid": openids[MINIPROGRAM_APPID],
        "official_openid": openids[OFFICIAL_ACCOUNT_APPID],
        "unionid": EXAMPLE_PERSONA["unionid"],
    }


_BACKTICKS = re.compile(r"`([^`]+)`")


def inline_code(text):
    """Escape ``text`` and turn `this` into <code>this</code>: the guides' only markup in data."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text))))


@functools.cache
def source_location(reference):
    """ "webapp/h5/views.py:callback" -> ("webapp/h5/views.py", line of ``def callback``).

    Also "miniprogram/utils/auth.js:login": the line of the JavaScript function or method.
    The line is looked up when the page is rendered, so links stay right as the code moves.
    A reference without a name, or one that is not found, gives the file without a line.
    """
    path, _, name = reference.partition(":")
    if name and path.endswith(".js"):
        return path, _javascript_line(path, name)
    if not name or not path.endswith(".py"):
        return path, None
    target = importlib.import_module(path[:-3].replace("/", "."))
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            return path, None
    try:
        return path, inspect.getsourcelines(inspect.unwrap(target))[1]
    except (TypeError, OSError):
        return path, None


def _javascript_line(path, name):
    """The line that defines ``name`` in a project .js file: ``function name(`` or a method,
    ``name(...) {`` or ``async name(...) {``."""
    function = rf"(?:async\s+)?function\s+{re.escape(name)}\b"
    method = rf"(?:async\s+)?{re.escape(name)}\(.*\)\s*\{{"
    definition = re.compile(rf"^\s*(?:{function}|{method})")
    with open(os.path.join(PROJECT_ROOT, path), encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if definition.match(line):
                return number
    return None
