"""Every Open Data Jabar file, ingested and read back through /graphql, equals what
the csv module reads from the same file; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.factory import create_app
from connectors.file_ingest import FileOptions, ingest_path
from store.engine import create_session_factory, create_store_engine
from tests.app.conftest import make_settings, open_client

PAGE = 1000


@pytest.fixture
async def jabar(
    store_url: str, shared_data: Path, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    engine = create_store_engine(store_url)
    outcomes = await ingest_path(
        create_session_factory(engine),
        shared_data / "opendata-jabar",
        FileOptions("jabar"),
    )
    await engine.dispose()
    assert [o.status for o in outcomes] == ["succeeded"] * 5
    app = create_app(make_settings(tmp_path, store_url=store_url))
    async for client in open_client(app):
        yield client


async def query(
    client: httpx.AsyncClient, document: str, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": document, "variables": variables}
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def find_field(client: httpx.AsyncClient, table_name: str) -> str:
    """The generated root field serving a file dataset (named after the table)."""
    data = await query(
        client, "{ __schema { queryType { fields { name description } } } }"
    )
    dataset = table_name.removeprefix("ds_")
    for field in data["__schema"]["queryType"]["fields"]:
        if (field["description"] or "").startswith(f"Rows of files.{dataset},"):
            return str(field["name"])
    raise AssertionError(f"no generated field for {table_name}")


async def all_rows(
    client: httpx.AsyncClient, field: str, columns: list[str]
) -> tuple[int, list[dict[str, Any]]]:
    selection = " ".join(columns)  # generated types keep the column names
    nodes: list[dict[str, Any]] = []
    after, total = None, 0
    while True:
        data = await query(
            client,
            # No orderBy: the connector orders by the key (the row in the file).
            f"""query ($after: String) {{ page: {field}(first: {PAGE}, after: $after) {{
              totalCount nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}""",
            after=after,
        )
        page = data["page"]
        total = page["totalCount"]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return total, nodes
        after = page["pageInfo"]["endCursor"]


def expected(raw: str, data_type: str, code_kind: str | None) -> Any:
    """What the file's text means: the typing rules, applied independently
    (surrounding spaces are not part of a value)."""
    raw = raw.strip()
    if raw == "":
        return None
    if data_type == "integer":
        return int(Decimal(raw))
    if data_type == "decimal":
        return float(raw)
    if code_kind and raw.endswith(".0"):
        return raw[:-2]  # a code written as a float by the exporting program
    return raw


@pytest.mark.slow
async def test_every_opendata_jabar_file_reads_back_equal(
    jabar: httpx.AsyncClient, shared_data: Path
) -> None:
    data = await query(
        jabar,
        '{ datasets(agency: "jabar") { totalCount items { tableName rowCount '
        "columns { name dataType codeKind } } } }",
    )
    datasets = {
        Path(item["tableName"]).name: item for item in data["datasets"]["items"]
    }
    files = sorted((shared_data / "opendata-jabar").glob("*.csv"))

    assert data["datasets"]["totalCount"] == len(files) == 5
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reference = list(csv.DictReader(handle))
        item = next(
            d
            for d in datasets.values()
            if d["rowCount"] == len(reference) and _same_columns(d, reference)
        )
        field = await find_field(jabar, item["tableName"])
        columns = [c["name"] for c in item["columns"]]

        total, rows = await all_rows(jabar, field, columns)

        assert total == len(rows) == len(reference), path.name
        for column in item["columns"]:
            name = column["name"]
            got = [row[name] for row in rows]
            want = [
                expected(r[name], column["dataType"], column["codeKind"])
                for r in reference
            ]
            assert got == want, (path.name, name)


def _same_columns(item: dict[str, Any], reference: list[dict[str, str]]) -> bool:
    return [c["name"] for c in item["columns"]] == list(reference[0])


async def test_integers_past_32_bits_read_filter_and_aggregate_as_bigint(
    store_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "anggaran"
    folder.mkdir()
    (folder / "anggaran.csv").write_text(
        "kecamatan,anggaran,jumlah\nSlawi,5000000000,1\nAdiwerna,-5000000000,2\n",
        encoding="utf-8",
    )
    engine = create_store_engine(store_url)
    outcomes = await ingest_path(
        create_session_factory(engine), folder, FileOptions("bappeda")
    )
    await engine.dispose()
    assert [o.status for o in outcomes] == ["succeeded"]
    app = create_app(make_settings(tmp_path, store_url=store_url))

    async for client in open_client(app):
        field = await find_field(client, outcomes[0].table_name or "")
        data = await query(
            client,
            f"""query ($min: BigInt) {{
              big: {field}(filter: {{anggaran: {{gt: $min}}}}) {{ nodes {{ kecamatan anggaran }} }}
              all: {field}(orderBy: [{{column: anggaran}}]) {{ nodes {{ anggaran jumlah }} }}
              lit: {field}(filter: {{anggaran: {{lt: -3000000000}}}}) {{ totalCount }}
              agg: {field}Aggregate {{ max {{ anggaran }} }}
              types: __type(name: "BigInt") {{ kind }}
            }}""",
            min="3000000000",
        )

    assert data["big"]["nodes"] == [{"kecamatan": "Slawi", "anggaran": 5000000000}]
    assert data["all"]["nodes"] == [
        {"anggaran": -5000000000, "jumlah": 2},
        {"anggaran": 5000000000, "jumlah": 1},
    ]
    assert data["lit"] == {"totalCount": 1}
    assert data["agg"][0]["max"]["anggaran"] == 5000000000
    assert data["types"] == {"kind": "SCALAR"}
