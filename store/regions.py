"""Kemendagri region codes as master data (data induk): one row per region and edition."""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class Region(Base):
    """A province, regency/city, district or village under one edition of the codes.

    ``edition`` is the year of the Kepmendagri/Permendagri the code list follows
    ("2025", "2020"); the codes of one region may differ between editions.
    """

    __tablename__ = "regions"
    __table_args__ = (
        Index("ix_regions_edition_parent", "edition", "parent_code"),
        Index("ix_regions_edition_level", "edition", "level"),
    )

    edition: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(String(13))
    population_male: Mapped[int | None] = mapped_column(Integer)
    population_female: Mapped[int | None] = mapped_column(Integer)
    population_total: Mapped[int | None] = mapped_column(Integer)
    area_km2: Mapped[float | None] = mapped_column(Float)
