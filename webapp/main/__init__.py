"""The landing page and the health check."""

from webapp.main.views import bp

__all__ = ["bp"]
