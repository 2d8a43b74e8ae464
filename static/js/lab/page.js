// The mini-program runtime, as small as it can be: App(), Page(), Component(), getApp(),
// setData with WXML-like bindings, the page stack and the tab bar, and the buttons whose
// open-type the WeChat client handles itself (chooseAvatar, getPhoneNumber, openSetting,
// agreePrivacyAuthorization). The mini-program's own code is in miniprogram/ (miniprogram.js
// runs it here).
//
// Bindings on the page markup (templates/lab/index.html), read as WXML would be:
//   data-text="a.b"      {{a.b}} as the element's text     data-if / data-if-not="a"   wx:if
//   data-src="a"         <image src="{{a}}">                data-value="a"   an input's value
//   data-bind-x="a"      data-x="{{a}}"                     data-for="list"  wx:for, over a <template>
//   data-bindtap / data-bindinput / data-bind<event>="handler"   bindtap="handler"
import * as ui from './ui.js';
import { activity, persona, personaNickname } from './env.js';
import {
  agreePrivacyAuthorization, asyncApi, chooseAvatarButton, nicknameReview, phoneNumberButton, privacyAgreed,
  saveTempFile, settingsPage, tempFileUrl, wx,
} from './wx.js';

const screen = document.querySelector('[data-testid="phone-screen"]');
const navTitle = screen.querySelector('[data-testid="nav-title"]');
const navBack = screen.querySelector('[data-action="nav-back"]');
const tabBar = screen.querySelector('[data-testid="tab-bar"]');

const definitions = {};  // route -> the object given to Page()
let appDefinition = null;
let app = null;
let entry = '';  // app.json: the first page, and the tab bar's pages
let tabRoutes = [];
let tabs = {};  // route -> instance: a tab page lives on once opened
let stack = [];  // the pages on screen, bottom first; at most one tab page, at the bottom

export function App(definition) {
  appDefinition = definition;
}

export function configure(appJson) {
  [entry] = appJson.pages;
  tabRoutes = appJson.tabBar.list.map((tab) => tab.pagePath);
}

export function getApp() {
  return app;
}

// The route is the page file's path (pages/login/index): miniprogram.js tells Page() which.
export function Page(route, definition) {
  definitions[route] = definition;
}

export function getCurrentPages() {
  return [...stack];
}

// Component(name, {data, methods}): one instance, on the markup [data-component="name"] that
// sits over every page (a real mini-program would put the component in each page's WXML).
// A page's selectComponent('#name') gives the instance.
const componentDefinitions = {};
let components = {};

export function Component(name, definition) {
  componentDefinitions[name] = definition;
}

function selectComponent(name) {
  if (!components[name]) {
    const definition = componentDefinitions[name];
    const element = screen.querySelector(`[data-component="${name}"]`);
    const component = Object.create(definition.methods || {});
    Object.assign(component, { element, data: structuredClone(definition.data || {}) });
    component.setData = (patch) => {
      Object.entries(patch).forEach(([path, value]) => setPath(component.data, path, value));
      bind(element, component.data);
    };
    components[name] = component;
  }
  const component = components[name];
  bind(component.element, component.data);
  return component;
}

function idOf(route) {
  return route.split('/')[1];  // pages/<id>/index -> <id>, the data-page of its markup
}

function parseUrl(url) {
  const [path, query = ''] = url.split('?');
  const options = {};
  // Like WeChat, leave the values as they came: the page decodes what it encoded.
  query.split('&').filter(Boolean).forEach((pair) => {
    const [key, value = ''] = pair.split('=');
    options[key] = value;
  });
  return { route: path.replace(/^\//, ''), options };
}

// ---- data binding --------------------------------------------------------------------

function lookup(scope, path) {
  return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), scope);
}

function shown(value) {
  return value == null ? '' : String(value);
}

