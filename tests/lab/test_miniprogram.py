"""The lab's phone runs the mini-program in miniprogram/, the folder WeChat DevTools opens:
every file loads in the browser, every handler its WXML names is a function of its page, and
its wx APIs answer in WeChat's shape."""

import os

from tests.miniprogram.wxml import Wxml
from webapp.lab import miniprogram

# Run a page's (or component's) file with stand-ins for its globals and give back the
# definition it handed to Page() or Component(): its function names, top level and methods.
DEFINITION_OF = """async ([base, path]) => {
  const { default: file } = await import(base + path);
  let definition = null;
  const keep = (given) => { definition = given; };
  const anything = () => ({});
  file(anything, { exports: {} }, {}, {}, anything, keep, keep, anything, anything);
  const names = (object) => Object.keys(object || {})
    .filter((key) => typeof object[key] === 'function');
  return [...names(definition), ...names(definition.methods)];
}"""

# What the lab's wx answers, asked in the page: its task, Promise and sync APIs.
WX_SHAPES = """async () => {
  const lab = [...document.scripts].find((script) => script.src.endsWith('/js/lab/lab.js'));
  const { wx } = await import(lab.src.replace(/lab\\.js$/, 'wx.js'));
  const task = wx.request({ url: '/livez' });
  const login = wx.checkSession();
  login.catch(() => {});
  return {
    task: [typeof task.abort, typeof task.then],
    promise: typeof login.then,
    appid: wx.getAccountInfoSync().miniProgram.appId,
  };
}"""


def test_the_phone_runs_every_file_of_the_folder(lab):
    base = lab.root.get_attribute("data-miniprogram-base")
    loaded = lab.page.evaluate(
        "(base) => performance.getEntriesByType('resource')"
        ".map((entry) => new URL(entry.name).pathname).filter((path) => path.startsWith(base))"
        ".map((path) => path.slice(base.length))",
        base,
    )
    assert sorted(loaded) == sorted(miniprogram.javascript_files())  # each one once


def test_every_handler_a_wxml_names_is_a_function_of_its_page(lab):
    base = lab.root.get_attribute("data-miniprogram-base")
    app_json = miniprogram.app_json()
    components = app_json["usingComponents"]
    paths = app_json["pages"] + [path.lstrip("/") for path in components.values()]
    checked = 0
    for path in paths:
        with open(os.path.join(miniprogram.FOLDER, path + ".wxml"), encoding="utf-8") as file:
            handlers = Wxml(file.read(), components).handlers
        functions = set(lab.page.evaluate(DEFINITION_OF, [base, path + ".js"]))
        assert handlers <= functions, (path, handlers - functions)
        checked += len(handlers)
    assert checked >= 20


def test_wx_request_gives_a_task_and_the_other_apis_a_promise(lab):
    """As on a phone: wx.request without callbacks returns a RequestTask (no then), so the
    mini-program wraps it (utils/request.js); wx.checkSession without callbacks returns a
    Promise; wx.getAccountInfoSync tells the mini-program its appid."""
    shapes = lab.page.evaluate(WX_SHAPES)
    assert shapes["task"] == ["function", "undefined"]
    assert shapes["promise"] == "function"
    assert shapes["appid"] == lab.root.get_attribute("data-appid")
