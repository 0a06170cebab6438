"""Sources in the running app: catalog, reload and refresh without restart, a source down,
and ``bigone sources``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import main
from app.factory import create_app
from store.catalog import Agency, Dataset, DatasetColumn, Source
from store.engine import create_session_factory, create_store_engine
from tests.app.conftest import make_settings, open_client
from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    require_service,
)
from tests.connectors.conftest import AgencySources, agency_sources

__all__ = ["agency_sources"]

SECRET = "a-long-test-secret"
ONE_SOURCE = """
agencies:
  - slug: dkpp
    name: Dinas Ketahanan Pangan dan Pertanian
sources:
  - name: dkpp
    kind: sql
    agency: dkpp
    access_level: terbuka
    url: {url}
"""
SECOND_SOURCE = """
  - name: arsip
    kind: sql
    agency: dkpp
    access_level: terbuka
    url: {url}
"""


async def post_admin(http: httpx.AsyncClient, path: str) -> httpx.Response:
    return await http.post(path, headers={"authorization": f"Bearer {SECRET}"})


async def test_reload_adds_a_source_and_refresh_adds_a_table_without_restart(
    tmp_path: Path, agency_sources: AgencySources
) -> None:
    arsip = f"sqlite+aiosqlite:///{tmp_path / 'arsip.db'}"
    writer = create_async_engine(arsip)
    async with writer.begin() as connection:
        await connection.execute(
            text("CREATE TABLE surat (id INTEGER PRIMARY KEY, perihal TEXT)")
        )
        await connection.execute(text("INSERT INTO surat VALUES (1, 'Undangan rapat')"))
    config = tmp_path / "sources.yaml"
    config.write_text(ONE_SOURCE.format(url=agency_sources.dkpp_url), encoding="utf-8")
    app = create_app(make_settings(tmp_path, config=config, secret_key=SECRET))

    async for http in open_client(app):
        before = await http.post(
            "/graphql", json={"query": "{ arsipSurat { totalCount } }"}
        )
        config.write_text(
            ONE_SOURCE.format(url=agency_sources.dkpp_url)
            + SECOND_SOURCE.format(url=arsip),
            encoding="utf-8",
        )
        denied = await http.post("/admin/sources/reload")
        reloaded = await post_admin(http, "/admin/sources/reload")
        after = await http.post(
            "/graphql", json={"query": "{ arsipSurat { nodes { perihal } } }"}
        )
        async with writer.begin() as connection:
            await connection.execute(
                text("CREATE TABLE agenda (id INTEGER PRIMARY KEY, acara TEXT)")
            )
        refreshed = await post_admin(http, "/admin/sources/arsip/refresh")
        agenda = await http.post(
            "/graphql", json={"query": "{ arsipAgenda { totalCount } }"}
        )
    await writer.dispose()

    assert "Cannot query field 'arsipSurat'" in before.text
    assert denied.status_code == 401
    assert reloaded.status_code == 200
    assert after.json()["data"] == {
        "arsipSurat": {"nodes": [{"perihal": "Undangan rapat"}]}
    }
    assert "agenda" in refreshed.json()["sources"][1]["datasets"]
    assert agenda.json()["data"] == {"arsipAgenda": {"totalCount": 0}}


async def test_configured_sources_are_recorded_in_the_catalog(
    tmp_path: Path, agency_sources: AgencySources
) -> None:
    settings = make_settings(tmp_path, config=agency_sources.config_path)
    app = create_app(settings)

    async for _http in open_client(app):
        pass

    engine = create_store_engine(settings.effective_store_url)
    async with create_session_factory(engine)() as session:
        agencies = set(await session.scalars(select(Agency.slug)))
        sources = {
            source.name: source for source in await session.scalars(select(Source))
        }
        datasets = set(await session.scalars(select(Dataset.name)))
        jumlah = await session.scalar(
            select(DatasetColumn)
            .join(Dataset)
            .where(Dataset.name == "penduduk_miskin", DatasetColumn.name == "jumlah")
        )
    await engine.dispose()

    assert agencies == {"dpmdes", "dinsos", "dkpp"}
    assert {name: source.state for name, source in sources.items()} == {
        "dpmdes": "ready",
        "dinsos": "ready",
        "dkpp": "ready",
    }
    assert sources["dinsos"].settings["url"].startswith("postgresql+asyncpg://bigone@")
    assert {"wilayah", "pencemaran_air", "penduduk_miskin", "harga_pangan"} <= datasets
    assert jumlah is not None
    assert (jumlah.data_type, jumlah.description) == (
        "decimal",
        "Penduduk miskin, ribu jiwa",
    )


@pytest.fixture
async def doomed_database() -> AsyncIterator[tuple[str, str]]:
    """A PostgreSQL agency database that the test will drop while the app runs."""
    admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
    url = await _create_postgres_database(admin_url)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE penduduk (kode TEXT PRIMARY KEY, jiwa INT)")
        )
        await connection.execute(text("INSERT INTO penduduk VALUES ('32.01', 100)"))
    await engine.dispose()
    yield admin_url, url
    await _drop_postgres_database(admin_url, url)


async def test_a_source_that_goes_down_costs_only_its_fields(
    tmp_path: Path, agency_sources: AgencySources, doomed_database: tuple[str, str]
) -> None:
    admin_url, url = doomed_database
    config = tmp_path / "sources.yaml"
    config.write_text(
        ONE_SOURCE.format(url=agency_sources.dkpp_url)
        + SECOND_SOURCE.format(url=url).replace("arsip", "disdukcapil"),
        encoding="utf-8",
    )
    app = create_app(make_settings(tmp_path, config=config))
    query = """{ dkppHargaPangan(first: 2) { totalCount }
                 disdukcapilPenduduk { nodes { kode jiwa } } }"""

    async for http in open_client(app):
        planned = app.state.metrics.graphql_operations.labels("plan")
        healthy = (await http.post("/graphql", json={"query": query})).json()
        served_healthy = planned._value.get()
        await _drop_postgres_database(admin_url, url)
        degraded = (await http.post("/graphql", json={"query": query})).json()
        app.state.graphql.plans_enabled = False  # the schema's path answers alike
        degraded_plain = (await http.post("/graphql", json={"query": query})).json()
        app.state.graphql.plans_enabled = True
        sources = (
            await http.post("/graphql", json={"query": "{ sources { name state } }"})
        ).json()

    assert healthy["data"]["disdukcapilPenduduk"] == {
        "nodes": [{"kode": "32.01", "jiwa": 100}]
    }
    assert served_healthy == 1  # a compiled plan answered the healthy request
    # The driver's words differ from one attempt to the next; the shape does not.
    assert degraded["data"] == degraded_plain["data"]
    assert [e["path"] for e in degraded["errors"]] == [
        e["path"] for e in degraded_plain["errors"]
    ]
    assert (
        "source 'disdukcapil' does not answer" in degraded_plain["errors"][0]["message"]
    )
    assert degraded["data"]["dkppHargaPangan"] == healthy["data"]["dkppHargaPangan"]
    assert degraded["data"]["disdukcapilPenduduk"] is None
    [error] = degraded["errors"]
    assert error["path"] == ["disdukcapilPenduduk"]
    assert "source 'disdukcapil' does not answer" in error["message"]
    assert {"name": "disdukcapil", "state": "down"} in sources["data"]["sources"]
    assert {"name": "dkpp", "state": "ready"} in sources["data"]["sources"]


def test_bigone_sources_lists_states(tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    config = tmp_path / "sources.yaml"
    config.write_text(
        f"""
