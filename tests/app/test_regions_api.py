"""Region master data through /graphql, loaded from the real Kemendagri dumps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.factory import create_app
from connectors.regions import load_regions
from store.engine import create_session_factory, create_store_engine
from store.migrate import upgrade_store_async
from tests.app.conftest import make_settings, open_client
from tests.conftest import (
    SHARED_DATA,
    _create_postgres_database,
    _drop_postgres_database,
    require_service,
)

WILAYAH = SHARED_DATA / "wilayah-kemendagri"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def regions_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The app over a store holding both editions, loaded once per backend."""
    folder = tmp_path_factory.mktemp("regions")
    admin_url = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'store.db'}"
    else:
        admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
        url = await _create_postgres_database(admin_url)
    try:
        await upgrade_store_async(url)
        engine = create_store_engine(url)
        load = await load_regions(create_session_factory(engine), WILAYAH)
        again = await load_regions(create_session_factory(engine), WILAYAH)
        await engine.dispose()
        assert load.statuses == {"2020": "succeeded", "2025": "succeeded"}
        assert again.statuses == {"2020": "unchanged", "2025": "unchanged"}
        async for client in open_client(
            create_app(make_settings(folder, store_url=url))
        ):
            yield client
    finally:
        if admin_url is not None:
            await _drop_postgres_database(admin_url, url)


async def query(client: httpx.AsyncClient, document: str) -> dict[str, Any]:
    body = (await client.post("/graphql", json={"query": document})).json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def test_kabupaten_tegal_has_18_districts_and_287_villages(
    regions_client: httpx.AsyncClient,
) -> None:
    districts = await query(
        regions_client,
        '{ regions(parent: "33.28") { totalCount items { code name level } } }',
    )
    village_counts = [
        (
            await query(
                regions_client, f'{{ regions(parent: "{d["code"]}") {{ totalCount }} }}'
            )
        )["regions"]["totalCount"]
        for d in districts["regions"]["items"]
    ]
    below = await query(
        regions_client, '{ regions(parent: "33.28", level: 4) { totalCount } }'
    )

    assert districts["regions"]["totalCount"] == 18
    assert {d["level"] for d in districts["regions"]["items"]} == {3}
    assert districts["regions"]["items"][0] == {
        "code": "33.28.01",
        "name": "Margasari",
        "level": 3,
    }
    assert sum(village_counts) == 287
    assert below["regions"]["totalCount"] == 287


async def test_region_with_population_area_and_editions(
    regions_client: httpx.AsyncClient,
) -> None:
    data = await query(
        regions_client,
        """{ now: region(code: "33.28") { name levelName populationTotal areaKm2 edition
                                          placeId parent { name } }
             then: region(code: "33.28", edition: "2020") { name }
             village: region(code: "33.28.10.1008") { name parent { name parent { code } } }
             search: regions(search: "tegal", level: 2) { items { code name } } }""",
    )

    assert data["now"] == {
        "name": "Kabupaten Tegal",
        "levelName": "kabupaten_kota",
        "populationTotal": 1745278,
        "areaKm2": 983.713,
        "edition": "2025",
        "placeId": "place:33.28",
        "parent": {"name": "Jawa Tengah"},
    }
    assert data["then"] == {"name": "KAB. TEGAL"}
    assert data["village"] == {
        "name": "Procot",
        "parent": {"name": "Slawi", "parent": {"code": "33.28"}},
    }
    assert data["search"]["items"] == [
        {"code": "33.28", "name": "Kabupaten Tegal"},
        {"code": "33.76", "name": "Kota Tegal"},
    ]


@pytest.mark.parametrize(
    ("text", "status", "code"),
    [
        ("Kab. Tegal", "MATCHED", "33.28"),
        ("KABUPATEN TEGAL", "MATCHED", "33.28"),
        ("Kota Tegal", "MATCHED", "33.76"),
        ("kec slawi", "MATCHED", "33.28.10"),
        ("Ds. Procot", "MATCHED", "33.28.10.1008"),
        ("Kab. Tegl", "MATCHED", "33.28"),
        ("Tegal", "AMBIGUOUS", None),
        ("Kecamatan Atlantis", "UNMATCHED", None),
    ],
)
async def test_match_region(
    regions_client: httpx.AsyncClient, text: str, status: str, code: str | None
) -> None:
    data = await query(
        regions_client,
        f'{{ matchRegion(text: "{text}") {{ status region {{ code }} candidates {{ code }} }} }}',
    )

    match = data["matchRegion"]
    assert match["status"] == status
    assert (match["region"] or {}).get("code") == code
    if status == "AMBIGUOUS":
        assert {"33.28", "33.76"} <= {c["code"] for c in match["candidates"]}
