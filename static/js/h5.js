// The H5 pages' only script: find out where the page runs, and offer "back" where it means
// something. Inside a real mini-program web-view WeChat's JSSDK does it; inside the lab's
// simulated web-view (an iframe) the lab does; in a plain browser there is nothing to go back to.
(function () {
  'use strict';

  var body = document.body;
  var backBar = document.querySelector('.h5-back');
  var label = document.querySelector('[data-env-label]');
  var siteLink = document.querySelector('[data-site-link]');

  function inRealMiniProgram() {
    // window.__wxjs_environment is set once WeixinJSBridge is ready; the user agent says it at once.
    return window.__wxjs_environment === 'miniprogram' || /miniProgram/i.test(navigator.userAgent);
  }

  function inLabWebView() {
    return window.parent !== window && window.parent.location.origin === window.location.origin;
  }

  function offerBack(goBack, where) {
    siteLink.hidden = true;  // inside a mini-program, "back" leads to it, not to the site
    backBar.hidden = false;
    backBar.querySelector('button').addEventListener('click', goBack);
    label.textContent = where;
  }

  function loadJssdk(onReady) {
    var script = document.createElement('script');
    script.src = body.dataset.jssdkUrl;
    script.onload = onReady;
    document.head.appendChild(script);
  }

  if (inRealMiniProgram()) {
    siteLink.hidden = true;
    loadJssdk(function () {
      offerBack(function () { window.wx.miniProgram.navigateBack(); }, '运行在小程序 web-view 中');
    });
  } else {
    var lab = false;
    try { lab = inLabWebView(); } catch (error) { lab = false; }  // another origin: not the lab
    if (lab) {
      offerBack(function () {
        window.parent.postMessage({ type: 'web-view', action: 'navigateBack' }, window.location.origin);
      }, '运行在实验室的模拟 web-view 中');
    } else {
      label.textContent = '运行在普通浏览器中';
    }
  }
}());
