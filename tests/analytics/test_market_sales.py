"""Sales from two snapshots of the same listings equal the sold-count deltas.

Lower bounds ("10rb+ terjual") stay lower bounds: a later "at least" count gives
at least the delta and no upper bound; an earlier one gives at most the delta.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.market_sales import (
    SoldCount,
    estimate_sales,
    list_listing_sales,
    list_local_sellers,
    rank_sellers,
)
from connectors.market import MarketConnector
from connectors.regency_names import RegencyNameResolver
from store.market import MarketListing
from tests.market_support import regions, sessions, write_csv

__all__ = ["regions", "sessions"]

MONDAY = datetime(2025, 9, 15, 3, tzinfo=UTC)
NEXT_MONDAY = datetime(2025, 9, 22, 3, tzinfo=UTC)

SLAWI = ("Toko Slawi", "Kab. Tegal")
ADIWERNA = ("Grosir Adiwerna", "Kab. Tegal")
# listing id, title, (shop, location), price, sold then, sold now
LISTINGS = [
    ("a1", "Beras Pandan Wangi 5 kg", SLAWI, "75000", "1.250 terjual", "1.400 terjual"),
    ("a2", "Minyak Goreng 2 L", SLAWI, "36000", "980", "1rb+ terjual"),
    ("a3", "Gula Pasir 1 kg", ADIWERNA, "17500", "2rb+ terjual", "2.150 terjual"),
    ("a4", "Telur Ayam 1 kg", ADIWERNA, "29000", "5rb+ terjual", "6rb+ terjual"),
    ("a5", "Kopi Tubruk 250 g", ("Kopi Brebes", "Kab. Brebes"), "25000", "300", "345"),
    ("a6", "Teh Poci 50 pcs", ("Toko Kota", "Kota Tegal"), "12000", "100", ""),
]


def snapshot(path: Path, sold_column: int) -> Path:
    rows = [
        {
            "product_id": item[0],
            "name": item[1],
            "shop_name": item[2][0],
            "shop_location": item[2][1],
            "category": "Makanan",
            "price": item[3],
            "sold": item[sold_column],
        }
        for item in LISTINGS
    ]
    return write_csv(path, rows)


async def ingest_two_snapshots(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    tmp_path: Path,
) -> None:
    connector = MarketConnector("t", sessions, marketplace="tokopedia", regions=regions)
    await connector.ingest(snapshot(tmp_path / "monday.csv", 4), observed_at=MONDAY)
    await connector.ingest(snapshot(tmp_path / "next.csv", 5), observed_at=NEXT_MONDAY)


async def test_sales_equal_sold_count_deltas_with_lower_bounds_kept(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    tmp_path: Path,
) -> None:
    await ingest_two_snapshots(sessions, regions, tmp_path)

    sales = await list_listing_sales(sessions)

    by_title = {item.title: item.estimate for item in sales}
    assert {t: (e.minimum, e.maximum) for t, e in by_title.items()} == {
        "Beras Pandan Wangi 5 kg": (1400 - 1250, 1400 - 1250),  # exact both times
        "Minyak Goreng 2 L": (1000 - 980, None),  # now at least 1000
        "Gula Pasir 1 kg": (0, 2150 - 2000),  # then at least 2000
        "Telur Ayam 1 kg": (0, None),  # both lower bounds: unknown
        "Kopi Tubruk 250 g": (345 - 300, 345 - 300),
    }  # the listing without a second sold count has no estimate
    assert by_title["Beras Pandan Wangi 5 kg"].is_exact
    assert {e.start for e in by_title.values()} == {MONDAY}
    assert {e.end for e in by_title.values()} == {NEXT_MONDAY}


async def test_top_shops_and_products_rank_on_guaranteed_sales(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    tmp_path: Path,
) -> None:
    await ingest_two_snapshots(sessions, regions, tmp_path)

    in_tegal = await list_listing_sales(sessions, region_code="33.28")
    shops = rank_sellers(in_tegal, "shop")

    assert [(s.name, s.sales_minimum, s.sales_maximum) for s in shops] == [
        ("Toko Slawi", 150 + 20, None),
        ("Grosir Adiwerna", 0, None),
    ]
    assert shops[0].revenue_minimum == 150 * Decimal(75000) + 20 * Decimal(36000)
    assert shops[0].region_code == "33.28"


async def test_local_sellers_are_the_shops_inside_the_regency(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    tmp_path: Path,
) -> None:
    await ingest_two_snapshots(sessions, regions, tmp_path)

    local = await list_local_sellers(sessions, "33.28")

    assert [(s.shop, s.region_code, s.listings) for s in local] == [
        ("Grosir Adiwerna", "33.28", 2),
        ("Toko Slawi", "33.28", 2),
    ]


def count(value: int, lower: bool, day: int) -> SoldCount:
    return SoldCount(datetime(2025, 1, day, tzinfo=UTC), value, lower)


def test_a_falling_exact_count_is_flagged_not_negative() -> None:
    estimate = estimate_sales(count(500, False, 1), count(20, False, 2))

    assert (estimate.minimum, estimate.maximum, estimate.decreased) == (0, None, True)


def test_a_later_lower_bound_below_an_exact_count_gives_at_least_zero() -> None:
    estimate = estimate_sales(count(1050, False, 1), count(1000, True, 2))

    assert (estimate.minimum, estimate.maximum, estimate.decreased) == (0, None, False)


async def test_top_products_sum_the_listings_of_one_product(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    tmp_path: Path,
) -> None:
    await ingest_two_snapshots(sessions, regions, tmp_path)
    async with sessions() as session:
        for listing in await session.scalars(select(MarketListing)):
            listing.product_id = (
                "product:kopi" if listing.external_id in ("a1", "a5") else None
            )
        await session.commit()

    products = rank_sellers(await list_listing_sales(sessions), "product")

    assert [
        (p.key, p.listings, p.sales_minimum, p.sales_maximum) for p in products
    ] == [("product:kopi", 2, 150 + 45, 150 + 45)]
    assert products[0].marketplace == "tokopedia"
