"""Ingestion is atomic per file and idempotent, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from connectors.base import Aggregate, AggregateQuery, Condition, RowQuery, Sort
from connectors.file import FileConnector
from connectors.file_ingest import FileOptions, ingest_file
from store.catalog import Dataset, DatasetColumn, IngestionRun
from store.engine import create_session_factory
from store.files import FileDataset

GOOD = 'kecamatan,desa,penduduk\nSlawi,Procot,"1.234"\nSlawi,Kudaile,987\nAdiwerna,Pesarean,"2.000"\n'


@pytest.fixture
def sessions(store_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(store_engine)


@pytest.fixture
async def connector(store_engine: AsyncEngine) -> AsyncIterator[FileConnector]:
    yield FileConnector("files", store_engine)


async def snapshot(engine: AsyncEngine) -> dict[str, Any]:
    """Everything ingestion may touch except the run log."""
    async with engine.connect() as connection:
        tables = await connection.run_sync(
            lambda sync: sorted(
                t for t in sa.inspect(sync).get_table_names() if t.startswith("ds_")
            )
        )
        state: dict[str, Any] = {"tables": tables}
        for model in (Dataset, DatasetColumn, FileDataset):
            rows = await connection.execute(sa.select(model.__table__))
            state[model.__tablename__] = sorted(map(tuple, rows), key=repr)
        for table in tables:
            rows = await connection.execute(sa.text(f'SELECT * FROM "{table}"'))
            state[table] = sorted(map(tuple, rows), key=repr)
    return state


async def runs(sessions: async_sessionmaker[AsyncSession]) -> list[IngestionRun]:
    async with sessions() as session:
        return list(
            await session.scalars(sa.select(IngestionRun).order_by(IngestionRun.id))
        )


async def test_same_bytes_change_nothing(
    sessions: async_sessionmaker[AsyncSession],
    store_engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text(GOOD, encoding="utf-8")
    first = await ingest_file(sessions, path, FileOptions("dinkes"))
    before = await snapshot(store_engine)

    again = await ingest_file(sessions, path, FileOptions("dinkes"))

    assert [o.status for o in first] == ["succeeded"]
    assert [o.status for o in again] == ["unchanged"]
    assert again[0].version == first[0].version == 1
    assert await snapshot(store_engine) == before
    recorded = await runs(sessions)
    assert [r.status for r in recorded] == ["succeeded", "unchanged"]
    assert recorded[0].input_checksum == recorded[1].input_checksum
    assert recorded[0].details["encoding"] == "utf-8"
    assert recorded[0].details["delimiter"] == ","
    assert recorded[0].counts["rows_loaded"] == 3


async def test_changed_bytes_make_a_new_version(
    sessions: async_sessionmaker[AsyncSession], connector: FileConnector, tmp_path: Path
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text(GOOD, encoding="utf-8")
    await ingest_file(sessions, path, FileOptions("dinkes"))
    path.write_text(GOOD + 'Adiwerna,Ujungrusi,"3.100"\n', encoding="utf-8")

    outcome = (await ingest_file(sessions, path, FileOptions("dinkes")))[0]
    page = await connector.query(
        RowQuery(
            "dinkes__penduduk",
            filter=Condition("penduduk", "gte", 2000),
            order_by=(Sort("penduduk", descending=True),),
            with_total=True,
        )
    )
    sums = await connector.aggregate(
        AggregateQuery(
            "dinkes__penduduk", (Aggregate("sum", "penduduk"),), group_by=("kecamatan",)
        )
    )

    assert (outcome.status, outcome.version, outcome.rows) == ("succeeded", 2, 4)
    assert [row["desa"] for row in page.rows] == ["Ujungrusi", "Pesarean"]
    assert page.total == 2
    assert sums == [
        {"kecamatan": "Adiwerna", "sum__penduduk": 5100},
        {"kecamatan": "Slawi", "sum__penduduk": 2221},
    ]


@pytest.mark.parametrize(
    ("content", "options", "row"),
    [
        (GOOD + "Slawi,Dukuhwringin,1,234\n", {}, 5),
        ((GOOD + "Slawi,Pesé,10\n").encode("windows-1252"), {"encoding": "utf-8"}, 5),
    ],
    ids=["ragged-row", "wrong-encoding-claim"],
)
async def test_a_broken_file_leaves_the_store_as_it_was(
    sessions: async_sessionmaker[AsyncSession],
    store_engine: AsyncEngine,
    tmp_path: Path,
    content: str | bytes,
    options: dict[str, str],
    row: int,
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text(GOOD, encoding="utf-8")
    await ingest_file(sessions, path, FileOptions("dinkes"))
    before = await snapshot(store_engine)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)

    outcome = (await ingest_file(sessions, path, FileOptions("dinkes", **options)))[0]

    assert outcome.status == "failed"
    assert outcome.problems[0].row == row
    assert outcome.problems[0].file == str(path)
    assert await snapshot(store_engine) == before
    failed = (await runs(sessions))[-1]
    assert failed.status == "failed"
    assert failed.errors[0]["row"] == row


async def test_a_store_failure_mid_file_rolls_everything_back(
    sessions: async_sessionmaker[AsyncSession],
    store_engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text(GOOD, encoding="utf-8")
    await ingest_file(sessions, path, FileOptions("dinkes"))
    before = await snapshot(store_engine)
    # A second file whose dataset table name is already taken by a foreign table:
    # the catalog rows are written, then creating the table fails.
    async with store_engine.begin() as connection:
        await connection.execute(sa.text("CREATE TABLE ds_dinkes__blocked (x INTEGER)"))
        await connection.execute(sa.text("INSERT INTO ds_dinkes__blocked VALUES (1)"))
    before["tables"] = sorted([*before["tables"], "ds_dinkes__blocked"])
    before["ds_dinkes__blocked"] = [(1,)]
    blocked = tmp_path / "blocked.csv"
    blocked.write_text(GOOD, encoding="utf-8")

    outcome = (await ingest_file(sessions, blocked, FileOptions("dinkes")))[0]

    assert outcome.status == "failed"
    assert await snapshot(store_engine) == before
