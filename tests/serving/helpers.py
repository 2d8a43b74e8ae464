"""The flows a served app is tested with, each over real HTTP on a connection of its own, and
what its access log says about who served them."""

import re
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from urllib.parse import urlsplit

import requests

from tests.support import MiniProgram
from webapp import create_app
from webapp.database import url_from_config
from webapp.extensions import db

PERSONAS = ("xiaoming", "lihua", "amy")  # the ordinary ones (risky is refused by WeChat)
TIMEOUT = 30  # seconds for one request: far more than any takes, to fail instead of hang
_CONSENT_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_TEST_ID = re.compile(r'data-testid="([a-z-]+)">([^<]*)<')
# One access-log line (gunicorn.conf.py's format): the request line, then the worker's pid.
_ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>[^ ?]+)\S* HTTP/[\d.]+" \d{3} .* worker=<(?P<pid>\d+)>'
)


def mini_program_login(base_url, persona):
    """wx.login on the persona's phone, POST /api/login, then GET /api/me with the token.
    Return (the login's JSON, GET /api/me's response)."""
    miniprogram = MiniProgram(base_url, user=persona)
    body = miniprogram.login()
    return body, miniprogram.request("GET", "/api/me", timeout=TIMEOUT)


def h5_login(base_url, persona, scope="snsapi_base"):
    """A new browser (cookies, redirects followed) logs in to the H5 pages with web
    authorization as ``persona``: /h5/login -> the sandbox's authorize page (its consent
    page's 允许 for snsapi_userinfo) -> /h5/callback -> the page it came for.
    Return (the final response, the paths visited with their statuses)."""
    browser = requests.Session()
    browser.cookies.set("sandbox_user", persona, domain=urlsplit(base_url).hostname)
    target = "/h5/" if scope == "snsapi_base" else "/h5/profile"
    response = browser.get(
        f"{base_url}/h5/login", params={"scope": scope, "next": target}, timeout=TIMEOUT
    )
    hops = _hops(response)
    if scope == "snsapi_userinfo":
        token = _CONSENT_TOKEN.search(response.text)
        assert token, f"no consent page: {response.status_code} {response.text[:300]}"
        response = browser.post(
            f"{base_url}/sandbox/open/connect/oauth2/authorize/decision",
            data={"token": token.group(1), "decision": "allow"},
            timeout=TIMEOUT,
        )
        hops += _hops(response)
    return response, hops


def shown(page):
    """{data-testid: text} of what an H5 page shows."""
    return {name: text.strip() for name, text in _TEST_ID.findall(page)}


def in_parallel(call, arguments, threads=None):
    """Call ``call(*args)`` for every tuple of ``arguments`` at once; return the results."""
    arguments = list(arguments)
    with ThreadPoolExecutor(max_workers=threads or len(arguments)) as pool:
        return list(pool.map(lambda args: call(*args), arguments))


def workers_serving(log, method, path):
    """The pid of the worker behind every access-log line of ``method path``, in order."""
    return [
        int(match["pid"])
        for match in map(_ACCESS_LINE.search, log.splitlines())
        if match and match["method"] == method and match["path"] == path
    ]


def scalars(database_url, statement):
    """Run a query on the served app's database; return its first column's values."""
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        values = list(db.session.scalars(statement))
        db.session.remove()
        db.engine.dispose()
    return values


def sqlalchemy_url(database_url):
    """The URL SQLAlchemy needs for a DATABASE_URL (psycopg 3 for PostgreSQL), as the app
    makes it."""
    return url_from_config(SimpleNamespace(config={"DATABASE_URL": database_url}))


def _hops(response):
    return [(urlsplit(r.url).path, r.status_code) for r in [*response.history, response]]
