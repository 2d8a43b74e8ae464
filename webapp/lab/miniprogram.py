"""The mini-program in ``miniprogram/``, served to the lab's phone, which runs those very files.

A mini-program's files are CommonJS: ``require``, ``module.exports``, and the globals WeChat
gives (``wx``, ``App``, ``Page``, ...). A browser has none of them, so each file is served as
an ES module whose default export is the file in a function of those names, opened on the
file's first line: the browser's line numbers stay the file's own, and the timeline's source
links point into ``miniprogram/``. ``static/js/lab/require.js`` runs them.

Every file is the folder's own but ``config.js``, where the server is: the lab's phone talks
to the server it was served from, and its WeChat is the sandbox already.
"""

import functools
import json
import os

from webapp.assets import folder_version
from webapp.lab.recorder import PROJECT_ROOT
from webapp.miniapi.errors import EXPLAINED_BY_CODE, OPEN_DATA_CODES

FOLDER = os.path.join(PROJECT_ROOT, "miniprogram")
GLOBALS = "require, module, exports, wx, App, Page, Component, getApp, getCurrentPages"
OPENING = f"export default function ({GLOBALS}) {{ "
LAB_CONFIG = (
    "// The lab's phone: this server, whose sandbox WeChat its wx already talks to.\n"
    "module.exports = { server: '', device: 'lab-phone', sandbox: null };\n"
)
CODES_FILE = "utils/codes.js"


@functools.cache
def version():
    """A hash of the folder: in the lab's URLs, so a browser keeps the files until it changes."""
    return folder_version(FOLDER)


@functools.cache
def javascript_files():
    """Every .js file of the mini-program, as a path under the folder ("utils/auth.js")."""
    found = []
    for parent, folders, files in os.walk(FOLDER):
        folders.sort()
        found += [
            os.path.relpath(os.path.join(parent, name), FOLDER).replace(os.sep, "/")
            for name in sorted(files)
            if name.endswith(".js")
        ]
    return tuple(found)


def app_json():
    """miniprogram/app.json: the pages (the first one opens at launch), the tab bar, the
    components every page may use."""
    with open(os.path.join(FOLDER, "app.json"), encoding="utf-8") as file:
        return json.load(file)


def as_module(path):
    """The file at ``path`` as an ES module for the lab's phone, or None if there is none."""
    if path not in javascript_files():
        return None
    if path == "config.js":
        text = LAB_CONFIG
    else:
        with open(os.path.join(FOLDER, path), encoding="utf-8") as file:
            text = file.read()
    return f"{OPENING}{text.rstrip()}\n}}\n"


def codes_module():
    """``utils/codes.js``: what our API codes and the decrypt codes mean, from the server's
    catalogues (the file is committed, and a test keeps it equal to this)."""
    codes = {"api": EXPLAINED_BY_CODE, "openData": OPEN_DATA_CODES}
    body = json.dumps(codes, ensure_ascii=False, indent=2)
    return (
        "// What our server's codes and the decrypt codes mean, in Chinese. Written from the\n"
        "// server's catalogues: flask --app webapp lab write-miniprogram-codes\n"
        f"module.exports = {body};\n"
    )
