// What our server's codes and the decrypt codes mean, in Chinese. Written from the
// server's catalogues: flask --app webapp lab write-miniprogram-codes
module.exports = {
  "api": {
    "40000": "请求体不是 JSON 对象，或缺字段、字段类型不对：msg 里写着是哪一个",
    "40001": "wx.login 的 code 无效、过期或已经用过（微信 errcode 40029、40163、42003）：重新 wx.login",
    "40002": "encryptedData 解不开：data.errcode 里的解密错误码说明卡在哪一步",
    "40003": "rawData 和 signature 对不上：多半是拿到数据之后又调了 wx.login，session_key 换了；也可能 rawData 在路上被改过",
    "40004": "手机号 code 无效、过期或已经用过；它不是 wx.login 的 code",
    "40005": "头像不是 PNG、JPEG、GIF 或 WebP 图片，或者超过 1 MB",
    "40100": "没有带 token：请求头要写 Authorization: Bearer 加上 token",
    "40101": "这个 token 不是我们签发的：删掉它，重新登录",
    "40102": "token 已过期：重新登录",
    "40103": "token 已吊销（退出登录了，或者在另一台设备上登录了）：重新登录",
    "40300": "微信拦截了这个账号的登录（微信 errcode 40226，高风险账号）",
    "40400": "没有这个地址或资源",
    "40900": "这个 code 正在被另一个请求使用，或已经登录过：保留那次登录的 token，不要重新登录",
    "40901": "服务器上没有这个用户的 session_key：重新登录",
    "41300": "请求体太大了",
    "42901": "这个地址的请求太频繁，碰到了我们自己的频率限制（防止有人反复试探登录）：等 Retry-After 里的秒数再试",
    "42900": "碰到了微信的每分钟频率限制（微信 errcode 45011）：过一分钟再试",
    "50000": "服务器出了意料之外的错：原因记在服务器日志里",
    "50200": "微信拒绝了这次调用：data.wechat 里是微信的 errcode",
    "50300": "微信繁忙或连不上（微信 errcode -1，重试之后仍然失败）：稍后再试",
    "50301": "服务器的数据库暂时连不上或太慢：过几秒再试，服务器会自己恢复"
  },
  "openData": {
    "-41001": "session_key 不合法：应当是 24 个字符的 base64",
    "-41002": "iv 不合法：应当是 24 个字符的 base64",
    "-41003": "解出来的数据不对（填充、JSON 或水印 appid）：几乎总是 session_key 已经换过，拿到数据之后又调了 wx.login",
    "-41004": "base64 解码失败：多半是“+”在 URL 编码时变成了空格"
  }
};
