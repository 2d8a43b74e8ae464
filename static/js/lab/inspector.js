// The panels beside and under the phone: the mini-program's storage (read and edited here,
// like DevTools' Storage panel), the server-rendered state panels and the server-rendered
// timeline. They refresh after anything happens (the `lab:activity` event), once no call is
// in flight.
import { APPID, lab, noCallInFlight, persona } from './env.js';
import * as storage from './storage.js';
import { el } from './ui.js';

const storagePanel = lab.querySelector('[data-testid="storage-panel"]');
const storageRows = storagePanel.querySelector('[data-testid="storage-rows"]');
const storageSummary = storagePanel.querySelector('[data-testid="storage-summary"]');
const inspector = lab.querySelector('[data-testid="inspector"]');
const timeline = lab.querySelector('[data-testid="timeline"]');

// ---- storage -------------------------------------------------------------------------

function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// What the editor saves: JSON when it parses (numbers, objects...), a plain string otherwise.
function fromText(text) {
  try { return JSON.parse(text); } catch (error) { return text; }
}

function editor(key, row) {
  const input = el('input', { type: 'text', class: 'storage-input', 'data-testid': 'storage-input', value: asText(storage.read(APPID, persona(), key)), 'aria-label': `${key} 的值` });
  const save = el('button', { type: 'button', class: 'link-btn', 'data-action': 'storage-save', 'data-key': key, text: '保存' });
  const cancel = el('button', { type: 'button', class: 'link-btn', 'data-action': 'storage-cancel', text: '取消' });
  save.addEventListener('click', () => {
    storage.write(APPID, persona(), key, fromText(input.value));
    renderStorage();
  });
  cancel.addEventListener('click', renderStorage);
  input.addEventListener('keydown', (event) => { if (event.key === 'Enter') save.click(); });
  row.querySelector('.storage-value').replaceChildren(input);
  row.querySelector('.storage-actions').replaceChildren(save, cancel);
  input.focus();
}

export function renderStorage() {
  const keys = storage.keys(APPID, persona());
  storageSummary.textContent = `${keys.length} 项 · 约 ${storage.sizeKb(APPID, persona())} KB / 10240 KB`;
  if (!keys.length) {
    storageRows.replaceChildren(el('tr', {}, [el('td', { colspan: 3, class: 'empty', text: '空：这个用户在这个小程序里还没有存任何东西。' })]));
    return;
  }
  storageRows.replaceChildren(...keys.map((key) => {
    const value = asText(storage.read(APPID, persona(), key));
    const edit = el('button', { type: 'button', class: 'link-btn', 'data-action': 'storage-edit', 'data-key': key, text: '编辑' });
    const remove = el('button', { type: 'button', class: 'link-btn link-danger', 'data-action': 'storage-delete', 'data-key': key, text: '删除' });
    const row = el('tr', { 'data-testid': 'storage-row', 'data-key': key }, [
      el('td', {}, [el('code', { text: key })]),
      el('td', { class: 'storage-value', title: value }, [el('code', { 'data-testid': 'storage-value', text: value })]),
      el('td', { class: 'storage-actions' }, [edit, remove]),
    ]);
    edit.addEventListener('click', () => editor(key, row));
    remove.addEventListener('click', () => {
      storage.remove(APPID, persona(), key);
      renderStorage();
    });
    return row;
  }));
}

// ---- server-rendered panels ----------------------------------------------------------

async function fetchHtml(url) {
  const response = await fetch(url, { headers: { Accept: 'text/html' } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

// The HTML each panel shows: a refresh that brings the same leaves the panel as it is.
const shown = new Map();

function changed(panel, html) {
  if (shown.get(panel) === html) return false;
  shown.set(panel, html);
  return true;
}

async function renderInspector() {
  const html = await fetchHtml(`/lab/inspector?appid=${encodeURIComponent(APPID)}`);
  if (changed(inspector, html)) inspector.innerHTML = html;
}

// Keep open <details> open and stay at the bottom if the reader was there.
async function renderTimeline() {
  const html = await fetchHtml('/lab/timeline?fragment=1');
  if (!changed(timeline, html)) return;
  const open = [...timeline.querySelectorAll('details')].map((details, index) => (details.open ? index : -1)).filter((index) => index >= 0);
  const atBottom = timeline.scrollTop + timeline.clientHeight >= timeline.scrollHeight - 40;
  timeline.innerHTML = html;
  const all = timeline.querySelectorAll('details');
  open.forEach((index) => { if (all[index]) all[index].open = true; });
  if (atBottom) timeline.scrollTop = timeline.scrollHeight;
}

// ---- refreshing ----------------------------------------------------------------------

let timer = null;
let running = null;
let again = false;
let count = 0;

export async function refreshNow() {
  if (running) {
    again = true;
    return running;
  }
  lab.dataset.refreshing = 'true';
  running = (async () => {
    if (!storagePanel.querySelector('[data-testid="storage-input"]')) renderStorage();  // not mid-edit
    try {
      await Promise.all([renderInspector(), renderTimeline()]);
      delete inspector.dataset.error;
    } catch (error) {
      inspector.dataset.error = error.message;  // a failed refresh is retried at the next action
    }
    count += 1;
    lab.dataset.refreshCount = String(count);
  })();
  await running;
  running = null;
  if (again) {
    again = false;
    await refreshNow();
  } else if (timer === null && noCallInFlight()) {  // one scheduled or to come keeps it 'true'
    lab.dataset.refreshing = 'false';
  }
  return undefined;
}

// Calls come in bursts, each started by the callback of the one before (wx.login, then
// /api/login, then setStorageSync): refresh once after the burst. A call's callbacks run before
// any timer, so a timer of 0 ms finds the next call already in flight; then the activity at its
// end asks again.
export function refreshSoon() {
  lab.dataset.refreshing = 'true';
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (noCallInFlight()) refreshNow();
  }, 0);
}

export function initInspector() {
  document.addEventListener('lab:activity', refreshSoon);
  refreshNow();
}
