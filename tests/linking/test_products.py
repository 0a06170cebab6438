"""Product identity across shops and marketplaces, written to both graph backends."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.market import MarketConnector
from graph.base import GraphStore
from linking.embedder import Embedder
from linking.products import (
    ProductLinker,
    ProductMatchingOptions,
    normalise_title,
    shop_id,
)
from store.market import MarketListing
from tests.market_support import PRDECT_ID, sessions, write_csv, write_jsonl

__all__ = ["sessions"]

WHEN = datetime(2025, 9, 13, 3, tzinfo=UTC)


async def ingest_cross_marketplace(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    tokopedia = write_csv(
        tmp_path / "tokopedia.csv",
        [
            {"product_id": "t1", "name": "Minyak Goreng Bimoli 2 Liter Pouch",
             "shop_name": "Toko Slawi", "price": "Rp38.000"},
            {"product_id": "t2", "name": "Minyak Goreng Bimoli 1 Liter Pouch",
             "shop_name": "Toko Slawi", "price": "Rp20.000"},
            {"product_id": "t3", "name": "Beras Pandan Wangi 5 kg",
             "shop_name": "Toko Slawi", "price": "Rp75.000"},
        ],
    )  # fmt: skip
    shopee = write_jsonl(
        tmp_path / "shopee.jsonl",
        [
            {"itemid": 9, "name": "PROMO Bimoli Minyak Goreng Pouch 2 Liter - READY STOCK",
             "shop_name": "Grosir Adiwerna", "price": "37500"},
            {"itemid": 11, "name": "Minyak Goreng Sania 2 Liter Pouch",
             "shop_name": "Grosir Adiwerna", "price": "37000"},
            {"itemid": 10, "name": "Beras Pandan Wangi 5 kg",
             "shop_name": "Beras Murah", "price": "750000"},
        ],
    )  # fmt: skip
    await MarketConnector("t", sessions, marketplace="tokopedia").ingest(
        tokopedia, observed_at=WHEN
    )
    await MarketConnector("s", sessions, marketplace="shopee").ingest(
        shopee, observed_at=WHEN
    )


async def products_by_listing(
    sessions: async_sessionmaker[AsyncSession],
) -> dict[str, str]:
    async with sessions() as session:
        listings = list(await session.scalars(select(MarketListing)))
    return {x.external_id or x.title: x.product_id or "" for x in listings}


async def test_one_product_across_marketplaces_and_shops(
    sessions: async_sessionmaker[AsyncSession],
    graph_store: GraphStore,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    await ingest_cross_marketplace(sessions, tmp_path)

    result = await ProductLinker(sessions, graph_store, embedder).link_products()

    product = await products_by_listing(sessions)
    assert product["t1"] == product["9"]  # the same oil, two marketplaces
    assert product["11"] != product["t1"]  # another brand
    assert product["t2"] != product["t1"]  # 1 litre is not 2 litres
    assert product["t3"] != product["10"]  # ten times the price is not the same rice
    assert (result.listings, result.products, result.shops) == (6, 5, 3)
    oil = await graph_store.find_node(product["t1"])
    assert oil is not None
    assert (oil.label, oil.kind) == ("Entity", "product")
    assert oil.properties["marketplaces"] == ["shopee", "tokopedia"]
    edges = await graph_store.list_edges(
        product["t1"], types=["SOLD_BY"], direction="out"
    )
    assert {edge.target_id for edge in edges} == {
        shop_id("tokopedia", "Toko Slawi"),
        shop_id("shopee", "Grosir Adiwerna"),
    }
    shop = await graph_store.find_node(shop_id("shopee", "Grosir Adiwerna"))
    assert shop is not None
    assert (shop.kind, shop.name) == ("organisation", "Grosir Adiwerna")


async def test_linking_again_gives_the_same_products(
    sessions: async_sessionmaker[AsyncSession],
    graph_store: GraphStore,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    await ingest_cross_marketplace(sessions, tmp_path)
    linker = ProductLinker(sessions, graph_store, embedder)

    await linker.link_products()
    first = await products_by_listing(sessions)
    await linker.link_products()

    assert await products_by_listing(sessions) == first
    assert await graph_store.count_nodes("Entity") == 5 + 3


async def test_a_product_no_longer_found_is_retired_not_deleted(
    sessions: async_sessionmaker[AsyncSession],
    graph_store: GraphStore,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    await ingest_cross_marketplace(sessions, tmp_path)
    strict = ProductMatchingOptions(min_similarity=0.999)
    await ProductLinker(sessions, graph_store, embedder, strict).link_products()
    split = await products_by_listing(sessions)

    result = await ProductLinker(sessions, graph_store, embedder).link_products()

    merged = await products_by_listing(sessions)
    assert split["t1"] != split["9"]
    assert merged["t1"] == merged["9"]
    assert result.retired_products == 1
    (retired_id,) = {split["t1"], split["9"]} - {merged["t1"]}
    retired = await graph_store.find_node(retired_id)
    assert retired is not None
    assert retired.properties["status"] == "retired"
    assert await graph_store.list_edges(retired_id, types=["SOLD_BY"]) == []
    current = await graph_store.find_node(merged["t1"])
    assert current is not None
    assert current.properties["status"] == "active"


@pytest.mark.slow
async def test_prdect_id_listings_become_products(
    sessions: async_sessionmaker[AsyncSession],
    graph_store: GraphStore,
    embedder: Embedder,
    shared_data: Path,
) -> None:
    path = shared_data.joinpath(*PRDECT_ID)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    locations: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        locations[" ".join(row["Product Name"].split())].add(
            " ".join(row["Location"].split())
        )
    in_two_places = {title for title, places in locations.items() if len(places) > 1}
    await MarketConnector("t", sessions, marketplace="tokopedia").ingest(
        path, observed_at=WHEN
    )

    result = await ProductLinker(sessions, graph_store, embedder).link_products()

    async with sessions() as session:
        listings = list(await session.scalars(select(MarketListing)))
    assert all(listing.product_id for listing in listings)
    products_of: dict[str, set[str]] = defaultdict(set)
    for listing in listings:
        products_of[listing.title].add(listing.product_id or "")
    assert len(in_two_places) == 4
    assert all(len(products_of[title]) == 1 for title in in_two_places)
    distinct_titles = {normalise_title(title) for title in locations}
    assert result.products <= len(distinct_titles)
    assert await graph_store.count_nodes("Entity") == result.products
