// What the WeChat client draws over a mini-program: the half-screen consent sheet, modals,
// toasts, action sheets, the avatar picker and the settings page that wx.openSetting opens.
// All of it lives in the phone's overlay layer; nothing here knows about the network.

const layer = document.querySelector('[data-testid="phone-layer"]');

// The names WeChat's settings page gives each scope.
export const SCOPE_LABELS = {
  'scope.userLocation': '位置信息',
  'scope.userFuzzyLocation': '模糊位置信息',
  'scope.record': '麦克风',
  'scope.camera': '摄像头',
  'scope.bluetooth': '蓝牙',
  'scope.writePhotosAlbum': '添加到相册',
  'scope.addPhoneContact': '添加到联系人',
  'scope.addPhoneCalendar': '添加到日历',
  'scope.werun': '微信运动步数',
};

export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => {
    if (value === false || value === null || value === undefined) return;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  });
  children.forEach((child) => node.append(child));
  return node;
}

// Show an overlay (with a dimmed mask when asked); the returned function removes it.
function overlay(node, { mask = true } = {}) {
  const parts = mask ? [el('div', { class: 'ui-mask' }), node] : [node];
  layer.append(...parts);
  return () => parts.forEach((part) => part.remove());
}

// One-click pitfalls answer a sheet for the learner: the sheet still shows, then "taps" itself.
let pendingAnswer = null;
export function autoAnswer(decision) {
  pendingAnswer = decision;
}

function appIcon(appName) {
  return el('span', { class: 'ui-app-icon', 'aria-hidden': 'true', text: (appName || '小')[0] });
}

// The half-screen authorization sheet. Resolves 'allow' or 'deny'.
export function sheet({ app, asks, detail }) {
  return new Promise((resolve) => {
    const deny = el('button', { type: 'button', class: 'ui-btn ui-btn-default', 'data-action': 'sheet-deny', text: '拒绝' });
    const allow = el('button', { type: 'button', class: 'ui-btn ui-btn-primary', 'data-action': 'sheet-allow', text: '允许' });
    const node = el('div', { class: 'ui-sheet', 'data-testid': 'phone-sheet', role: 'dialog', 'aria-label': asks }, [
      el('div', { class: 'ui-sheet-app' }, [appIcon(app), el('span', { text: `${app} 申请` })]),
      el('p', { class: 'ui-sheet-asks', 'data-testid': 'sheet-asks', text: asks }),
      el('p', { class: 'ui-sheet-detail', 'data-testid': 'sheet-detail', text: detail || '' }),
      el('div', { class: 'ui-sheet-buttons' }, [deny, allow]),
    ]);
    const close = overlay(node);
    const answer = (decision) => () => { close(); resolve(decision); };
    deny.addEventListener('click', answer('deny'));
    allow.addEventListener('click', answer('allow'));
    if (pendingAnswer) {
      const button = pendingAnswer === 'allow' ? allow : deny;
      pendingAnswer = null;
      button.classList.add('ui-pressed');
      setTimeout(() => button.click(), 700);
    }
  });
}

// wx.showModal's dialog. Resolves {confirm, cancel}.
export function modal({ title = '', content = '', showCancel = true, cancelText = '取消', confirmText = '确定' }) {
  return new Promise((resolve) => {
    const buttons = [];
    const close = () => remove();
    if (showCancel) {
      const cancel = el('button', { type: 'button', class: 'ui-modal-btn', 'data-action': 'modal-cancel', text: cancelText });
      cancel.addEventListener('click', () => { close(); resolve({ confirm: false, cancel: true }); });
      buttons.push(cancel);
    }
    const confirm = el('button', { type: 'button', class: 'ui-modal-btn ui-modal-confirm', 'data-action': 'modal-confirm', text: confirmText });
    confirm.addEventListener('click', () => { close(); resolve({ confirm: true, cancel: false }); });
    buttons.push(confirm);
    const node = el('div', { class: 'ui-modal', 'data-testid': 'phone-modal', role: 'dialog' }, [
      el('div', { class: 'ui-modal-body' }, [
        title ? el('strong', { class: 'ui-modal-title', text: title }) : '',
        content ? el('p', { class: 'ui-modal-content', text: content }) : '',
      ]),
      el('div', { class: 'ui-modal-buttons' }, buttons),
    ]);
    const remove = overlay(node);
  });
}

