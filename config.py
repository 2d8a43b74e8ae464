"""Configuration classes.

Every setting below can be overridden by an environment variable of the same name. The variables
are read when the app is created (``Config.from_env``), never at import time, so importing this
module has no side effects.
"""

import os

# The sandbox WeChat registers exactly these credentials (webapp/sandbox/directory.py reads
# them from here), so an unconfigured app logs in against its own sandbox. They are public:
# never use them for real.
SANDBOX_MINIPROGRAM_APPID = "wx5d1c4a0f3e2b7a91"
SANDBOX_MINIPROGRAM_SECRET = "5b0e8f3a9c2d4e6f8a1b3c5d7e9f0a2b"
SANDBOX_OFFICIAL_ACCOUNT_APPID = "wx8e2f6b3d1a4c7e05"
SANDBOX_OFFICIAL_ACCOUNT_SECRET = "c4e6a8b0d2f41638a5c7e9b1d3f50720"
DEFAULT_SECRET_KEY = "dev-only-not-secret"


class Config:
    """Defaults: sandbox WeChat, SQLite in the instance folder."""

    SECRET_KEY = DEFAULT_SECRET_KEY
    # Empty means a SQLite file in the instance folder (set in create_app).
    DATABASE_URL = ""
    # Seconds any wait on the database may last: a connection, a lock, a statement.
    DATABASE_TIMEOUT = 5.0
    # How many reverse proxies stand in front of the app (their X-Forwarded-* headers are
    # trusted only then). 0: none, the app faces the clients itself.
    PROXY_HOPS = 0

    # WeChat's two hosts. Empty means the sandbox mounted in this app: its server APIs are
    # called in-process, its authorize page is /sandbox/open on this server. Real WeChat:
    # https://api.weixin.qq.com and https://open.weixin.qq.com
    WECHAT_API_BASE = ""
    WECHAT_OPEN_BASE = ""
    MINIPROGRAM_APPID = SANDBOX_MINIPROGRAM_APPID
    MINIPROGRAM_SECRET = SANDBOX_MINIPROGRAM_SECRET
    OFFICIAL_ACCOUNT_APPID = SANDBOX_OFFICIAL_ACCOUNT_APPID
    OFFICIAL_ACCOUNT_SECRET = SANDBOX_OFFICIAL_ACCOUNT_SECRET
    WECHAT_TIMEOUT = 5  # seconds per call
    WECHAT_RETRIES = 2  # extra attempts after errcode -1, with exponential backoff
    WECHAT_RETRY_BACKOFF = 0.2  # seconds before the first retry

    # The developer server's own login.
    LOGIN_POLICY = "single-device"  # or "multi-device": keep the user's other tokens
    API_TOKEN_LIFETIME = 7 * 24 * 3600
    WEBVIEW_TICKET_LIFETIME = 60
    AVATAR_MAX_BYTES = 1024 * 1024

    # The lab: record every exchange of a lab session for its timeline.
    LAB_RECORDING = True
    LAB_RETENTION = 24 * 3600  # seconds; older exchanges go when a new lab session starts

    # The H5 pages.
    H5_SESSION_LIFETIME = 7 * 24 * 3600
    # WeChat's JSSDK, loaded only inside a real mini-program web-view (never in the lab).
    WECHAT_JSSDK_URL = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_CHECK_DEFAULT = False  # forms opt in with csrf.protect(); the JSON APIs use tokens

    # The sandbox WeChat: lifetimes are WeChat's; the rest are choices documented in the README.
    SANDBOX_ENABLED = True
    SANDBOX_SESSION_KEY_LIFETIME = 3 * 24 * 3600  # WeChat does not publish one: our choice
    SANDBOX_SESSION_KEY_REUSE_WINDOW = 0  # seconds in which a new wx.login keeps the key
    SANDBOX_CODE2SESSION_PER_MINUTE = 100  # per user, as WeChat's 45011 quota
    SANDBOX_PROFILE_ERA = "current"  # or "pre-2022": getUserProfile before 2022-11-08
    # Successful getPhoneNumber calls each mini-program may make (paid since 2023-08-28, with
    # 1000 free trial calls); past it the button fails with errno 1400001.
    SANDBOX_PHONE_NUMBER_QUOTA = 1000
    SANDBOX_WEB_CONSENT_DAYS = 30  # snsapi_userinfo is silent this long after a consent
    SANDBOX_WEB_DENIAL_CACHE_SECONDS = 300  # after 拒绝, requests fail at once this long
    # The service account's registered web-authorization domain, "host" or "host:port". Empty:
    # the host and port the authorize request arrives at, so a redirect_uri on this server
    # passes. A redirect_uri on another port gets 10003.
    SANDBOX_WEB_AUTH_DOMAIN = ""
    # Refuse every redirect_uri that carries a port, as WeChat does (only 80 and 443 work).
    SANDBOX_WEB_AUTH_STRICT_PORT = False
    # Refuse a state that is not [a-zA-Z0-9]{0,128}, as WeChat's documentation words it.
    SANDBOX_WEB_STATE_STRICT = False
    # Per-app caller-IP whitelists, "appid=ip,net/24; appid=ip". Empty: no app keeps one.
    SANDBOX_IP_WHITELIST = ""

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Strict-Transport-Security's max-age; 0 sends none (the development server is plain http).
    HSTS_SECONDS = 0

    # Rate limits (webapp/limits.py), Flask-Limiter's own keys. memory:// counts in each
    # process; redis://host:6379/0 shares one count between processes and hosts.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_KEY_PREFIX = "wechat-auth-lab"
    # Redis unreachable: count in this process's memory meanwhile rather than fail requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    @classmethod
    def from_env(cls, environ=None):
        """Return this class's settings, each replaced by an environment variable if set."""
        environ = os.environ if environ is None else environ
        settings = {}
        for name in dir(cls):
            if not name.isupper():
                continue
            default = getattr(cls, name)
            settings[name] = _coerce(environ[name], default) if name in environ else default
        return settings

    @classmethod
    def check(cls, settings):
        """Raise RuntimeError naming every problem if the settings cannot work or are unsafe."""
        problems = cls.problems(settings)
        if problems:
            raise RuntimeError(
                "Refusing to start with these settings:\n  - " + "\n  - ".join(problems)
            )

    @staticmethod
    def problems(settings):
        problems = []
        for name in ("WECHAT_API_BASE", "WECHAT_OPEN_BASE"):
            if not settings[name] and not settings["SANDBOX_ENABLED"]:
                problems.append(f"{name} is empty, which means the sandbox, but it is switched off")
        return problems


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    WECHAT_RETRY_BACKOFF = 0  # retries still happen, without the wait


