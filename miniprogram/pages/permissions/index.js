// Permissions: wx.authorize asks once per scope; the answer lives in authSetting on the
// phone, and only the settings page (wx.openSetting) changes it afterwards.
const { result } = require('../../utils/explain');

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

Page({
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
