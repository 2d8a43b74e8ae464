"""What the H5 pages tell a visitor when a login does not go through: a title, and what
happened in words a learner can act on."""

PROBLEMS = {
    "state_mismatch": (
        "登录已停止：state 校验没有通过",
        "发起授权时，服务器生成一个随机的 state，存进这个浏览器的会话，并带去微信；微信回调时"
        "必须原样带回。这次带回的 state 在会话里找不到（或已过期），可能是：回调链接被重放过"
        "（state 完成一次登录就作废）；浏览器丢了 cookie（微信内置浏览器偶尔会）；"
        "授权页停留超过 10 分钟；"
        "或者有人伪造了回调链接，想让你登录成他的账号（CSRF）。为安全起见，这次登录作废。",
    ),
    "denied": (
        "你没有授权",
        "你在授权页点了“拒绝”，或者刚刚拒绝过：据开发者反馈，拒绝后的几分钟里微信会直接返回、"
        "不再弹出授权页（微信文档没有写明）。"
        "回调里只有 state、没有 code。可以先用静默授权（snsapi_base）继续浏览，需要资料时再请求。",
    ),
    "code_invalid": (
        "授权码无效",
        "微信不认识这个 code（微信 errcode 40029）：它可能属于别的服务号，或者被改动过。"
        "请重新登录。",
    ),
    "code_used": (
        "授权码已经用过",
        "code 只能换一次 access_token（微信 errcode 40163）。常见原因：用户刷新了回调页，"
        "或回调被重放。"
        "请重新登录。",
    ),
    "code_expired": ("授权码已过期", "code 的有效期是 5 分钟（微信 errcode 42003）。请重新登录。"),
    "wechat_error": (
        "微信拒绝了这次请求",
        "换取 access_token 或读取用户信息时，微信返回了错误码。请稍后重试。",
    ),
    "wechat_unavailable": ("暂时连不上微信", "微信接口繁忙或不可达。请稍后重试。"),
    "bad_scope": (
        "不支持的 scope",
        "scope 只能是 snsapi_base（静默，只拿 openid）或 snsapi_userinfo（弹授权页，拿昵称头像）。",
    ),
    "csrf": (
        "表单已失效",
        "这个操作需要页面里的 CSRF 令牌，它缺失或对不上（页面可能打开太久了）。"
        "请回到页面再试一次。",
    ),
    "ticket_unknown": ("票据无效", "这个 ticket 不是我们签发的。请回到小程序，重新打开这个页面。"),
    "ticket_expired": (
        "票据已过期",
        "web-view 票据只在签发后 60 秒内有效。请回到小程序，重新打开这个页面。",
    ),
    "ticket_used": (
        "票据已经用过",
        "每张票据只能登录一次（防止链接被转发后被别人使用）。请回到小程序，重新打开这个页面。",
    ),
}