function applyBindings(node, scope) {
  [...node.attributes].forEach(({ name, value }) => {
    if (name === 'data-text') node.textContent = shown(lookup(scope, value));
    else if (name === 'data-if') node.hidden = !lookup(scope, value);
    else if (name === 'data-if-not') node.hidden = Boolean(lookup(scope, value));
    else if (name === 'data-value') {
      if (document.activeElement !== node) node.value = shown(lookup(scope, value));
    } else if (name === 'data-src') {
      const src = lookup(scope, value) ? tempFileUrl(lookup(scope, value)) : '';
      if (src && node.getAttribute('src') !== src) node.setAttribute('src', src);
      if (!src) node.removeAttribute('src');
    } else if (name.startsWith('data-bind-')) {
      node.setAttribute(`data-${name.slice('data-bind-'.length)}`, shown(lookup(scope, value)));
    }
  });
}

function bind(parent, scope) {
  [...parent.children].forEach((node) => {
    if (node.tagName === 'TEMPLATE') return;
    applyBindings(node, scope);
    if (node.hasAttribute('data-for')) renderList(node, scope);
    else bind(node, scope);
  });
}

function renderList(container, scope) {
  const template = container.querySelector(':scope > template');
  const items = lookup(scope, container.dataset.for) || [];
  const rendered = items.map((item, index) => {
    const fragment = template.content.cloneNode(true);
    bind(fragment, { ...scope, item, index });
    return fragment;
  });
  container.replaceChildren(template, ...rendered);
}

function setPath(data, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  const parent = keys.reduce((object, key) => {
    if (object[key] == null || typeof object[key] !== 'object') object[key] = {};
    return object[key];
  }, data);
  parent[last] = value;
}

// ---- pages ---------------------------------------------------------------------------

