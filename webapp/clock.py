"""The app's one notion of "now"."""

from datetime import UTC, datetime, timedelta


def utcnow():
    """Return the current UTC time as a naive datetime.

    Naive, because SQLite drops time zones: every stored time in this app is naive UTC, so values
    read back from SQLite and PostgreSQL compare the same way.
    """
    return datetime.now(UTC).replace(tzinfo=None)


def seconds_from_now(seconds):
    return utcnow() + timedelta(seconds=seconds)
