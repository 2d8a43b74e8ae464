"""The mini-program's JSON API under /api."""

from webapp.miniapi.views import bp

__all__ = ["bp"]
