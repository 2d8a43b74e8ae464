// The first page: the privacy agreement on first launch, then the automatic login, then the
// tab bar.
const auth = require('../../utils/auth');

const DISAGREED = '你没有同意隐私保护指引';

Page({
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
    this.selectComponent('#privacy-popup').open({ contract: this.data.contract }).then((agreed) => {
      if (agreed) this.start();
      else this.setData({ disagreed: true, status: DISAGREED });
    });
  },

  // Ask again without calling a privacy API: WeChat asks us (wx.onNeedPrivacyAuthorization,
  // in app.js), and our popup answers.
  onShowPrivacy() {
    this.setData({ disagreed: false });
    wx.requirePrivacyAuthorize({
      success: () => this.start(),
      fail: () => this.setData({ disagreed: true, status: DISAGREED }),
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
    auth.autoLogin()
      .catch(() => wx.showToast({ title: '登录失败', icon: 'error' }))
      .then(() => wx.switchTab({ url: '/pages/login/index' }));
  },
});
