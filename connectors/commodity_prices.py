"""Daily commodity prices (Badan Pangan Nasional's "harga konsumen") into the store.

The input is the agency's CSV as republished day by day: ``Timestamp`` (ISO
date), ``Komoditas``, ``Satuan``, ``Harga`` and yesterday's figures, which are
derived and not stored. A price of 0 means the agency published none that day
and is stored as ``None``. Files of a growing series overlap: a day already in
the store is updated, so taking in the newer file is enough. An identical file
(same checksum, same region) is not taken in twice.
"""

from __future__ import annotations

import asyncio
import csv
import logging
import re
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.market_files import MarketInputError, checksum_file
from indonesian.market_numbers import MarketNumberError, parse_price
from store.base import utcnow
from store.catalog import IngestionRun
from store.engine import transaction
from store.market import CommodityPrice

logger = logging.getLogger(__name__)

REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
RUN_KIND = "commodity_prices"
DEFAULT_SOURCE = "badan_pangan"
REQUIRED_COLUMNS = ("Timestamp", "Komoditas", "Satuan", "Harga")
BATCH = 500


@dataclass(frozen=True)
class CommodityPriceRow:
    commodity: str
    unit: str | None
    observed_on: date
    price: Decimal | None
    raw_price: str


@dataclass(frozen=True)
class CommodityPricesResult:
    run_id: int
    status: Literal["succeeded", "unchanged"]
    rows: int
    without_price: int
    commodities: int


def read_commodity_prices(path: Path) -> list[CommodityPriceRow]:
    """The rows of a commodity price CSV; raises ``MarketInputError`` naming line and value.

    Blocking: run it in a thread.
    """
    rows: list[CommodityPriceRow] = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise MarketInputError(
                f"{path}: missing columns {', '.join(missing)}; expected the Badan "
                f"Pangan format with {', '.join(REQUIRED_COLUMNS)}"
            )
        for record in reader:
            rows.append(_read_row(path, reader.line_num, record))
    return rows


def _read_row(path: Path, line: int, record: dict[str, str]) -> CommodityPriceRow:
    raw_price = record["Harga"] or ""
    try:
        day = date.fromisoformat(record["Timestamp"].strip()[:10])
        price = parse_price(raw_price)
    except (ValueError, MarketNumberError) as error:
        raise MarketInputError(
            f"{path}: line {line}: cannot read Timestamp {record['Timestamp']!r} "
            f"/ Harga {raw_price!r}: {error}"
        ) from error
    amount = price.minimum if price is not None and price.minimum > 0 else None
    return CommodityPriceRow(
        commodity=" ".join(record["Komoditas"].split()),
        unit=(record["Satuan"] or "").strip() or None,
        observed_on=day,
        price=amount,
        raw_price=raw_price,
    )


async def ingest_commodity_prices(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    region_code: str,
    source: str = DEFAULT_SOURCE,
) -> CommodityPricesResult:
    """Take a commodity price file into the store for one region; atomic, idempotent.

    Raises ``MarketInputError`` for a bad file or a malformed region code
    (nothing is written then).
    """
    if not REGION_CODE.fullmatch(region_code):
        raise MarketInputError(
            f"{region_code!r} is not a Kemendagri region code; give one like 33 "
            "(province), 33.28 (regency), 33.28.01 (district) or 33.28.01.2001"
        )
    rows = await asyncio.to_thread(read_commodity_prices, path)
    checksum = await asyncio.to_thread(checksum_file, path)
    started = time.monotonic()
    counts = {
        "rows": len(rows),
        "without_price": sum(1 for row in rows if row.price is None),
        "commodities": len({row.commodity for row in rows}),
    }
    async with transaction(sessions) as session:
        unchanged = await _already_in(session, checksum, region_code, source)
        run = IngestionRun(
            kind=RUN_KIND,
            input_name=str(path),
            input_checksum=checksum,
            status="unchanged" if unchanged else "succeeded",
            counts=counts,
            details={"region_code": region_code, "source": source},
        )
        session.add(run)
        await session.flush()
        if not unchanged:
            await _upsert_prices(session, rows, region_code, source, run.id)
        run.finished_at = utcnow()
        run.duration_ms = int((time.monotonic() - started) * 1000)
    logger.info(
        "commodity_prices.ingested region=%s file=%s status=%s rows=%d",
        region_code, path.name, run.status, len(rows),
    )  # fmt: skip
    return CommodityPricesResult(run.id, run.status, **counts)  # type: ignore[arg-type]


async def _already_in(
    session: AsyncSession, checksum: str, region_code: str, source: str
) -> bool:
    query = select(IngestionRun.details).where(
        IngestionRun.kind == RUN_KIND,
        IngestionRun.input_checksum == checksum,
        IngestionRun.status == "succeeded",
    )
    details = list(await session.scalars(query))
    return any(
        d.get("region_code") == region_code and d.get("source") == source
        for d in details
    )


async def _upsert_prices(
    session: AsyncSession,
    rows: list[CommodityPriceRow],
    region_code: str,
    source: str,
    run_id: int,
) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values: list[dict[str, Any]] = [
        {
            "source": source,
            "region_code": region_code,
            "commodity": row.commodity,
            "unit": row.unit,
            "observed_on": row.observed_on,
            "price": row.price,
            "raw_price": row.raw_price,
            "run_id": run_id,
        }
        for row in rows
    ]
    for start in range(0, len(values), BATCH):
        statement = insert(CommodityPrice).values(values[start : start + BATCH])
        statement = statement.on_conflict_do_update(
            index_elements=["source", "region_code", "commodity", "observed_on"],
            set_={
                "price": statement.excluded.price,
                "raw_price": statement.excluded.raw_price,
                "unit": statement.excluded.unit,
                "run_id": statement.excluded.run_id,
            },
        )
        await session.execute(statement)
