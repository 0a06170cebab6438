"""The history of steward edits to catalog metadata: who changed what, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime, utcnow


class MetadataChange(Base):
    """One accepted edit of a dataset's (or one of its columns') metadata.

    ``changes`` maps each edited field to ``{"old": ..., "new": ...}``.
    """

    __tablename__ = "metadata_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    column_name: Mapped[str | None] = mapped_column(String(255))
    changed_by: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
