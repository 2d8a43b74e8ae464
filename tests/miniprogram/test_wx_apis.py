"""Every wx API the mini-program uses exists in the lab's wx, with WeChat's shape: a name
ending in Sync answers at once; on... takes a listener; request and uploadFile take callbacks
and return a task; every other API takes success/fail/complete or returns a Promise."""

import os
import re

from webapp.lab.miniprogram import FOLDER
from webapp.lab.recorder import PROJECT_ROOT

SHIM_FILES = ("static/js/lab/wx.js", "static/js/lab/page.js")  # page.js adds the router APIs
TASK_APIS = {"request", "uploadFile"}
COMMENT = re.compile(r"//.*$", re.M)


def mini_program_sources():
    for parent, _, files in os.walk(FOLDER):
        for name in files:
            if name.endswith(".js"):
                path = os.path.join(parent, name)
                with open(path, encoding="utf-8") as file:
                    yield os.path.relpath(path, FOLDER), COMMENT.sub("", file.read())


def used_apis():
    return {api for _, text in mini_program_sources() for api in re.findall(r"\bwx\.(\w+)", text)}


def shim_shapes():
    """{name: shape} as the lab's wx declares each API."""
    shapes = {}
    for path in SHIM_FILES:
        with open(os.path.join(PROJECT_ROOT, path), encoding="utf-8") as file:
            text = file.read()
        for name, kind, errmsg_name in re.findall(
            r"^\s*(?:wx\.)?(\w+)(?::| =) (asyncApi|taskApi)\('(\w+)'", text, re.M
        ):
            assert name == errmsg_name, f"{name} answers errMsg '{errmsg_name}:...'"
            shapes[name] = "promise or callbacks" if kind == "asyncApi" else "task"
        for name in re.findall(r"^    (\w+)\([^)]*\) \{$", text, re.M):
            shapes.setdefault(name, "plain function")
    return shapes


def wechat_shape(name):
    if name.endswith("Sync") or name.startswith("on"):
        return "plain function"
    return "task" if name in TASK_APIS else "promise or callbacks"


def test_every_api_the_mini_program_uses_is_in_the_lab_with_wechats_shape():
    shapes = shim_shapes()
    used = used_apis()
    assert {"login", "request", "setStorageSync", "onNeedPrivacyAuthorization"} <= used
    for name in sorted(used):
        assert name in shapes, f"wx.{name} is used in miniprogram/ but the lab's wx has none"
        assert shapes[name] == wechat_shape(name), name


def test_only_the_request_wrapper_calls_the_task_apis():
    """wx.request gives no Promise: a page that awaited it would get a task, on a phone."""
    for path, text in mini_program_sources():
        if path != os.path.join("utils", "request.js"):
            assert not re.search(r"\bwx\.(request|uploadFile)\(", text), path
