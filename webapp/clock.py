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


def epoch_seconds(moment=None):
    """Return a naive UTC datetime (default: now) as whole seconds since 1970-01-01 UTC.

    Never ``moment.timestamp()`` on a naive value: Python reads it as *local* time, so in
    Shanghai (UTC+8) every timestamp would come out 28,800 s in the past.
    """
    moment = utcnow() if moment is None else moment
    return int(moment.replace(tzinfo=UTC).timestamp())