class ProductionConfig(Config):
    """Real WeChat. Refuses to start with the public sandbox credentials or a default key."""

    SANDBOX_ENABLED = False
    LAB_RECORDING = False
    WECHAT_API_BASE = "https://api.weixin.qq.com"
    WECHAT_OPEN_BASE = "https://open.weixin.qq.com"
    SESSION_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600

    @staticmethod
    def problems(settings):
        problems = Config.problems(settings)
        if settings["SECRET_KEY"] in ("", DEFAULT_SECRET_KEY):
            problems.append("SECRET_KEY is the development default: set a long random value")
        public = {
            "MINIPROGRAM_APPID": SANDBOX_MINIPROGRAM_APPID,
            "MINIPROGRAM_SECRET": SANDBOX_MINIPROGRAM_SECRET,
            "OFFICIAL_ACCOUNT_APPID": SANDBOX_OFFICIAL_ACCOUNT_APPID,
            "OFFICIAL_ACCOUNT_SECRET": SANDBOX_OFFICIAL_ACCOUNT_SECRET,
        }
        for name, sandbox_value in public.items():
            if settings[name] in ("", sandbox_value):
                problems.append(f"{name} is the sandbox's public value: set your real one")
        return problems


CONFIGS = {"default": Config, "testing": TestingConfig, "production": ProductionConfig}


def _coerce(raw, default):
    """Read an environment string as the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
