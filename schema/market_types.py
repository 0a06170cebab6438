"""GraphQL types of Big Market: listings, prices, indices, staple watch, sellers.

Money and percentages are ``Decimal`` (serialised as exact strings), never Float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.types import Info

from analytics.market_errors import MarketAnalyticsError
from analytics.market_prices import IndexPoint, ProductPricePoint
from analytics.market_sales import LocalSeller, SellerRank
from analytics.market_service import ListingWithLatest
from analytics.market_watch import PriceAlert, WatchEntry
from connectors.base import ConnectorError
from resolvers import market as market_resolvers
from resolvers.context import RequestContext
from schema.errors import register_public_error
from schema.scalars import JSON
from security.access_index import MARKET_LISTINGS
from security.visibility import dataset_field
from store.market import MarketObservation

register_public_error(MarketAnalyticsError)
register_public_error(ConnectorError)

# Every Big Market field reads the published dataset of marketplace listings.
LISTINGS = dataset_field(MARKET_LISTINGS)


@strawberry.enum(description="The length of a price-index period.")
class PricePeriod(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@strawberry.enum(description="What top sellers are ranked as.")
class SellerRankBy(Enum):
    SHOP = "shop"
    PRODUCT = "product"


@strawberry.type(description="What one snapshot showed of a listing.")
class Observation:
    observed_at: datetime
    price: Decimal | None = strawberry.field(
        description="Rupiah; the minimum of a range."
    )
    price_max: Decimal | None = strawberry.field(description="Top of a price range.")
    original_price: Decimal | None
    discount_percent: Decimal | None
    stock: int | None
    sold_count: int | None = strawberry.field(
        description="Sold count as shown; see soldIsLowerBound."
    )
    sold_is_lower_bound: bool = strawberry.field(
        description='True for "10rb+ terjual": the true count is at least soldCount.'
    )
    rating: Decimal | None
    review_count: int | None
    review_is_lower_bound: bool
    raw: JSON = strawberry.field(description="The texts the values were read from.")

    @classmethod
    def of(cls, row: MarketObservation) -> Observation:
        return cls(
            observed_at=row.observed_at,
            price=row.price,
            price_max=row.price_max,
            original_price=row.original_price,
            discount_percent=row.discount_percent,
            stock=row.stock,
            sold_count=row.sold_count,
            sold_is_lower_bound=row.sold_is_lower_bound,
            rating=row.rating,
            review_count=row.review_count,
            review_is_lower_bound=row.review_is_lower_bound,
            raw=cast(Any, dict(row.raw)),
        )


@strawberry.type(description="One offer on one marketplace, the same across snapshots.")
class Listing:
    id: int
    marketplace: str
    external_id: str | None
    url: str | None
    title: str
    shop: str | None
    shop_location: str | None = strawberry.field(
        description="As the marketplace shows it."
    )
    region_code: str | None = strawberry.field(
        description="Kemendagri code the shop location resolves to, if it does."
    )
    category: str | None
    product_id: str | None = strawberry.field(
        description="The product entity (graph node id) this listing sells."
    )
    first_seen_at: datetime
    last_seen_at: datetime
    latest: Observation | None = strawberry.field(description="The newest observation.")

    @classmethod
    def of(cls, item: ListingWithLatest) -> Listing:
        row = item.listing
        return cls(
            id=row.id,
            marketplace=row.marketplace,
            external_id=row.external_id,
            url=row.url,
            title=row.title,
            shop=row.shop,
            shop_location=row.shop_location,
            region_code=row.region_code,
            category=row.category,
            product_id=row.product_id,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            latest=Observation.of(item.latest) if item.latest else None,
        )


@strawberry.type
class ListingPage:
    items: list[Listing]
    total: int = strawberry.field(description="Listings matching, over all pages.")


@strawberry.type(
    description="Prices at one time: of one listing, or of a product's listings."
)
class PriceHistoryPoint:
    observed_at: datetime
    minimum: Decimal
    median: Decimal
    maximum: Decimal
    listings: int

    @classmethod
    def of(cls, point: ProductPricePoint) -> PriceHistoryPoint:
        return cls(
            observed_at=point.observed_at,
            minimum=point.minimum,
            median=point.median,
            maximum=point.maximum,
            listings=point.listings,
        )


@strawberry.type(
    description="A chained (Jevons) category price index, base period = 100."
)
class PriceIndexPoint:
    period: date = strawberry.field(description="First day of the period.")
    index: Decimal
    matched: int = strawberry.field(
        description="Listings priced in this and the previous period; 0 carries forward."
    )

    @classmethod
    def of(cls, point: IndexPoint) -> PriceIndexPoint:
        return cls(period=point.period, index=point.index, matched=point.matched)


@strawberry.type(description="A watched staple-food price series and its latest move.")
class StapleWatchEntry:
    staple: str
    label: str
    source: str = strawberry.field(description="commodity (agency series) or listing.")
    name: str
    region_code: str | None
    unit: str | None
    listing_id: int | None
    latest_day: date | None
    latest_price: Decimal | None
    reference_day: date | None
    reference_price: Decimal | None
    change_percent: Decimal | None
    alerting: bool

    @classmethod
    def of(cls, entry: WatchEntry) -> StapleWatchEntry:
        series = entry.series
        return cls(
            staple=series.staple.key,
            label=series.staple.label,
            source=series.source,
            name=series.name,
            region_code=series.region_code,
            unit=series.unit,
            listing_id=series.listing_id,
            latest_day=entry.latest.day if entry.latest else None,
            latest_price=entry.latest.price if entry.latest else None,
            reference_day=entry.reference.day if entry.reference else None,
            reference_price=entry.reference.price if entry.reference else None,
            change_percent=entry.change_percent,
            alerting=entry.alerting,
        )


@strawberry.type(
    name="PriceAlert",
    description="A price that moved beyond the threshold within the window.",
)
class PriceAlertType:
    staple: str
    label: str
    source: str
    name: str
    region_code: str | None
    listing_id: int | None
    day: date
    price: Decimal
    reference_day: date
    reference_price: Decimal
    change_percent: Decimal
    direction: str = strawberry.field(description="up or down.")

    @classmethod
    def of(cls, alert: PriceAlert) -> PriceAlertType:
        series = alert.series
        return cls(
            staple=series.staple.key,
            label=series.staple.label,
            source=series.source,
            name=series.name,
            region_code=series.region_code,
            listing_id=series.listing_id,
            day=alert.day,
            price=alert.price,
            reference_day=alert.reference_day,
            reference_price=alert.reference_price,
            change_percent=alert.change_percent,
            direction=alert.direction,
        )


@strawberry.type(
    name="SellerRank", description="A shop or product ranked by estimated sales."
)
class SellerRankType:
    key: str
    name: str
    marketplace: str | None
    region_code: str | None
    listings: int
    sales_minimum: int = strawberry.field(description="Sales that certainly happened.")
    sales_maximum: int | None = strawberry.field(
        description="Upper bound; null where a lower-bound count leaves it open."
    )
    revenue_minimum: Decimal

    @classmethod
    def of(cls, rank: SellerRank) -> SellerRankType:
        return cls(
            key=rank.key,
            name=rank.name,
            marketplace=rank.marketplace,
            region_code=rank.region_code,
            listings=rank.listings,
            sales_minimum=rank.sales_minimum,
            sales_maximum=rank.sales_maximum,
            revenue_minimum=rank.revenue_minimum,
        )


@strawberry.type(
    name="LocalSeller", description="A shop whose location resolves inside the region."
)
class LocalSellerType:
    marketplace: str
    shop: str | None
    shop_location: str
    region_code: str
    listings: int

    @classmethod
    def of(cls, seller: LocalSeller) -> LocalSellerType:
        return cls(
            marketplace=seller.marketplace,
            shop=seller.shop,
            shop_location=seller.shop_location,
            region_code=seller.region_code,
            listings=seller.listings,
        )


@strawberry.type
class MarketQuery:
    @strawberry.field(
        description="Marketplace listings with their latest observation.",
        metadata=LISTINGS,
    )
    async def listings(
        self,
        info: Info[RequestContext, None],
        marketplace: str | None = None,
        category: str | None = None,
        region: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ListingPage:
        page = await market_resolvers.list_listings(
            info.context,
            marketplace=marketplace,
            category=category,
            region=region,
            search=search,
            limit=limit,
            offset=offset,
        )
        return ListingPage(items=[Listing.of(i) for i in page.items], total=page.total)

    @strawberry.field(
        description="Prices over time of one listing or one product.", metadata=LISTINGS
    )
    async def price_history(
        self,
        info: Info[RequestContext, None],
        listing_id: int | None = None,
        product_id: str | None = None,
    ) -> list[PriceHistoryPoint]:
        points = await market_resolvers.list_price_history(
            info.context, listing_id, product_id
        )
        return [PriceHistoryPoint.of(point) for point in points]

    @strawberry.field(
        metadata=LISTINGS,
        description="Chained price index of a category; base period = 100.",
    )
    async def price_index(
        self,
        info: Info[RequestContext, None],
        category: str,
        period: PricePeriod = PricePeriod.DAY,
        base: date | None = None,
        marketplace: str | None = None,
    ) -> list[PriceIndexPoint]:
        points = await market_resolvers.list_price_index(
            info.context, category, period.value, base, marketplace
        )
        return [PriceIndexPoint.of(point) for point in points]

    @strawberry.field(
        metadata=LISTINGS,
        description="Watched staple foods: latest price and move per series.",
    )
    async def staple_watch(
        self,
        info: Info[RequestContext, None],
        region: str | None = None,
        threshold_percent: Decimal | None = None,
        window_days: int | None = None,
    ) -> list[StapleWatchEntry]:
        entries = await market_resolvers.list_staple_watch(
            info.context, region, threshold_percent, window_days
        )
        return [StapleWatchEntry.of(entry) for entry in entries]

    @strawberry.field(
        metadata=LISTINGS,
        description="Staple prices that moved beyond the threshold, newest first.",
    )
    async def price_alerts(
        self,
        info: Info[RequestContext, None],
        region: str | None = None,
        threshold_percent: Decimal | None = None,
        window_days: int | None = None,
        since: date | None = None,
    ) -> list[PriceAlertType]:
        alerts = await market_resolvers.list_price_alerts(
            info.context, region, threshold_percent, window_days, since
        )
        return [PriceAlertType.of(alert) for alert in alerts]

    @strawberry.field(
        metadata=LISTINGS,
        description="Shops or products by estimated sales; region defaults to the regency.",
    )
    async def top_sellers(
        self,
        info: Info[RequestContext, None],
        region: str | None = None,
        by: SellerRankBy = SellerRankBy.SHOP,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 20,
    ) -> list[SellerRankType]:
        ranks = await market_resolvers.list_top_sellers(
            info.context, region, by.value, start, end, limit
        )
        return [SellerRankType.of(rank) for rank in ranks]

    @strawberry.field(
        description="Shops located in the region (default: the regency).",
        metadata=LISTINGS,
    )
    async def local_sellers(
        self, info: Info[RequestContext, None], region: str | None = None
    ) -> list[LocalSellerType]:
        sellers = await market_resolvers.list_local_sellers(info.context, region)
        return [LocalSellerType.of(seller) for seller in sellers]
