"""One entry point to Big Market's reads, with the deployment's market settings.

Resolvers call one method each; every method opens its own short sessions, so
one service is safe to share between concurrent requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_errors import MarketAnalyticsError
from analytics.market_prices import (
    IndexPoint,
    Period,
    ProductPricePoint,
    compute_category_index,
    list_listing_prices,
    list_product_prices,
)
from analytics.market_sales import (
    LocalSeller,
    RankBy,
    SellerRank,
    list_listing_sales,
    list_local_sellers,
    rank_sellers,
)
from analytics.market_watch import (
    PriceAlert,
    WatchEntry,
    WatchOptions,
    find_alerts,
    list_watched_series,
    watch_entry,
)
from store.market import MarketListing, MarketObservation

MAX_WINDOW_DAYS = 3660
MAX_PAGE = 500


@dataclass(frozen=True)
class MarketSettings:
    """What a deployment decides: its regency and when a price move alerts."""

    regency_code: str | None = None
    watch: WatchOptions = field(default_factory=WatchOptions)


@dataclass(frozen=True)
class ListingWithLatest:
    listing: MarketListing
    latest: MarketObservation | None


@dataclass(frozen=True)
class ListingPage:
    items: list[ListingWithLatest]
    total: int


class MarketService:
    """Big Market's reads over the store. Safe to share between requests."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: MarketSettings
    ) -> None:
        self.sessions = sessions
        self.settings = settings

    async def list_listings(
        self,
        *,
        marketplace: str | None = None,
        category: str | None = None,
        region_code: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ListingPage:
        """A page of listings (by id) with each one's latest observation."""
        conditions = _listing_conditions(marketplace, category, region_code, search)
        page = (
            select(MarketListing)
            .where(*conditions)
            .order_by(MarketListing.id)
            .limit(max(0, min(limit, MAX_PAGE)))
            .offset(max(0, offset))
        )
        count = select(func.count()).select_from(MarketListing).where(*conditions)
        async with self.sessions() as session:
            listings = list(await session.scalars(page))
            total = int(await session.scalar(count) or 0)
            latest = await _latest_observations(session, [x.id for x in listings])
        items = [ListingWithLatest(x, latest.get(x.id)) for x in listings]
        return ListingPage(items, total)

    async def list_price_history(
        self, *, listing_id: int | None = None, product_id: str | None = None
    ) -> list[ProductPricePoint]:
        """Prices over time of one listing or one product (min, median, max).

        Raises ``MarketAnalyticsError`` unless exactly one of the two is given.
        """
        if (listing_id is None) == (product_id is None):
            raise MarketAnalyticsError("give exactly one of listingId and productId")
        if product_id is not None:
            return await list_product_prices(self.sessions, product_id)
        points = await list_listing_prices(self.sessions, listing_id or 0)
        return [
            ProductPricePoint(
                p.observed_at, p.price, p.price, p.price_max or p.price, 1
            )
            for p in points
            if p.price is not None
        ]

    async def compute_price_index(
        self,
        category: str,
        *,
        period: Period = "day",
        base: date | None = None,
        marketplace: str | None = None,
    ) -> list[IndexPoint]:
        """The chained category index; raises ``MarketAnalyticsError`` for a bad base."""
        return await compute_category_index(
            self.sessions, category, period=period, base=base, marketplace=marketplace
        )

    def watch_options(
        self, threshold_percent: Decimal | None, window_days: int | None
    ) -> WatchOptions:
        """The configured options with a request's overrides; raises on bad values."""
        options = self.settings.watch
        if threshold_percent is not None:
            if threshold_percent <= 0:
                raise MarketAnalyticsError("thresholdPercent must be above 0")
            options = replace(options, threshold_percent=threshold_percent)
        if window_days is not None:
            if not 1 <= window_days <= MAX_WINDOW_DAYS:
                raise MarketAnalyticsError(
                    f"windowDays must be between 1 and {MAX_WINDOW_DAYS} (ten years), "
                    f"got {window_days}"
                )
            options = replace(options, window_days=window_days)
        return options

    async def list_staple_watch(
        self, options: WatchOptions, region_code: str | None = None
    ) -> list[WatchEntry]:
        """The latest state of every watched series."""
        series = await list_watched_series(
            self.sessions, options, region_code=region_code
        )
        return [watch_entry(item, options) for item in series]

    async def list_price_alerts(
        self,
        options: WatchOptions,
        region_code: str | None = None,
        since: date | None = None,
    ) -> list[PriceAlert]:
        """Every alert of every watched series, newest first."""
        series = await list_watched_series(
            self.sessions, options, region_code=region_code
        )
        alerts = [alert for item in series for alert in find_alerts(item, options)]
        if since is not None:
            alerts = [alert for alert in alerts if alert.day >= since]
        return sorted(alerts, key=lambda a: (a.day, a.series.name), reverse=True)

    async def list_top_sellers(
        self,
        *,
        by: RankBy = "shop",
        region_code: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 20,
    ) -> list[SellerRank]:
        """Products or shops ranked by guaranteed estimated sales."""
        sales = await list_listing_sales(
            self.sessions, start=start, end=end, region_code=region_code
        )
        return rank_sellers(sales, by, max(1, min(limit, MAX_PAGE)))

    async def list_local_sellers(
        self, region_code: str | None = None
    ) -> list[LocalSeller]:
        """Shops inside ``region_code`` or the configured regency.

        Raises ``MarketAnalyticsError`` when neither is set.
        """
        code = region_code or self.settings.regency_code
        if not code:
            raise MarketAnalyticsError(
                "no region given and no regency configured (BIGONE_REGENCY_CODE)"
            )
        return await list_local_sellers(self.sessions, code)


def _listing_conditions(
    marketplace: str | None,
    category: str | None,
    region_code: str | None,
    search: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if marketplace:
        conditions.append(MarketListing.marketplace == marketplace)
    if category:
        conditions.append(MarketListing.category == category)
    if region_code:
        conditions.append(
            (MarketListing.region_code == region_code)
            | MarketListing.region_code.startswith(f"{region_code}.", autoescape=True)
        )
    if search:
        conditions.append(MarketListing.title.icontains(search, autoescape=True))
    return conditions


async def _latest_observations(
    session: AsyncSession, listing_ids: list[int]
) -> dict[int, MarketObservation]:
    if not listing_ids:
        return {}
    query = (
        select(MarketObservation)
        .where(MarketObservation.listing_id.in_(listing_ids))
        .order_by(MarketObservation.observed_at)
    )
    latest: dict[int, MarketObservation] = {}
    for observation in await session.scalars(query):
        latest[observation.listing_id] = observation
    return latest
