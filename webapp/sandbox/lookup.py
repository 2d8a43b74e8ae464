"""Guarding database look-ups of values that arrive in requests."""

MAX_LENGTH = 512


def lookupable(value):
    """Whether a request value can be a WeChat code or token at all: those are short printable
    ASCII. Anything else is never looked up (PostgreSQL refuses NUL; a lone surrogate cannot
    even be encoded), and simply matches nothing."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_LENGTH
        and value.isascii()
        and value.isprintable()
    )
