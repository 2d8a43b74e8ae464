// Our H5 pages in a <web-view>. The web-view cannot see this mini-program's storage or token:
// either hand it a one-time ticket in the URL, or let the page log in by itself with web
// authorization (the service account's appid, another openid, joined by unionid).
const { describe, result } = require('../../utils/explain');
const { api } = require('../../utils/request');
const webview = require('../../utils/webview');

Page({
  data: { result: null },

  // POST /api/webview/ticket -> /h5/bridge?ticket=...: the same user, no OAuth, used once
  // within 60 seconds.
  async onOpenWithTicket() {
    const res = await api({ url: '/api/webview/ticket', method: 'POST' });
    this.setData(result(res.data.code === 0, `POST /api/webview/ticket → ${describe(res)}`, res));
    if (res.data.code === 0) webview.open(res.data.data.url);
  },

  onOpenWithOAuth() {
    webview.open('/h5/login?scope=snsapi_base&next=/h5/');
  },

  onOpenProfile() {
    webview.open('/h5/profile');
  },
});
