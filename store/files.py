"""Tables of ingested agency files: which store table holds each file dataset."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime, utcnow


class FileDataset(Base):
    """The ``ds_*`` table holding the current version of a file dataset, and its input."""

    __tablename__ = "file_datasets"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    table_name: Mapped[str] = mapped_column(String(63), unique=True)
    file_path: Mapped[str] = mapped_column(String(1000))
    sheet: Mapped[str | None] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(16))
    checksum: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(32))
    delimiter: Mapped[str | None] = mapped_column(String(4))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
