// The phone's mini-program is the one in miniprogram/, the folder WeChat DevTools opens: its
// files run here unchanged (require.js), with the lab's wx and Page() runtime (wx.js, page.js)
// as their globals. app.json says which pages there are and which are tabs.
import { lab } from './env.js';
import {
  App, Component, Page, configure, getApp, getCurrentPages,
} from './page.js';
import { load, run } from './require.js';
import { wx } from './wx.js';

const appJson = JSON.parse(lab.dataset.miniprogramApp);  // miniprogram/app.json
await load(lab.dataset.miniprogramBase, JSON.parse(lab.dataset.miniprogramFiles));

// usingComponents: {"privacy-popup": "/components/privacy-popup/index"} -> the file's tag name.
const componentNames = Object.fromEntries(
  Object.entries(appJson.usingComponents || {}).map(([name, path]) => [`${path.replace(/^\//, '')}.js`, name]),
);

function globalsFor(path) {
  return {
    wx,
    App,
    // In a mini-program a page's route is its file's path: pages/login/index.js -> pages/login/index.
    Page: (definition) => Page(path.replace(/\.js$/, ''), definition),
    Component: (definition) => Component(componentNames[path], definition),
    getApp,
    getCurrentPages,
  };
}

export function requireMiniProgram(path) {
  return run(path, globalsFor);
}

configure(appJson);
requireMiniProgram('app.js');
appJson.pages.forEach((route) => requireMiniProgram(`${route}.js`));
Object.keys(componentNames).forEach((path) => requireMiniProgram(path));
