"""Split a URL for the timeline: the address, then one query parameter per line."""

from urllib.parse import parse_qsl, urlsplit


def split_url(url):
    """(address without query, [(name, value), ...]) for a recorded URL."""
    parts = urlsplit(url)
    address = parts._replace(query="", fragment="").geturl() if parts.scheme else parts.path
    return address, parse_qsl(parts.query, keep_blank_values=True)
