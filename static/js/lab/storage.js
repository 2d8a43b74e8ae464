// The mini-program's local storage, kept in localStorage. WeChat keeps storage per WeChat
// user and per mini-program, so the key carries both: wxstorage:<appid>:<persona>:<key>.
// Values are stored as JSON, because wx.setStorageSync keeps any serialisable value.

function prefix(appid, persona) {
  return `wxstorage:${appid}:${persona}:`;
}

export function keys(appid, persona) {
  const start = prefix(appid, persona);
  const found = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const name = localStorage.key(index);
    if (name.startsWith(start)) found.push(name.slice(start.length));
  }
  return found.sort();
}

export function read(appid, persona, key) {
  const raw = localStorage.getItem(prefix(appid, persona) + key);
  if (raw === null) return undefined;
  try { return JSON.parse(raw); } catch (error) { return raw; }
}

export function write(appid, persona, key, value) {
  localStorage.setItem(prefix(appid, persona) + key, JSON.stringify(value));
}

export function remove(appid, persona, key) {
  localStorage.removeItem(prefix(appid, persona) + key);
}

export function clear(appid, persona) {
  const removed = keys(appid, persona);
  removed.forEach((key) => remove(appid, persona, key));
  return removed;
}

// Roughly what getStorageInfoSync reports: kilobytes of keys and values.
export function sizeKb(appid, persona) {
  const start = prefix(appid, persona);
  let bytes = 0;
  keys(appid, persona).forEach((key) => {
    bytes += new Blob([key, localStorage.getItem(start + key)]).size;
  });
  return Math.ceil(bytes / 1024);
}
