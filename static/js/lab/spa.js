// A single-page app with a hash router, as web authorization's redirect_uri: /lab/spa/#/profile.
// WeChat comes back to /lab/spa/?code=CODE&state=STATE#/profile: the code is in the query
// string, before the "#", where a hash router never looks.
(function () {
  'use strict';

  var show = function (testid, text) {
    document.querySelector('[data-testid="' + testid + '"]').textContent = text;
  };

  // What a hash router sees: the path and the query after the "#" (Vue Router's $route.query).
  var hash = window.location.hash.replace(/^#/, '');
  var route = hash.split('?')[0] || '/';
  var routerQuery = new URLSearchParams(hash.split('?')[1] || '');
  show('spa-route', '#' + route);
  show('spa-router-read', routerQuery.get('code')
    ? '找到了 code'
    : '没有 code：页面以为还没授权，真实项目里会再跳去授权，陷入循环');

  // The fix: the query string of the page itself.
  var search = new URLSearchParams(window.location.search);
  var code = search.get('code');
  show('spa-search-read', code
    ? 'code=' + code.slice(0, 8) + '…（' + code.length + ' 位），state=' + search.get('state')
    : '没有 code');

  // Take code and state out of the address bar, so a reload does not use them twice.
  if (code) window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  show('spa-address', window.location.pathname + window.location.search + window.location.hash);
}());
