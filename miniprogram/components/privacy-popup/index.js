// Our privacy popup: at launch, and whenever WeChat asks (wx.onNeedPrivacyAuthorization).
// 同意 is <button id="agree-privacy" open-type="agreePrivacyAuthorization">: WeChat records
// the agreement on that tap, before bindagreeprivacyauthorization runs.
Component({
  data: { show: false, contract: '', referrer: '' },
  methods: {
    // `contract`: the guide's name, if the caller has it from wx.getPrivacySetting already.
    // Resolves true (agreed) or false.
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
