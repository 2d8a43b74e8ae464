"""The guides: one playground-style walk-through per flow, and the open-data decrypt page."""

from webapp.guides.views import bp

__all__ = ["bp"]
