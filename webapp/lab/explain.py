"""What the lab says about an exchange: a short name for its arrow, one line on why it happens,
and its outcome with every code labelled (ours, or WeChat's) and explained in Chinese.

Each is a catalogue keyed by what the recorder stores, so a translation is another catalogue.
"""

import re
from urllib.parse import urlsplit

from markupsafe import Markup

from webapp.h5 import views as h5_views
from webapp.h5.wechat_oauth import WeChatWebAuth
from webapp.miniapi.errors import EXPLAINED_BY_CODE
from webapp.wechat.client import WeChatClient

# WeChat's server APIs, by path; the developer-server function that calls each.
WECHAT_CALLERS = {
    "/sns/jscode2session": WeChatClient.code2session,
    "/cgi-bin/stable_token": WeChatClient.stable_token,
    "/wxa/checksession": WeChatClient.check_session,
    "/wxa/business/getuserphonenumber": WeChatClient.phone_number,
    "/sns/oauth2/access_token": h5_views.callback,
    "/sns/userinfo": WeChatWebAuth.userinfo_of,
}

WHY = {
    # the phone, talking to WeChat
    "sandbox_device.login": (
        "wx.login：微信客户端发一个一次性 code（5 分钟、只能用一次），可能同时换掉 session_key"
    ),
    "sandbox_device.check_session": (
        "wx.checkSession：问微信，最近一次 code 对应的 session_key 还有效吗"
    ),
    "sandbox_device.user_profile": (
        "wx.getUserProfile：用户点按钮后弹窗；返回的 encryptedData 用当前 session_key 加密"
    ),
    "sandbox_device.phone_number": (
        "getPhoneNumber 按钮：用户同意后给出手机号 code（新）和 encryptedData（旧）"
    ),
    "sandbox_device.authorize": "wx.authorize：从没问过就弹窗；拒绝过就直接失败，不再弹窗",
    "sandbox_device.setting": "wx.getSetting：读微信记着的 authSetting（只含问过的 scope）",
    "sandbox_device.change_setting": "在 wx.openSetting 打开的设置页里切换一个权限",
    "sandbox_device.clear": "开发者工具“清缓存”：清掉微信这一侧记着的状态",
    "sandbox_device.privacy_setting": (
        "wx.getPrivacySetting：用户同意过这个小程序的隐私保护指引吗（微信记着，不在小程序存储里）"
    ),
    "sandbox_device.agree_privacy": (
        "用户点了 open-type=agreePrivacyAuthorization 的按钮：微信记下同意，隐私接口从此可用"
    ),
    "sandbox_device.choose_avatar": (
        "chooseAvatar 按钮：隐私接口，没同意隐私保护指引时失败（errno 104）"
    ),
    "sandbox_device.review": (
        "微信的内容安全审核：选的头像或填的昵称不通过时，头像不触发 bindchooseavatar，昵称被清空"
    ),
    # the browser, on WeChat's pages
    "sandbox_open.authorize": (
        "网页授权：浏览器跳到微信的授权地址；微信决定静默跳回、弹授权页，还是报错"
    ),
    "sandbox_open.decide": (
        "用户在授权页点了 允许 / 拒绝；微信带着 code（拒绝时没有）跳回 redirect_uri"
    ),
    "sandbox_open.leave_snapshot": "快照页底部的“使用完整服务”：离开快照模式，重新授权",
    "sandbox_open.snapshot_mode": "实验室开关：把接下来的页面当作快照页打开",
    # the mini-program, talking to the developer server
    "miniapi.login": (
        "小程序把 code 交给开发者服务器，换回我们自己的 token（session_key 留在服务器）"
    ),
    "miniapi.me": "在 Authorization 头里带上我们的 token 读当前用户；401 就清存储、重新登录",
    "miniapi.logout": "退出：服务器吊销 token，小程序清掉存储",
    "miniapi.check_session": (
        "服务器用 session_key 的签名问微信：我们手里的 session_key 还是最新的吗"
    ),
    "miniapi.save_profile": "上传用户自己选的头像（chooseAvatar）和昵称（type=nickname 输入框）",
    "miniapi.save_legacy_profile": (
        "旧的 getUserProfile 数据：验签、用 session_key 解密、核对水印 appid"
    ),
    "miniapi.delete_profile": "删除服务器上保存的头像和昵称",
    "miniapi.bind_phone": "用手机号 code 换号码（不是 wx.login 的 code）",
    "miniapi.bind_phone_legacy": "用 session_key 解密手机号的 encryptedData",
    "miniapi.unbind_phone": "解绑手机号",
    "miniapi.webview_ticket": "为 web-view 签发一次性票据（60 秒、一次）",
    "miniapi.avatar": "读取上传的头像",
    # the web-view, talking to the developer server
    "h5.home": "H5 首页：读服务端会话，看这个浏览器登录的是谁",
    "h5.login": "H5 发起网页授权：生成 state 存进会话，跳去微信",
    "h5.callback": "微信跳回 H5：先核对 state，再用 code 换 access_token 和 openid",
    "h5.profile": "需要资料的页面：此时才请求 snsapi_userinfo",
    "h5.bridge": "H5 兑换小程序给的一次性票据，直接登录同一个用户",
    "h5.about": "说明页：票据和网页授权各自适合什么场景",
    "h5.logout": "H5 退出：结束服务端的会话记录（POST + CSRF 令牌）",
    "h5.end_all_sessions": "在所有设备上退出 H5：结束这个用户全部的会话记录",
    # the developer server, talking to WeChat
    "/sns/jscode2session": (
        "code2Session：用 code 换 openid 和 session_key（以及绑定开放平台时的 unionid）"
    ),
    "/cgi-bin/stable_token": (
        "取服务端 access_token（stable_token：有效期内重复取得到同一个；"
        "force_refresh 会让旧的立即失效）"
    ),
    "/cgi-bin/token": "取服务端 access_token（再取一次会让旧的 5 分钟后失效）",
    "/wxa/checksession": "checkSessionKey：用 HMAC-SHA256(session_key, '') 签名核对 session_key",
    "/wxa/resetusersessionkey": "重置 session_key：旧的立即失效，新的沿用旧的过期时间",
    "/wxa/business/getuserphonenumber": "用手机号 code 换手机号（5 分钟、一次）",
    "/sns/oauth2/access_token": (
        "网页授权：用 code 换 access_token、openid（snsapi_userinfo 时还有 unionid）"
    ),
    "/sns/oauth2/refresh_token": (
        "刷新网页授权 access_token（refresh_token 30 天）：没过期的延长有效期，过期的换新"
    ),
    "/sns/userinfo": "网页授权：读昵称和头像（snsapi_base 的 token 会得到 48001）",
    "/sns/auth": "检验网页授权 access_token 是否有效",
    # only on the phone
    "phone:setStorageSync": (
        "wx.setStorageSync：把 token 存在小程序本地存储（按用户、按小程序隔离）"
    ),
    "phone:removeStorageSync": "wx.removeStorageSync：删掉一项本地存储",
    "phone:clearStorageSync": "wx.clearStorageSync：清空本地存储（清除数据缓存）",
    "phone:showModal": "wx.showModal：给用户看一条说明",
}


