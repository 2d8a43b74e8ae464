// The guides' "try it" buttons: make the call from the page and show the answer under the
// button, instead of leaving the reader on a page of raw JSON. The call goes without this
// browser's cookies, as a mini-program's wx.request would (it keeps none), so it is nobody's
// session and the lab's timeline does not record it. Without JavaScript the link still opens it.
// An error's code is shown with what it means in Chinese, as the lab does: the box carries our
// error catalogue (data-api-codes).
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
    var meanings = JSON.parse(box.dataset.apiCodes || '{}');
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
            var status = 'HTTP ' + response.status;
            if (code !== null && code !== undefined) {
              status += ' · 我们的 code ' + code;
              if (code !== 0 && meanings[code]) status += '：' + meanings[code];
            }
            show(box, status, pretty);
          });
        })
        .catch(function (error) { show(box, '没能发出请求', String(error)); });
    });
  });
}());
