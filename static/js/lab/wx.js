// A small `wx` for the browser: the mini-program APIs the lab needs, with the real names,
// options, callbacks (success / fail / complete) or a Promise, and the real errMsg strings.
// What WeChat decides on the phone (codes, consent, authSetting, the privacy agreement, the
// content review) comes from the sandbox's device endpoints (/sandbox/device/...); sheets and
// modals are drawn by ui.js; storage is localStorage, per persona and per mini-program
// (storage.js).
import { APPID, APP_NAME, calling, persona } from './env.js';
import * as storage from './storage.js';
import * as ui from './ui.js';

// Storage values reported to the timeline are masked by key: the recorder masks by field
// name, and a storage value's name is its key.
const SECRET_KEY = /token|secret|session_key/i;

// The real wx API: with any of success / fail / complete it calls them and returns nothing;
// without, it returns a Promise that rejects with the same {errMsg} object fail would get.
// `run(options, caller)` is told where it was called from, for the timeline (callerLocation).
export function asyncApi(name, run) {
  return (options = {}) => {
    const result = callApi(name, run, options);
    const { success, fail, complete } = options;
    if (!success && !fail && !complete) {
      return result.then((res) => (succeeded(res) ? res : Promise.reject(res)));
    }
    settle(result, options);
    return undefined;
  };
}

// wx.request and wx.uploadFile answer through the callbacks only, and return a task (to abort
// the call), never a Promise: a mini-program wraps them itself (miniprogram/utils/request.js).
function taskApi(name, run) {
  return (options = {}) => {
    let aborted = false;
    settle(callApi(name, run, options).then((res) => (aborted ? { errMsg: `${name}:fail abort` } : res)), options);
    return { abort() { aborted = true; } };
  };
}

function callApi(name, run, options) {
  const caller = callerLocation();
  return Promise.resolve()
    .then(() => run(options, caller))
    .catch((error) => ({ errMsg: `${name}:fail ${error.message}` }));
}

function settle(result, { success, fail, complete }) {
  result.then((res) => {
    const callback = succeeded(res) ? success : fail;
    if (callback) callback(res);
    if (complete) complete(res);
  });
}

function succeeded(res) {
  return typeof res.errMsg === 'string' && res.errMsg.endsWith(':ok');
}

// Tell the lab's timeline about something that happened only on the phone. The server dates
// a report when it arrives, so reports go one at a time and the phone's next call to a
// server waits for them (`reported`): the timeline keeps the order things happened in.
let reported = Promise.resolve();
function report(api, request, response, outcome, source) {
  reported = reported.then(() => calling(() => fetch('/lab/api/exchanges', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api, request, response, outcome, source }),
  }))).catch(() => {});
}

