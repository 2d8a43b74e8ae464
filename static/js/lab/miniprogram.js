// The mini-program itself, written as a real one is: App() (app.js) and one Page() per page
// (pages/<name>/index.js), talking only through `wx`. Read it next to the timeline: every
// wx.login, wx.request and wx.setStorageSync here is one step there.
import { API_CODES, OPEN_DATA_CODES } from './env.js';
import {
  App, Component, Page, getApp, selectComponent,
} from './page.js';
import { wx } from './wx.js';

const APPID_OF_THIS_MINIPROGRAM = document.querySelector('[data-testid="lab"]').dataset.appid;
// What POST /api/session/check's data.session_key says.
const SESSION_KEY_STATES = { live: '有效（live，还是微信最新的那一个）', stale: '已过期（stale，微信那边有更新的）' };

// How an answer of our API reads on the page: "HTTP 200 · 我们的 code 0", or for an error its
// code with what it means in Chinese (the lab page carries our error catalogue), the WeChat
// errcode behind it and the decrypt code. Our codes are HTTP status × 100 + n, so our 40001 is
// not WeChat's 40001: every number says whose it is. The English msg is shown apart (apiMsg).
function bodyOf(res) {
  let body = res.data || {};
  if (typeof body === 'string') {  // wx.uploadFile's res.data is the raw body
    try { body = JSON.parse(body); } catch (error) { body = {}; }
  }
  return body;
}

export function describe(res) {
  if (res.after401) return `${describe(res.after401)} → 已清掉 token、重新登录并重试 → ${describe({ ...res, after401: null })}`;
  const body = bodyOf(res);
  if (body.code === undefined) return `HTTP ${res.statusCode} · 响应不是我们的 JSON 信封`;
  let text = `HTTP ${res.statusCode} · 我们的 code ${body.code}`;
  if (body.code !== 0 && API_CODES[body.code]) text += `：${API_CODES[body.code]}`;
  const details = body.data || {};
  if (details.wechat && details.wechat.errcode !== undefined) text += ` · 微信 errcode ${details.wechat.errcode}`;
  if (details.errcode !== undefined) {
    text += ` · 解密错误码 ${details.errcode}`;
    if (OPEN_DATA_CODES[details.errcode]) text += `：${OPEN_DATA_CODES[details.errcode]}`;
  }
  return text;
}

// The msg our API sent, as sent (English, for developers): shown as code beside the Chinese.
export function apiMsg(res) {
  const body = bodyOf(res);
  return body.code && body.msg ? `"msg": ${JSON.stringify(body.msg)}` : '';
}

function failure(res) {
  const error = new Error(describe(res));
  error.res = res;
  return error;
}

// The result line under a page's buttons: a sentence, and the API's msg as code when it failed.
function result(ok, text, res = null) {
  return { result: { state: ok ? 'ok' : 'fail', text, msg: res && !ok ? apiMsg(res) : '' } };
}

// A wx API's failure as the page shows it: errMsg, and errno when WeChat numbers it.
function failureText(res) {
  return res.errno ? `${res.errMsg} · errno ${res.errno}` : res.errMsg;
}

// ---- app.js --------------------------------------------------------------------------

