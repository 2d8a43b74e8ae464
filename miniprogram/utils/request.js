// Calls to our server. wx.request and wx.uploadFile are the two wx APIs that give no Promise
// when called without callbacks (they return a task, to abort it), so a mini-program wraps
// them; these are ours.
const config = require('../config');

function send(api, options) {
  return new Promise((resolve, reject) => {
    api({ ...options, url: config.server + options.url, success: resolve, fail: reject });
  });
}

// With our token in the Authorization header: wx.request keeps no cookies. A 401 means the
// token is gone (expired, revoked, or never there): drop it, log in again and retry once.
// The retried answer carries the 401 as `after401`, so a page can say what happened.
function withToken(api, { retry = true, ...options }) {
  const token = wx.getStorageSync('token');
  const header = token ? { Authorization: `Bearer ${token}` } : {};
  return send(api, { ...options, header }).then((res) => {
    if (res.statusCode !== 401 || !retry) return res;
    wx.removeStorageSync('token');
    const auth = require('./auth');  // here, not at the top: auth.js requires this file
    return auth.login().then(
      () => withToken(api, { ...options, retry: false }).then((retried) => ({ ...retried, after401: res })),
      () => res,  // logging in again failed too (globalData.loginError says why): show the 401
    );
  });
}

// wx.uploadFile's res.data is the body as a string: parse it, as wx.request would have.
function parsed(res) {
  try {
    return { ...res, data: JSON.parse(res.data) };
  } catch (error) {
    return { ...res, data: {} };
  }
}

module.exports = {
  // Without a token: POST /api/login, and the sandbox's phone (config.sandbox).
  request: (options) => send(wx.request, options),
  // Our API, with the token.
  api: (options) => withToken(wx.request, options),
  // multipart/form-data with one file under `name`, with the token.
  upload: (options) => withToken(wx.uploadFile, options).then(parsed),
};
