// How an answer of our server reads on a page: "HTTP 200 · 我们的 code 0", or for an error
// its code with what it means in Chinese, the WeChat errcode behind it and the decrypt code.
// Our codes are HTTP status × 100 + n, so our 40001 is not WeChat's 40001: every number says
// whose it is. The English msg is shown apart (apiMsg), as sent.
const codes = require('./codes');

function bodyOf(res) {
  let body = res.data || {};
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch (error) { body = {}; }
  }
  return body;
}

function describe(res) {
  if (res.after401) return `${describe(res.after401)} → 已清掉 token、重新登录并重试 → ${describe({ ...res, after401: null })}`;
  const body = bodyOf(res);
  if (body.code === undefined) return `HTTP ${res.statusCode} · 响应不是我们的 JSON 信封`;
  let text = `HTTP ${res.statusCode} · 我们的 code ${body.code}`;
  if (body.code !== 0 && codes.api[body.code]) text += `：${codes.api[body.code]}`;
  const details = body.data || {};
  if (details.wechat && details.wechat.errcode !== undefined) text += ` · 微信 errcode ${details.wechat.errcode}`;
  if (details.errcode !== undefined) {
    text += ` · 解密错误码 ${details.errcode}`;
    if (codes.openData[details.errcode]) text += `：${codes.openData[details.errcode]}`;
  }
  return text;
}

// The msg our server sent, as sent (English, for developers): shown as code beside the Chinese.
function apiMsg(res) {
  const body = bodyOf(res);
  return body.code && body.msg ? `"msg": ${JSON.stringify(body.msg)}` : '';
}

// An answer that is not code 0, as an Error a promise chain can throw.
function failure(res) {
  const error = new Error(describe(res));
  error.res = res;
  return error;
}

// The result line under a page's buttons: a sentence, and the server's msg when it failed.
function result(ok, text, res = null) {
  return { result: { state: ok ? 'ok' : 'fail', text, msg: res && !ok ? apiMsg(res) : '' } };
}

// A wx API's failure as a page shows it: errMsg, and errno when WeChat numbers it.
function failureText(res) {
  return res.errno ? `${res.errMsg} · errno ${res.errno}` : res.errMsg;
}

module.exports = { apiMsg, describe, failure, failureText, result };
