// Opening one of our H5 pages in the <web-view> page. A web-view's src is a full URL, on a
// business domain registered for this mini-program; our paths get the server's address.
const config = require('../config');

function open(src) {
  const url = src.startsWith('/') ? config.server + src : src;
  return wx.navigateTo({ url: `/pages/webview/index?url=${encodeURIComponent(url)}` });
}

module.exports = { open };
