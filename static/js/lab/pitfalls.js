// One click per pitfall: make it happen in the phone, write down what came back, and show
// the explanation and the fix (rendered by the server from webapp/lab/pitfalls.py).
// Runners drive the same wx and App the mini-program uses, so the timeline shows the real
// exchanges; where a pitfall needs something a mini-program would never do on purpose (one
// code sent twice, another app's code), the runner says so.
import { APPID, OFFICIAL_APPID, OTHER_APPID, lab, postJson } from './env.js';
import { refreshNow } from './inspector.js';
import { apiMsg, describe, openWebView } from './miniprogram.js';
import { getApp, refreshCurrentPage } from './page.js';
import * as ui from './ui.js';
import { makeWx, phoneNumberButton, wx } from './wx.js';

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
const postLogin = (code) => wx.request({ url: '/api/login', method: 'POST', data: { code, device: 'lab-phone' } });

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
  await openWebView(src);
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

const text = (doc, selector) => {
  const node = doc.querySelector(selector);
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : '';
};

const RUNNERS = {
  async rotation() {
    const app = getApp();
    ui.autoAnswer('allow');
    const profile = await wx.getUserProfile({ desc: '演示 session_key 轮换' });
    log(`wx.getUserProfile → ${profile.errMsg}（encryptedData 和 signature 用当前 session_key 算出）`);
    ui.autoAnswer('allow');
    const phone = await phoneNumberButton();
    log(`getPhoneNumber → ${phone.errMsg}（encryptedData 也用这个 session_key 加密）`);
    const login = await app.login();
    log(`又一次 wx.login + POST /api/login → ${describe(login)}：服务器存的 session_key 换成了新的`);
    const { rawData, signature, encryptedData, iv } = profile;
    logResponse('POST /api/profile/legacy（旧数据）', await app.api({
      url: '/api/profile/legacy', method: 'POST', data: { rawData, signature, encryptedData, iv },
    }));
    logResponse('POST /api/phone/legacy（旧数据）', await app.api({
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
    const src = `/sandbox/open/connect/oauth2/authorize?appid=${OFFICIAL_APPID}`
      + `&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`
      + '&response_type=code&scope=snsapi_base&state=abc#wechat_redirect';
    const doc = await openInWebView(src, '.wx-msg-title');
    log(`微信的错误页：${text(doc, '.wx-msg-title')} · ${text(doc, '.wx-msg-desc')}`, 'fail');
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
