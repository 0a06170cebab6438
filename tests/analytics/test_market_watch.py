"""Staple-food alerts on the real Bandung series equal an independent computation.

The documented rule (analytics.market_watch): an alert is raised on day t when
the price differs from the last price on or before t − window by at least the
threshold, in per cent of that reference; days without a price (0) are skipped.
Here: threshold 10 %, window 7 days, Kota Bandung (32.73).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_service import MarketService, MarketSettings
from analytics.market_watch import (
    PriceSeries,
    SeriesPoint,
    StapleItem,
    WatchOptions,
    find_alerts,
)
from connectors.commodity_prices import ingest_commodity_prices
from tests.market_support import BANDUNG_PRICES, sessions

__all__ = ["sessions"]

THRESHOLD = Fraction(10, 100)
WINDOW = timedelta(days=7)
NOT_STAPLES = {
    "Jagung Tk Peternak",
    "Daging Kerbau Beku (Impor Luar Negeri)",
    "Daging Kerbau Segar (Lokal)",
}


def independent_alerts(path: Path) -> set[tuple[str, date, date, Fraction]]:
    series: dict[str, dict[date, Fraction]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["Komoditas"] not in NOT_STAPLES and int(row["Harga"]) > 0:
                series[row["Komoditas"]][date.fromisoformat(row["Timestamp"])] = Fraction(
                    row["Harga"]
                )
    alerts = set()
    for commodity, prices in series.items():
        for day, price in prices.items():
            earlier = [d for d in prices if d <= day - WINDOW]
            if not earlier:
                continue
            reference_day = max(earlier)
            change = (price - prices[reference_day]) / prices[reference_day]
            if abs(change) >= THRESHOLD:
                alerts.add((commodity, day, reference_day, change * 100))
    return alerts


async def test_bandung_alerts_equal_an_independent_computation(
    sessions: async_sessionmaker[AsyncSession], shared_data: Path
) -> None:
    path = shared_data.joinpath(*BANDUNG_PRICES)
    await ingest_commodity_prices(sessions, path, region_code="32.73")
    watch = WatchOptions(threshold_percent=Decimal(10), window_days=7)
    service = MarketService(sessions, MarketSettings(watch=watch))
    expected = independent_alerts(path)

    alerts = await service.list_price_alerts(watch, region_code="32.73")

    found = {
        (a.series.name, a.day, a.reference_day, Fraction(a.price - a.reference_price)
         / Fraction(a.reference_price) * 100)
        for a in alerts
    }  # fmt: skip
    assert found == expected
    assert len(expected) > 0
    assert {a.series.name for a in alerts} <= {c for c, *_ in expected}
    for alert in alerts:
        exact = Fraction(alert.price - alert.reference_price) / Fraction(alert.reference_price)
        assert alert.change_percent == Decimal(float(exact * 100)).quantize(Decimal("0.01"))


async def test_every_staple_series_of_bandung_is_watched(
    sessions: async_sessionmaker[AsyncSession], shared_data: Path
) -> None:
    await ingest_commodity_prices(sessions, shared_data.joinpath(*BANDUNG_PRICES), region_code="32.73")
    service = MarketService(sessions, MarketSettings())

    entries = await service.list_staple_watch(WatchOptions(), "32.73")

    names = {entry.series.name for entry in entries}
    assert len(names) == 25 - len(NOT_STAPLES)
    assert not names & NOT_STAPLES
    staples = {entry.series.staple.key for entry in entries}
    assert {"rice", "red_chilli", "birds_eye_chilli", "shallot", "garlic"} <= staples
    assert {"cooking_oil", "sugar", "eggs", "chicken", "beef"} <= staples
    latest = {entry.latest.day for entry in entries if entry.latest}
    assert latest == {date(2025, 11, 16)}


def series(prices: dict[int, int]) -> PriceSeries:
    staple = StapleItem("rice", "Beras", r"beras")
    points = tuple(
        SeriesPoint(date(2025, 1, day), Decimal(price)) for day, price in sorted(prices.items())
    )
    return PriceSeries(staple, "commodity", "Beras", "33.28", "kg", points)


def test_an_exact_threshold_move_alerts_and_a_smaller_one_does_not() -> None:
    options = WatchOptions(threshold_percent=Decimal(10), window_days=2)

    alerts = find_alerts(series({1: 10000, 3: 11000, 4: 10999, 5: 9000}), options)

    assert [(a.day.day, a.reference_day.day, a.direction) for a in alerts] == [
        (3, 1, "up"),
        (5, 3, "down"),
    ]
    assert alerts[1].change_percent == Decimal("-18.18")


def test_the_reference_is_the_last_price_before_a_gap() -> None:
    options = WatchOptions(threshold_percent=Decimal(5), window_days=3)

    alerts = find_alerts(series({1: 100, 10: 120}), options)

    assert [(a.day.day, a.reference_day.day) for a in alerts] == [(10, 1)]