App({
  entry: 'pages/launch/index',
  tabBar: ['pages/login/index', 'pages/profile/index', 'pages/phone/index', 'pages/permissions/index', 'pages/h5/index'],
  globalData: { user: null, loginError: '' },
  loggingIn: null,

  onLaunch() {
    // The launch page asks for the privacy agreement, then calls autoLogin(). Later, when a
    // privacy API would fail because the user has not agreed, WeChat asks us first: show our
    // popup, and tell WeChat what the user chose.
    wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
      selectComponent('privacy-popup').open({ referrer: eventInfo.referrer }).then((agreed) => {
        resolve(agreed ? { buttonId: 'agree-privacy', event: 'agree' } : { event: 'disagree' });
      });
    });
  },

  // wx.login -> POST /api/login {code} -> our token -> storage. One login at a time: two
  // taps or two 401s at once must not send two codes (see the double-submit pitfall).
  login() {
    if (!this.loggingIn) {
      this.loggingIn = wx.login()
        .then(({ code }) => wx.request({ url: '/api/login', method: 'POST', data: { code, device: 'lab-phone' } }))
        .then((res) => {
          if (res.data.code !== 0) throw failure(res);
          wx.setStorageSync('token', res.data.data.token);
          this.globalData.user = res.data.data.user;
          this.globalData.loginError = '';
          return res;
        })
        .catch((error) => {
          this.globalData.loginError = error.message || error.errMsg;
          throw error;
        })
        .finally(() => { this.loggingIn = null; });
    }
    return this.loggingIn;
  },

  // On launch: no token -> log in. A token -> keep it, but ask WeChat whether the
  // session_key behind it is still alive; if not, log in again so the server gets a fresh
  // one (it needs it to decrypt open data). Our token itself is checked by the server.
  autoLogin() {
    if (!wx.getStorageSync('token')) return this.login();
    return wx.checkSession().then(() => null, () => this.login());
  },

  // wx.request with our token, as a real mini-program's request wrapper does: the token goes
  // in the Authorization header (wx.request keeps no cookies). A 401 means the token is gone
  // (expired, revoked, or not there), so drop it, log in again and retry once.
  api(options) {
    return this.withToken(wx.request, options);
  },

  upload(options) {
    return this.withToken(wx.uploadFile, options);
  },

  withToken(send, { retry = true, ...options }) {
    const token = wx.getStorageSync('token');
    const header = token ? { Authorization: `Bearer ${token}` } : {};
    return send({ ...options, header }).then((res) => {
      if (res.statusCode !== 401 || !retry) return res;
      wx.removeStorageSync('token');
      return this.login().then(
        // after401: so the page can say what happened
        () => this.withToken(send, { ...options, retry: false }).then((retried) => ({ ...retried, after401: res })),
        () => res,  // logging in again failed too (globalData.loginError says why): show the 401
      );
    });
  },
});

// ---- components/privacy-popup -------------------------------------------------------

// Our privacy popup: at launch, and whenever WeChat asks (wx.onNeedPrivacyAuthorization).
// 同意 is <button id="agree-privacy" open-type="agreePrivacyAuthorization">: WeChat records
// the agreement on that tap, before bindagreeprivacyauthorization runs.
Component('privacy-popup', {
  data: { show: false, contract: '', referrer: '' },
  methods: {
    // ``contract``: the guide's name, if the caller has it from wx.getPrivacySetting already.
    open({ referrer = '', contract = '' } = {}) {
      if (this.answer) this.answer(false);  // a second call while open: the first one lost
      return new Promise((resolve) => {
        this.answer = resolve;
        if (contract) {
          this.setData({ show: true, contract, referrer });
          return;
        }
        wx.getPrivacySetting({
          success: (res) => this.setData({ show: true, contract: res.privacyContractName, referrer }),
        });
      });
    },
    onAgree() {
      this.close(true);
    },
    onDisagree() {
      this.close(false);
    },
    close(agreed) {
      this.setData({ show: false });
      if (this.answer) this.answer(agreed);
      this.answer = null;
    },
  },
});

// ---- pages/launch --------------------------------------------------------------------

Page('pages/launch/index', {
  data: { status: '正在启动…', disagreed: false, contract: '' },

  onLoad() {
    wx.getPrivacySetting({
      success: (res) => {
        if (!res.needAuthorization) {
          this.start();
          return;
        }
        this.setData({ status: '请先阅读隐私保护指引', contract: res.privacyContractName });
        this.askForPrivacy();
      },
    });
  },

  askForPrivacy() {
    this.setData({ disagreed: false });
    selectComponent('privacy-popup').open({ contract: this.data.contract }).then((agreed) => {
      if (agreed) this.start();
      else this.setData({ disagreed: true, status: '你没有同意隐私保护指引' });
    });
  },

  // Ask again without calling a privacy API: WeChat asks us (wx.onNeedPrivacyAuthorization),
  // and our popup answers.
  onShowPrivacy() {
    this.setData({ disagreed: false });
    wx.requirePrivacyAuthorize({
      success: () => this.start(),
      fail: () => this.setData({ disagreed: true, status: '你没有同意隐私保护指引' }),
    });
  },

  // wx.login is not a privacy API: the app works without the agreement, and each privacy API
  // asks again (wx.onNeedPrivacyAuthorization) when it is used.
  onContinue() {
    this.setData({ disagreed: false });
    this.start();
  },

  start() {
    this.setData({ status: '正在登录…' });
    getApp().autoLogin()
      .catch(() => wx.showToast({ title: '登录失败', icon: 'error' }))
      .then(() => wx.switchTab({ url: '/pages/login/index' }));
  },
});

