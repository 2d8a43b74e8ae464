// The lab page's bootstrap: start the mini-program, wire the persona switcher, the 清缓存
// menu, the pitfalls and the timeline buttons. Everything else is in the modules it imports.
import {
  APPID, APP_NAME, PERSONA_COOKIE, REVIEW_COOKIE, cookie, lab, persona, personaNickname, postJson, setPersona,
} from './env.js';
import { initInspector, refreshNow } from './inspector.js';
import './miniprogram.js';  // registers App() and the pages
import { launch, refreshCurrentPage } from './page.js';
import { initPitfalls } from './pitfalls.js';
import { wx } from './wx.js';

const note = lab.querySelector('[data-testid="reset-note"]');

// ---- who holds the phone -------------------------------------------------------------

function markPersona() {
  lab.querySelectorAll('[data-action="persona"]').forEach((chip) => {
    chip.setAttribute('aria-pressed', String(chip.dataset.persona === persona()));
  });
  lab.querySelectorAll('[data-testid="current-persona"]').forEach((node) => { node.textContent = personaNickname(); });
}

lab.querySelectorAll('[data-action="persona"]').forEach((chip) => {
  chip.addEventListener('click', () => {
    if (chip.dataset.persona === persona()) return;
    setPersona(chip.dataset.persona);
    markPersona();
    note.hidden = true;
    launch();  // another person's phone: their storage, their authorization, their login
    refreshNow();
  });
});

lab.querySelectorAll('[data-action="relaunch"]').forEach((button) => {
  button.addEventListener('click', () => launch());
});

// ---- 清缓存 ----------------------------------------------------------------------------

const clearOnWeChat = async (what) => (await postJson('/sandbox/device/clear', { appid: APPID, what })).data.cleared || {};

// Each reset says what it cleared and how things stand now, looked up after clearing: the note
// describes the state as it is, not as it usually is.
const hasToken = () => Boolean(wx.getStorageSync('token'));

const RESETS = {
  async storage() {
    const keys = wx.getStorageInfoSync().keys;
    wx.clearStorageSync();
    return `已清除数据缓存：${personaNickname()} 在「${APP_NAME}」的本地存储（${keys.length} 项${keys.length ? `：${keys.join('、')}` : ''}），现在是空的。`
      + (keys.includes('token') ? '服务器上的那个 token 没有被吊销，过期之前仍然有效；小程序手里没有 token 了，下一次请求会先登录。' : '')
      + '真实用户：在“最近使用”里删除小程序后重新进入（这也会清掉授权数据）。';
  },
  async auth() {
    const cleared = await clearOnWeChat('auth');
    const privacy = cleared.privacy_agreements > 0;
    return `已清除授权数据：authSetting ${cleared.auth_scopes || 0} 项${privacy ? '，以及隐私保护指引的同意记录（重新进入时会再问）' : ''}。`
      + '现在 wx.getSetting 返回空的 authSetting，再调 wx.authorize 会重新弹窗。'
      + '真实用户：在小程序右上角 ··· → 设置 里逐个关掉权限，或从最近使用里删除小程序。';
  },
  async login() {
    const cleared = await clearOnWeChat('login');
    return `已清除登录状态：微信侧的 session_key ${cleared.session_keys || 0} 个、没用掉的 code ${cleared.pending_codes || 0} 个。`
      + (hasToken()
        ? '我们自己的 token 没有动：它还在本地存储里，服务器上的记录也没有变。'
        : '我们自己的 token 没有动：本地存储里现在没有 token（之前就清掉了），服务器上的记录也没有变。')
      + '下次启动（点“重新进入小程序”）时 wx.checkSession 会失败，小程序会重新 wx.login，换来新的 session_key 和 token。'
      + '真实用户：没有对应的操作，session_key 由微信自己轮换和过期。';
  },
  async 'web-auth'() {
    const cleared = await clearOnWeChat('web-auth');
    return `已清除网页授权：snsapi_userinfo 授权记录 ${cleared.web_grants || 0} 条、拒绝缓存 ${cleared.web_denials || 0} 条、`
      + `网页授权 access_token ${cleared.web_tokens || 0} 个。H5 页面自己的登录会话（开发者服务器）不受影响。`
      + '真实用户：微信 → 我 → 设置 → 个人信息与权限 → 授权管理，删除服务号的授权；小程序自己清不掉。';
  },
  async all() {
    const cleared = await clearOnWeChat('all');
    const keys = wx.getStorageInfoSync().keys;
    wx.clearStorageSync();
    await postJson('/sandbox/open/snapshot-mode', { on: false });
    await setReviewRejects(false);
    return `全部清除：本地存储（${keys.length} 项）、授权数据（authSetting ${cleared.auth_scopes || 0} 项、隐私同意）、登录状态（session_key ${cleared.session_keys || 0} 个）、`
      + '网页授权都清掉了，快照模式已关，内容审核开关已关，小程序重新启动。服务器上的 token 和 H5 会话不在其中：它们只能由服务器吊销。'
      + '真实用户：删除小程序，再到 微信 → 我 → 设置 → 个人信息与权限 → 授权管理 里删除网页授权。';
  },
};

lab.querySelectorAll('[data-clear]').forEach((button) => {
  button.addEventListener('click', async () => {
    const what = button.dataset.clear;
    button.closest('details').open = false;
    note.hidden = false;
    note.dataset.clear = what;
    note.textContent = '正在清除…';
    try {
      note.textContent = await RESETS[what]();
    } catch (error) {
      note.textContent = `没能清除：${error.message}`;
    }
    if (what === 'all') launch();
    else refreshCurrentPage();
    refreshNow();
  });
});

// A menu closes when the user clicks elsewhere or presses Escape.
document.addEventListener('click', (event) => {
  lab.querySelectorAll('details.clear-menu[open]').forEach((menu) => { if (!menu.contains(event.target)) menu.open = false; });
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') lab.querySelectorAll('details.clear-menu[open]').forEach((menu) => { menu.open = false; });
});

// ---- WeChat's content review (sandbox switch) -------------------------------------------

// While it is on, WeChat rejects every avatar picked and nickname typed on this phone: the
// picture never reaches bindchooseavatar, the nickname is cleared when the input loses focus.
const reviewSwitch = lab.querySelector('[data-action="review-reject"]');

async function setReviewRejects(reject) {
  await postJson('/sandbox/review-mode', { reject });
  reviewSwitch.checked = reject;
}

reviewSwitch.checked = cookie(REVIEW_COOKIE) === 'reject';
reviewSwitch.addEventListener('change', () => setReviewRejects(reviewSwitch.checked));

// ---- timeline ------------------------------------------------------------------------

lab.querySelector('[data-action="timeline-clear"]').addEventListener('click', async () => {
  await postJson('/lab/timeline/clear');
  refreshNow();
});

lab.querySelector('[data-action="timeline-refresh"]').addEventListener('click', () => refreshNow());

// ---- start ---------------------------------------------------------------------------

if (cookie(PERSONA_COOKIE) === null) setPersona(lab.dataset.persona);
markPersona();
initInspector();
initPitfalls();
launch();
