"""Catalog rows round-trip on both databases; lazy loads fail loudly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncEngine

from store.catalog import Agency, Dataset, DatasetColumn, IngestionRun, Source
from store.engine import create_session_factory, transaction


async def test_catalog_round_trip(store_engine: AsyncEngine) -> None:
    sessions = create_session_factory(store_engine)
    async with transaction(sessions) as session:
        agency = Agency(slug="dinkes", name="Dinas Kesehatan")
        source = Source(name="dinkes-db", kind="sql", agency=agency, settings={"a": 1})
        dataset = Dataset(source=source, name="puskesmas", title="Daftar Puskesmas")
        dataset.columns = [
            DatasetColumn(name="kode", data_type="text", code_kind="kemendagri"),
            DatasetColumn(name="nama", data_type="text", position=1),
        ]
        session.add_all([agency, source, dataset])

    async with sessions() as session:
        found = await session.scalar(select(Dataset).where(Dataset.name == "puskesmas"))

        assert found is not None
        assert found.title == "Daftar Puskesmas"
        assert found.access_level == "terbuka"
        assert found.created_at.tzinfo is not None
        with pytest.raises(InvalidRequestError):
            _ = found.columns  # relationships raise instead of lazy loading


async def test_ingestion_run_keeps_zone_and_json(store_engine: AsyncEngine) -> None:
    sessions = create_session_factory(store_engine)
    started = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    async with transaction(sessions) as session:
        session.add(
            IngestionRun(
                kind="file",
                input_name="a.csv",
                input_checksum="ab" * 32,
                status="failed",
                started_at=started,
                counts={"rows": 3},
                errors=[{"row": 2, "column": "x", "raw": "?"}],
            )
        )

    async with sessions() as session:
        run = await session.scalar(select(IngestionRun))

    assert run is not None
    assert run.started_at == started
    assert run.errors == [{"row": 2, "column": "x", "raw": "?"}]
