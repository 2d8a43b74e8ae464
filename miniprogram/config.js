// Where this mini-program's developer server is, and how it gets its login codes: the one
// file to change. (The lab's phone runs every file of this folder except this one: it is
// given a config of its own, for the server it is served from; see webapp/lab/miniprogram.py.)
module.exports = {
  // `make serve` on this machine. WeChat DevTools calls it over plain http only with
  // 详情 → 本地设置 → 不校验合法域名 ticked (project.config.json's "urlCheck": false); a phone
  // needs an HTTPS domain registered as the request domain, and as the business domain for
  // the web-view.
  server: 'http://127.0.0.1:8000',

  // What the server's token list calls this device (POST /api/login's `device`).
  device: 'devtools',

  // The server on its defaults talks to the sandbox WeChat, which cannot redeem the codes
  // DevTools' wx.login gets from real WeChat: ask the sandbox's phone for a code instead, as
  // this sandbox mini-program and persona. Set to null once the server is configured for
  // real WeChat (WECHAT_API_BASE and your appid and secret).
  sandbox: { appid: 'wx5d1c4a0f3e2b7a91', user: 'xiaoming' },
};
