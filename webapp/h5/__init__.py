"""The H5 pages under /h5, for a mini-program's web-view."""

from webapp.h5.views import bp

__all__ = ["bp"]
