// Logging in to our server: wx.login gives a code, POST /api/login turns it into our own
// token, which lives in storage. The server keeps WeChat's session_key; the phone never sees it.
const config = require('../config');
const { failure } = require('./explain');
const { request } = require('./request');

let loggingIn = null;  // one login at a time: two taps or two 401s at once must not send two codes

// With config.sandbox: a wx API as the sandbox's phone answers it (POST /sandbox/device/<api>),
// resolving or rejecting with what the wx API would give on a phone whose WeChat is the sandbox.
function sandboxPhone(api) {
  return request({ url: `/sandbox/device/${api}`, method: 'POST', data: config.sandbox }).then((res) => {
    const answer = res.data || {};
    if (String(answer.errMsg).endsWith(':ok')) return answer;
    // An answer without an errMsg (a 429, a page that is not JSON) still fails with a reason.
    throw answer.errMsg ? answer : { errMsg: `HTTP ${res.statusCode}` };
  });
}

// The code for this login: wx.login's, or the sandbox phone's.
function loginCode() {
  return (config.sandbox ? sandboxPhone('login') : wx.login()).then(({ code }) => code);
}

// The appid our server knows this mini-program by: the sandbox's, or this one's own.
function appid() {
  return config.sandbox ? config.sandbox.appid : wx.getAccountInfoSync().miniProgram.appId;
}

// wx.login -> POST /api/login {code} -> our token -> storage.
function login() {
  if (!loggingIn) {
    const app = getApp();
    loggingIn = loginCode()
      .then((code) => request({ url: '/api/login', method: 'POST', data: { code, device: config.device } }))
      .then((res) => {
        if (res.data.code !== 0) throw failure(res);
        wx.setStorageSync('token', res.data.data.token);
        app.globalData.user = res.data.data.user;
        app.globalData.loginError = '';
        return res;
      })
      .catch((error) => {
        app.globalData.loginError = error.message || error.errMsg;
        throw error;
      })
      .finally(() => { loggingIn = null; });
  }
  return loggingIn;
}

// wx.checkSession: is the session_key of the last login still alive at WeChat?
function checkSession() {
  return config.sandbox ? sandboxPhone('check-session') : wx.checkSession();
}

// On launch: no token -> log in. A token -> keep it, but ask WeChat whether the session_key
// behind it is still alive; if not, log in again so the server gets a fresh one (it needs it
// to decrypt open data). Our token itself is checked by the server, on every call.
function autoLogin() {
  if (!wx.getStorageSync('token')) return login();
  return checkSession().then(() => null, () => login());
}

module.exports = { appid, autoLogin, checkSession, login };
