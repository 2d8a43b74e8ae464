"""The pitfall catalogue: what goes wrong with WeChat login and authorization, and the fix.

The lab page renders it server-side; each entry has a one-click reproduction in
static/js/lab/pitfalls.js (matched by ``id``). Every text says what the learner will see, why
it happens and what to do about it, in the UI's language, with API names as they are.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Pitfall:
    id: str  # data-pitfall in the page, the key of the runner in pitfalls.js
    title: str
    errcode: str  # the code the learner will meet (or what signals the problem), on the card
    steps: tuple  # what the one-click reproduction does, in order
    see: str  # what the learner will see
    why: str  # why it happens
    fix: str  # what to do about it
    # Whose code ``errcode`` is, on the card: WeChat's, by default. Our codes and WeChat's are
    # two numberings (ours is HTTP status × 100 + n), so every number on a card says whose.
    code_label: str = "微信 errcode"
    our_code: str = ""  # the code our API answers with, when there is one


# The snapshot page, told once: the pitfall below and the web-authorization guide both say it.
SNAPSHOT_PAGE = (
    "2022-07-12 起，页面以“快照页”打开（用户在朋友圈等单页模式里点开链接）"
    "并且一进来就请求 snsapi_userinfo 时，微信不弹授权页，而是先显示一个只能滚动的快照页："
    "页面拿到的是虚拟身份（token 带 is_snapshotuser: 1、虚拟的 openid，"
    "官方示例里还有一个同样虚拟、不能拿来关联账号的 unionid）。"
    "两个条件缺一个都不会出现快照页。用户点底部的“使用完整服务”，微信才按正常流程授权，"
    "并带着原来的 state 再回调一次。"
)


CATALOGUE = (
    Pitfall(
        id="rotation",
        title="session_key 被换掉后解密失败",
        errcode="-41003",
        code_label="解密错误码",
        our_code="40003、40002",
        steps=(
            "wx.getUserProfile 和 getPhoneNumber 拿到用当前 session_key 加密的数据",
            "紧接着又调了一次 wx.login，并用新 code 请求 /api/login",
            "再把先前拿到的数据发给 /api/profile/legacy 和 /api/phone/legacy",
        ),
        see=(
            "/api/profile/legacy 回 HTTP 400、我们的 code 40003（rawData 和签名对不上）；"
            "/api/phone/legacy 回 HTTP 400、我们的 code 40002，data.errcode 是解密错误码 -41003；"
            "两条回答的 data.likely_cause 都说 session_key 已经轮换。"
        ),
        why=(
            "encryptedData 和 signature 都是用“拿到数据那一刻”的 session_key 算的。再调一次 "
            "wx.login，"
            "code2Session 就可能换出新的 session_key（沙箱每次都换），服务器存的变成新的，"
            "旧数据用新 key 解出来是乱码：签名先对不上，解密后补位或 JSON 也是坏的。"
        ),
        fix=(
            "拿到加密数据之后不要再调 wx.login；页面 onShow、请求拦截器里“顺手登录”最容易触发。"
            "登录只在没有 token 或 wx.checkSession 失败时做；确实要重新登录，"
            "就让用户重新点一次按钮，"
            "拿新的加密数据。手机号优先用新的 code 方式（POST /api/phone {code}），"
            "它不依赖 session_key。"
        ),
    ),
    Pitfall(
        id="double-submit",
        title="同一个 code 提交两次",
        errcode="40163",
        our_code="40900",
        steps=("wx.login 拿到一个 code", "像连点两下那样，同时把它发给 /api/login 两次"),
        see=(
            "一个请求 HTTP 200，拿到 token；另一个 HTTP 409、我们的 code 40900"
            "（这个 code 正在被使用或已经登录过）。小程序保留第一个请求的 token。"
        ),
        why=(
            "code 只能用一次：第二次拿同一个 code 去 code2Session，微信回 errcode 40163"
            "（code 已经用过）。"
            "如果服务器把 40163 当作“登录失败”，客户端就可能丢掉刚拿到的好 token，甚至重新登录、"
            "把 session_key 也换掉。我们的服务器在调用微信之前先记下 code 的哈希，第二个请求直接回 "
            "409，"
            "不碰微信、不产生第二个用户。"
        ),
        fix=(
            "客户端：登录按钮点一次就禁用，登录请求全局只发一个（共享同一个 Promise）；收到 40900 "
            "时"
            "保留已有的 token，不要再 wx.login。服务端：按 code 去重（唯一键），"
            "并发请求只有一个去换 "
            "session。"
        ),
    ),
    Pitfall(
        id="wrong-app",
        title="拿别的小程序的 code 来登录",
        errcode="40029",
        our_code="40001",
        steps=(
            "在“隔壁小程序”（wx3b9d7f1e5c2a8406）里调 wx.login 拿到 code",
            "把这个 code 发给我们的 /api/login",
        ),
        see=(
            "HTTP 400、我们的 code 40001（code 无效或过期），"
            "data.wechat.errcode 是微信的 40029（code 无效）。"
        ),
        why=(
            "code 属于发出它的那个 appid。我们的服务器用自己的 appid 和 secret 调 code2Session，"
            "微信不认别的小程序发的 code。真实项目里常见于：开发者工具里的 appid "
            "是测试号或别的项目，"
            "服务器配置的却是正式 appid；或者多个小程序共用一个后端却只配了一套凭据。"
        ),
        fix=(
            "核对小程序 project.config.json 里的 appid 与服务器的 MINIPROGRAM_APPID 一致；"
            "一个后端服务多个小程序时，"
            "让请求带上 appid，服务器按 appid 选凭据。40029 时让用户重新 wx.login，不要重试同一个 "
            "code。"
        ),
    ),
    Pitfall(
        id="busy",
        title="微信系统繁忙",
        errcode="-1",
        our_code="50300",
        steps=(
            "注入故障：jscode2session 接下来 3 次回 errcode -1",
            "wx.login + /api/login（服务器会自动重试 2 次，全部失败）",
            "清除故障，用同一个 code 再提交一次",
        ),
        see=(
            "第一次 HTTP 503、我们的 code 50300（微信繁忙或连不上）；清除故障后，同一个 code "
            "再交一次就 HTTP 200，登录成功。"
        ),
        why=(
            "-1 是微信的“系统繁忙”，与你的请求无关。服务器对 -1 做了带退避的重试（WECHAT_RETRIES）"
            "，"
            "重试用尽就回 503。因为 code 没有真正被兑换，服务器把它的去重记录删掉了，同一个 code "
            "还能再用。"
        ),
        fix=(
            "服务器只对 -1 重试（带退避），别的错误码不要重试；客户端收到 503 时提示“稍后再试”，"
            "可以用同一个 code 再试一次（5 分钟内），不必重新 wx.login。"
        ),
    ),
    Pitfall(
        id="quota",
        title="code2Session 超过频率限制",
        errcode="45011",
        our_code="42900",
        steps=(
            "注入故障：jscode2session 下一次回 errcode 45011",
            "wx.login + /api/login",
            "清除故障，用同一个 code 再提交一次（真实情况要等一分钟）",
        ),
        see=(
            "HTTP 429、我们的 code 42900（碰到了微信的每分钟频率限制）；清除故障后同一个 code "
            "再交一次就 HTTP 200。"
        ),
        why=(
            "每个用户每分钟调 code2Session 有次数限制（约 100 次）。常见原因是客户端在循环里登录："
            "每次请求失败都 wx.login、每个页面 onShow 都登录，或 401 之后没有限制重试次数。"
        ),
        fix=(
            "登录只在没有 token、token 失效（401）或 wx.checkSession 失败时做，"
            "并且全局只有一个登录请求；"
            "401 之后只重试一次；收到 429 时退避，不要立刻再登录。"
        ),
    ),
    Pitfall(
        id="state-mismatch",
        title="伪造的回调链接：state 对不上",
        errcode="state 对不上",
        code_label="",
        steps=("在 web-view 里打开 /h5/callback?code=x&state=forged（一个从没发起过的回调）",),
        see="web-view 里出现“登录已停止：state 校验没有通过”，HTTP 400，服务器没有调用微信。",
        why=(
            "发起网页授权时，服务器生成随机 state 存进这个浏览器的会话，微信回调时原样带回。"
            "伪造的链接带着一个会话里没有的 state：有人想让你点开他的回调、登录成他的账号"
            "（登录 CSRF）。同样的“对不上”还有两个常见的真实原因：回调被重放、内置浏览器丢了 "
            "cookie，下面两张卡片各自重现一次。"
        ),
        fix=(
            "state 必须随机、绑定浏览器会话、只能完成一次登录、短时有效；对不上就停下来，"
            "给一个解释页和“重新登录”，不要拿 code 去换 token。"
        ),
    ),
    Pitfall(
        id="state-replay",
        title="回调被重放：state 已经用掉",
        errcode="state 已用过",
        code_label="",
        steps=(
            "web-view 里用 snsapi_base 正常登录一次：/h5/login → 微信 → /h5/callback",
            "从时间线里取出刚才那条 /h5/callback?code=…&state=… 链接",
            "在 web-view 里再打开一次，就像用户按了返回键、刷新了回调页，或者转发了这个链接",
        ),
        see=(
            "第一次登录成功；第二次打开同一个回调，web-view 显示“登录已停止：state 校验没有通过”，"
            "HTTP 400，服务器没有再去换 code。"
        ),
        why=(
            "state 只能完成一次登录：第一次回调用掉它时，服务器就把它从会话里删了，同一个链接"
            "再来，会话里已经没有这个 state。就算 state 还在，code 也已经换过 access_token，"
            "微信会回 errcode 40163（code 已经用过）。"
        ),
        fix=(
            "state 用过就删，重放一律当作不匹配；回调处理完立刻重定向到别的页面（我们跳回 next），"
            "这样刷新和返回键不会停在回调地址上；说明页给一个“重新登录”。"
        ),
    ),
    Pitfall(
        id="state-cookie",
        title="内置浏览器丢了 cookie：会话里没有 state",
        errcode="state 找不到",
        code_label="",
        steps=(
            "清除网页授权记录，让 snsapi_userinfo 的授权页一定出现",
            "web-view 打开 /h5/login?scope=snsapi_userinfo：服务器把 state 存进会话 cookie，"
            "浏览器停在微信的授权页",
            "丢掉 web-view 的会话 cookie，就像微信换了一个新的内置浏览器",
            "在授权页点“允许”",
        ),
        see=(
            "微信带着 code 和原样的 state 回到 /h5/callback，可这个浏览器的会话里已经没有它："
            "“登录已停止：state 校验没有通过”，HTTP 400。"
        ),
        why=(
            "state 存在发起授权的那个浏览器的会话 cookie 里。微信内置浏览器偶尔会丢 cookie"
            "（进程被回收、换了一个 WebView、iOS 上 cookie 没有同步），"
            "回调到达时带的是一个空会话，服务器认不出这是哪一次登录。"
        ),
        fix=(
            "会话 cookie 用 SameSite=Lax：从微信跳回来是跨站的顶层跳转，Lax 仍会带上，"
            "Strict 就不会；"
            "授权全程用同一个域名和协议，不要在 http 与 https、两个域名之间跳；"
            "对不上时给“重新登录”，重新发起一次，而不是放过 state 检查。"
        ),
    ),
    Pitfall(
        id="redirect-uri",
        title="redirect_uri 的域名不是网页授权域名",
        errcode="10003",
        steps=("在 web-view 里打开授权地址，redirect_uri 指向 https://evil.example/cb",),
        see="微信的错误页：“redirect_uri域名与后台配置不一致”，错误码 10003，不会跳转。",
        why=(
            "微信只会把 code 送回服务号后台（微信公众平台）登记的“网页授权域名”。"
            "这是为了防止别人拿你的 appid 把用户的 code 骗到自己的网站。"
            "网页授权域名不带端口：redirect_uri 只能用 80（http）或 443（https）。"
        ),
        fix=(
            "在微信公众平台（服务号的后台）“设置与开发 → 接口权限 → 网页授权”登记 H5 的域名"
            "（需要上传校验文件），"
            "redirect_uri 用这个域名并做 URL 编码，不带端口；"
            "开发环境用内网穿透或测试号，不要指望 localhost。"
        ),
    ),
    Pitfall(
        id="redirect-port",
        title="redirect_uri 带了端口号",
        errcode="10003",
        steps=("在 web-view 里打开授权地址，redirect_uri 指向本机的另一个端口（/h5/callback）",),
        see=(
            "微信的错误页：“redirect_uri域名与后台配置不一致”，错误码 10003，不会跳转；"
            "开发者提示说明真实微信只认 80 和 443。"
        ),
        why=(
            "真实微信不支持带端口号的 redirect_uri：网页授权域名不带端口，只能用 80（http）"
            "或 443（https）。把开发服务器跑在 8080、5000 上就直接拿去授权，看到的就是这个页面。"
            "沙箱为了让实验室在 127.0.0.1:5000 这样的地址上也能走通，只接受本服务自己的端口，"
            "别的端口一律 10003；设置 SANDBOX_WEB_AUTH_STRICT_PORT=1 后任何端口都拒绝，"
            "和真实微信一样。"
        ),
        fix=(
            "线上让 H5 在 80/443 上对外（nginx 等反向代理转发到应用自己的端口），"
            "redirect_uri 不写端口；本地调试用内网穿透拿一个 80/443 的域名，或者用公众号测试号。"
        ),
    ),
    Pitfall(
        id="hash-router",
        title="hash 路由的页面读不到 code",
        errcode="#/path",
        steps=(
            "在 web-view 里打开授权地址，redirect_uri 是一个 hash 路由的单页应用："
            "/lab/spa/#/profile",
            "微信把浏览器送回 /lab/spa/?code=…&state=…#/profile",
            "页面分别从路由自己的 query 和 location.search 里找 code",
        ),
        see=(
            "单页应用的当前路由是 #/profile，但路由的 query 里没有 code，于是以为还没授权"
            "（真实项目里会再跳去授权，陷入循环）；从 location.search 读，就拿到了 code 和 state。"
        ),
        why=(
            "微信把 code 和 state 加在 redirect_uri 的查询串上，# 后面的片段原样放在最后："
            "…/?code=CODE&state=STATE#/profile。hash 路由只解析 # 后面的部分，"
            "它的 query（例如 Vue 路由里的 $route.query）里自然没有 code。"
        ),
        fix=(
            "从 window.location.search 读 code 和 state，不要从路由的 query 读；"
            "用完后用 history.replaceState 把它们从地址栏去掉，免得刷新时再用一次。"
            "或者让 redirect_uri 指向一个不带 # 的落地页（服务端回调），再由它跳进单页应用。"
        ),
    ),
    Pitfall(
        id="snapshot",
        title="快照页：拿到的是虚拟身份",
        errcode="is_snapshotuser: 1",
        code_label="微信返回",
        steps=(
            "打开快照模式（模拟用户从朋友圈打开了页面）",
            "在 web-view 里打开 /h5/login?scope=snsapi_userinfo&next=/h5/profile（一进来就要资料）",
            "关掉快照模式",
        ),
        see=(
            "页面只能滚动，底部有“使用完整服务”；H5 说“你正在浏览快照页”，token 带 "
            "is_snapshotuser: 1、"
            "虚拟 openid 和虚拟 unionid，服务器没有为它建账号。"
        ),
        why=SNAPSHOT_PAGE + "开发者反馈不同的人会拿到同一个虚拟 unionid（沙箱就这样模拟）。",
        fix=(
            "先用 snsapi_base 静默拿 openid，等用户需要资料的那一刻再请求 snsapi_userinfo；"
            "识别 is_snapshotuser: 1，不要把虚拟 openid 当成用户存下来，"
            "也不要按它的 unionid 关联账号。快照页的回调不算一次登录，"
            "所以 state 留在会话里：用户点“使用完整服务”后，微信带着同一个 state 再回来，"
            "那一次完成登录，才把它用掉。"
        ),
    ),
    Pitfall(
        id="force-refresh",
        title="另一台服务器强制刷新了 access_token",
        errcode="40001",
        steps=(
            "POST /api/session/check：我们的服务器取到 stable_token 并缓存起来",
            "另一台服务器（同一个 appid）调 stable_token，force_refresh: true",
            "再 POST /api/session/check",
        ),
        see=(
            "第二次检查时，微信对缓存里的旧 token 回 40001；我们的服务器丢掉缓存、"
            "重新取 stable_token（不强制）、重试一次，请求照样 200。"
            "时间线上能看到 checksession 40001、stable_token、再一次 checksession。"
        ),
        why=(
            "force_refresh 会让这个 appid 之前的 stable_token 立刻失效，不是 5 分钟后。"
            "两台服务器各自缓存 token，其中一台强制刷新，另一台的下一次调用就是 40001。"
        ),
        fix=(
            "所有实例共用一份 access_token（数据库或 Redis），用普通的 stable_token 获取；"
            "不要随手 force_refresh（每天最多 20 次、两次至少隔 30 秒）。"
            "收到 40001 / 42001 时丢掉缓存、重新获取、只重试一次。"
        ),
    ),
    Pitfall(
        id="phone-quota",
        title="手机号快速验证的额度用完了",
        errcode="1400001",
        steps=(
            "把沙箱里这个小程序剩下的手机号额度设为 0（1000 次试用额度用完，又没有购买）",
            "点“手机号快捷验证”按钮",
            "恢复额度",
        ),
        see=(
            "按钮直接失败，不弹授权框：e.detail 是 getPhoneNumber:fail no quota、errno 1400001；"
            "微信自己弹出提示“该功能使用次数已达当前小程序上限，暂时无法使用”。"
        ),
        why=(
            "2023-08-28 起手机号快速验证按次收费（每次成功 0.03 元，实时验证 0.04 元），"
            "每个小程序有 1000 次免费试用，在用户同意、回调成功时计费；额度用完，按钮直接失败。"
        ),
        fix=(
            "在小程序后台购买资源包并关注余量；bindgetphonenumber 里判断 errno 1400001，"
            "给用户另一条路（例如手动填手机号、短信验证）。不想要微信自带的提示，"
            '就给按钮加 phone-number-no-quota-toast="{{false}}"，自己提示。'
        ),
    ),
)