// Where a wx API was called from, for the timeline's source link: the first caller on the
// stack outside this file, as a path of the project ("miniprogram/pages/login/index.js:88").
// The server serves miniprogram/ with each file's own line numbers (webapp/lab/miniprogram.py).
const SERVED_AS = [
  [/^\/lab\/miniprogram\/[^/]+\//, 'miniprogram/'],
  [/^\/static\/[^/]+\//, 'static/'],
];

function callerLocation() {
  for (const frame of (new Error().stack || '').split('\n').slice(1)) {
    const match = frame.match(/(https?:\/\/[^\s()]+):(\d+):\d+/);
    const path = match ? new URL(match[1]).pathname : '';
    const served = SERVED_AS.find(([prefix]) => prefix.test(path));
    if (served && !path.endsWith('/wx.js')) return `${path.replace(served[0], served[1])}:${match[2]}`;
  }
  return '';
}

// Temporary files (what chooseAvatar hands over): a path the page can keep, as on a phone.
const tempFiles = new Map();

export function saveTempFile(blob, dataUrl) {
  const path = `wxfile://tmp_${Math.random().toString(16).slice(2, 14)}.png`;
  tempFiles.set(path, { blob, dataUrl });
  return path;
}

// What an <image src> of a temporary path shows.
export function tempFileUrl(path) {
  const file = tempFiles.get(path);
  return file ? file.dataUrl : path;
}

// Build the wx object for one mini-program. The lab runs one (APPID); the wrong-app pitfall
// borrows the neighbour's wx.login through a second one.
export function makeWx(appid) {
  function device(path, params = {}, method = 'POST') {
    const body = { appid, ...params };
    return calling(async () => {
      await reported;
      const response = method === 'GET'
        ? await fetch(`/sandbox/device/${path}?${new URLSearchParams(body)}`)
        : await fetch(`/sandbox/device/${path}`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        });
      const answer = await response.json().catch(() => null);
      if (answer && (response.ok || answer.errMsg)) return answer;
      // Not an answer of the sandbox's phone (a 429 from a proxy, a page that is not JSON): the
      // call still fails with a reason, as sandboxPhone in miniprogram/utils/auth.js does.
      return { errMsg: `HTTP ${response.status}` };
    });
  }

  // Since 2023-10-17 a privacy API fails with errno 104 until the user agrees to the privacy
  // guide. Before failing, WeChat asks the mini-program to show its own popup: the listener
  // given to wx.onNeedPrivacyAuthorization gets resolve(); the user's tap on
  // <button open-type="agreePrivacyAuthorization"> records the agreement with WeChat, and
  // resolve({event: 'agree'}) lets the call go on. With no listener the call just fails.
  let needPrivacy = null;

  async function askForPrivacy(referrer) {
    if (!needPrivacy) return false;
    const answer = await new Promise((resolve) => { needPrivacy(resolve, { referrer }); });
    if (!answer || answer.event !== 'agree') return false;
    return !(await device('privacy-setting', {}, 'GET')).needAuthorization;
  }

  // A privacy API: asked again once, if the user agrees when WeChat asks.
  async function privacyApi(path, params, referrer) {
    const first = await device(path, params);
    if (first.errno !== PRIVACY_NOT_AGREED || !(await askForPrivacy(referrer))) return first;
    return device(path, params);
  }

  // Where WeChat shows a sheet, the device answers needsDecision: show it, then ask again.
  async function withSheet(path, params, referrer) {
    const first = await privacyApi(path, params, referrer);
    if (!first.needsDecision) return first;
    const decision = await ui.sheet(first.sheet);
    return device(path, { ...params, decision });
  }

  const wx = {
    login: asyncApi('login', () => device('login')),

    checkSession: asyncApi('checkSession', () => device('check-session')),

    // `era` is the sandbox's, not WeChat's: 'pre-2022' answers as before 2022-11-08.
    getUserProfile: asyncApi('getUserProfile', ({ desc, era }) => withSheet('user-profile', { desc, tap: true, ...(era ? { era } : {}) }, 'getUserProfile')),

    // Failures carry errno: 103 denied (or a scope wx.authorize cannot ask), 104, 112.
    authorize: asyncApi('authorize', ({ scope }) => withSheet('authorize', { scope }, 'authorize')),

    getSetting: asyncApi('getSetting', () => device('setting', {}, 'GET')),

    openSetting: asyncApi('openSetting', async () => {
      await settingsPage();
      const { authSetting } = await device('setting', {}, 'GET');
      return { authSetting, errMsg: 'openSetting:ok' };
    }),

    // The privacy guide: WeChat's record, per user and mini-program.
    getPrivacySetting: asyncApi('getPrivacySetting', () => device('privacy-setting', {}, 'GET')),

    onNeedPrivacyAuthorization(listener) {
      needPrivacy = listener;
    },

    // Ask for the agreement now (as a privacy API would), without calling one.
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', async () => {
      const { needAuthorization } = await device('privacy-setting', {}, 'GET');
      if (!needAuthorization || (await askForPrivacy('requirePrivacyAuthorize'))) {
        return { errMsg: 'requirePrivacyAuthorize:ok' };
      }
      return { errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized', errno: PRIVACY_NOT_AGREED };
    }),

    // wx.request answers success for any HTTP status (fail only when nothing came back), with
    // the body parsed as JSON when it is JSON. GET data goes in the query string.
    request: taskApi('request', async ({ url, method = 'GET', data, header = {} }) => {
      let target = url;
      const init = { method, headers: { ...header } };
      if (method === 'GET' && data) target += (url.includes('?') ? '&' : '?') + new URLSearchParams(data);
      else if (data !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(data);
      }
      return calling(async () => {
        await reported;
        const response = await fetch(target, init);
        const text = await response.text();
        let body = text;
        try { body = JSON.parse(text); } catch (error) { body = text; }
        return { data: body, statusCode: response.status, header: Object.fromEntries(response.headers), errMsg: 'request:ok' };
      });
    }),

    // wx.uploadFile sends multipart/form-data with the file under `name`; unlike wx.request,
    // res.data is the body as a string, so the page parses it itself.
    uploadFile: taskApi('uploadFile', async ({ url, filePath, name, formData = {}, header = {} }) => {
      const file = tempFiles.get(filePath);
      if (!file) return { errMsg: `uploadFile:fail file not found: ${filePath}` };
      const form = new FormData();
      Object.entries(formData).forEach(([key, value]) => form.append(key, value));
      form.append(name, file.blob, filePath.split('/').pop());
      return calling(async () => {
        await reported;
        const response = await fetch(url, { method: 'POST', headers: header, body: form });
        return { data: await response.text(), statusCode: response.status, errMsg: 'uploadFile:ok' };
      });
    }),

    setStorageSync(key, data) {
      storage.write(appid, persona(), key, data);
      const shown = SECRET_KEY.test(key) ? '***' : data;
      report('setStorageSync', JSON.stringify({ key, data: shown }), '', 'setStorageSync:ok', callerLocation());
    },

    // A missing key gives '' (not undefined), as on the phone.
    getStorageSync(key) {
      const value = storage.read(appid, persona(), key);
      return value === undefined ? '' : value;
    },

    removeStorageSync(key) {
      storage.remove(appid, persona(), key);
      report('removeStorageSync', JSON.stringify({ key }), '', 'removeStorageSync:ok', callerLocation());
    },

    clearStorageSync() {
      const removed = storage.clear(appid, persona());
      report('clearStorageSync', '{}', JSON.stringify({ removed }), 'clearStorageSync:ok', callerLocation());
    },

    // Which mini-program this is: the appid in project.config.json, on a phone.
    getAccountInfoSync() {
      return { miniProgram: { appId: appid, envVersion: 'develop', version: '' } };
    },

    getStorageInfoSync() {
      return { keys: storage.keys(appid, persona()), currentSize: storage.sizeKb(appid, persona()), limitSize: 10240 };
    },

    showModal: asyncApi('showModal', async ({ title, content, showCancel, cancelText, confirmText }, caller) => {
      const answer = await ui.modal({ title, content, showCancel, cancelText, confirmText });
      report('showModal', JSON.stringify({ title, content }), JSON.stringify(answer),
        `showModal:ok (${answer.confirm ? 'confirm' : 'cancel'})`, caller);
      return { ...answer, errMsg: 'showModal:ok' };
    }),

    showToast: asyncApi('showToast', ({ title, icon, duration }) => {
      ui.toast({ title, icon, duration });
      return { errMsg: 'showToast:ok' };
    }),

    hideToast: asyncApi('hideToast', () => {
      ui.hideToast();
      return { errMsg: 'hideToast:ok' };
    }),
  };

  // WeChat's own settings page, as wx.openSetting and the capsule's ··· → 设置 open it.
  async function settingsPage() {
    const { authSetting = {} } = await device('setting', {}, 'GET');
    await ui.settingsPage({
      appName: APP_NAME,
      authSetting,
      toggle: async (scope, granted) => succeeded(await device('setting', { scope, granted })),
    });
  }

  // The getPhoneNumber button: the sheet, then e.detail {code, encryptedData, iv, errMsg};
  // a used-up quota fails it at once with errno 1400001.
  async function phoneNumberButton() {
    return withSheet('phone-number', {}, 'getPhoneNumber');
  }

  // The chooseAvatar button: a privacy API; then the picker (``openPicker``), then WeChat's
  // content review. A rejected picture never reaches bindchooseavatar: resolves null.
  async function chooseAvatarButton(openPicker) {
    if (!succeeded(await privacyApi('choose-avatar', {}, 'chooseAvatar'))) return null;
    const picked = await openPicker();
    if (!picked) return null;
    return (await device('review', { kind: 'avatar' })).pass ? picked : null;
  }

  // <input type="nickname">: offers the WeChat nickname only once the user agreed...
  async function privacyAgreed() {
    return !(await device('privacy-setting', {}, 'GET')).needAuthorization;
  }

  // ...and reviews what was entered when the input loses focus.
  async function nicknameReview() {
    return (await device('review', { kind: 'nickname' })).pass;
  }

  // The agreePrivacyAuthorization button: WeChat records the agreement.
  function agreePrivacyAuthorization() {
    return device('agree-privacy');
  }

  return {
    wx, settingsPage, phoneNumberButton, chooseAvatarButton, privacyAgreed, nicknameReview, agreePrivacyAuthorization,
  };
}

const PRIVACY_NOT_AGREED = 104;

const ours = makeWx(APPID);
export const {
  wx, settingsPage, phoneNumberButton, chooseAvatarButton, privacyAgreed, nicknameReview, agreePrivacyAuthorization,
} = ours;