function instantiate(route, options) {
  const definition = definitions[route];
  const element = screen.querySelector(`[data-page="${idOf(route)}"]`);
  if (!definition || !element) throw new Error(`no page ${route}`);
  const page = Object.create(definition);
  Object.assign(page, { route, options, element, data: structuredClone(definition.data || {}) });
  // Every page's WXML has <privacy-popup id="privacy-popup">: here one instance serves all.
  page.selectComponent = (selector) => selectComponent(selector.replace(/^#/, ''));
  page.setData = (patch, callback) => {
    Object.entries(patch).forEach(([path, value]) => setPath(page.data, path, value));
    bind(element, page.data);
    if (callback) callback();
  };
  bind(element, page.data);
  return page;
}

function call(page, hook, ...args) {
  if (typeof page[hook] === 'function') page[hook](...args);
}

function unload(page) {
  call(page, 'onUnload');
  page.element.hidden = true;
  // A web-view that goes away stops its page, as closing it does on a phone.
  page.element.querySelectorAll('iframe').forEach((frame) => frame.setAttribute('src', 'about:blank'));
}

function top() {
  return stack[stack.length - 1];
}

function show(page) {
  screen.querySelectorAll('[data-page]').forEach((element) => { element.hidden = element !== page.element; });
  const isTab = isTabRoute(page.route);
  navTitle.textContent = page.element.dataset.title || '';
  navBack.hidden = stack.length < 2;
  tabBar.hidden = !isTab;
  tabBar.querySelectorAll('[data-tab]').forEach((tab) => {
    tab.setAttribute('aria-selected', String(`pages/${tab.dataset.tab}/index` === page.route));
  });
  screen.dataset.currentPage = idOf(page.route);
  call(page, 'onShow');
}

function open(url) {
  const { route, options } = parseUrl(url);
  const page = instantiate(route, options);
  stack.push(page);
  call(page, 'onLoad', options);
  show(page);
}

// The router APIs join the wx object here, where the pages are.
function isTabRoute(route) {
  return tabRoutes.includes(route);
}

wx.navigateTo = asyncApi('navigateTo', ({ url }) => {
  const { route } = parseUrl(url);
  if (isTabRoute(route)) return { errMsg: 'navigateTo:fail can not navigateTo a tabbar page' };
  // One markup per page here, so a page already open is closed first (a phone would stack it).
  const already = stack.findIndex((page) => page.route === route);
  if (already >= 0) stack.splice(already).reverse().forEach(unload);
  if (top()) call(top(), 'onHide');
  open(url);
  return { errMsg: 'navigateTo:ok' };
});

wx.navigateBack = asyncApi('navigateBack', ({ delta = 1 } = {}) => {
  if (stack.length < 2) return { errMsg: 'navigateBack:fail cannot navigate back at first page.' };
  stack.splice(Math.max(stack.length - delta, 1)).reverse().forEach(unload);
  show(top());
  return { errMsg: 'navigateBack:ok' };
});

wx.switchTab = asyncApi('switchTab', ({ url }) => {
  const { route } = parseUrl(url);
  if (!isTabRoute(route)) return { errMsg: 'switchTab:fail can not switch to no-tabBar page' };
  const current = stack[0] && isTabRoute(stack[0].route) ? stack[0] : null;
  // switchTab closes every page that is not a tab page; tab pages stay loaded.
  stack.filter((page) => !isTabRoute(page.route)).reverse().forEach(unload);
  if (current && current.route !== route) call(current, 'onHide');
  const loaded = Boolean(tabs[route]);
  if (!loaded) tabs[route] = instantiate(route, {});
  stack = [tabs[route]];
  if (!loaded) call(tabs[route], 'onLoad', {});
  show(tabs[route]);
  return { errMsg: 'switchTab:ok' };
});

wx.reLaunch = asyncApi('reLaunch', ({ url }) => {
  closeAll();
  open(url);
  return { errMsg: 'reLaunch:ok' };
});

function closeAll() {
  new Set([...stack, ...Object.values(tabs)]).forEach(unload);
  stack = [];
  tabs = {};
  // Components start over too, with empty data: whatever they showed (data-if) is hidden.
  Object.values(components).forEach((component) => bind(component.element, {}));
  components = {};
}

// A cold start: a fresh App instance, onLaunch, then the entry page.
export function launch() {
  closeAll();
  ui.hideToast();
  document.querySelector('[data-testid="phone-layer"]').replaceChildren();
  app = Object.create(appDefinition);
  app.globalData = structuredClone(appDefinition.globalData || {});
  call(app, 'onLaunch', { path: entry });
  open(`/${entry}`);
}

// After the lab reset something behind the page's back, let the page look again.
export function refreshCurrentPage() {
  if (top()) call(top(), 'onShow');
}

// ---- events --------------------------------------------------------------------------

function event(type, target, detail) {
  const dataset = { ...target.dataset };
  return { type, detail, target: { dataset }, currentTarget: { dataset } };
}

// The page, or the component, whose markup holds the node: its handlers answer the events.
function ownerOf(node) {
  const component = node.closest('[data-component]');
  if (component) return components[component.dataset.component];
  const element = node.closest('[data-page]');
  return stack.find((page) => page.element === element);
}

// What the WeChat client does for a button with open-type, before the page's handler runs.
// No detail: no event at all (a cancelled picker, an avatar the content review rejected).
const OPEN_TYPES = {
  chooseAvatar: () => chooseAvatarButton(
    () => ui.avatarPicker({ wechatAvatarUrl: `/sandbox/avatar/${encodeURIComponent(persona())}.svg` }),
  ).then((picked) => picked && { avatarUrl: saveTempFile(picked.blob, picked.dataUrl) }),
  async getPhoneNumber(button) {
    const detail = await phoneNumberButton();
    // phone-number-no-quota-toast (default true): WeChat itself tells the user.
    if (detail.errno === 1400001 && button.dataset.phoneNumberNoQuotaToast !== 'false') {
      ui.toast({ title: '申请获取你的手机号，但该功能使用次数已达当前小程序上限，暂时无法使用', icon: 'none', duration: 3000 });
    }
    return detail;
  },
  openSetting: () => new Promise((resolve) => { wx.openSetting({ complete: resolve }); }),
  agreePrivacyAuthorization: () => agreePrivacyAuthorization(),
};

screen.addEventListener('click', async (domEvent) => {
  const target = domEvent.target.closest('[data-bindtap], [data-open-type]');
  const owner = target && ownerOf(target);
  if (!owner || target.disabled) return;
  const openType = target.dataset.openType;
  if (!openType) {
    call(owner, target.dataset.bindtap, event('tap', target, {}));
    return;
  }
  const detail = await OPEN_TYPES[openType](target);
  if (!detail) return;
  const handler = target.getAttribute(`data-bind${openType.toLowerCase()}`);
  if (handler) call(owner, handler, event(openType.toLowerCase(), target, detail));
});

screen.addEventListener('input', (domEvent) => {
  const target = domEvent.target.closest('[data-bindinput]');
  const owner = target && ownerOf(target);
  if (owner) call(owner, target.dataset.bindinput, event('input', target, { value: target.value }));
});

// <input type="nickname">: while it has focus, WeChat offers the user's WeChat nickname
// above the keyboard, but only once the user agreed to the privacy guide (before that it is a
// plain input). Picking it fills the input as typing would. On blur WeChat reviews what was
// entered and clears it if the review rejects it.
const suggestion = screen.querySelector('[data-testid="nickname-suggestion"]');
screen.addEventListener('focusin', async (domEvent) => {
  const input = domEvent.target;
  if (!input.matches('[data-type="nickname"]')) return;
  if (!(await privacyAgreed()) || document.activeElement !== input) return;
  suggestion.querySelector('[data-text-nickname]').textContent = personaNickname();
  suggestion.hidden = false;
  suggestion.input = input;
});
screen.addEventListener('focusout', async (domEvent) => {
  const input = domEvent.target;
  if (!input.matches('[data-type="nickname"]')) return;
  suggestion.hidden = true;
  if (!input.value || (await nicknameReview(input.value))) return;
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
});
suggestion.addEventListener('mousedown', (domEvent) => domEvent.preventDefault());  // keep the focus
suggestion.addEventListener('click', () => {
  const input = suggestion.input;
  input.value = personaNickname();
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.blur();
});

// The chrome: back arrow, tab bar, capsule.
navBack.addEventListener('click', () => wx.navigateBack());
tabBar.addEventListener('click', (domEvent) => {
  const tab = domEvent.target.closest('[data-tab]');
  if (tab) wx.switchTab({ url: `/pages/${tab.dataset.tab}/index` });
});

// The capsule: ··· opens WeChat's menu (设置 is where a real user turns permissions off);
// ⊙ closes the mini-program, and opening it again is a cold start.
screen.querySelector('[data-action="capsule-menu"]').addEventListener('click', async () => {
  const choice = await ui.actionSheet(['设置', '重新进入小程序']);
  if (choice === 0) settingsPage();
  if (choice === 1) launch();
});
screen.querySelector('[data-action="capsule-close"]').addEventListener('click', () => launch());

// The web-view: its title becomes the navigation bar's, and a page inside it may ask to go
// back (h5.js posts {type: 'web-view', action: 'navigateBack'}, as wx.miniProgram.navigateBack).
screen.addEventListener('load', (domEvent) => {
  if (domEvent.target.tagName !== 'IFRAME') return;
  activity();
  const page = ownerOf(domEvent.target);
  try {
    const title = domEvent.target.contentDocument.title;
    if (page && page === top() && title) navTitle.textContent = title;
  } catch (error) { /* another origin: keep the title */ }
}, true);

window.addEventListener('message', (domEvent) => {
  const frames = [...screen.querySelectorAll('iframe')].map((frame) => frame.contentWindow);
  if (domEvent.origin !== window.location.origin || !frames.includes(domEvent.source)) return;
  const { type, action } = domEvent.data || {};
  if (type === 'web-view' && action === 'navigateBack') wx.navigateBack();
});
