"""A live SQL source enters the catalog closed by default, its personal columns marked.

The catalog sync gives a newly catalogued dataset its source's ``access_level``
or the server's uncatalogued level, and marks columns whose names say NIK,
phone, e-mail or a private person's name personal, as file ingestion does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.factory import create_app
from tests.app.conftest import make_settings, open_client

UMKM = """
agencies:
  - slug: dinkop
    name: Dinas Koperasi dan UKM
sources:
  - name: dinkop
    kind: sql
    agency: dinkop
    url: {url}
{level}"""
NIK = "3328101201800001"
ROWS_QUERY = "{ dinkopUmkm { nodes { nama nik omzet } } }"
NIK_FILTER = '{ dinkopUmkm(filter: {nik: {eq: "' + NIK + '"}}) { totalCount } }'
CATALOG_QUERY = """{ datasets(agency: "dinkop") { items { accessLevel
  columns { name isPersonal } } } }"""


async def umkm_database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'dinkop.db'}"
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE umkm (id INTEGER PRIMARY KEY, nama TEXT, nik TEXT, "
                "omzet INTEGER, tgl DATE)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO umkm VALUES "
                f"(1, 'Warung Sate Slawi', '{NIK}', 1500000, '2024-03-01')"
            )
        )
    await engine.dispose()
    return url


async def ask(http: httpx.AsyncClient, query: str) -> dict[str, Any]:
    body: dict[str, Any] = (await http.post("/graphql", json={"query": query})).json()
    return body


async def serve(tmp_path: Path, level: str, **overrides: Any) -> Any:
    config = tmp_path / "sources.yaml"
    url = await umkm_database(tmp_path)
    config.write_text(UMKM.format(url=url, level=level), encoding="utf-8")
    return create_app(make_settings(tmp_path, config=config, **overrides))


async def test_an_uncatalogued_sql_dataset_gets_the_configured_level(
    tmp_path: Path,
) -> None:
    app = await serve(tmp_path, level="")

    async for http in open_client(app):
        rows = await ask(http, ROWS_QUERY)
        catalog = await ask(http, CATALOG_QUERY)

    # The server default (BIGONE_UNCATALOGUED_ACCESS_LEVEL) is tertutup.
    assert rows["data"] is None
    assert NIK not in str(rows)
    assert catalog["data"]["datasets"]["items"] == []


async def test_an_open_sql_source_masks_and_guards_its_personal_columns(
    tmp_path: Path,
) -> None:
    app = await serve(tmp_path, level="    access_level: terbuka\n")

    async for http in open_client(app):
        rows = await ask(http, ROWS_QUERY)
        by_nik = await ask(http, NIK_FILTER)
        catalog = await ask(http, CATALOG_QUERY)

    [row] = rows["data"]["dinkopUmkm"]["nodes"]
    assert row["nik"] == f"{NIK[:6]}****"
    assert (row["nama"], row["omzet"]) == ("Warung Sate Slawi", 1500000)
    assert "filtering or sorting by nik" in by_nik["errors"][0]["message"]
    [entry] = catalog["data"]["datasets"]["items"]
    assert entry["accessLevel"] == "TERBUKA"
    personal = {c["name"]: c["isPersonal"] for c in entry["columns"]}
    assert personal == {
        "id": False, "nama": False, "nik": True, "omzet": False, "tgl": False
    }  # fmt: skip


async def test_the_uncatalogued_level_setting_applies_to_synced_datasets(
    tmp_path: Path,
) -> None:
    app = await serve(tmp_path, level="", uncatalogued_access_level="terbuka")

    async for http in open_client(app):
        catalog = await ask(http, CATALOG_QUERY)

    [entry] = catalog["data"]["datasets"]["items"]
    assert entry["accessLevel"] == "TERBUKA"
