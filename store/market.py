"""Big Market tables: snapshots, listings, their observations, commodity prices.

A snapshot is one marketplace export observed at one time. A listing is one
offer on one marketplace (by its id, its URL or, lacking both, its title, shop
and location); it has one observation per snapshot. Money is ``Numeric``, read
back as ``Decimal`` on every backend; every parsed value keeps its raw text in
``raw`` so that a parsing rule can be audited and re-run.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from store.base import Base, UTCDateTime, utcnow


class ExactDecimal(TypeDecorator[Decimal]):
    """A fixed-point decimal that no backend turns into a float.

    PostgreSQL keeps ``numeric(precision, scale)``. SQLite has no exact decimal
    type (SQLAlchemy would round-trip through float), so there the value is an
    integer count of ``10**-scale`` units: exact, sortable and summable. A value
    with more decimals than ``scale`` is refused rather than rounded.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = Decimal(value)
        quantum = Decimal(1).scaleb(-self.scale)
        if exact != exact.quantize(quantum):
            raise ValueError(f"{value!r} has more than {self.scale} decimals")
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.scale))
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            # Integers (stored values, sums) are exact; avg() arrives as a float.
            units = Decimal(value) if isinstance(value, int) else Decimal(str(value))
            return units.scaleb(-self.scale)
        return Decimal(value)


def money() -> ExactDecimal:
    """Rupiah with two decimals, up to 10^16: every price a marketplace shows."""
    return ExactDecimal(18, 2)


class MarketSnapshot(Base):
    """One marketplace export (or commodity series file) taken in by one run."""

    __tablename__ = "market_snapshots"
    __table_args__ = (UniqueConstraint("marketplace", "input_checksum", "observed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    marketplace: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str] = mapped_column(String(64))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    observed_at_from: Mapped[str] = mapped_column(String(16))
    input_name: Mapped[str] = mapped_column(String(1000))
    input_checksum: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingestion_runs.id", ondelete="SET NULL")
    )
    listing_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MarketListing(Base):
    """One offer on one marketplace, the same across snapshots."""

    __tablename__ = "market_listings"
    __table_args__ = (UniqueConstraint("marketplace", "listing_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    marketplace: Mapped[str] = mapped_column(String(64))
    listing_key: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(1000))
    shop: Mapped[str | None] = mapped_column(String(500), index=True)
    shop_location: Mapped[str | None] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(13), index=True)
    category: Mapped[str | None] = mapped_column(String(300), index=True)
    product_id: Mapped[str | None] = mapped_column(String(200), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MarketObservation(Base):
    """What one snapshot showed of one listing; ``raw`` holds the texts as shown."""

    __tablename__ = "market_observations"
    __table_args__ = (
        UniqueConstraint("listing_id", "snapshot_id"),
        Index("ix_market_observations_listing_time", "listing_id", "observed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("market_listings.id", ondelete="CASCADE")
    )
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("market_snapshots.id", ondelete="CASCADE"), index=True
    )
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    price: Mapped[Decimal | None] = mapped_column(money())
    price_max: Mapped[Decimal | None] = mapped_column(money())
    original_price: Mapped[Decimal | None] = mapped_column(money())
    discount_percent: Mapped[Decimal | None] = mapped_column(ExactDecimal(5, 2))
    stock: Mapped[int | None] = mapped_column(BigInteger)
    sold_count: Mapped[int | None] = mapped_column(BigInteger)
    sold_is_lower_bound: Mapped[bool] = mapped_column(default=False)
    rating: Mapped[Decimal | None] = mapped_column(ExactDecimal(4, 2))
    review_count: Mapped[int | None] = mapped_column(BigInteger)
    review_is_lower_bound: Mapped[bool] = mapped_column(default=False)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CommodityPrice(Base):
    """One day's price of one commodity in one region (e.g. Badan Pangan Nasional).

    ``price`` is ``None`` where the source published no price that day.
    """

    __tablename__ = "commodity_prices"
    __table_args__ = (
        UniqueConstraint("source", "region_code", "commodity", "observed_on"),
        Index("ix_commodity_prices_region_day", "region_code", "observed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(13))
    commodity: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(64))
    observed_on: Mapped[date] = mapped_column(Date)
    price: Mapped[Decimal | None] = mapped_column(money())
    raw_price: Mapped[str] = mapped_column(Text, default="")
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingestion_runs.id", ondelete="SET NULL")
    )
