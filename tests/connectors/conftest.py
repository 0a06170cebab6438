"""Agency databases from ../shared/data, built once per run: SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.conftest import (
    _create_postgres_database,
    _drop_postgres_database,
    require_service,
)
from tests.connectors.agency_databases import (
    build_dinsos,
    build_dkpp,
    build_dpmdes,
    sources_yaml,
)


@dataclass(frozen=True)
class AgencySources:
    """URLs of the three agency databases and a sources file naming them."""

    dpmdes_url: str  # SQLite
    dinsos_url: str  # PostgreSQL
    dkpp_url: str  # SQLite
    config_path: Path

    def url(self, source: str) -> str:
        return {
            "dpmdes": self.dpmdes_url,
            "dinsos": self.dinsos_url,
            "dkpp": self.dkpp_url,
        }[source]


@pytest.fixture(scope="session")
async def agency_sources(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AgencySources]:
    admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
    folder = tmp_path_factory.mktemp("agencies")
    dpmdes = f"sqlite+aiosqlite:///{folder / 'dpmdes.db'}"
    dkpp = f"sqlite+aiosqlite:///{folder / 'dkpp.db'}"
    dinsos = await _create_postgres_database(admin_url)
    try:
        await build_dpmdes(dpmdes, shared_data)
        await build_dinsos(dinsos, shared_data)
        await build_dkpp(dkpp, shared_data)
        config = folder / "sources.yaml"
        config.write_text(sources_yaml(dpmdes, dinsos, dkpp), encoding="utf-8")
        yield AgencySources(dpmdes, dinsos, dkpp, config)
    finally:
        await _drop_postgres_database(admin_url, dinsos)


@pytest.fixture(scope="session")
async def direct_engines(
    agency_sources: AgencySources,
) -> AsyncIterator[dict[str, AsyncEngine]]:
    """Plain engines on the agency databases, for the SQL the tests compare with."""
    engines = {
        name: create_async_engine(agency_sources.url(name))
        for name in ("dpmdes", "dinsos", "dkpp")
    }
    yield engines
    for engine in engines.values():
        await engine.dispose()
