"""Sales estimated from sold-count deltas, top sellers and local sellers.

Between two observations of a listing, sales are the rise of its sold count.
A sold count shown as "10rb+" is a lower bound of the true count, so:

=================  ==================  =====================================
earlier            later               sales between them
=================  ==================  =====================================
exact *p*          exact *c*           exactly *c − p*
exact *p*          at least *c*        at least max(*c − p*, 0), no upper bound
at least *p*       exact *c*           at most *c − p*, at least 0
at least *p*       at least *c*        unknown: at least 0, no upper bound
=================  ==================  =====================================

A later exact count below the earlier one (a relisted item) gives at least 0,
no upper bound, and is flagged ``decreased``. Rankings
use the guaranteed minimum, so a seller is never ranked on sales that might not
have happened.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.market import MarketListing, MarketObservation

RankBy = Literal["product", "shop"]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SoldCount:
    observed_at: datetime
    value: int
    is_lower_bound: bool
    price: Decimal | None = None


@dataclass(frozen=True)
class SalesEstimate:
    """Sales between two observations: ``minimum`` is guaranteed, ``maximum`` may be None."""

    start: datetime
    end: datetime
    minimum: int
    maximum: int | None
    decreased: bool = False

    @property
    def is_exact(self) -> bool:
        return self.maximum == self.minimum


def estimate_sales(earlier: SoldCount, later: SoldCount) -> SalesEstimate:
    """Sales between two sold counts, lower bounds kept as lower bounds."""
    delta = later.value - earlier.value
    start, end = earlier.observed_at, later.observed_at
    if later.is_lower_bound:
        if earlier.is_lower_bound:
            return SalesEstimate(start, end, 0, None)
        return SalesEstimate(start, end, max(delta, 0), None)
    if delta < 0:
        # The true later count is below a (lower bound of the) earlier one.
        return SalesEstimate(start, end, 0, None, decreased=True)
    if earlier.is_lower_bound:
        return SalesEstimate(start, end, 0, delta)
    return SalesEstimate(start, end, delta, delta)


def sum_estimates(counts: Sequence[SoldCount]) -> SalesEstimate | None:
    """Sales over a run of observations (oldest first): the sum of each step.

    ``None`` with fewer than two observations. The maximum is ``None`` as soon
    as one step has no upper bound.
    """
    if len(counts) < 2:
        return None
    steps = [estimate_sales(a, b) for a, b in itertools.pairwise(counts)]
    maxima = [step.maximum for step in steps]
    total_max = None if None in maxima else sum(m for m in maxima if m is not None)
    return SalesEstimate(
        counts[0].observed_at,
        counts[-1].observed_at,
        sum(step.minimum for step in steps),
        total_max,
        any(step.decreased for step in steps),
    )


@dataclass(frozen=True)
class ListingSales:
    listing_id: int
    marketplace: str
    title: str
    shop: str | None
    shop_location: str | None
    region_code: str | None
    product_id: str | None
    estimate: SalesEstimate
    revenue_minimum: Decimal | None


@dataclass(frozen=True)
class SellerRank:
    """A product or a shop with the sales of its listings summed."""

    key: str
    name: str
    marketplace: str | None
    region_code: str | None
    listings: int
    sales_minimum: int
    sales_maximum: int | None
    revenue_minimum: Decimal


async def list_listing_sales(
    sessions: async_sessionmaker[AsyncSession],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    region_code: str | None = None,
) -> list[ListingSales]:
    """Estimated sales of every listing with two or more sold counts in the range.

    ``region_code`` keeps listings whose shop is in that region or below it.
    Revenue counts each step's guaranteed sales at the later observation's price.
    """
    query = (
        select(MarketListing, MarketObservation)
        .join(MarketObservation, MarketObservation.listing_id == MarketListing.id)
        .where(MarketObservation.sold_count.is_not(None))
        .order_by(MarketListing.id, MarketObservation.observed_at)
    )
    if start:
        query = query.where(MarketObservation.observed_at >= start)
    if end:
        query = query.where(MarketObservation.observed_at <= end)
    if region_code:
        query = query.where(_in_region(region_code))
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    grouped: dict[int, tuple[MarketListing, list[SoldCount]]] = {}
    for listing, observation in rows:
        grouped.setdefault(listing.id, (listing, []))[1].append(_sold(observation))
    return [
        sales
        for listing, counts in grouped.values()
        if (sales := _listing_sales(listing, counts)) is not None
    ]


def _in_region(region_code: str) -> ColumnElement[bool]:
    return (
        MarketListing.region_code == region_code
    ) | MarketListing.region_code.startswith(f"{region_code}.", autoescape=True)


def _sold(observation: MarketObservation) -> SoldCount:
    assert observation.sold_count is not None
    return SoldCount(
        observation.observed_at,
        observation.sold_count,
        observation.sold_is_lower_bound,
        observation.price,
    )


def _listing_sales(
    listing: MarketListing, counts: list[SoldCount]
) -> ListingSales | None:
    estimate = sum_estimates(counts)
    if estimate is None:
        return None
    return ListingSales(
        listing.id, listing.marketplace, listing.title, listing.shop,
        listing.shop_location, listing.region_code, listing.product_id,
        estimate, _revenue(counts),
    )  # fmt: skip


def _revenue(counts: list[SoldCount]) -> Decimal | None:
    total = Decimal(0)
    for earlier, later in itertools.pairwise(counts):
        if later.price is None:
            return None
        total += estimate_sales(earlier, later).minimum * later.price
    return total


def rank_sellers(
    sales: Sequence[ListingSales], by: RankBy, limit: int = 20
) -> list[SellerRank]:
    """Products or shops by guaranteed estimated sales, best first.

    Listings without a product (not linked yet) or a shop (not in the export)
    are left out of that ranking.
    """
    groups: dict[str, list[ListingSales]] = defaultdict(list)
    for item in sales:
        key = item.product_id if by == "product" else _shop_key(item)
        if key:
            groups[key].append(item)
    ranks = [_rank(key, items, by) for key, items in groups.items()]
    ranks.sort(key=lambda rank: (-rank.sales_minimum, -rank.revenue_minimum, rank.key))
    return ranks[:limit]


def _shop_key(item: ListingSales) -> str | None:
    return f"{item.marketplace}/{item.shop}" if item.shop else None


def _rank(key: str, items: list[ListingSales], by: RankBy) -> SellerRank:
    maxima = [item.estimate.maximum for item in items]
    first = items[0]
    marketplaces = {item.marketplace for item in items}
    return SellerRank(
        key=key,
        name=(first.shop or "") if by == "shop" else first.title,
        marketplace=first.marketplace if len(marketplaces) == 1 else None,
        region_code=first.region_code if by == "shop" else None,
        listings=len(items),
        sales_minimum=sum(item.estimate.minimum for item in items),
        sales_maximum=None if None in maxima else sum(m or 0 for m in maxima),
        revenue_minimum=sum(
            (i.revenue_minimum for i in items if i.revenue_minimum is not None),
            Decimal(0),
        ).quantize(CENT),
    )


@dataclass(frozen=True)
class LocalSeller:
    """A shop whose location resolves inside the regency."""

    marketplace: str
    shop: str | None
    shop_location: str
    region_code: str
    listings: int


async def list_local_sellers(
    sessions: async_sessionmaker[AsyncSession], regency_code: str
) -> list[LocalSeller]:
    """Shops (or, where exports name none, seller locations) inside the regency."""
    query = select(MarketListing).where(_in_region(regency_code))
    async with sessions() as session:
        listings = list(await session.scalars(query))
    grouped: dict[tuple[str, str | None, str], list[MarketListing]] = defaultdict(list)
    for listing in listings:
        key = (listing.marketplace, listing.shop, listing.shop_location or "")
        grouped[key].append(listing)
    sellers = [
        LocalSeller(market, shop, location, items[0].region_code or "", len(items))
        for (market, shop, location), items in grouped.items()
    ]
    return sorted(sellers, key=lambda s: (-s.listings, s.marketplace, s.shop or ""))
