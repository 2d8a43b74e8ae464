// <web-view src="{{src}}">: the page is the web-view, full screen. Its URL comes in the query,
// encoded by utils/webview.js.
Page({
  data: { src: '' },

  onLoad(options) {
    this.setData({ src: decodeURIComponent(options.url) });
  },
});
