// One click per pitfall: make it happen in the phone, write down what came back, and show
// the explanation and the fix (rendered by the server from webapp/lab/pitfalls.py).
// Runners drive the same wx and App the mini-program uses, so the timeline shows the real
// exchanges; where a pitfall needs something a mini-program would never do on purpose (one
// code sent twice, another app's code), the runner says so.
import { APPID, OFFICIAL_APPID, OTHER_APPID, lab, postJson } from './env.js';
import { refreshNow } from './inspector.js';
import { requireMiniProgram } from './miniprogram.js';
import { getApp, refreshCurrentPage } from './page.js';
import * as ui from './ui.js';
import { makeWx, phoneNumberButton, wx } from './wx.js';

// The mini-program's own modules (miniprogram/utils): a pitfall calls what a page would.
const auth = requireMiniProgram('utils/auth.js');
const { apiMsg, describe } = requireMiniProgram('utils/explain.js');
const { api, request } = requireMiniProgram('utils/request.js');
const webview = requireMiniProgram('utils/webview.js');

const box = lab.querySelector('[data-testid="pitfall-box"]');
const title = box.querySelector('[data-testid="pitfall-title"]');
const lines = box.querySelector('[data-testid="pitfall-result"]');

// One line of what happened; ``code``, if any, is shown as sent (our API's English msg).
function log(text, state = '', code = '') {
  const item = ui.el('li', { text });
  if (code) item.append(' ', ui.el('code', { text: code }));
  if (state) item.dataset.state = state;
  lines.append(item);
}

// The answer's codes, explained in Chinese (describe), its msg as sent.
function logResponse(label, res) {
  log(`${label} → ${describe(res)}`, res.data.code === 0 ? 'ok' : 'fail', apiMsg(res));
}

const injectFault = (api, errcode, times) => postJson('/sandbox/faults', { api, errcode, times });
const clearFaults = () => postJson('/sandbox/faults', undefined, 'DELETE');
const postLogin = (code) => request({ url: '/api/login', method: 'POST', data: { code, device: 'lab-phone' } });

function keepToken(res) {
  if (res.data.code !== 0) return;
  wx.setStorageSync('token', res.data.data.token);
  getApp().globalData.user = res.data.data.user;
}

// Wait until the web-view shows a new document that has `selector` (or `test` passes).
function webViewDocument(selector, previous, test = () => true) {
  const frame = lab.querySelector('[data-testid="webview-frame"]');
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      let doc = null;
      try { doc = frame.contentDocument; } catch (error) { doc = null; }
      if (doc && doc !== previous && doc.readyState === 'complete' && doc.querySelector(selector) && test(doc)) {
        resolve(doc);
      } else if (Date.now() - started > 10000) {
        reject(new Error('web-view 10 秒内没有打开预期的页面'));
      } else {
        setTimeout(poll, 100);
      }
    };
    poll();
  });
}

async function openInWebView(src, selector, test) {
  const frame = lab.querySelector('[data-testid="webview-frame"]');
  const previous = frame.contentDocument;
  await wx.switchTab({ url: '/pages/h5/index' });
  await webview.open(src);
  log(`web-view 打开 ${src}`);
  return webViewDocument(selector, previous, test);
}

function logProblem(what, doc) {
  log(`${what}：${text(doc, '.wx-msg-title')}（data-problem=${doc.querySelector('[data-problem]').dataset.problem}）`, 'fail');
}

// The URL of the latest exchange the timeline recorded for ``endpoint``, as the learner would
// copy it from there (path and query).
async function lastRecorded(endpoint) {
  await refreshNow();
  const steps = lab.querySelectorAll(`[data-testid="timeline"] .step[data-endpoint="${endpoint}"]`);
  if (!steps.length) throw new Error('时间线里没有这一步的记录（LAB_RECORDING 关着？）');
  const url = new URL(steps[steps.length - 1].dataset.url, window.location.origin);
  return url.pathname + url.search;
}

