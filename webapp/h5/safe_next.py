"""Where to go after login: a path on this site, never another site (no open redirect)."""

from urllib.parse import urlsplit

DEFAULT = "/h5/"
# It travels in the session cookie: a long one would make the cookie too big to keep.
MAX_LENGTH = 512


def safe_next(value):
    """Return ``value`` if it is a same-origin path of a sane length, else the H5 home page."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return DEFAULT
    if len(value) > MAX_LENGTH:
        return DEFAULT
    # Browsers read "\" as "/", so "/\evil.example" would leave the site; control characters
    # can hide such tricks.
    if "\\" in value or any(ord(char) < 32 for char in value):
        return DEFAULT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT
    return value
