"""The national food agency's daily prices for Kota Bandung, taken in as they are."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.commodity_prices import ingest_commodity_prices
from connectors.market_files import MarketInputError
from store.market import CommodityPrice
from tests.market_support import BANDUNG_PRICES, sessions, write_csv

__all__ = ["sessions"]

KOTA_BANDUNG = "32.73"


async def test_bandung_series_is_stored_with_zero_as_no_price(
    sessions: async_sessionmaker[AsyncSession], shared_data: Path
) -> None:
    path = shared_data.joinpath(*BANDUNG_PRICES)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))

    result = await ingest_commodity_prices(sessions, path, region_code=KOTA_BANDUNG)

    async with sessions() as session:
        stored = list(await session.scalars(select(CommodityPrice)))
    assert result.rows == len(rows) == len(stored) == 1625
    assert result.without_price == sum(row["Harga"] == "0" for row in rows)
    assert {(p.commodity, p.observed_on): p.price for p in stored} == {
        (row["Komoditas"], date.fromisoformat(row["Timestamp"])): (
            Decimal(row["Harga"]) if row["Harga"] != "0" else None
        )
        for row in rows
    }
    assert all(type(p.price) is Decimal for p in stored if p.price is not None)


async def test_the_same_file_again_is_unchanged_and_a_newer_one_updates(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    header = {
        "Timestamp": "",
        "ID": "27",
        "Komoditas": "Beras Premium",
        "Satuan": "Rp./Kg",
    }
    first = write_csv(
        tmp_path / "a.csv", [{**header, "Timestamp": "2025-09-13", "Harga": "16000"}]
    )
    newer = write_csv(
        tmp_path / "b.csv",
        [
            {**header, "Timestamp": "2025-09-13", "Harga": "16100"},
            {**header, "Timestamp": "2025-09-14", "Harga": "16200"},
        ],
    )

    runs = [
        await ingest_commodity_prices(sessions, first, region_code=KOTA_BANDUNG),
        await ingest_commodity_prices(sessions, first, region_code=KOTA_BANDUNG),
        await ingest_commodity_prices(sessions, newer, region_code=KOTA_BANDUNG),
    ]

    assert [run.status for run in runs] == ["succeeded", "unchanged", "succeeded"]
    async with sessions() as session:
        prices = dict(
            (
                await session.execute(
                    select(CommodityPrice.observed_on, CommodityPrice.price)
                )
            ).all()
        )
        total = await session.scalar(select(func.count()).select_from(CommodityPrice))
    assert total == 2
    assert prices == {
        date(2025, 9, 13): Decimal("16100"),
        date(2025, 9, 14): Decimal("16200"),
    }


async def test_a_bad_price_names_the_line_and_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            {
                "Timestamp": "2025-09-13",
                "Komoditas": "Gula",
                "Satuan": "Rp/kg",
                "Harga": "1",
            },
            {
                "Timestamp": "2025-09-14",
                "Komoditas": "Gula",
                "Satuan": "Rp/kg",
                "Harga": "naik",
            },
        ],
    )

    with pytest.raises(MarketInputError, match=r"line 3.*'naik'"):
        await ingest_commodity_prices(sessions, path, region_code=KOTA_BANDUNG)

    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(CommodityPrice)) == 0
        )


@pytest.mark.parametrize("region", ["notacode", "32.7", "32.73.x", ""])
async def test_a_malformed_region_code_is_refused_and_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, region: str
) -> None:
    path = write_csv(
        tmp_path / "prices.csv",
        [
            {
                "Timestamp": "2025-09-13",
                "Komoditas": "Gula",
                "Satuan": "Rp/kg",
                "Harga": "1",
            }
        ],
    )

    with pytest.raises(MarketInputError, match="not a Kemendagri region code"):
        await ingest_commodity_prices(sessions, path, region_code=region)

    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(CommodityPrice)) == 0
        )
