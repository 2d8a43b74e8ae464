// The user's avatar and nickname: chosen with the 2.21.2+ components and uploaded, or the
// legacy wx.getUserProfile.
const { describe, failureText, result } = require('../../utils/explain');
const { api, upload } = require('../../utils/request');

Page({
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
      // The avatar is a temporary file: upload it, field name `avatar`.
      res = await upload({ url: '/api/profile', filePath: avatarUrl, name: 'avatar', formData: nickname ? { nickname } : {} });
    } else {
      res = await api({ url: '/api/profile', method: 'POST', data: { nickname } });
    }
    this.saved(res, '保存资料');
  },

  async onDelete() {
    this.saved(await api({ url: '/api/profile', method: 'DELETE' }), '删除资料');
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

  // The lab's phone only: its sandbox answers as WeChat did before 2022-11-08 (WeChat itself
  // ignores the unknown `era` option).
  onGetUserProfileOld() {
    this.legacyProfile('pre-2022');
  },

  // The legacy way: a consent sheet every time, then the server checks the signature and
  // decrypts with the session_key. Since 2022-11-08 it gives 微信用户 and a gray avatar, and
  // the server never lets that replace the profile the user chose (data.saved says so).
  async legacyProfile(era) {
    let profile;
    try {
      profile = await wx.getUserProfile({ desc: '用于完善会员资料', ...(era ? { era } : {}) });
    } catch (res) {
      this.setData(result(false, failureText(res)));
      return;
    }
    this.setData({ legacy: profile.userInfo });
    const { rawData, signature, encryptedData, iv } = profile;
    const res = await api({ url: '/api/profile/legacy', method: 'POST', data: { rawData, signature, encryptedData, iv } });
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
