"""Keep secrets out of logs and recorded exchanges.

WeChat's APIs carry secrets in query strings (``secret``, ``access_token``) and in JSON bodies
(``session_key``); the developer server's own bearer tokens travel in a header. Everything that
is written down passes through here first.
"""

import logging
import re

# "ticket": a web-view ticket logs its holder in, like a token, for a minute.
SECRET_NAMES = (
    "secret",
    "appsecret",
    "access_token",
    "refresh_token",
    "session_key",
    "token",
    "ticket",
)
MASK = "***"

_NAMES = "|".join(SECRET_NAMES)
_QUERY_SECRET = re.compile(rf"((?:^|[?&;\s])(?:{_NAMES})=)[^&#\s\"']*")
_JSON_SECRET = re.compile(rf'("(?:{_NAMES})"\s*:\s*")[^"]*(")')
_BEARER = re.compile(r"(Bearer\s+)[^\s\"']+", re.IGNORECASE)


def redact_text(text):
    """Mask secrets in a URL, a query string, a JSON document or a header line."""
    text = _QUERY_SECRET.sub(r"\1" + MASK, text)
    text = _JSON_SECRET.sub(r"\1" + MASK + r"\2", text)
    return _BEARER.sub(r"\1" + MASK, text)


def redact_mapping(data):
    """Return a copy of a dict (nested dicts and lists too) with secret values masked, and
    secrets inside its strings too (a URL with ?ticket=...)."""
    if isinstance(data, dict):
        return {
            key: MASK if key in SECRET_NAMES and value else redact_mapping(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_mapping(item) for item in data]
    if isinstance(data, str):
        return redact_text(data)
    return data


class SecretFilter(logging.Filter):
    """A logging filter that masks secrets in every record it passes."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:  # handlers reuse exc_text when it is set
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        return True


def install_log_filter(logger):
    """Mask secrets in everything ``logger`` writes (request lines carry WeChat's query strings)."""
    if not any(isinstance(existing, SecretFilter) for existing in logger.filters):
        logger.addFilter(SecretFilter())
