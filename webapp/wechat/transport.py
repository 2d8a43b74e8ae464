"""How the developer server's HTTP calls reach WeChat: over the network, or in-process.

With ``WECHAT_API_BASE`` set, calls go over HTTP to that host (real WeChat, or a sandbox run on
its own). Left empty, they go to the sandbox mounted in this very app. Calling that sandbox over
HTTP would make a request wait for another worker of the same server, and under load every
worker ends up waiting for one that is itself waiting: so a transport adapter on the requests
session hands the prepared request straight to the app's WSGI callable, in this thread.
Everything else stays plain ``requests``: response hooks (the lab's timeline), redaction,
retries. Which way a call goes is configuration, never a request's ``Host`` header.
"""

import io
from urllib.parse import urlsplit

import requests
from flask import current_app
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

# The address in-process calls are written to. ".invalid" can never resolve (RFC 2606), so a
# call that somehow missed the adapter fails at once instead of leaving the machine.
IN_PROCESS_ORIGIN = "http://sandbox.invalid"
# Set in the environ of an in-process call: the sandbox then names its pictures by path, as it
# has no address of its own that a browser could reach.
IN_PROCESS_KEY = "webapp.in_process"


def api_base():
    """Where WeChat's server APIs are: WECHAT_API_BASE, or the mounted sandbox's."""
    return current_app.config["WECHAT_API_BASE"].rstrip("/") or IN_PROCESS_ORIGIN + "/sandbox/api"


def open_base():
    """Where the browser goes to authorize: WECHAT_OPEN_BASE, or the mounted sandbox's pages
    (a path on this server, so the redirect stays on whatever host the browser used)."""
    return current_app.config["WECHAT_OPEN_BASE"].rstrip("/") or "/sandbox/open"


def mount_sandbox(session):
    """Route the session's calls for the mounted sandbox in-process; return the session."""
    if not current_app.config["WECHAT_API_BASE"]:
        session.mount(IN_PROCESS_ORIGIN + "/", WSGIAdapter(current_app._get_current_object()))
    return session


class WSGIAdapter(BaseAdapter):
    """A requests transport that answers from a WSGI app instead of a socket."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        builder = EnvironBuilder(
            base_url=IN_PROCESS_ORIGIN,
            path=url.path,
            query_string=url.query,
            method=request.method,
            headers={k: v for k, v in request.headers.items() if k.lower() != "content-length"},
            data=request.body or b"",
        )
        environ = builder.get_environ()
        environ[IN_PROCESS_KEY] = True
        # A fresh app context: the sandbox gets its own database session, so nothing it
        # commits or rolls back touches the developer server's transaction around this call.
        with self.app.app_context():
            body, status, headers = run_wsgi_app(self.app, environ, buffered=True)
        content = b"".join(body)

        response = requests.Response()
        response.status_code = int(status.split(" ", 1)[0])
        response.reason = status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(headers.items())
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response.url = request.url
        response.request = request
        response.connection = self
        return response

    def close(self):
        pass
