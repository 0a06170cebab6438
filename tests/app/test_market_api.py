"""Big Market through the GraphQL endpoint: money stays an exact Decimal string."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.factory import create_app
from connectors.commodity_prices import ingest_commodity_prices
from connectors.regency_names import RegencyNameResolver
from tests.analytics.test_market_sales import ingest_two_snapshots
from tests.analytics.test_market_watch import independent_alerts
from tests.app.conftest import make_settings, open_client
from tests.market_support import BANDUNG_PRICES, regions, sessions

__all__ = ["regions", "sessions"]


@pytest.fixture
async def market_client(
    store_url: str,
    sessions: async_sessionmaker[AsyncSession],
    regions: RegencyNameResolver,
    shared_data: Path,
    tmp_path: Path,
) -> AsyncIterator[httpx.AsyncClient]:
    await ingest_two_snapshots(sessions, regions, tmp_path)
    prices = shared_data.joinpath(*BANDUNG_PRICES)
    await ingest_commodity_prices(sessions, prices, region_code="32.73")
    settings = make_settings(tmp_path, store_url=store_url, regency_code="33.28")
    async for client in open_client(create_app(settings)):
        yield client


async def run(client: httpx.AsyncClient, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_listings_carry_exact_money_and_lower_bounds(
    market_client: httpx.AsyncClient,
) -> None:
    data = await run(
        market_client,
        """{ listings(region: "33.28", search: "minyak") { total items {
             title shopLocation regionCode
             latest { price soldCount soldIsLowerBound raw } } } }""",
    )

    page = data["listings"]
    assert page["total"] == 1
    (item,) = page["items"]
    assert (item["title"], item["regionCode"]) == ("Minyak Goreng 2 L", "33.28")
    assert item["latest"]["price"] == "36000.00"
    assert (item["latest"]["soldCount"], item["latest"]["soldIsLowerBound"]) == (
        1000,
        True,
    )
    assert item["latest"]["raw"]["sold"] == "1rb+ terjual"


async def test_money_fields_are_decimal_in_the_schema(
    market_client: httpx.AsyncClient,
) -> None:
    data = await run(
        market_client,
        """{ __type(name: "Observation") { fields { name type { name ofType { name } } } } }""",
    )

    types = {
        f["name"]: f["type"]["name"] or f["type"]["ofType"]["name"]
        for f in data["__type"]["fields"]
    }
    assert {types[n] for n in ("price", "priceMax", "originalPrice", "rating")} == {
        "Decimal"
    }


async def test_top_sellers_default_to_the_regency(
    market_client: httpx.AsyncClient,
) -> None:
    data = await run(
        market_client,
        "{ topSellers(by: SHOP) { name regionCode salesMinimum salesMaximum revenueMinimum } }",
    )

    assert data["topSellers"] == [
        {
            "name": "Toko Slawi",
            "regionCode": "33.28",
            "salesMinimum": 170,
            "salesMaximum": None,
            "revenueMinimum": "11970000.00",
        },
        {
            "name": "Grosir Adiwerna",
            "regionCode": "33.28",
            "salesMinimum": 0,
            "salesMaximum": None,
            "revenueMinimum": "0.00",
        },
    ]


async def test_price_history_and_index(market_client: httpx.AsyncClient) -> None:
    listings = await run(
        market_client, '{ listings(search: "Beras") { items { id } } }'
    )
    listing_id = listings["listings"]["items"][0]["id"]

    data = await run(
        market_client,
        """query ($id: Int!) {
             priceHistory(listingId: $id) { observedAt minimum maximum listings }
             priceIndex(category: "Makanan", base: "2025-09-22") { period index matched }
           }""",
        id=listing_id,
    )

    assert [p["minimum"] for p in data["priceHistory"]] == ["75000.00", "75000.00"]
    assert data["priceIndex"] == [
        {"period": "2025-09-15", "index": "100.0000", "matched": 0},
        {"period": "2025-09-22", "index": "100.0000", "matched": 6},
    ]


async def test_staple_watch_and_alerts_on_the_bandung_series(
    market_client: httpx.AsyncClient, shared_data: Path
) -> None:
    expected = independent_alerts(shared_data.joinpath(*BANDUNG_PRICES))

    data = await run(
        market_client,
        """{ priceAlerts(region: "32.73", thresholdPercent: "10", windowDays: 7) {
               name day referenceDay price referencePrice changePercent direction source }
             stapleWatch(region: "32.73") { staple name latestDay latestPrice alerting } }""",
    )

    alerts = data["priceAlerts"]
    assert {(a["name"], a["day"]) for a in alerts} == {
        (c, d.isoformat()) for c, d, *_ in expected
    }
    assert all(a["source"] == "commodity" for a in alerts)
    assert all(isinstance(a["price"], str) for a in alerts)
    watched = {entry["name"] for entry in data["stapleWatch"]}
    assert "Cabai Rawit Merah" in watched


async def test_an_impossible_request_is_explained(
    market_client: httpx.AsyncClient,
) -> None:
    response = await market_client.post(
        "/graphql",
        json={
            "query": '{ priceIndex(category: "Makanan", base: "2020-01-01") { index } }'
        },
    )

    assert (
        "base period 2020-01-01 has no prices"
        in response.json()["errors"][0]["message"]
    )
