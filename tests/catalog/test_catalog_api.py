"""The Satu Data catalog through /graphql: search, steward edits with history,
validation as union members, and data-quality profiles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.factory import create_app
from connectors.file_ingest import FileOptions, ingest_file
from store.engine import create_session_factory, create_store_engine
from store.regions import Region
from tests.app.conftest import make_settings, open_client
from tests.security.conftest import JWT_SECRET, token

PENDUDUK = (
    "kode_kecamatan,kecamatan,jumlah_penduduk,tanggal\n"
    '33.28.10,Slawi,"1.234",16 Maret 2021\n'
    "33.28.01,Margasari,,16/3/2021\n"
    '33.28.77,Entah,"2.000",17 Maret 2021\n'
)
HARGA = 'komoditas,harga\nBeras,"Rp 12.500"\nGula,"Rp 16.000"\n'


@pytest.fixture
async def client(store_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    engine = create_store_engine(store_url)
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        session.add_all(
            Region(
                edition="2025",
                code=code,
                name=name,
                level=code.count(".") + 1,
                parent_code=code.rpartition(".")[0] or None,
            )
            for code, name in [
                ("33", "Jawa Tengah"),
                ("33.28", "Kabupaten Tegal"),
                ("33.28.10", "Slawi"),
                ("33.28.01", "Margasari"),
            ]
        )
    (tmp_path / "penduduk.csv").write_text(PENDUDUK, encoding="utf-8")
    (tmp_path / "harga.csv").write_text(HARGA, encoding="utf-8")
    await ingest_file(sessions, tmp_path / "penduduk.csv", FileOptions("disdukcapil"))
    await ingest_file(sessions, tmp_path / "harga.csv", FileOptions("disperindag"))
    await engine.dispose()
    settings = make_settings(tmp_path, store_url=store_url, jwt_secret=JWT_SECRET)
    async for http in open_client(create_app(settings)):
        # Editing metadata is a steward's work; stewards read terbuka and terbatas.
        http.headers["authorization"] = f"Bearer {token('steward')}"
        yield http


async def gql(
    client: httpx.AsyncClient, document: str, **variables: Any
) -> dict[str, Any]:
    body = (
        await client.post("/graphql", json={"query": document, "variables": variables})
    ).json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def dataset_id(client: httpx.AsyncClient, agency: str) -> int:
    data = await gql(
        client, "query ($a: String) { datasets(agency: $a) { items { id } } }", a=agency
    )
    return int(data["datasets"]["items"][0]["id"])


UPDATE = """mutation ($input: DatasetMetadataInput!) {
  updateDatasetMetadata(input: $input) {
    __typename
    ... on MetadataUpdated { dataset { title sector accessLevel keywords version
                                       columns { name unit codeKind concept } } }
    ... on MetadataInvalid { field value message allowed }
    ... on DatasetNotFound { datasetId }
  }
}"""


async def test_steward_edits_are_validated_and_kept_as_history(
    client: httpx.AsyncClient,
) -> None:
    ident = await dataset_id(client, "disdukcapil")
    good = {
        "datasetId": ident,
        "changedBy": "walidata@bappeda",
        "title": "Jumlah Penduduk per Kecamatan",
        "sector": "Kependudukan",
        "accessLevel": "TERBATAS",
        "keywords": ["penduduk", "kecamatan"],
        "columns": [{"name": "jumlah_penduduk", "unit": "JIWA", "concept": "Penduduk"}],
    }

    updated = await gql(client, UPDATE, input=good)
    bad_unit = await gql(
        client,
        UPDATE,
        input={
            "datasetId": ident,
            "changedBy": "x",
            "columns": [{"name": "jumlah_penduduk", "unit": "parsec"}],
        },
    )
    bad_kind = await gql(
        client,
        UPDATE,
        input={
            "datasetId": ident,
            "changedBy": "x",
            "columns": [{"name": "kecamatan", "codeKind": "zodiak"}],
        },
    )
    missing = await gql(client, UPDATE, input={"datasetId": 9999, "title": "t"})
    history = await gql(
        client,
        "query ($id: Int!) { dataset(id: $id) { "
        "history { changedBy columnName changes } } }",
        id=ident,
    )

    result = updated["updateDatasetMetadata"]
    assert result["__typename"] == "MetadataUpdated"
    assert result["dataset"]["sector"] == "kependudukan"
    assert result["dataset"]["accessLevel"] == "TERBATAS"
    column = next(
        c for c in result["dataset"]["columns"] if c["name"] == "jumlah_penduduk"
    )
    assert (column["unit"], column["concept"]) == ("jiwa", "Penduduk")
    assert (
        next(c for c in result["dataset"]["columns"] if c["name"] == "kode_kecamatan")[
            "codeKind"
        ]
        == "wilayah_kemendagri"
    )
    invalid = bad_unit["updateDatasetMetadata"]
    assert invalid["__typename"] == "MetadataInvalid"
    assert (invalid["field"], invalid["value"]) == (
        "columns.jumlah_penduduk.unit",
        "parsec",
    )
    assert "jiwa" in invalid["allowed"]
    assert bad_kind["updateDatasetMetadata"]["field"] == "columns.kecamatan.codeKind"
    assert missing["updateDatasetMetadata"] == {
        "__typename": "DatasetNotFound",
        "datasetId": 9999,
    }
    changes = history["dataset"]["history"]
    assert (
        len(changes) == 2
    )  # the dataset edit and the column edit; rejected edits left nothing
    assert changes[0]["columnName"] == "jumlah_penduduk"
    assert changes[0]["changes"]["unit"] == {"old": None, "new": "jiwa"}
    assert changes[1]["changes"]["sector"] == {"old": None, "new": "kependudukan"}
    # The history names the authenticated steward; the typed name is only a label.
    assert changes[1]["changedBy"] == "jwt:user-steward- (walidata@bappeda)"


async def test_search_by_text_agency_sector_and_access(
    client: httpx.AsyncClient,
) -> None:
    ident = await dataset_id(client, "disperindag")
    await gql(
        client,
        UPDATE,
        input={
            "datasetId": ident,
            "changedBy": "s",
            "sector": "pangan",
            "keywords": ["beras"],
        },
    )

    def names(data: dict[str, Any]) -> list[str]:
        return [item["name"] for item in data["datasets"]["items"]]

    everything = await gql(client, "{ datasets { totalCount items { name } } }")
    by_text = await gql(client, '{ datasets(search: "BERAS") { items { name } } }')
    by_agency = await gql(
        client, '{ datasets(agency: "disdukcapil") { items { name } } }'
    )
    by_sector = await gql(client, '{ datasets(sector: "Pangan") { items { name } } }')
    by_access = await gql(client, "{ datasets(access: TERTUTUP) { totalCount } }")

    assert everything["datasets"]["totalCount"] == 2
    assert names(by_text) == names(by_sector) == ["harga"]
    assert names(by_agency) == ["penduduk"]
    assert by_access["datasets"]["totalCount"] == 0


async def test_profile_counts_nulls_ranges_and_invalid_codes(
    client: httpx.AsyncClient,
) -> None:
    ident = await dataset_id(client, "disdukcapil")

    data = await gql(
        client,
        "query ($id: Int!) { dataset(id: $id) { profile { rows columns { name nulls nullShare "
        "distinct minimum maximum codeKind invalidCodes invalidExamples } } } }",
        id=ident,
    )

    profile = data["dataset"]["profile"]
    columns = {c["name"]: c for c in profile["columns"]}
    assert profile["rows"] == 3
    assert columns["jumlah_penduduk"]["nulls"] == 1
    assert columns["jumlah_penduduk"]["nullShare"] == pytest.approx(1 / 3, abs=1e-4)
    assert (
        columns["jumlah_penduduk"]["minimum"],
        columns["jumlah_penduduk"]["maximum"],
    ) == (1234, 2000)
    assert (columns["tanggal"]["minimum"], columns["tanggal"]["maximum"]) == (
        "2021-03-16",
        "2021-03-17",
    )
    assert columns["tanggal"]["distinct"] == 2
    assert columns["kode_kecamatan"]["invalidCodes"] == 1
    assert columns["kode_kecamatan"]["invalidExamples"] == ["33.28.77"]


async def test_closing_a_dataset_applies_at_the_next_request_everywhere(
    client: httpx.AsyncClient,
) -> None:
    ident = await dataset_id(client, "disperindag")
    catalogs = (
        '{ datasets { items { name } } __type(name: "Query") { fields { name } } }'
    )
    anonymous = {"authorization": ""}
    before = await client.post("/graphql", json={"query": catalogs}, headers=anonymous)
    await gql(
        client, UPDATE, input={"datasetId": ident, "accessLevel": "TERTUTUP"}
    )  # the access index is cached for 30 s unless the edit invalidates it

    listed = await client.post("/graphql", json={"query": catalogs}, headers=anonymous)
    by_id = await client.post(
        "/graphql",
        json={"query": f"{{ dataset(id: {ident}) {{ name }} }}"},
        headers=anonymous,
    )
    ckan = await client.get("/api/3/action/package_list", headers=anonymous)
    dcat = await client.get("/catalog.jsonld", headers=anonymous)

    def names(response: httpx.Response) -> list[str]:
        return [i["name"] for i in response.json()["data"]["datasets"]["items"]]

    def fields(response: httpx.Response) -> set[str]:
        return {f["name"] for f in response.json()["data"]["__type"]["fields"]}

    assert "harga" in names(before)
    assert "harga" not in names(listed)
    # The per-role schema follows: the dataset's own fields are gone too.
    gone = {name for name in fields(before) - fields(listed) if "Harga" in name}
    assert gone
    assert by_id.json()["data"]["dataset"] is None
    assert "harga" not in ckan.text
    assert "harga" not in dcat.text