// wx.showToast: one at a time, gone after `duration` ms (WeChat's default: 1500).
let toastTimer = null;
let removeToast = null;
export function toast({ title = '', icon = 'success', duration = 1500 }) {
  hideToast();
  const node = el('div', { class: `ui-toast ui-toast-${icon}`, 'data-testid': 'phone-toast', 'data-icon': icon, role: 'status' }, [
    icon === 'none' ? '' : el('span', { class: 'ui-toast-icon', 'aria-hidden': 'true', text: icon === 'error' ? '!' : '✓' }),
    el('span', { class: 'ui-toast-title', text: title }),
  ]);
  removeToast = overlay(node, { mask: false });
  toastTimer = setTimeout(hideToast, duration);
}

export function hideToast() {
  clearTimeout(toastTimer);
  if (removeToast) removeToast();
  removeToast = null;
}

// A bottom action sheet (the capsule's ··· menu, the avatar picker). Resolves the index, or -1.
export function actionSheet(items, { title = '', testid = 'phone-actionsheet', itemAction = 'actionsheet-item' } = {}) {
  return new Promise((resolve) => {
    const choose = (index) => () => { close(); resolve(index); };
    const rows = items.map((item, index) => {
      const button = el('button', { type: 'button', class: 'ui-actionsheet-item', 'data-action': itemAction, 'data-index': index }, [item]);
      button.addEventListener('click', choose(index));
      return button;
    });
    const cancel = el('button', { type: 'button', class: 'ui-actionsheet-item ui-actionsheet-cancel', 'data-action': 'actionsheet-cancel', text: '取消' });
    cancel.addEventListener('click', choose(-1));
    const node = el('div', { class: 'ui-actionsheet', 'data-testid': testid, role: 'dialog' }, [
      title ? el('p', { class: 'ui-actionsheet-title', text: title }) : '',
      el('div', { class: 'ui-actionsheet-items' }, rows),
      cancel,
    ]);
    const close = overlay(node);
  });
}

// The chooseAvatar button's picker, as WeChat offers it: the WeChat avatar, a picture from the
// album, or a photo from the camera. Whichever, the page gets a temporary PNG file: the album's
// pictures are drawn on a canvas here, the WeChat avatar is the persona's picture (loaded from
// ``wechatAvatarUrl``) drawn onto one, the camera's "photo" is drawn too.
const AVATAR_COLOURS = ['#07c160', '#10aeff', '#fa9d3b', '#8e6bd8'];

function canvas132() {
  const canvas = document.createElement('canvas');
  canvas.width = 132;
  canvas.height = 132;
  return canvas;
}

function drawAvatar(colour, index) {
  const canvas = canvas132();
  const context = canvas.getContext('2d');
  context.fillStyle = colour;
  context.fillRect(0, 0, 132, 132);
  context.fillStyle = 'rgba(255, 255, 255, .92)';
  context.beginPath();
  context.arc(66, 54, 24, 0, Math.PI * 2);  // head
  context.fill();
  context.beginPath();
  context.ellipse(66, 122, 44, 36, 0, Math.PI, 0);  // shoulders
  context.fill();
  context.fillStyle = colour;  // a different face for each, so the choice is visible
  context.beginPath();
  context.arc(57, 52, 3 + index, 0, Math.PI * 2);
  context.arc(75, 52, 3 + index, 0, Math.PI * 2);
  context.fill();
  return canvas;
}

// A "photo" from the camera: a little landscape, different each minute.
function drawPhoto() {
  const canvas = canvas132();
  const context = canvas.getContext('2d');
  const sky = context.createLinearGradient(0, 0, 0, 132);
  sky.addColorStop(0, '#7fc8f8');
  sky.addColorStop(1, '#e8f6ff');
  context.fillStyle = sky;
  context.fillRect(0, 0, 132, 132);
  context.fillStyle = '#ffcf40';
  context.beginPath();
  context.arc(30 + (new Date().getMinutes() % 60) * 1.2, 34, 14, 0, Math.PI * 2);  // the sun
  context.fill();
  context.fillStyle = '#3fa34d';
  context.beginPath();
  context.ellipse(44, 132, 80, 46, 0, Math.PI, 0);  // hills
  context.ellipse(110, 136, 60, 38, 0, Math.PI, 0);
  context.fill();
  return canvas;
}

