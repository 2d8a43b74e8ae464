"""The lab's record of exchanges, for the timeline."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class Exchange(db.Model):
    """One request and its answer, between two of the three lanes, within one lab trace."""

    __tablename__ = "lab_exchange"
    __table_args__ = (Index("ix_lab_exchange_trace", "trace", "started_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    trace: Mapped[str] = mapped_column(String(40))
    source_lane: Mapped[str] = mapped_column(String(12))  # miniprogram | server | wechat
    target_lane: Mapped[str] = mapped_column(String(12))
    endpoint: Mapped[str] = mapped_column(String(80))  # what handled it: see lab/explain.py
    source: Mapped[str | None] = mapped_column(String(200))  # file:line of that code
    method: Mapped[str] = mapped_column(String(10))
    url: Mapped[str] = mapped_column(Text)  # secrets masked
    status: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(200))  # e.g. errcode 40163, errMsg
    raw_request: Mapped[str] = mapped_column(Text)  # secrets masked
    raw_response: Mapped[str] = mapped_column(Text)  # secrets masked
    started_at: Mapped[datetime] = mapped_column(index=True)  # pruning looks by age alone
    duration_ms: Mapped[int | None]  # from the request to its answer; none for the phone's own