// ---- pages/login ---------------------------------------------------------------------

Page('pages/login/index', {
  data: { user: null, stateText: '', openid: '', unionid: '', tokenPreview: '', result: null },

  onShow() {
    const app = getApp();
    this.render();
    if (app.globalData.loginError) this.setData(result(false, `自动登录失败：${app.globalData.loginError}`));
    // Launched with a stored token: fetch who we are once.
    if (wx.getStorageSync('token') && !app.globalData.user) this.onMe();
  },

  render() {
    const { user } = getApp().globalData;
    const token = wx.getStorageSync('token');
    const identity = user && user.identities.find((item) => item.appid === APPID_OF_THIS_MINIPROGRAM);
    this.setData({
      user: token ? user : null,
      stateText: token ? (user ? `已登录 · 用户 #${user.id}` : '已登录（storage 里有 token）') : '未登录',
      openid: token && identity ? identity.openid : '—',
      // No unionid: logged out, or an app not bound to an open platform account.
      unionid: token && user && user.unionid ? user.unionid : '—',
      tokenPreview: token ? `${String(token).slice(0, 8)}…` : '（没有）',
    });
  },

  onLogin() {
    getApp().login()
      .then((res) => {
        this.setData(result(true, `wx.login → POST /api/login → ${describe(res)}${res.data.data.is_new_user ? ' · 新用户' : ''}`));
        wx.showToast({ title: '登录成功' });
      })
      .catch((error) => this.setData(result(false, `登录失败：${error.message || error.errMsg}`)))
      .then(() => this.render());
  },

  onCheckSession() {
    wx.checkSession({
      success: (res) => this.setData(result(true, `${res.errMsg}：session_key 还有效`)),
      fail: (res) => this.setData(result(false, `${res.errMsg}：session_key 已失效，需要重新 wx.login`)),
    });
  },

  onMe() {
    getApp().api({ url: '/api/me' }).then((res) => {
      if (res.data.code === 0) getApp().globalData.user = res.data.data.user;
      this.setData(result(res.data.code === 0, `GET /api/me → ${describe(res)}`, res));
      this.render();
    });
  },

  onServerCheck() {
    getApp().api({ url: '/api/session/check', method: 'POST' }).then((res) => {
      const key = res.data.code === 0 ? res.data.data.session_key : '';
      const state = key ? ` · session_key：${SESSION_KEY_STATES[key] || key}` : '';
      this.setData(result(key === 'live', `POST /api/session/check → ${describe(res)}${state}`, res));
    });
  },

  onLogout() {
    this.logout(false);
  },

  onLogoutAll() {
    this.logout(true);
  },

  // POST /api/logout revokes the token on the server; then forget it here.
  async logout(all) {
    if (!wx.getStorageSync('token')) {
      this.setData(result(false, '还没有登录'));
      return;
    }
    const { confirm } = await wx.showModal({ title: '退出登录', content: all ? '在所有设备上退出？' : '确定退出登录？' });
    if (!confirm) return;
    // No retry here: logging in just to log out would be silly.
    const res = await getApp().api({ url: '/api/logout', method: 'POST', data: all ? { all: true } : {}, retry: false });
    wx.removeStorageSync('token');
    getApp().globalData.user = null;
    this.setData(result(res.data.code === 0, `POST /api/logout → ${describe(res)} · 已 wx.removeStorageSync('token')`, res));
    this.render();
  },
});

// ---- pages/profile -------------------------------------------------------------------

