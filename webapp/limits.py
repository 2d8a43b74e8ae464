"""Rate limits on what an attacker would hammer: logins, web-view tickets, the decrypt page,
and guessed bearer tokens. Counted per client address (behind a proxy, the address ProxyFix
reads from PROXY_HOPS hops of X-Forwarded-For).

Flask-Limiter does the counting, with its own configuration keys (config.py): in this process's
memory by default, which suits one process; with ``RATELIMIT_STORAGE_URI=redis://host:6379/0``
every process and host shares one count. ``RATELIMIT_ENABLED=0`` turns them off (a load test).
The numbers are generous: a learner clicking through the lab never meets them.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# endpoint: its limit, per client address
LIMITS = {
    "miniapi.login": "120 per minute",
    "miniapi.webview_ticket": "120 per minute",
    "h5.login": "60 per minute",
    "h5.callback": "60 per minute",
    "h5.bridge": "60 per minute",
    "h5.confirm_bridge": "60 per minute",
    "guides.decrypt_result": "30 per minute",
}
# Bearer tokens we do not know: counted across every endpoint that takes one, and only the
# 401s count, so a working mini-program is never slowed down.
FAILED_TOKENS = "60 per minute"


def init_app(app):
    """Put the limits on this app's views. Each app gets its own Limiter (and counts)."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    limiter = Limiter(get_remote_address, storage_options=_storage_options(app.config))
    limiter.init_app(app)
    failed_tokens = limiter.shared_limit(
        FAILED_TOKENS,
        scope="bearer-token-failures",
        deduct_when=lambda response: response.status_code == 401,
    )
    for endpoint, view in list(app.view_functions.items()):
        if endpoint in LIMITS:
            view = limiter.limit(LIMITS[endpoint])(view)
        if getattr(view, "takes_bearer_token", False):
            view = failed_tokens(view)
        app.view_functions[endpoint] = view


def _storage_options(config):
    """Redis, like every outbound call, gets a timeout: a silent Redis must not hang a request
    (the in-memory fallback counts meanwhile)."""
    if not config["RATELIMIT_STORAGE_URI"].startswith(("redis", "rediss")):
        return {}
    timeout = config["DATABASE_TIMEOUT"]
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout}
