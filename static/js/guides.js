// The guides' "try it" buttons: make the call from the page and show the answer under the
// button, instead of leaving the reader on a page of raw JSON. The call goes without this
// browser's cookies, as a mini-program's wx.request would (it keeps none), so it is nobody's
// session and the lab's timeline does not record it. Without JavaScript the link still opens it.
(function () {
  'use strict';

  function show(box, status, text) {
    box.querySelector('[data-try-status]').textContent = status;
    box.querySelector('[data-try-body]').textContent = text;
    box.querySelector('[data-try-answer]').hidden = false;
    box.dataset.tried = 'true';
  }

  document.querySelectorAll('[data-try]').forEach(function (box) {
    var link = box.querySelector('[data-try-url]');
    link.addEventListener('click', function (event) {
      event.preventDefault();
      fetch(link.dataset.tryUrl, { credentials: 'omit', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response.text().then(function (text) {
            var pretty = text;
            var code = null;
            try {
              var body = JSON.parse(text);
              pretty = JSON.stringify(body, null, 2);
              code = body.code;
            } catch (error) { /* not JSON: show it as it came */ }
            show(box, 'HTTP ' + response.status + (code === null ? '' : ' · 我们的 code ' + code), pretty);
          });
        })
        .catch(function (error) { show(box, '没能发出请求', String(error)); });
    });
  });
}());