Page('pages/profile/index', {
  data: { avatarUrl: '', nickname: '', server: null, legacy: null, result: null },

  onShow() {
    const { user } = getApp().globalData;
    this.setData({ server: user && (user.nickname || user.avatar_url) ? user : null });
  },

  // <button open-type="chooseAvatar" bindchooseavatar="onChooseAvatar">
  onChooseAvatar(e) {
    this.setData({ avatarUrl: e.detail.avatarUrl });
  },

  // <input type="nickname" bindinput="onNicknameInput">
  onNicknameInput(e) {
    this.setData({ nickname: e.detail.value });
  },

  async onSave() {
    const { avatarUrl, nickname } = this.data;
    if (!avatarUrl && !nickname.trim()) {
      wx.showToast({ title: '先选头像或填昵称', icon: 'none' });
      return;
    }
    let res;
    if (avatarUrl) {
      // The avatar is a temporary file: upload it as wx.uploadFile does, field name `avatar`.
      res = await getApp().upload({ url: '/api/profile', filePath: avatarUrl, name: 'avatar', formData: nickname ? { nickname } : {} });
      try {
        res = { ...res, data: JSON.parse(res.data) };
      } catch (error) {
        this.setData(result(false, `上传失败：HTTP ${res.statusCode}，响应不是 JSON`));
        return;
      }
    } else {
      res = await getApp().api({ url: '/api/profile', method: 'POST', data: { nickname } });
    }
    this.saved(res, '保存资料');
  },

  async onDelete() {
    this.saved(await getApp().api({ url: '/api/profile', method: 'DELETE' }), '删除资料');
  },

  saved(res, what) {
    if (res.data.code === 0) {
      getApp().globalData.user = res.data.data.user;
      this.setData({ avatarUrl: '', nickname: '' });
      this.onShow();
      wx.showToast({ title: `${what}成功` });
    }
    this.setData(result(res.data.code === 0, `${what} → ${describe(res)}`, res));
  },

  onGetUserProfile() {
    this.legacyProfile();
  },

  onGetUserProfileOld() {
    this.legacyProfile('pre-2022');
  },

  // The legacy way: a consent sheet every time, then the server checks the signature and
  // decrypts with the session_key. Since 2022-11-08 it gives 微信用户 and a gray avatar, and
  // the server never lets that replace the profile the user chose (data.saved says so).
  async legacyProfile(era) {
    let profile;
    try {
      profile = await wx.getUserProfile({ desc: '用于完善会员资料', era });
    } catch (res) {
      this.setData(result(false, failureText(res)));
      return;
    }
    this.setData({ legacy: profile.userInfo });
    const { rawData, signature, encryptedData, iv } = profile;
    const res = await getApp().api({ url: '/api/profile/legacy', method: 'POST', data: { rawData, signature, encryptedData, iv } });
    const ok = res.data.code === 0;
    let note = '';
    if (ok) {
      getApp().globalData.user = res.data.data.user;
      note = res.data.data.saved
        ? ' · 服务器保存了这份资料'
        : ' · 返回的是 2022-11-08 之后的匿名资料（微信用户、灰色头像），服务器没有拿它覆盖用户自己选的头像和昵称';
    }
    this.setData(result(ok, `${profile.errMsg} → POST /api/profile/legacy → ${describe(res)}${note}`, res));
    this.onShow();
  },
});

// ---- pages/phone ---------------------------------------------------------------------

Page('pages/phone/index', {
  data: { phone: '', detail: '', result: null },

  onShow() {
    const { user } = getApp().globalData;
    this.setData({ phone: user && user.phone ? `+${user.phone.countryCode} ${user.phone.purePhoneNumber}` : '' });
  },

  showDetail(detail) {
    const parts = [`errMsg: ${detail.errMsg}`];
    if (detail.errno) parts.push(`errno: ${detail.errno}`);
    if (detail.code) parts.push(`code: ${detail.code.slice(0, 8)}…（${detail.code.length} 位）`);
    if (detail.encryptedData) parts.push(`encryptedData: ${detail.encryptedData.length} 个字符`, `iv: ${detail.iv}`);
    this.setData({ detail: parts.join('\n') });
  },

  // <button open-type="getPhoneNumber" bindgetphonenumber="onPhoneByCode">: the new way.
  // e.detail.code is a phone code (not the wx.login code), exchanged once on the server.
  async onPhoneByCode(e) {
    this.showDetail(e.detail);
    if (!e.detail.code) {
      this.setData(result(false, failureText(e.detail)));
      return;
    }
    this.saved(await getApp().api({ url: '/api/phone', method: 'POST', data: { code: e.detail.code } }), 'POST /api/phone');
  },

  // The old way: the server decrypts encryptedData with the session_key.
  async onPhoneLegacy(e) {
    this.showDetail(e.detail);
    if (!e.detail.encryptedData) {
      this.setData(result(false, failureText(e.detail)));
      return;
    }
    const { encryptedData, iv } = e.detail;
    this.saved(await getApp().api({ url: '/api/phone/legacy', method: 'POST', data: { encryptedData, iv } }), 'POST /api/phone/legacy');
  },

  async onUnbind() {
    this.saved(await getApp().api({ url: '/api/phone', method: 'DELETE' }), 'DELETE /api/phone');
  },

  saved(res, what) {
    if (res.data.code === 0) getApp().globalData.user = res.data.data.user;
    this.setData(result(res.data.code === 0, `${what} → ${describe(res)}`, res));
    this.onShow();
  },
});

