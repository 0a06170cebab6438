"""Price history of listings and products, and chained category price indices.

The category index follows the method of consumer price statistics for
elementary aggregates: between two consecutive periods, the link is the
geometric mean (Jevons) of the price relatives of the listings seen in both;
links are chained, and the chain is scaled so the base period is 100. All
arithmetic is in ``Decimal``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal, localcontext
from statistics import median
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_errors import MarketAnalyticsError
from store.market import MarketListing, MarketObservation

Period = Literal["day", "week", "month"]
INDEX_PLACES = Decimal("0.0001")
WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class PricePoint:
    """One observed price of a listing."""

    observed_at: datetime
    price: Decimal | None
    price_max: Decimal | None
    original_price: Decimal | None


@dataclass(frozen=True)
class ProductPricePoint:
    """The prices of a product's listings at one snapshot time."""

    observed_at: datetime
    minimum: Decimal
    median: Decimal
    maximum: Decimal
    listings: int


@dataclass(frozen=True)
class IndexPoint:
    """The chained index at one period; ``matched`` listings gave its link."""

    period: date
    index: Decimal
    matched: int


async def list_listing_prices(
    sessions: async_sessionmaker[AsyncSession], listing_id: int
) -> list[PricePoint]:
    """Every observation of a listing, oldest first."""
    query = (
        select(MarketObservation)
        .where(MarketObservation.listing_id == listing_id)
        .order_by(MarketObservation.observed_at)
    )
    async with sessions() as session:
        rows = list(await session.scalars(query))
    return [
        PricePoint(row.observed_at, row.price, row.price_max, row.original_price)
        for row in rows
    ]


async def list_product_prices(
    sessions: async_sessionmaker[AsyncSession], product_id: str
) -> list[ProductPricePoint]:
    """Minimum, median and maximum price of a product's listings per snapshot time."""
    query = (
        select(MarketObservation.observed_at, MarketObservation.price)
        .join(MarketListing, MarketListing.id == MarketObservation.listing_id)
        .where(MarketListing.product_id == product_id)
        .where(MarketObservation.price.is_not(None))
    )
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    by_time: dict[datetime, list[Decimal]] = defaultdict(list)
    for observed_at, price in rows:
        if price is not None:
            by_time[observed_at].append(price)
    return [
        ProductPricePoint(when, min(p), Decimal(median(p)), max(p), len(p))
        for when, p in sorted(by_time.items())
    ]


def period_start(moment: datetime, period: Period, zone: tzinfo = WIB) -> date:
    """The first day of the period holding ``moment``, in local time."""
    day = moment.astimezone(zone).date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def chain_index(
    prices: dict[date, dict[int, Decimal]], base: date | None = None
) -> list[IndexPoint]:
    """A chained Jevons index over ``{period: {listing: price}}``, base = 100.

    A period without listings in common with the one before carries the index
    forward (``matched`` 0). Raises ``MarketAnalyticsError`` when ``base`` is
    not one of the periods.
    """
    periods = sorted(prices)
    if not periods:
        return []
    base = base or periods[0]
    if base not in prices:
        known = ", ".join(p.isoformat() for p in periods)
        raise MarketAnalyticsError(
            f"base period {base} has no prices; periods: {known}"
        )
    levels = [(periods[0], Decimal(1), 0)]
    for previous, current in itertools.pairwise(periods):
        link, matched = jevons_link(prices[previous], prices[current])
        levels.append((current, levels[-1][1] * link, matched))
    base_level = next(level for period, level, _ in levels if period == base)
    return [
        IndexPoint(period, (level / base_level * 100).quantize(INDEX_PLACES), matched)
        for period, level, matched in levels
    ]


def jevons_link(
    before: dict[int, Decimal], after: dict[int, Decimal]
) -> tuple[Decimal, int]:
    """The geometric mean of price relatives of listings priced in both periods."""
    common = [key for key in before if key in after and before[key] > 0]
    if not common:
        return Decimal(1), 0
    with localcontext() as context:
        context.prec = 34
        total = sum(((after[key] / before[key]).ln() for key in common), Decimal(0))
        return (total / len(common)).exp(), len(common)


async def compute_category_index(
    sessions: async_sessionmaker[AsyncSession],
    category: str,
    *,
    period: Period = "day",
    base: date | None = None,
    marketplace: str | None = None,
) -> list[IndexPoint]:
    """The chained price index of one category, base period = 100 (default: first).

    A listing's price in a period is its last observed price there.
    """
    query = (
        select(
            MarketObservation.listing_id,
            MarketObservation.observed_at,
            MarketObservation.price,
        )
        .join(MarketListing, MarketListing.id == MarketObservation.listing_id)
        .where(MarketListing.category == category, MarketObservation.price.is_not(None))
        .order_by(MarketObservation.observed_at)
    )
    if marketplace:
        query = query.where(MarketListing.marketplace == marketplace)
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return chain_index(_last_price_per_period(rows, period), base)


def _last_price_per_period(
    rows: Sequence[Any], period: Period
) -> dict[date, dict[int, Decimal]]:
    prices: dict[date, dict[int, Decimal]] = defaultdict(dict)
    for listing_id, observed_at, price in rows:
        if price is not None:
            prices[period_start(observed_at, period)][listing_id] = price
    return dict(prices)
