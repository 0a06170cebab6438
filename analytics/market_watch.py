"""The staple-food watchlist and its price alerts, for regional inflation control.

A watched item (rice, chilli, shallot, ...) matches commodity names of the
daily price series and titles of marketplace listings. Every matched series —
one commodity in one region, or one listing — is checked alike:

    an alert is raised on day *t* when the price on *t* differs from the
    reference price by at least ``threshold_percent`` of the reference, where
    the reference is the last price on or before *t* − ``window_days``.

Days without a price (the agency's 0) are neither alerted nor used as a
reference. Changes are computed in ``Decimal`` and rounded to 0.01 % only for
display; the comparison uses the exact value.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_prices import WIB
from store.market import CommodityPrice, MarketListing, MarketObservation

PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class StapleItem:
    """A watched staple: ``pattern`` matches commodity names and listing titles."""

    key: str
    label: str
    pattern: str

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text, re.IGNORECASE) is not None


DEFAULT_STAPLES: tuple[StapleItem, ...] = (
    StapleItem("rice", "Beras", r"\bberas\b"),
    StapleItem("red_chilli", "Cabai merah", r"\bcab[ae]i? merah\b"),
    StapleItem("birds_eye_chilli", "Cabai rawit", r"\bcab[ae]i? rawit\b"),
    StapleItem("shallot", "Bawang merah", r"\bbawang merah\b"),
    StapleItem("garlic", "Bawang putih", r"\bbawang putih\b"),
    StapleItem("cooking_oil", "Minyak goreng", r"\bminyak goreng\b|\bminyakita\b"),
    StapleItem("sugar", "Gula pasir", r"\bgula (pasir|konsumsi|kristal)\b"),
    StapleItem("eggs", "Telur ayam", r"\btelur ayam\b"),
    StapleItem(
        "chicken", "Daging ayam", r"\bdaging ayam\b|\bayam (ras|potong|broiler)\b"
    ),
    StapleItem("beef", "Daging sapi", r"\bdaging sapi\b"),
    StapleItem("flour", "Tepung terigu", r"\btepung terigu\b"),
    StapleItem("soybean", "Kedelai", r"\bkedelai\b"),
    StapleItem("salt", "Garam", r"\bgaram\b"),
    StapleItem("fish", "Ikan segar", r"\bikan (bandeng|kembung|tongkol)\b"),
)


@dataclass(frozen=True)
class WatchOptions:
    """How far back to compare and how large a move is an alert."""

    threshold_percent: Decimal = Decimal(10)
    window_days: int = 7
    staples: tuple[StapleItem, ...] = DEFAULT_STAPLES
    # A listing is watched only in a food category ("Dispenser Beras" is not rice).
    food_categories: str = r"food|makanan|pangan|sembako|grocer|bahan pokok"

    def is_food_category(self, category: str | None) -> bool:
        return category is None or bool(
            re.search(self.food_categories, category, re.IGNORECASE)
        )


@dataclass(frozen=True)
class SeriesPoint:
    day: date
    price: Decimal


@dataclass(frozen=True)
class PriceSeries:
    """One watched series: a commodity in a region, or one marketplace listing."""

    staple: StapleItem
    source: Literal["commodity", "listing"]
    name: str
    region_code: str | None
    unit: str | None
    points: tuple[SeriesPoint, ...]
    listing_id: int | None = None


@dataclass(frozen=True)
class PriceAlert:
    series: PriceSeries
    day: date
    price: Decimal
    reference_day: date
    reference_price: Decimal
    change_percent: Decimal

    @property
    def direction(self) -> Literal["up", "down"]:
        return "up" if self.price > self.reference_price else "down"


@dataclass(frozen=True)
class WatchEntry:
    """The latest state of one watched series."""

    series: PriceSeries
    latest: SeriesPoint | None
    reference: SeriesPoint | None
    change_percent: Decimal | None
    alerting: bool


def reference_point(
    points: Sequence[SeriesPoint], day: date, window_days: int
) -> SeriesPoint | None:
    """The last point on or before ``day - window_days`` (points sorted by day)."""
    cutoff = day - timedelta(days=window_days)
    position = bisect.bisect_right([p.day for p in points], cutoff)
    return points[position - 1] if position else None


def change_percent(price: Decimal, reference: Decimal) -> Decimal:
    return (price - reference) / reference * 100


def find_alerts(series: PriceSeries, options: WatchOptions) -> list[PriceAlert]:
    """Every day of ``series`` whose move against its reference reaches the threshold."""
    alerts: list[PriceAlert] = []
    for point in series.points:
        reference = reference_point(series.points, point.day, options.window_days)
        if reference is None or reference.price <= 0:
            continue
        change = change_percent(point.price, reference.price)
        if abs(change) >= options.threshold_percent:
            alerts.append(
                PriceAlert(
                    series,
                    point.day,
                    point.price,
                    reference.day,
                    reference.price,
                    change.quantize(PERCENT_PLACES),
                )
            )
    return alerts


def watch_entry(series: PriceSeries, options: WatchOptions) -> WatchEntry:
    """The latest point of a series, its reference and whether it alerts."""
    if not series.points:
        return WatchEntry(series, None, None, None, False)
    latest = series.points[-1]
    reference = reference_point(series.points, latest.day, options.window_days)
    if reference is None or reference.price <= 0:
        return WatchEntry(series, latest, reference, None, False)
    change = change_percent(latest.price, reference.price)
    alerting = abs(change) >= options.threshold_percent
    return WatchEntry(
        series, latest, reference, change.quantize(PERCENT_PLACES), alerting
    )


async def list_watched_series(
    sessions: async_sessionmaker[AsyncSession],
    options: WatchOptions,
    *,
    region_code: str | None = None,
    include_listings: bool = True,
) -> list[PriceSeries]:
    """Every commodity series and listing that a watched staple matches."""
    series = await _commodity_series(sessions, options, region_code)
    if include_listings:
        series += await _listing_series(sessions, options, region_code)
    return series


def _staple_of(text: str, options: WatchOptions) -> StapleItem | None:
    return next((item for item in options.staples if item.matches(text)), None)


async def _commodity_series(
    sessions: async_sessionmaker[AsyncSession],
    options: WatchOptions,
    region_code: str | None,
) -> list[PriceSeries]:
    # Days without a price are read too, so a series with none at all is listed.
    query = select(CommodityPrice)
    if region_code:
        query = query.where(CommodityPrice.region_code == region_code)
    async with sessions() as session:
        rows = list(await session.scalars(query.order_by(CommodityPrice.observed_on)))
    grouped: dict[tuple[str, str], list[CommodityPrice]] = defaultdict(list)
    for row in rows:
        grouped[(row.region_code, row.commodity)].append(row)
    series: list[PriceSeries] = []
    for (region, commodity), items in sorted(grouped.items()):
        staple = _staple_of(commodity, options)
        if staple is None:
            continue
        points = tuple(SeriesPoint(i.observed_on, i.price) for i in items if i.price)
        series.append(
            PriceSeries(staple, "commodity", commodity, region, items[-1].unit, points)
        )
    return series


async def _listing_series(
    sessions: async_sessionmaker[AsyncSession],
    options: WatchOptions,
    region_code: str | None,
) -> list[PriceSeries]:
    query = (
        select(MarketListing, MarketObservation.observed_at, MarketObservation.price)
        .join(MarketObservation, MarketObservation.listing_id == MarketListing.id)
        .where(MarketObservation.price.is_not(None))
        .order_by(MarketListing.id, MarketObservation.observed_at)
    )
    if region_code:
        query = query.where(MarketListing.region_code == region_code)
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    by_listing: dict[int, tuple[MarketListing, dict[date, Decimal]]] = {}
    for listing, observed_at, price in rows:
        staple = _staple_of(listing.title, options)
        if price is None or staple is None:
            continue
        if not options.is_food_category(listing.category):
            continue
        _, days = by_listing.setdefault(listing.id, (listing, {}))
        days[observed_at.astimezone(WIB).date()] = price  # the day's last price
    return [
        PriceSeries(
            _staple_of(listing.title, options),  # type: ignore[arg-type]
            "listing",
            listing.title,
            listing.region_code,
            None,
            tuple(SeriesPoint(day, price) for day, price in sorted(days.items())),
            listing_id=listing.id,
        )
        for listing, days in by_listing.values()
    ]
