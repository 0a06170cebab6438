"""The SQL connector on real agency databases: reflection, read-only, errors, loads."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from connectors.base import (
    Aggregate,
    AggregateQuery,
    Condition,
    ReadOnlyViolationError,
    RowQuery,
    SourceQueryError,
    SourceUnavailableError,
    UnknownDatasetError,
)
from connectors.config import SourceConfig
from connectors.sql import SqlConnector
from tests.connectors.conftest import AgencySources

SOURCES = ["dpmdes", "dinsos", "dkpp"]


@pytest.fixture(params=SOURCES)
async def connector(
    request: pytest.FixtureRequest, agency_sources: AgencySources
) -> AsyncIterator[SqlConnector]:
    name = request.param
    sql = SqlConnector(
        SourceConfig(name=name, kind="sql", url=agency_sources.url(name))
    )
    await sql.open()
    yield sql
    await sql.close()


async def open_connector(name: str, url: str) -> SqlConnector:
    sql = SqlConnector(SourceConfig(name=name, kind="sql", url=url))
    await sql.open()
    return sql


async def test_reflects_tables_views_keys_relations_and_comments(
    agency_sources: AgencySources,
) -> None:
    sql = await open_connector("dinsos", agency_sources.dinsos_url)

    datasets = {dataset.name: dataset for dataset in await sql.describe()}
    await sql.close()

    assert set(datasets) == {
        "kabupaten_kota",
        "penduduk_miskin",
        "penduduk_miskin_2020",
    }
    miskin = datasets["penduduk_miskin"]
    assert miskin.key == ("id",)
    assert miskin.description == "Jumlah penduduk miskin per kabupaten/kota"
    assert miskin.column("jumlah").description == "Penduduk miskin, ribu jiwa"
    assert miskin.column("jumlah").data_type == "decimal"
    assert miskin.column("tahun").nullable is False
    [relation] = miskin.relations
    assert relation.columns == ("kode_wilayah",)
    assert relation.target_dataset == "kabupaten_kota"
    assert relation.target_columns == ("kode",)
    assert datasets["penduduk_miskin_2020"].metadata["is_view"] is True


async def test_reflects_sqlite_foreign_keys_and_dates(
    agency_sources: AgencySources,
) -> None:
    dpmdes = await open_connector("dpmdes", agency_sources.dpmdes_url)
    dkpp = await open_connector("dkpp", agency_sources.dkpp_url)

    pencemaran = {d.name: d for d in await dpmdes.describe()}["pencemaran_air"]
    [harga] = await dkpp.describe()
    await dpmdes.close()
    await dkpp.close()

    assert pencemaran.relations[0].target_dataset == "wilayah"
    assert harga.column("tanggal").data_type == "date"


WRITES = [
    "INSERT INTO {table} ({column}) VALUES (NULL)",
    "UPDATE {table} SET {column} = NULL",
    "DELETE FROM {table}",
    "CREATE TABLE bigone_should_not_exist (x INTEGER)",
    "DROP TABLE {table}",
]


@pytest.mark.parametrize("statement", WRITES)
async def test_every_write_fails_with_a_clear_error(
    connector: SqlConnector, statement: str
) -> None:
    [dataset, *_] = await connector.describe()
    sql = statement.format(table=dataset.name, column=dataset.columns[-1].name)

    with pytest.raises(ReadOnlyViolationError) as caught:
        await connector.execute(text(sql))

    assert f"source {connector.name!r} is read-only" in str(caught.value)
    assert caught.value.source == connector.name


async def test_write_fails_even_after_switching_the_session_back(
    agency_sources: AgencySources,
) -> None:
    sql = await open_connector("dinsos", agency_sources.dinsos_url)

    await sql.execute(text("SET default_transaction_read_only = off"))
    with pytest.raises(ReadOnlyViolationError):
        await sql.execute(text("DELETE FROM penduduk_miskin"))
    count = await sql.count("penduduk_miskin")
    await sql.close()

    assert count > 0


async def test_sqlite_cannot_turn_query_only_off(agency_sources: AgencySources) -> None:
    sql = await open_connector("dkpp", agency_sources.dkpp_url)

    await sql.execute(text("PRAGMA query_only = OFF"))
    with pytest.raises(ReadOnlyViolationError):
        await sql.execute(text("DELETE FROM harga_pangan"))
    count = await sql.count("harga_pangan")
    await sql.close()

    assert count > 0


async def test_unreachable_source_is_unavailable_and_named() -> None:
    sql = await open_connector(
        "mati", "postgresql+asyncpg://bigone@127.0.0.1:1/nothing"
    )

    with pytest.raises(SourceUnavailableError, match="source 'mati' does not answer"):
        await sql.ping()
    await sql.close()


async def test_unknown_dataset_and_column_are_named(connector: SqlConnector) -> None:
    [dataset, *_] = await connector.describe()

    with pytest.raises(UnknownDatasetError, match="no dataset 'nope'"):
        await connector.query(RowQuery("nope"))
    with pytest.raises(UnknownDatasetError, match="has no column 'nope'"):
        await connector.query(RowQuery(dataset.name, filter=Condition("nope", "eq", 1)))


async def test_sum_of_text_column_is_refused(agency_sources: AgencySources) -> None:
    sql = await open_connector("dinsos", agency_sources.dinsos_url)

    with pytest.raises(SourceQueryError, match="needs a numeric column"):
        await sql.aggregate(
            AggregateQuery("kabupaten_kota", (Aggregate("sum", "nama"),))
        )
    await sql.close()


async def test_load_by_keys_keeps_key_order_and_misses(
    agency_sources: AgencySources,
) -> None:
    sql = await open_connector("dinsos", agency_sources.dinsos_url)
    keys = [("32.73",), ("99.99",), ("32.01",), ("32.73",)]

    groups = await sql.load_by_keys("kabupaten_kota", ["kode"], keys)
    await sql.close()

    assert [[row["kode"] for row in group] for group in groups] == [
        ["32.73"],
        [],
        ["32.01"],
        ["32.73"],
    ]


async def test_stream_yields_every_row_in_batches(
    agency_sources: AgencySources,
) -> None:
    sql = await open_connector("dinsos", agency_sources.dinsos_url)

    batches = [batch async for batch in sql.stream("penduduk_miskin", batch_size=100)]
    total = await sql.count("penduduk_miskin")
    await sql.close()

    assert all(len(batch) <= 100 for batch in batches)
    ids = [row["id"] for batch in batches for row in batch]
    assert len(ids) == total == len(set(ids))
    assert ids == sorted(ids)
