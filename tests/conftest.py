"""Shared fixtures: real store and graph backends, and the ASGI app.

Services come from ``scripts/services`` through ``BIGONE_TEST_*`` variables.
When one is missing its tests are skipped locally, but with ``CI=true`` they
fail: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from graph.base import GraphStore
from graph.embedded import EmbeddedGraphStore
from graph.neo4j_store import Neo4jGraphStore
from linking.embedder import Embedder
from store.engine import create_store_engine
from store.migrate import upgrade_store_async

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"
# Tests give every app its own data folder; the ONNX export of the embedding
# model (half a minute to make) is shared between them instead.
os.environ.setdefault(
    "BIGONE_MODEL_CACHE_DIR",
    str(Path(__file__).resolve().parent.parent / ".cache" / "models"),
)


def require_service(variable: str, what: str) -> str:
    """The service setting, or skip (locally) / fail (in CI) when it is unset."""
    value = os.environ.get(variable)
    if value:
        return value
    message = (
        f"{what} is not configured ({variable} unset): run "
        '`eval "$(scripts/services start)"` first'
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data folder {SHARED_DATA} is missing")
    return SHARED_DATA


async def _create_postgres_database(admin_url: str) -> str:
    name = f"bigone_t_{uuid.uuid4().hex[:10]}"
    admin = create_store_engine(admin_url)
    try:
        async with admin.connect() as connection:
            connection = await connection.execution_options(
                isolation_level="AUTOCOMMIT"
            )
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_store_engine(admin_url)
    try:
        async with admin.connect() as connection:
            connection = await connection.execution_options(
                isolation_level="AUTOCOMMIT"
            )
            await _drop_with_retries(connection, name)
    finally:
        await admin.dispose()


async def _drop_with_retries(connection: Any, name: str) -> None:
    # A server process of another role (autovacuum) attached to the database makes
    # WITH (FORCE) fail for a non-superuser; it leaves within moments, so retry.
    for attempt in range(10):
        try:
            await connection.execute(
                text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
            return
        except ProgrammingError:
            if attempt == 9:
                raise
            await asyncio.sleep(0.5)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A freshly migrated, empty store on each backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
        await upgrade_store_async(url)
        yield url
        return
    admin_url = require_service("BIGONE_TEST_POSTGRES_URL", "PostgreSQL")
    url = await _create_postgres_database(admin_url)
    try:
        await upgrade_store_async(url)
        yield url
    finally:
        await _drop_postgres_database(admin_url, url)


@pytest.fixture
async def store_engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_store_engine(store_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def embedder() -> Iterator[Embedder]:
    """The bundled model, loaded once for the whole run."""
    model = Embedder()
    yield model
    model.close()


def neo4j_settings() -> tuple[str, str, str]:
    uri = require_service("BIGONE_TEST_NEO4J_URI", "Neo4j")
    user = os.environ.get("BIGONE_TEST_NEO4J_USER", "neo4j")
    password = os.environ.get("BIGONE_TEST_NEO4J_PASSWORD", "")
    return uri, user, password


async def clear_neo4j(store: Neo4jGraphStore) -> None:
    await store._run("MATCH (n) DETACH DELETE n")


@pytest.fixture(params=["embedded", "neo4j"])
async def graph_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[GraphStore]:
    """An empty graph on each backend; the embedded one over a fresh SQLite store."""
    if request.param == "embedded":
        url = f"sqlite+aiosqlite:///{tmp_path / 'graph.db'}"
        await upgrade_store_async(url)
        engine = create_store_engine(url)
        store: GraphStore = EmbeddedGraphStore(engine)
        await store.start()
        yield store
        await store.close()
        await engine.dispose()
        return
    uri, user, password = neo4j_settings()
    neo4j = Neo4jGraphStore(uri, user, password)
    await neo4j.start()
    await clear_neo4j(neo4j)
    yield neo4j
    await clear_neo4j(neo4j)
    await neo4j.close()


BACKENDS = ("sqlite", "postgresql", "embedded", "neo4j")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Per-backend counts, so a run shows each store and graph backend passing."""
    counts: dict[str, dict[str, int]] = {name: {} for name in BACKENDS}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            params = getattr(report, "nodeid", "").partition("[")[2].rstrip("]")
            for backend in BACKENDS:
                if backend in params.split("-"):
                    counts[backend][outcome] = counts[backend].get(outcome, 0) + 1
    terminalreporter.section("backends")
    for backend, outcomes in counts.items():
        summary = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())) or "none"
        terminalreporter.write_line(f"{backend:>10}: {summary}")