agencies:
  - slug: dinkop
    name: Dinas Koperasi dan UKM
sources:
  - name: dinkop
    kind: sql
    agency: dinkop
    url: sqlite+aiosqlite:///{good}
  - name: mati
    kind: sql
    url: postgresql+asyncpg://nobody@127.0.0.1:1/none
  - name: rahasia
    kind: sql
    url_env: BIGONE_TEST_UNSET_URL
""",
        encoding="utf-8",
    )
    import sqlite3

    with sqlite3.connect(good) as connection:
        connection.execute("CREATE TABLE umkm (id INTEGER PRIMARY KEY, nama TEXT)")

    result = CliRunner().invoke(main, ["--config", str(config), "sources"])

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "ready" in lines["dinkop"]
    assert "umkm" in lines["dinkop"]
    assert "down" in lines["mati"]
    assert "error" in lines["rahasia"]
    assert "BIGONE_TEST_UNSET_URL" in lines["rahasia"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://nobody@127.0.0.1:1/none", "postgresql+asyncpg"),
        ("sqlite:////x.db", "sqlite+aiosqlite"),
        ("mysql://nobody@127.0.0.1:1/none", "mysql+aiomysql"),
        ("not a url at all", "not a database URL"),
    ],
)
def test_bigone_sources_marks_a_bad_url_as_error_and_lists_the_others(
    tmp_path: Path, url: str, message: str
) -> None:
    good = tmp_path / "good.db"
    config = tmp_path / "sources.yaml"
    config.write_text(
        f"""
sources:
  - name: salah
    kind: sql
    url: "{url}"
  - name: dinkop
    kind: sql
    url: sqlite+aiosqlite:///{good}
""",
        encoding="utf-8",
    )
    import sqlite3

    with sqlite3.connect(good) as connection:
        connection.execute("CREATE TABLE umkm (id INTEGER PRIMARY KEY, nama TEXT)")

    result = CliRunner().invoke(main, ["--config", str(config), "sources"])

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "ready" in lines["dinkop"]
    assert "error" in lines["salah"]
    assert message in lines["salah"]


async def test_app_starts_with_a_bad_source_url(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n  - name: salah\n    kind: sql\n    url: mysql://x@h/db\n",
        encoding="utf-8",
    )
    app = create_app(make_settings(tmp_path, config=config))

    async for http in open_client(app):
        response = await http.post("/graphql", json={"query": "{ __typename }"})

        assert response.status_code == 200


def test_bigone_sources_reports_a_bad_file(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        "sources:\n  - name: x\n    kind: sql\n    colour: red\n", "utf-8"
    )

    result = CliRunner().invoke(main, ["--config", str(config), "sources"])

    assert result.exit_code != 0
    assert f"{config}:4: sources.0.colour: unknown key" in result.output


def test_bigone_config_variable_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        f"sources:\n  - name: arsip\n    kind: sql\n"
        f"    url: sqlite+aiosqlite:///{tmp_path / 'arsip.db'}\n",
        encoding="utf-8",
    )
    import sqlite3

    with sqlite3.connect(tmp_path / "arsip.db") as connection:
        connection.execute("CREATE TABLE surat (id INTEGER PRIMARY KEY)")
    monkeypatch.setenv("BIGONE_CONFIG", str(config))

    result = CliRunner().invoke(main, ["sources", "--json"])

    assert result.exit_code == 0, result.output
    assert '"name": "arsip"' in result.output
    assert '"state": "ready"' in result.output
