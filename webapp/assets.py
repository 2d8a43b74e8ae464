"""Static files under a content version, so a browser keeps them for a year.

Every static URL carries one version for the whole folder, a hash of its files:
``/static/<version>/css/app.css``. A new version comes with any change to any file, so a page
never meets an older file than its own, and a repeat visit asks for nothing but the page.

The version is in the *path*, not in a ``?v=`` query, for the lab's ES modules: they import
each other by relative path (``import ... from './env.js'``), which resolves against the
importing module's URL, so every module inherits the version without a build step or a
rewritten import. One version for the folder (not one per file) keeps it that simple.
"""

import hashlib
import os

from flask import request
from flask.sessions import SecureCookieSessionInterface

ONE_YEAR = 365 * 24 * 3600


def folder_version(folder):
    """A short hash of every file's path and content in ``folder``."""
    digest = hashlib.sha256()
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


def keep_a_year(response):
    """Let browsers keep ``response`` a year without asking again: a file under a version
    never changes."""
    response.cache_control.no_cache = None
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True


def keep_static_files(response):
    """after_request: a versioned static file never changes, so it may be kept a year."""
    if request.endpoint == "static" and response.status_code in (200, 304):
        keep_a_year(response)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, without ``Vary: Cookie`` on a file kept a year.

    Flask adds ``Vary: Cookie`` to every response whose request read the session, and
    Flask-Login reads it after every request. A browser then keeps a file only for the cookies
    it was fetched with: once the lab sets a cookie, every file is asked for again. A versioned
    file is the same for everyone, whatever the cookies.
    """

    def save_session(self, app, session, response):
        super().save_session(app, session, response)
        if "immutable" in response.headers.get("Cache-Control", ""):
            response.vary.discard("Cookie")


def init_app(app):
    app.session_interface = SessionInterface()
    # Under `flask --debug run` files change while the server runs, under the same version:
    # the browser then checks each one (ETag) instead of keeping a stale copy.
    if not app.debug:
        app.after_request(keep_static_files)
