"""Price history and the chained category index over snapshots built here."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_errors import MarketAnalyticsError
from analytics.market_prices import (
    compute_category_index,
    list_listing_prices,
    list_product_prices,
)
from connectors.market import MarketConnector
from store.market import MarketListing
from tests.market_support import sessions, write_csv

__all__ = ["sessions"]

DAYS = [datetime(2025, 9, d, 3, tzinfo=UTC) for d in (13, 14, 15)]
# listing id -> price on each day (None: not in that snapshot)
PRICES: dict[str, list[int | None]] = {
    "beras": [15000, 15500, 16000],
    "gula": [17000, 17000, 18500],
    "minyak": [36000, None, 34000],
    "telur": [None, 28000, 29500],
}


async def ingest_days(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    connector = MarketConnector("t", sessions, marketplace="tokopedia")
    for index, day in enumerate(DAYS):
        rows = [
            {
                "product_id": key,
                "name": key.title(),
                "category": "Sembako",
                "price": str(p[index]),
            }
            for key, p in PRICES.items()
            if p[index] is not None
        ]
        await connector.ingest(
            write_csv(tmp_path / f"d{index}.csv", rows), observed_at=day
        )


def expected_chain(base: int) -> list[float]:
    levels = [1.0]
    for t in range(1, len(DAYS)):
        relatives = [
            now / then
            for p in PRICES.values()
            if (now := p[t]) is not None and (then := p[t - 1]) is not None
        ]
        levels.append(levels[-1] * math.prod(relatives) ** (1 / len(relatives)))
    return [level / levels[base] * 100 for level in levels]


@pytest.mark.parametrize("base", [0, 1, 2])
async def test_chained_index_with_a_chosen_base_period(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, base: int
) -> None:
    await ingest_days(sessions, tmp_path)
    base_day = date(2025, 9, 13 + base)

    points = await compute_category_index(sessions, "Sembako", base=base_day)

    assert [p.period for p in points] == [date(2025, 9, d) for d in (13, 14, 15)]
    assert [p.matched for p in points] == [0, 2, 3]
    assert points[base].index == Decimal("100.0000")
    for point, expected in zip(points, expected_chain(base), strict=True):
        assert type(point.index) is Decimal
        assert abs(float(point.index) - expected) < 0.0001


async def test_a_base_period_without_prices_is_refused(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await ingest_days(sessions, tmp_path)

    with pytest.raises(
        MarketAnalyticsError, match="base period 2025-01-01 has no prices"
    ):
        await compute_category_index(sessions, "Sembako", base=date(2025, 1, 1))


async def test_monthly_periods_use_each_listings_last_price(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await ingest_days(sessions, tmp_path)

    points = await compute_category_index(sessions, "Sembako", period="month")

    assert [(p.period, p.index, p.matched) for p in points] == [
        (date(2025, 9, 1), Decimal("100.0000"), 0)
    ]


async def test_price_history_of_a_listing_and_of_a_product(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await ingest_days(sessions, tmp_path)
    async with sessions() as session:
        listings = {
            x.external_id: x for x in await session.scalars(select(MarketListing))
        }
        for key in ("beras", "gula"):
            listings[key].product_id = "product:test"
            session.add(listings[key])
        await session.commit()

    history = await list_listing_prices(sessions, listings["minyak"].id)
    product = await list_product_prices(sessions, "product:test")

    assert [(p.observed_at, p.price) for p in history] == [
        (DAYS[0], Decimal("36000.00")),
        (DAYS[2], Decimal("34000.00")),
    ]
    assert [(p.minimum, p.median, p.maximum, p.listings) for p in product] == [
        (Decimal(15000), Decimal(16000), Decimal(17000), 2),
        (Decimal(15500), Decimal(16250), Decimal(17000), 2),
        (Decimal(16000), Decimal(17250), Decimal(18500), 2),
    ]
