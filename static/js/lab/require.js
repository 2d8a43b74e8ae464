// CommonJS, as small as a browser needs it to run the mini-program in miniprogram/: each file
// comes from the server as an ES module whose default export is the file's code in a function
// of `require, module, exports` and the globals a mini-program has (webapp/lab/miniprogram.py).
// A file runs once, the first time it is required; `require` resolves paths as WeChat does:
// relative to the requiring file, or from the mini-program's root with a leading slash.
const factories = {};  // 'utils/auth.js' -> the file's function
const modules = {};  // 'utils/auth.js' -> its module, once run

// Fetch every file (they are small, and all of them are needed at launch).
export async function load(base, paths) {
  await Promise.all(paths.map(async (path) => {
    factories[path] = (await import(`${base}${path}`)).default;
  }));
}

function resolve(from, request) {
  const parts = request.startsWith('/') ? [] : from.split('/').slice(0, -1);
  request.replace(/^\//, '').split('/').forEach((part) => {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  });
  const path = parts.join('/');
  return path.endsWith('.js') ? path : `${path}.js`;
}

// Run the file at `path` (a path from the root) with the globals `globalsFor(path)` gives:
// Page() and Component() need to know which file they are called from.
export function run(path, globalsFor) {
  if (modules[path]) return modules[path].exports;
  if (!factories[path]) throw new Error(`miniprogram/${path} is not loaded`);
  const module = { exports: {} };
  modules[path] = module;  // before running it: a file required in a cycle sees what is there
  const require = (request) => run(resolve(path, request), globalsFor);
  const { wx, App, Page, Component, getApp, getCurrentPages } = globalsFor(path);
  factories[path](require, module, module.exports, wx, App, Page, Component, getApp, getCurrentPages);
  return module.exports;
}
