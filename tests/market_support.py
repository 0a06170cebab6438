"""Helpers shared by Big Market's tests: sessions, snapshot files, the real inputs."""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from connectors.regency_names import RegencyNameResolver
from store.engine import create_session_factory

PRDECT_ID = ("prdect-id", "PRDECT-ID Dataset.csv")
BANDUNG_PRICES = ("harga-pangan-bandung", "harga_komoditas_konsumen_kota_bandung.csv")
WILAYAH = ("wilayah-kemendagri", "wilayah.sql")


@pytest.fixture
async def sessions(
    store_engine: AsyncEngine,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a freshly migrated store of each backend."""
    yield create_session_factory(store_engine)


@pytest.fixture(scope="session")
def regions(shared_data: Path) -> RegencyNameResolver:
    return RegencyNameResolver.from_file(shared_data.joinpath(*WILAYAH))


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