# The name on a step's arrow, where the method and path would not say it: the wx API the phone
# called, the page the browser was on.
LABELS = {
    "sandbox_device.login": "wx.login",
    "sandbox_device.check_session": "wx.checkSession",
    "sandbox_device.user_profile": "wx.getUserProfile",
    "sandbox_device.phone_number": "getPhoneNumber",
    "sandbox_device.authorize": "wx.authorize",
    "sandbox_device.setting": "wx.getSetting",
    "sandbox_device.change_setting": "设置页开关",
    "sandbox_device.clear": "清缓存",
    "sandbox_open.authorize": "授权页",
    "sandbox_open.decide": "允许 / 拒绝",
    "sandbox_open.leave_snapshot": "使用完整服务",
    "sandbox_open.snapshot_mode": "快照模式",
}

# WeChat's errcodes the lab meets, in a few words (WeChat's own errmsg is shown beside, as sent).
WECHAT_ERRCODES = {
    -1: "系统繁忙",
    0: "成功",
    40001: "access_token 无效或不是最新的",
    40003: "openid 无效",
    40013: "appid 无效",
    40029: "code 无效：过期、不存在或属于别的应用",
    40125: "secret 无效",
    40163: "code 已经用过",
    40226: "高风险用户，登录被拦截",
    41008: "缺少 code",
    42001: "access_token 已过期",
    42003: "code 已过期",
    45009: "今天的调用次数用完了",
    45011: "频率限制",
    47001: "请求体格式不对",
    48001: "没有这个接口的权限（snsapi_base 的 token 读不了 userinfo）",
    87009: "签名不对：session_key 不是微信最新的那个",
}

_ERRCODE = re.compile(r"errcode (-?\d+)\s*(.*)", re.S)
_OUR_CODE = re.compile(r"code (-?\d+)\s*(.*)", re.S)


def outcome(text):
    """A recorded outcome for the page: each code labelled as ours or WeChat's and explained,
    what was sent as sent (in <code>)."""
    if not text:
        return ""
    if text.startswith("→ "):
        return Markup("跳转到 <code>{}</code>").format(text[2:])
    found = _ERRCODE.fullmatch(text)
    if found:
        number, rest = int(found.group(1)), found.group(2)
        return _labelled("微信 errcode", number, WECHAT_ERRCODES.get(number), rest)
    found = _OUR_CODE.fullmatch(text)
    if found:
        number, rest = int(found.group(1)), found.group(2)
        meaning = "成功" if number == 0 else EXPLAINED_BY_CODE.get(number)
        return _labelled("我们的 code", number, meaning, rest)
    return Markup("<code>{}</code>").format(text)


def _labelled(label, number, meaning, sent):
    html = Markup('<span class="code-label">{}</span> <b>{}</b>').format(label, number)
    if meaning:
        html += Markup("（{}）").format(meaning)
    if sent and sent != "ok":
        html += Markup(" <code>{}</code>").format(sent)
    return html


def label(step):
    """The short name on a step's arrow."""
    if step.endpoint in LABELS:
        return LABELS[step.endpoint]
    if step.endpoint.startswith("phone:"):
        return "wx." + step.endpoint[len("phone:") :]
    if step.endpoint.startswith("/"):
        return step.endpoint.rsplit("/", 1)[-1]
    return f"{step.method} {urlsplit(step.url).path}"


def wechat_api_of(url):
    """Which WeChat API a URL calls, whatever the base (WeChat itself or the sandbox)."""
    path = urlsplit(url).path
    for api in WHY:
        if api.startswith("/") and path.endswith(api):
            return api
    return path


def why(step):
    if step.endpoint in WHY:
        return WHY[step.endpoint]
    if step.status == 404:
        return "这个地址不存在（404）"
    return ""
