// The user's phone number: the phone-number button's code exchanged on the server (the way
// since 2021), or the legacy encryptedData the server decrypts with the session_key.
const { describe, failureText, result } = require('../../utils/explain');
const { api } = require('../../utils/request');

Page({
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
    this.saved(await api({ url: '/api/phone', method: 'POST', data: { code: e.detail.code } }), 'POST /api/phone');
  },

  // The old way: the server decrypts encryptedData with the session_key.
  async onPhoneLegacy(e) {
    this.showDetail(e.detail);
    if (!e.detail.encryptedData) {
      this.setData(result(false, failureText(e.detail)));
      return;
    }
    const { encryptedData, iv } = e.detail;
    this.saved(await api({ url: '/api/phone/legacy', method: 'POST', data: { encryptedData, iv } }), 'POST /api/phone/legacy');
  },

  async onUnbind() {
    this.saved(await api({ url: '/api/phone', method: 'DELETE' }), 'DELETE /api/phone');
  },

  saved(res, what) {
    if (res.data.code === 0) getApp().globalData.user = res.data.data.user;
    this.setData(result(res.data.code === 0, `${what} → ${describe(res)}`, res));
    this.onShow();
  },
});
