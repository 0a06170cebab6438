"""Taking marketplace exports in: the real PRDECT-ID file, profiles, times, atomicity."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.market import MarketConnector
from connectors.market_files import MarketInputError
from connectors.market_profiles import ProfileError, load_declared_profiles
from connectors.regency_names import RegencyNameResolver
from store.catalog import IngestionRun
from store.market import MarketListing, MarketObservation, MarketSnapshot
from tests.market_support import (
    PRDECT_ID,
    regions,
    sessions,
    write_csv,
    write_json,
    write_jsonl,
)

__all__ = ["regions", "sessions"]

WIB = timezone(timedelta(hours=7))
SNAPSHOT_TIME = datetime(2022, 6, 1, 12, tzinfo=UTC)


def clean(text: str) -> str:
    return " ".join(text.split())


def read_prdect_id(shared_data: Path) -> list[dict[str, str]]:
    with shared_data.joinpath(*PRDECT_ID).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


async def all_listings(
    sessions: async_sessionmaker[AsyncSession],
) -> list[MarketListing]:
    async with sessions() as session:
        return list(await session.scalars(select(MarketListing)))


async def count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_prdect_id_ingests_with_the_files_products_and_cities(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    shared_data: Path,
) -> None:
    rows = read_prdect_id(shared_data)
    titles = {clean(row["Product Name"]) for row in rows}
    cities = {clean(row["Location"]) for row in rows}
    first_price: dict[tuple[str, str], Decimal] = {}
    for row in rows:
        key = (clean(row["Product Name"]).casefold(), clean(row["Location"]))
        first_price.setdefault(key, Decimal(row["Price"]))
    connector = MarketConnector(
        "market:tokopedia", sessions, marketplace="tokopedia", regions=regions
    )

    result = await connector.ingest(
        shared_data.joinpath(*PRDECT_ID), observed_at=SNAPSHOT_TIME
    )

    listings = await all_listings(sessions)
    assert len(titles) == 1308
    assert {listing.title for listing in listings} == titles
    assert {listing.shop_location for listing in listings} == cities
    assert len(listings) == len(first_price) == result.listings
    assert await count(sessions, MarketObservation) == len(first_price)
    async with sessions() as session:
        stored = (
            await session.execute(
                select(
                    MarketListing.title,
                    MarketListing.shop_location,
                    MarketObservation.price,
                ).join(
                    MarketObservation, MarketObservation.listing_id == MarketListing.id
                )
            )
        ).all()
    assert {(t.casefold(), loc): p for t, loc, p in stored} == first_price
    assert all(type(price) is Decimal for _, _, price in stored)


async def test_prdect_id_seller_cities_resolve_and_the_rest_are_listed(
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    shared_data: Path,
) -> None:
    connector = MarketConnector(
        "market:tokopedia", sessions, marketplace="tokopedia", regions=regions
    )

    result = await connector.ingest(
        shared_data.joinpath(*PRDECT_ID), observed_at=SNAPSHOT_TIME
    )

    listings = await all_listings(sessions)
    unresolved = {x.shop_location for x in listings if x.region_code is None}
    # Bare names of both a kabupaten and a kota cannot be told apart.
    assert unresolved == {"Bandung", "Bekasi", "Pekalongan"}
    assert result.unresolved_locations == {
        "Bandung": "ambiguous: 32.04 or 32.73",
        "Bekasi": "ambiguous: 32.16 or 32.75",
        "Pekalongan": "ambiguous: 33.26 or 33.75",
    }
    codes = {x.shop_location: x.region_code for x in listings}
    assert codes["Jakarta Barat"] == "31.73"
    assert codes["Kab. Tegal"] == "33.28"
    assert codes["Kab.\ufffdBekasi"] == codes["Kab. Bekasi"] == "32.16"
    assert codes["Kota Bandung"] == "32.73"
    assert len({code for code in codes.values() if code}) == 46


async def test_the_same_file_at_the_same_time_is_taken_in_once(
    sessions: async_sessionmaker[AsyncSession], shared_data: Path
) -> None:
    connector = MarketConnector("m", sessions, marketplace="tokopedia")
    path = shared_data.joinpath(*PRDECT_ID)

    first = await connector.ingest(path, observed_at=SNAPSHOT_TIME)
    again = await connector.ingest(path, observed_at=SNAPSHOT_TIME)

    assert (first.status, again.status) == ("succeeded", "unchanged")
    assert again.snapshot_id == first.snapshot_id
    assert await count(sessions, MarketSnapshot) == 1
    assert await count(sessions, MarketObservation) == first.listings
    async with sessions() as session:
        runs = list(
            await session.scalars(select(IngestionRun).order_by(IngestionRun.id))
        )
    assert [run.status for run in runs] == ["succeeded", "unchanged"]
    assert runs[0].input_checksum == runs[1].input_checksum
    assert len(runs[0].input_checksum or "") == 64


def listing_row(**values: str) -> dict[str, str]:
    row = {
        "product_id": "1",
        "name": "Beras Pandan Wangi 5 kg",
        "shop_name": "Toko Slawi",
        "shop_location": "Kab. Tegal",
        "category": "Makanan",
        "price": "Rp75.000",
        "sold": "1.250 terjual",
        "rating": "4,9",
        "review_count": "(1,2rb ulasan)",
    }
    row.update(values)
    return row


async def test_a_bad_value_names_file_line_field_and_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "toko_2025-09-13.csv",
        [listing_row(), listing_row(product_id="2", sold="banyak terjual")],
    )
    connector = MarketConnector("m", sessions, marketplace="tokopedia")

    with pytest.raises(MarketInputError) as caught:
        await connector.ingest(path)

    message = str(caught.value)
    assert str(path) in message
    assert "line 3" in message
    assert "field sold" in message
    assert "'banyak terjual'" in message
    assert await count(sessions, MarketListing) == 0
    async with sessions() as session:
        run = (await session.scalars(select(IngestionRun))).one()
    assert run.status == "failed"


async def test_a_failure_while_writing_rolls_the_whole_snapshot_back(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    # The store keeps rupiah to two decimals and refuses to round a third one.
    path = write_csv(
        tmp_path / "toko_2025-09-13.csv",
        [listing_row(), listing_row(product_id="2", price="Rp1.000,555")],
    )
    connector = MarketConnector("m", sessions, marketplace="tokopedia")

    with pytest.raises(Exception, match="more than 2 decimals"):
        await connector.ingest(path)

    assert await count(sessions, MarketListing) == 0
    assert await count(sessions, MarketSnapshot) == 0
    async with sessions() as session:
        statuses = list(await session.scalars(select(IngestionRun.status)))
    assert statuses == ["failed"]


async def test_indonesian_forms_are_stored_exactly_with_their_raw_text(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "toko.csv",
        [
            listing_row(
                price="Rp7.500 - Rp8.000", sold="10rb+ terjual", rating="4.9/5"
            ),
            listing_row(product_id="2", price="tidak tersedia", sold="", rating=""),
        ],
    )
    connector = MarketConnector("m", sessions, marketplace="tokopedia")

    await connector.ingest(path, observed_at=SNAPSHOT_TIME)

    async with sessions() as session:
        rows = list(
            await session.scalars(
                select(MarketObservation).order_by(MarketObservation.id)
            )
        )
    ranged, missing = rows
    assert (ranged.price, ranged.price_max) == (Decimal("7500.00"), Decimal("8000.00"))
    assert (ranged.sold_count, ranged.sold_is_lower_bound) == (10_000, True)
    assert ranged.rating == Decimal("4.90")
    assert (ranged.review_count, ranged.review_is_lower_bound) == (1_200, True)
    assert ranged.raw["price"] == "Rp7.500 - Rp8.000"
    assert ranged.raw["sold"] == "10rb+ terjual"
    assert (missing.price, missing.sold_count, missing.rating) == (None, None, None)
    assert missing.raw["price"] == "tidak tersedia"


async def test_observed_at_comes_from_argument_then_data_then_file_name(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    named = write_csv(tmp_path / "tokopedia_2025-09-13.csv", [listing_row()])
    dated = write_csv(
        tmp_path / "tokopedia_2025-09-14.csv",
        [listing_row(observed_at="2025-09-20T08:30:00+07:00")],
    )
    undated = write_csv(tmp_path / "tokopedia.csv", [listing_row(product_id="9")])
    connector = MarketConnector("m", sessions, marketplace="tokopedia")

    from_name = await connector.ingest(named)
    from_data = await connector.ingest(dated)
    from_argument = await connector.ingest(dated, observed_at=SNAPSHOT_TIME)
    with pytest.raises(MarketInputError, match="--observed-at"):
        await connector.ingest(undated)

    assert from_name.observed_at == datetime(2025, 9, 13, tzinfo=WIB)
    assert from_data.observed_at == datetime(2025, 9, 20, 8, 30, tzinfo=WIB)
    assert from_argument.observed_at == SNAPSHOT_TIME
    async with sessions() as session:
        listing = (await session.scalars(select(MarketListing))).one()
    assert listing.first_seen_at == SNAPSHOT_TIME
    assert listing.last_seen_at == datetime(2025, 9, 20, 8, 30, tzinfo=WIB)


async def test_marketplace_profiles_read_their_own_exports(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    shopee = write_json(
        tmp_path / "shopee_2025-09-13.json",
        {
            "items": [
                {
                    "itemid": 111,
                    "name": "Minyak Goreng Sania 2L",
                    "shop_name": "Sembako Adiwerna",
                    "shop_location": "Kab. Tegal",
                    "price": 3650000000,
                    "historical_sold": 845,
                    "item_rating": {"rating_star": 4.87},
                    "cmt_count": 312,
                }
            ]
        },
    )
    tiktok = write_jsonl(
        tmp_path / "tiktok_2025-09-13.jsonl",
        [
            {
                "product_id": "tt-1",
                "product_name": "Gula Pasir 1 kg",
                "shop_name": "Warung Bu Sri",
                "sale_price": "Rp17.500",
                "sold_count": "Terjual 750+",
                "rating": "4.8/5",
            }
        ],
    )
    declared = load_declared_profiles(
        {
            "shopee_api": {
                "marketplace": "shopee",
                "price_divisor": "100000",
                "columns": {
                    "listing_id": ["itemid"],
                    "title": ["name"],
                    "shop": ["shop_name"],
                    "shop_location": ["shop_location"],
                    "price": ["price"],
                    "sold": ["historical_sold"],
                    "rating": ["item_rating.rating_star"],
                    "review_count": ["cmt_count"],
                },
            }
        }
    )

    await MarketConnector(
        "s", sessions, marketplace="shopee", profiles=declared
    ).ingest(shopee, profile="shopee_api")
    await MarketConnector("t", sessions, marketplace="TikTok Shop").ingest(tiktok)

    async with sessions() as session:
        rows = (
            await session.execute(
                select(MarketListing, MarketObservation)
                .join(MarketObservation)
                .order_by(MarketListing.marketplace)
            )
        ).all()
    (shopee_listing, shopee_seen), (tiktok_listing, tiktok_seen) = rows
    assert (shopee_listing.marketplace, shopee_listing.external_id) == ("shopee", "111")
    assert shopee_seen.price == Decimal("36500.00")
    assert shopee_seen.rating == Decimal("4.87")
    assert (shopee_seen.sold_count, shopee_seen.review_count) == (845, 312)
    assert tiktok_listing.marketplace == "tiktok_shop"
    assert tiktok_seen.price == Decimal("17500.00")
    assert (tiktok_seen.sold_count, tiktok_seen.sold_is_lower_bound) == (750, True)


def test_an_invalid_declared_profile_is_named() -> None:
    with pytest.raises(ProfileError, match="'broken'"):
        load_declared_profiles({"broken": {"columns": {"colour": ["warna"]}}})


async def test_an_unknown_profile_lists_the_known_ones(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "x_2025-01-01.csv", [listing_row()])

    with pytest.raises(ProfileError, match="known profiles: bukalapak, generic"):
        await MarketConnector("m", sessions, marketplace="x").ingest(
            path, profile="nope"
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file holds no rows"),
        ("nama,umur\nBudi,30\n", "none of the profile's title columns"),
    ],
)
async def test_a_file_without_listings_is_refused_and_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "toko_2025-09-13.csv"
    path.write_text(text, encoding="utf-8")
    connector = MarketConnector("m", sessions, marketplace="tokopedia")

    with pytest.raises(MarketInputError, match=message) as caught:
        await connector.ingest(path)

    assert str(path) in str(caught.value)
    assert await count(sessions, MarketSnapshot) == 0
