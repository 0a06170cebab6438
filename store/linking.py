"""Tables of entity linking: entities, record assignments, decisions and the review queue.

The store is the system of record for who-belongs-to-which-entity; the graph
is rebuilt from it. Human decisions live in ``link_decisions`` and are read
by every run, so they survive re-runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime, utcnow


class LinkEntity(Base):
    """An entity with a stable id; ``merged_into`` points at its survivor."""

    __tablename__ = "link_entities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(500), default="")
    search_name: Mapped[str] = mapped_column(String(500), default="", index=True)
    region_code: Mapped[str | None] = mapped_column(String(32), index=True)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )


class LinkAssignment(Base):
    """Which entity a record refers to, with the provenance of that link."""

    __tablename__ = "link_assignments"

    record_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(128))
    dataset: Mapped[str] = mapped_column(String(255))
    record_key: Mapped[list[Any]] = mapped_column(default=list)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(500), default="")
    method: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str] = mapped_column(String(200), default="")
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="auto")
    decided_by: Mapped[str] = mapped_column(String(128), default="auto")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LinkDecision(Base):
    """A reviewer's decision: accept, reject, merge or split; never deleted."""

    __tablename__ = "link_decisions"
    __table_args__ = (
        Index("ix_link_decisions_record_entity", "record_id", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str | None] = mapped_column(String(400))
    entity_id: Mapped[str] = mapped_column(String(200))
    other_entity_id: Mapped[str | None] = mapped_column(String(200))
    reviewer: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LinkReview(Base):
    """A candidate link waiting for a person, with the evidence for and against."""

    __tablename__ = "link_reviews"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(400), index=True)
    candidate_record_id: Mapped[str] = mapped_column(String(400))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    candidate_entity_id: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_version: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(128))
