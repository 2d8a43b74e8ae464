// Who we are on our server: log in, check the session_key, log out.
const auth = require('../../utils/auth');
const { describe, result } = require('../../utils/explain');
const { api } = require('../../utils/request');

// What POST /api/session/check's data.session_key says.
const SESSION_KEY_STATES = { live: '有效（live，还是微信最新的那一个）', stale: '已过期（stale，微信那边有更新的）' };

Page({
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
    const identity = user && user.identities.find((item) => item.appid === auth.appid());
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
    auth.login()
      .then((res) => {
        this.setData(result(true, `wx.login → POST /api/login → ${describe(res)}${res.data.data.is_new_user ? ' · 新用户' : ''}`));
        wx.showToast({ title: '登录成功' });
      })
      .catch((error) => this.setData(result(false, `登录失败：${error.message || error.errMsg}`)))
      .then(() => this.render());
  },

  onCheckSession() {
    auth.checkSession().then(
      (res) => this.setData(result(true, `${res.errMsg}：session_key 还有效`)),
      (res) => this.setData(result(false, `${res.errMsg}：session_key 已失效，需要重新 wx.login`)),
    );
  },

  onMe() {
    api({ url: '/api/me' }).then((res) => {
      if (res.data.code === 0) getApp().globalData.user = res.data.data.user;
      this.setData(result(res.data.code === 0, `GET /api/me → ${describe(res)}`, res));
      this.render();
    });
  },

  onServerCheck() {
    api({ url: '/api/session/check', method: 'POST' }).then((res) => {
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
    const res = await api({ url: '/api/logout', method: 'POST', data: all ? { all: true } : {}, retry: false });
    wx.removeStorageSync('token');
    getApp().globalData.user = null;
    this.setData(result(res.data.code === 0, `POST /api/logout → ${describe(res)} · 已 wx.removeStorageSync('token')`, res));
    this.render();
  },
});
