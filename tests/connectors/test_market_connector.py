"""The marketplace source through the common connector interface."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.base import (
    Aggregate,
    AggregateQuery,
    And,
    Condition,
    Not,
    Or,
    RowQuery,
    Sort,
    UnknownDatasetError,
)
from connectors.market import MarketConnector
from tests.market_support import sessions, write_csv

__all__ = ["sessions"]

ROWS = [
    ("1", "Beras 5 kg", "Toko A", "Sembako", "75000", "120"),
    ("2", "Gula 1 kg", "Toko A", "Sembako", "17500", "300"),
    ("3", "Kaos Polos", "Toko B", "Fashion", "45000,50", "10rb+"),
    ("4", "Sepatu 100% Kulit", "Toko B", "Fashion", "", ""),
]


@pytest.fixture
async def connector(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> MarketConnector:
    path = write_csv(
        tmp_path / "snap.csv",
        [
            {
                "product_id": i,
                "name": n,
                "shop_name": s,
                "category": c,
                "price": p,
                "sold": q,
            }
            for i, n, s, c, p, q in ROWS
        ],
    )
    market = MarketConnector("market:tokopedia", sessions, marketplace="tokopedia")
    await market.ingest(path, observed_at=datetime(2025, 9, 13, tzinfo=UTC))
    return market


async def test_describe_names_money_columns_as_decimal_rupiah(
    connector: MarketConnector,
) -> None:
    datasets = {d.name: d for d in await connector.describe()}

    assert set(datasets) == {"listings", "observations", "commodity_prices"}
    price = datasets["observations"].column("price")
    assert (price.data_type, price.unit) == ("decimal", "IDR")
    assert datasets["listings"].column("region_code").code_kind == "kemendagri"


async def test_query_pushes_filters_order_and_paging_down(
    connector: MarketConnector,
) -> None:
    page = await connector.query(
        RowQuery(
            "observations",
            filter=And(
                (
                    Condition("price", "gte", Decimal("17500")),
                    Not(Condition("price", "eq", Decimal("75000"))),
                )
            ),
            order_by=(Sort("price", descending=True),),
            columns=("listing_id", "price"),
            limit=1,
            with_total=True,
        )
    )

    assert page.total == 2
    assert page.rows == [{"listing_id": 3, "price": Decimal("45000.50")}]


async def test_text_filters_escape_wildcards(connector: MarketConnector) -> None:
    page = await connector.query(
        RowQuery(
            "listings",
            filter=Or(
                (
                    Condition("title", "contains", "100%"),
                    Condition("title", "starts_with", "Gula"),
                )
            ),
            columns=("title",),
        )
    )

    assert page.rows == [{"title": "Gula 1 kg"}, {"title": "Sepatu 100% Kulit"}]


async def test_aggregate_sums_money_exactly_per_group(
    connector: MarketConnector,
) -> None:
    rows = await connector.aggregate(
        AggregateQuery(
            "listings",
            aggregates=(Aggregate("count"),),
            group_by=("category",),
        )
    )
    sums = await connector.aggregate(
        AggregateQuery(
            "observations",
            aggregates=(Aggregate("sum", "price"), Aggregate("count", "sold_count")),
        )
    )

    assert sorted((r["category"], r["count__all"]) for r in rows) == [
        ("Fashion", 2),
        ("Sembako", 2),
    ]
    assert sums == [{"sum__price": Decimal("137500.50"), "count__sold_count": 3}]


async def test_load_by_keys_answers_in_key_order(connector: MarketConnector) -> None:
    found = await connector.load_by_keys(
        "listings", ["external_id"], [("3",), ("9",), ("1",)]
    )

    assert [[row["title"] for row in rows] for rows in found] == [
        ["Kaos Polos"],
        [],
        ["Beras 5 kg"],
    ]


async def test_stream_pages_through_every_row(connector: MarketConnector) -> None:
    batches = [batch async for batch in connector.stream("listings", batch_size=3)]

    assert [len(batch) for batch in batches] == [3, 1]


async def test_unknown_dataset_and_column_are_named(connector: MarketConnector) -> None:
    with pytest.raises(UnknownDatasetError, match="no dataset 'orders'"):
        await connector.query(RowQuery("orders"))
    with pytest.raises(UnknownDatasetError, match="no column 'colour'"):
        await connector.query(RowQuery("listings", columns=("colour",)))