async function drawPicture(url) {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = canvas132();
  canvas.getContext('2d').drawImage(image, 0, 0, 132, 132);
  return canvas;
}

function asFile(canvas) {
  const dataUrl = canvas.toDataURL('image/png');
  return { blob: pngFromDataUrl(dataUrl), dataUrl };
}

async function fromAlbum() {
  const images = AVATAR_COLOURS.map(drawAvatar).map((canvas, index) => el('img', {
    class: 'ui-avatar-option-image', src: canvas.toDataURL('image/png'), alt: `图片 ${index + 1}`, width: 44, height: 44,
  }));
  const items = images.map((image, index) => el('span', { class: 'ui-avatar-option' }, [image, `图片 ${index + 1}`]));
  const index = await actionSheet(items, { title: '相册（实验室生成的图片）', testid: 'avatar-picker', itemAction: 'avatar-option' });
  if (index < 0) return null;
  const dataUrl = images[index].src;
  return { blob: pngFromDataUrl(dataUrl), dataUrl };
}

export async function avatarPicker({ wechatAvatarUrl }) {
  const source = await actionSheet(['用微信头像', '从相册选择', '拍照'], { testid: 'avatar-source', itemAction: 'avatar-source' });
  if (source === 0) return asFile(await drawPicture(wechatAvatarUrl));
  if (source === 1) return fromAlbum();
  if (source === 2) return asFile(drawPhoto());
  return null;
}

// The file is the PNG already drawn. canvas.toBlob would encode it again, and Chromium does
// that in idle time, which a busy machine may not give it for seconds after the tap.
function pngFromDataUrl(dataUrl) {
  const bytes = Uint8Array.from(atob(dataUrl.split(',')[1]), (char) => char.charCodeAt(0));
  return new Blob([bytes], { type: 'image/png' });
}

// The settings page wx.openSetting (or the capsule's ··· → 设置) opens: one switch per scope
// asked so far. `toggle(scope, granted)` saves a switch; resolves when the user goes back.
export function settingsPage({ appName, authSetting, toggle }) {
  return new Promise((resolve) => {
    const back = el('button', { type: 'button', class: 'ui-page-back', 'data-action': 'setting-back', 'aria-label': '返回', text: '‹' });
    const scopes = Object.keys(authSetting);
    const rows = scopes.map((scope) => {
      const input = el('input', {
        type: 'checkbox', class: 'ui-switch', role: 'switch', 'data-action': 'setting-switch', 'data-scope': scope,
        'aria-label': SCOPE_LABELS[scope] || scope, checked: authSetting[scope],
      });
      input.addEventListener('change', async () => {
        input.disabled = true;
        const saved = await toggle(scope, input.checked);
        if (!saved) input.checked = !input.checked;  // WeChat refused: show the switch as it is
        input.disabled = false;
      });
      return el('label', { class: 'ui-cell', 'data-testid': 'setting-row', 'data-scope': scope }, [
        el('span', { class: 'ui-cell-label', text: SCOPE_LABELS[scope] || scope }), input,
      ]);
    });
    const body = scopes.length
      ? [el('p', { class: 'ui-cells-title', text: `允许“${appName}”使用` }), el('div', { class: 'ui-cells' }, rows),
        el('p', { class: 'ui-cells-footer', text: '这里只列出小程序申请过的权限。关掉后，小程序再调 wx.authorize 会直接失败。' })]
      : [el('p', { class: 'ui-page-empty', 'data-testid': 'setting-empty', text: `“${appName}”还没有申请过任何权限。` })];
    const node = el('div', { class: 'ui-page', 'data-testid': 'setting-page', role: 'dialog', 'aria-label': '设置' }, [
      el('div', { class: 'ui-page-nav' }, [back, el('span', { class: 'ui-page-title', text: '设置' })]),
      el('div', { class: 'ui-page-body' }, body),
    ]);
    const close = overlay(node, { mask: false });
    back.addEventListener('click', () => { close(); resolve(); });
  });
}
