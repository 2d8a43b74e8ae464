// The mini-program's App(): what lives as long as the mini-program does. Logging in is in
// utils/auth.js, calls to our server in utils/request.js; the launch page starts both.
App({
  globalData: { user: null, loginError: '' },

  onLaunch() {
    // The launch page asks for the privacy agreement first. Later, when a privacy API would
    // fail because the user has not agreed, WeChat asks us: show our popup on the page in
    // front, and tell WeChat what the user chose.
    wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
      const page = getCurrentPages().pop();
      page.selectComponent('#privacy-popup').open({ referrer: eventInfo.referrer }).then((agreed) => {
        resolve(agreed ? { buttonId: 'agree-privacy', event: 'agree' } : { event: 'disagree' });
      });
    });
  },
});