// The sandbox's authorize URL for the service account, parameters in WeChat's order.
function authorizeUrl(redirectUri, state) {
  return `/sandbox/open/connect/oauth2/authorize?appid=${OFFICIAL_APPID}`
    + `&redirect_uri=${encodeURIComponent(redirectUri)}`
    + `&response_type=code&scope=snsapi_base&state=${state}#wechat_redirect`;
}

// Wait until a condition on the lab page holds (a page's result line, a toast).
function until(test, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = test();
      if (found) resolve(found);
      else if (Date.now() - started > 10000) reject(new Error(`10 秒内没有等到${what}`));
      else setTimeout(poll, 100);
    };
    poll();
  });
}

const text = (doc, selector) => {
  const node = doc.querySelector(selector);
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : '';
};

const RUNNERS = {
  async rotation() {
    ui.autoAnswer('allow');
    const profile = await wx.getUserProfile({ desc: '演示 session_key 轮换' });
    log(`wx.getUserProfile → ${profile.errMsg}（encryptedData 和 signature 用当前 session_key 算出）`);
    ui.autoAnswer('allow');
    const phone = await phoneNumberButton();
    log(`getPhoneNumber → ${phone.errMsg}（encryptedData 也用这个 session_key 加密）`);
    const login = await auth.login();
    log(`又一次 wx.login + POST /api/login → ${describe(login)}：服务器存的 session_key 换成了新的`);
    const { rawData, signature, encryptedData, iv } = profile;
    logResponse('POST /api/profile/legacy（旧数据）', await api({
      url: '/api/profile/legacy', method: 'POST', data: { rawData, signature, encryptedData, iv },
    }));
    logResponse('POST /api/phone/legacy（旧数据）', await api({
      url: '/api/phone/legacy', method: 'POST', data: { encryptedData: phone.encryptedData, iv: phone.iv },
    }));
  },

  async 'double-submit'() {
    const { code } = await wx.login();
    log(`wx.login → code ${code.slice(0, 8)}…`);
    // What a double tap does: two requests with one code, the second before the first answers.
    const answers = await Promise.all([postLogin(code), postLogin(code)]);
    answers.forEach((res, index) => logResponse(`请求 ${'AB'[index]}：POST /api/login`, res));
    const good = answers.find((res) => res.data.code === 0);
    if (good) {
      keepToken(good);
      log('小程序保留 200 那个请求的 token（收到 40900 时不要丢掉它，也不要重新登录）', 'ok');
    }
  },

  async 'wrong-app'() {
    const neighbour = makeWx(OTHER_APPID).wx;
    const { code } = await neighbour.login();
    log(`隔壁小程序（${OTHER_APPID}）的 wx.login → code ${code.slice(0, 8)}…`);
    logResponse(`发给我们（${APPID}）的 POST /api/login`, await postLogin(code));
  },

  async busy() {
    await injectFault('jscode2session', -1, 3);
    log('已注入故障：jscode2session 接下来 3 次回 errcode -1');
    try {
      const { code } = await wx.login();
      log(`wx.login → code ${code.slice(0, 8)}…`);
      logResponse('POST /api/login（服务器重试 2 次后放弃）', await postLogin(code));
      await clearFaults();
      log('已清除故障，用同一个 code 再试一次');
      const again = await postLogin(code);
      logResponse('POST /api/login（同一个 code）', again);
      keepToken(again);
    } finally {
      await clearFaults();
    }
  },

  async quota() {
    await injectFault('jscode2session', 45011, 1);
    log('已注入故障：jscode2session 下一次回 errcode 45011');
    try {
      const { code } = await wx.login();
      log(`wx.login → code ${code.slice(0, 8)}…`);
      logResponse('POST /api/login', await postLogin(code));
      await clearFaults();
      log('已清除故障；等一分钟后用同一个 code 再试（实验室里不必等）');
      const again = await postLogin(code);
      logResponse('POST /api/login（同一个 code）', again);
      keepToken(again);
    } finally {
      await clearFaults();
    }
  },

  async 'state-mismatch'() {
    const doc = await openInWebView('/h5/callback?code=x&state=forged', '[data-problem]');
    logProblem('web-view 显示', doc);
  },

  // A real callback, opened twice: the second time its state is gone (used by the first).
  async 'state-replay'() {
    await openInWebView('/h5/login?scope=snsapi_base&next=/h5/', '[data-testid="login-method"]');
    log('web-view 用 snsapi_base 登录成功：这次回调用掉了它的 state', 'ok');
    const callback = await lastRecorded('h5.callback');
    log(`时间线里记下的回调：${callback}`);
    const doc = await openInWebView(callback, '[data-problem]');
    logProblem('同一个回调再打开一次，web-view 显示', doc);
  },

  // The state is kept in the web-view's session cookie; a new in-app browser has none.
  async 'state-cookie'() {
    await postJson('/sandbox/device/clear', { appid: APPID, what: 'web-auth' });
    log('已清除网页授权记录：snsapi_userinfo 的授权页一定会出现');
    const consent = await openInWebView('/h5/login?scope=snsapi_userinfo&next=/h5/profile', 'button[value="allow"]');
    log('web-view 停在微信的授权页；state 已经存进这个浏览器的会话 cookie');
    await postJson('/lab/api/webview/drop-cookies');
    log('丢掉了 web-view 的会话 cookie，就像微信换了一个新的内置浏览器');
    consent.querySelector('button[value="allow"]').click();
    const doc = await webViewDocument('[data-problem]', consent);
    logProblem('点“允许”，微信带着 code 和 state 回到 /h5/callback，web-view 显示', doc);
  },

  async 'redirect-uri'() {
    const doc = await openInWebView(authorizeUrl('https://evil.example/cb', 'abc'), '.wx-msg-title');
    log(`微信的错误页：${text(doc, '.wx-msg-title')} · ${text(doc, '.wx-msg-desc')}`, 'fail');
  },

  // The lab's own callback, on another port of this host: WeChat takes no port at all.
  async 'redirect-port'() {
    const port = Number(window.location.port || (window.location.protocol === 'https:' ? 443 : 80));
    const callback = `${window.location.protocol}//${window.location.hostname}:${port + 1}/h5/callback`;
    const doc = await openInWebView(authorizeUrl(callback, 'port1'), '.wx-msg-title');
    log(`微信的错误页：${text(doc, '.wx-msg-title')} · ${text(doc, '.wx-msg-desc')}`, 'fail');
    log(text(doc, '.wx-msg-note'));
  },

  async 'hash-router'() {
    const spa = `${window.location.origin}/lab/spa/#/profile`;
    const doc = await openInWebView(authorizeUrl(spa, 'spa123'), '[data-testid="spa-search-read"]',
      (page) => page.querySelector('[data-testid="spa-search-read"]').textContent !== '');
    log(`微信送回：/lab/spa/?code=…&state=spa123#/profile，单页应用的路由是 ${text(doc, '[data-testid="spa-route"]')}`);
    log(`从路由的 query 找 code → ${text(doc, '[data-testid="spa-router-read"]')}`, 'fail');
    log(`从 location.search 找 code → ${text(doc, '[data-testid="spa-search-read"]')}`, 'ok');
    log(`replaceState 之后的地址：${text(doc, '[data-testid="spa-address"]')}`);
  },

  async snapshot() {
    await postJson('/sandbox/open/snapshot-mode', { on: true });
    log('快照模式：开');
    try {
      // The snapshot page shows the real page in a scroll-only frame: wait for both.
      const doc = await openInWebView('/h5/login?scope=snsapi_userinfo&next=/h5/profile', '.wx-snapshot', (outer) => {
        const inner = outer.querySelector('.wx-snapshot-frame').contentDocument;
        return inner && inner.readyState === 'complete' && inner.querySelector('.wx-msg-title');
      });
      log(`微信：${text(doc, '.wx-snapshot-note')}`, 'fail');
      const inner = doc.querySelector('.wx-snapshot-frame').contentDocument;
      log(`H5 页面：${text(inner, '.wx-msg-title')}（没有创建账号）`, 'fail');
    } finally {
      await postJson('/sandbox/open/snapshot-mode', { on: false });
      log('快照模式：关');
    }
  },

  // Two servers, one appid: the other one forces a refresh, ours recovers on its next call.
  async 'force-refresh'() {
    const check = () => api({ url: '/api/session/check', method: 'POST' });
    logResponse('POST /api/session/check（我们的服务器取到 access_token 并缓存）', await check());
    const other = await postJson('/lab/api/other-server/force-refresh');
    if (other.status !== 200) throw new Error(other.data.msg);
    if (other.data.errcode !== 0) {
      throw new Error(`另一台服务器的 force_refresh 被微信拒绝：errcode ${other.data.errcode}（两次强制刷新至少隔 30 秒）`);
    }
    log('另一台服务器：POST /cgi-bin/stable_token {"force_refresh": true} → 新 token；我们缓存的那个立刻失效', 'fail');
    logResponse('POST /api/session/check（收到 40001：丢掉缓存、重新获取、重试一次）', await check());
  },

  // The phone-number quota used up: the button fails at once, and WeChat says so itself.
  async 'phone-quota'() {
    const quota = async () => (await (await fetch('/sandbox/phone-quota')).json()).apps.find((row) => row.appid === APPID);
    const before = (await quota()).remaining;
    await postJson('/sandbox/phone-quota', { appid: APPID, remaining: 0 });
    log(`已把「${APPID}」剩下的手机号额度从 ${before} 次设为 0`);
    try {
      await wx.switchTab({ url: '/pages/phone/index' });
      const result = lab.querySelector('[data-page="phone"] [data-testid="page-result"]');
      const previous = result.hidden ? null : result.textContent;
      lab.querySelector('[data-page="phone"] [data-action="phone-code"]').click();  // a real tap
      const line = await until(() => !result.hidden && result.textContent !== previous && result, '按钮的结果');
      log(`bindgetphonenumber → ${line.textContent}`, 'fail');
      const toast = await until(() => lab.querySelector('[data-testid="phone-toast"]'), '微信的提示');
      log(`微信的提示：${toast.textContent}`);
    } finally {
      await postJson('/sandbox/phone-quota', { appid: APPID, remaining: before });
      log(`已恢复额度：${before} 次`);
    }
  },
};

async function run(button) {
  const id = button.dataset.pitfall;
  const card = button.closest('[data-testid="pitfall-card"]');
  lab.querySelectorAll('[data-action="run-pitfall"]').forEach((other) => { other.disabled = true; });
  box.hidden = false;
  box.dataset.pitfall = id;
  box.dataset.status = 'running';
  title.textContent = card.querySelector('[data-testid="pitfall-card-title"]').textContent;
  lines.replaceChildren();
  box.querySelectorAll('[data-pitfall-explanation]').forEach((article) => {
    article.hidden = article.dataset.pitfallExplanation !== id;
  });
  box.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  try {
    await RUNNERS[id]();
    box.dataset.status = 'done';
  } catch (error) {
    log(`没能走完：${error.message || error.errMsg}`, 'fail');
    box.dataset.status = 'error';
  } finally {
    ui.autoAnswer(null);  // a sheet that never came must not be answered later
    refreshCurrentPage();  // the runner may have changed the token behind the page's back
    lab.querySelectorAll('[data-action="run-pitfall"]').forEach((other) => { other.disabled = false; });
  }
}

export function initPitfalls() {
  lab.querySelectorAll('[data-action="run-pitfall"]').forEach((button) => {
    button.addEventListener('click', () => run(button));
  });
}
