// What the lab page tells its scripts (data attributes on the lab root, rendered by the
// server), who is holding the phone, and a way to say "something happened, refresh the panels".

export const lab = document.querySelector('[data-testid="lab"]');

export const APPID = lab.dataset.appid;  // the mini-program the phone runs
export const APP_NAME = lab.dataset.appName;
export const OTHER_APPID = lab.dataset.otherAppid;  // 隔壁小程序, for the wrong-app pitfall
export const OFFICIAL_APPID = lab.dataset.officialAppid;  // the service account (web authorization)

export const PERSONA_COOKIE = 'sandbox_user';  // webapp/sandbox/holder.py reads it
export const REVIEW_COOKIE = 'sandbox_review';  // the content-review switch (webapp/sandbox/console.py)

// A cookie's value, or null.
export function cookie(name) {
  const pair = document.cookie.split('; ').find((item) => item.startsWith(`${name}=`));
  return pair ? decodeURIComponent(pair.slice(name.length + 1)) : null;
}

// The persona is a cookie, not page state: the sandbox's device endpoints and its authorize
// page read the same cookie, so the phone, the web-view and the panels always agree.
export function persona() {
  return cookie(PERSONA_COOKIE) || lab.dataset.persona;
}

export function setPersona(id) {
  document.cookie = `${PERSONA_COOKIE}=${encodeURIComponent(id)}; path=/; SameSite=Lax`;
  lab.dataset.persona = id;
}

export function personaNickname(id = persona()) {
  const chip = lab.querySelector(`[data-action="persona"][data-persona="${id}"]`);
  return chip ? chip.dataset.nickname : id;
}

// Something may have changed state (a call ended, the web-view loaded a page): inspector.js
// refreshes the panels once no call is in flight.
export function activity() {
  document.dispatchEvent(new CustomEvent('lab:activity'));
}

let callsInFlight = 0;

// Make a call to a server (`call` returns its promise), counted while it is in flight, and
// say when it is over.
export async function calling(call) {
  callsInFlight += 1;
  try {
    return await call();
  } finally {
    callsInFlight -= 1;
    activity();
  }
}

export function noCallInFlight() {
  return callsInFlight === 0;
}

// JSON in, JSON out, for the lab's own calls (resets, faults, snapshot mode).
// The page's CSRF token: this server's own forms (POST /lab/timeline/clear) check it.
const CSRF_TOKEN = document.querySelector('meta[name="csrf-token"]')?.content || '';

export function postJson(url, body, method = 'POST') {
  return calling(async () => {
    const response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': CSRF_TOKEN },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    return { status: response.status, data };
  });
}
