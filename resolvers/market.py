"""Resolvers of Big Market: read the context, call the market service once.

Every field reads the published dataset ``market.listings``: a principal the
policy refuses it does not have the fields in its schema, and is refused here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from analytics.market_errors import MarketAnalyticsError
from analytics.market_prices import IndexPoint, Period, ProductPricePoint
from analytics.market_sales import LocalSeller, RankBy, SellerRank
from analytics.market_service import ListingPage, MarketService
from analytics.market_watch import PriceAlert, WatchEntry
from resolvers.context import RequestContext
from security.access_index import MARKET_LISTINGS

SERVICE_KEY = "market"


async def get_market(context: RequestContext) -> MarketService:
    """The market service, once the principal's access to listings is checked.

    Raises when no market service was configured or the policy refuses the
    principal ``market.listings``; the read is recorded for the audit trail.
    """
    service = context.services.extras.get(SERVICE_KEY)
    if not isinstance(service, MarketService):
        raise MarketAnalyticsError("Big Market is not configured on this server")
    security = context.services.security
    if security is not None:
        listings = (await security.access.get()).get_key(MARKET_LISTINGS)
        security.policy.require_read(context.principal, listings)
        context.access_log.record_read(listings)
    return service


async def list_listings(
    context: RequestContext,
    *,
    marketplace: str | None,
    category: str | None,
    region: str | None,
    search: str | None,
    limit: int,
    offset: int,
) -> ListingPage:
    market = await get_market(context)
    return await market.list_listings(
        marketplace=marketplace,
        category=category,
        region_code=region,
        search=search,
        limit=limit,
        offset=offset,
    )


async def list_price_history(
    context: RequestContext, listing_id: int | None, product_id: str | None
) -> list[ProductPricePoint]:
    market = await get_market(context)
    return await market.list_price_history(listing_id=listing_id, product_id=product_id)


async def list_price_index(
    context: RequestContext,
    category: str,
    period: Period,
    base: date | None,
    marketplace: str | None,
) -> list[IndexPoint]:
    market = await get_market(context)
    return await market.compute_price_index(
        category, period=period, base=base, marketplace=marketplace
    )


async def list_staple_watch(
    context: RequestContext,
    region: str | None,
    threshold_percent: Decimal | None,
    window_days: int | None,
) -> list[WatchEntry]:
    market = await get_market(context)
    options = market.watch_options(threshold_percent, window_days)
    return await market.list_staple_watch(options, region)


async def list_price_alerts(
    context: RequestContext,
    region: str | None,
    threshold_percent: Decimal | None,
    window_days: int | None,
    since: date | None,
) -> list[PriceAlert]:
    market = await get_market(context)
    options = market.watch_options(threshold_percent, window_days)
    return await market.list_price_alerts(options, region, since)


async def list_top_sellers(
    context: RequestContext,
    region: str | None,
    by: RankBy,
    start: datetime | None,
    end: datetime | None,
    limit: int,
) -> list[SellerRank]:
    market = await get_market(context)
    return await market.list_top_sellers(
        by=by,
        region_code=region or market.settings.regency_code,
        start=start,
        end=end,
        limit=limit,
    )


async def list_local_sellers(
    context: RequestContext, region: str | None
) -> list[LocalSeller]:
    market = await get_market(context)
    return await market.list_local_sellers(region)