// ---- pages/permissions ---------------------------------------------------------------

const SCOPES = [
  { scope: 'scope.userLocation', label: '位置' },
  { scope: 'scope.camera', label: '摄像头' },
  { scope: 'scope.writePhotosAlbum', label: '保存到相册' },
  { scope: 'scope.record', label: '麦克风' },
  { scope: 'scope.address', label: '通讯地址' },
  { scope: 'scope.userLocationBackground', label: '后台定位' },
  { scope: 'scope.addPhoneContact', label: '添加到通讯录' },
];
const STATE_TEXT = { true: '已允许', false: '已拒绝', undefined: '未询问' };

// What each failure of wx.authorize means, by errno.
function authorizeFailure(res) {
  if (res.errno === 104) return '用户没有同意隐私保护指引';
  if (res.errno === 112) return '隐私保护指引里没有声明这个权限，要先在公众平台补上';
  if (res.errMsg.endsWith('auth deny')) return '拒绝过的权限不会再弹窗，请到设置页打开';
  return '这个权限不能用 wx.authorize 申请，只能由用户在设置页打开';
}

Page('pages/permissions/index', {
  data: { scopes: [], setting: '', denied: false, result: null },

  onShow() {
    this.loadSetting();
  },

  loadSetting() {
    return wx.getSetting().then(({ authSetting }) => {
      this.setData({
        scopes: SCOPES.map((item) => ({
          ...item, state: String(authSetting[item.scope]), stateText: STATE_TEXT[authSetting[item.scope]],
        })),
        setting: JSON.stringify(authSetting, null, 1),
      });
      return authSetting;
    });
  },

  // Never asked: a sheet. Allowed before: passes at once. Denied before: fails at once, with
  // no sheet, until the user turns it on in the settings page.
  onAuthorize(e) {
    const { scope } = e.currentTarget.dataset;
    wx.authorize({
      scope,
      success: (res) => this.setData({ ...result(true, `wx.authorize ${scope} → ${res.errMsg}`), denied: false }),
      fail: (res) => this.setData({
        ...result(false, `wx.authorize ${scope} → ${res.errMsg}：${authorizeFailure(res)} · errno ${res.errno}`),
        denied: res.errMsg.endsWith('auth deny'),
      }),
      complete: () => this.loadSetting(),
    });
  },

  onGetSetting() {
    this.loadSetting().then((authSetting) => this.setData(result(true, `wx.getSetting → authSetting 里有 ${Object.keys(authSetting).length} 项`)));
  },

  // <button open-type="openSetting" bindopensetting="onOpenSetting">
  onOpenSetting(e) {
    this.setData({ denied: false, ...result(true, `wx.openSetting → ${e.detail.errMsg}`) });
    this.loadSetting();
  },
});

// ---- pages/h5 ------------------------------------------------------------------------

function openWebView(src) {
  return wx.navigateTo({ url: `/pages/webview/index?url=${encodeURIComponent(src)}` });
}

Page('pages/h5/index', {
  data: { result: null },

  // The web-view cannot see our storage or token: hand it a one-time ticket in the URL.
  async onOpenWithTicket() {
    const res = await getApp().api({ url: '/api/webview/ticket', method: 'POST' });
    this.setData(result(res.data.code === 0, `POST /api/webview/ticket → ${describe(res)}`, res));
    if (res.data.code === 0) openWebView(res.data.data.url);
  },

  // Or let the H5 page log in by itself, with web authorization (the service account's appid).
  onOpenWithOAuth() {
    openWebView('/h5/login?scope=snsapi_base&next=/h5/');
  },

  onOpenProfile() {
    openWebView('/h5/profile');
  },
});

// ---- pages/webview -------------------------------------------------------------------

// <web-view src="{{src}}">
Page('pages/webview/index', {
  data: { src: '' },

  onLoad(options) {
    this.setData({ src: decodeURIComponent(options.url) });
  },
});

export { openWebView };
