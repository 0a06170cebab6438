"""Catalog tables: agencies, sources, datasets, their columns, and ingestion runs.

Dataset and column metadata follow Satu Data Indonesia (Perpres 39/2019).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, UTCDateTime, utcnow

ACCESS_LEVELS = ("terbuka", "terbatas", "tertutup")
RUN_STATUSES = ("running", "succeeded", "failed", "unchanged")


class Agency(Base):
    """A producing agency (OPD) of the regency."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sources: Mapped[list[Source]] = relationship(back_populates="agency", lazy="raise")


class Source(Base):
    """One configured connector instance; secrets stay in the environment."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT")
    )
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(32), default="configured")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )

    agency: Mapped[Agency | None] = relationship(back_populates="sources", lazy="raise")
    datasets: Mapped[list[Dataset]] = relationship(
        back_populates="source", lazy="raise"
    )


class Dataset(Base):
    """A table or collection of a source, with its Satu Data metadata."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("source_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    walidata: Mapped[str | None] = mapped_column(String(255))
    sector: Mapped[str | None] = mapped_column(String(128))
    frequency: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(128))
    licence: Mapped[str | None] = mapped_column(String(128))
    access_level: Mapped[str] = mapped_column(String(16), default="terbuka")
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    row_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )

    source: Mapped[Source] = relationship(back_populates="datasets", lazy="raise")
    columns: Mapped[list[DatasetColumn]] = relationship(
        back_populates="dataset",
        lazy="raise",
        order_by="DatasetColumn.position",
        cascade="all, delete-orphan",
    )


class DatasetColumn(Base):
    """One column of a dataset with its type, unit and reference-code kind."""

    __tablename__ = "dataset_columns"
    __table_args__ = (UniqueConstraint("dataset_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer, default=0)
    data_type: Mapped[str] = mapped_column(String(32), default="text")
    description: Mapped[str] = mapped_column(Text, default="")
    concept: Mapped[str | None] = mapped_column(String(255))
    definition: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    code_kind: Mapped[str | None] = mapped_column(String(64))
    is_key: Mapped[bool] = mapped_column(default=False)
    is_personal: Mapped[bool] = mapped_column(default=False)

    dataset: Mapped[Dataset] = relationship(back_populates="columns", lazy="raise")


class IngestionRun(Base):
    """One run of an ingestion: what came in, its checksum, counts and problems."""

    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL")
    )
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL")
    )
    input_name: Mapped[str] = mapped_column(String(1000))
    input_checksum: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
