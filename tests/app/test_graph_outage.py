"""A Neo4j outage degrades the server instead of breaking it, and heals by itself.

Stops and starts the real Neo4j of ``scripts/services``, so it runs only where
that script manages the configured server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.factory import create_app
from tests.app.conftest import make_settings, neo4j_overrides, open_client
from tests.conftest import IN_CI

SERVICES = Path(__file__).resolve().parents[2] / "scripts" / "services"
GRAPH_QUERY = {"query": "{ graphStats { backend nodes } }"}


async def services(*args: str) -> int:
    """Run scripts/services off the event loop; returns its exit code."""
    process = await asyncio.create_subprocess_exec(
        str(SERVICES),
        *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await asyncio.wait_for(process.wait(), timeout=300)


@pytest.fixture
async def neo4j_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    overrides = neo4j_overrides()
    if await services("status", "neo4j") != 0:
        message = "Neo4j is not managed by scripts/services here"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    app = create_app(make_settings(tmp_path, **overrides))
    async for client in open_client(app):
        yield client


async def test_neo4j_outage_is_reported_and_recovered(
    neo4j_client: httpx.AsyncClient,
) -> None:
    assert (await neo4j_client.get("/healthz")).status_code == 200

    assert await services("stop", "neo4j") == 0
    try:
        down_health = await neo4j_client.get("/healthz")
        down_query = await neo4j_client.post("/graphql", json=GRAPH_QUERY)
    finally:
        assert await services("start", "neo4j") == 0
    up_health = await neo4j_client.get("/healthz")
    up_query = await neo4j_client.post("/graphql", json=GRAPH_QUERY)

    assert down_health.status_code == 503
    assert down_health.json()["checks"]["graph"]["status"] == "down"
    assert down_health.json()["checks"]["store"]["status"] == "ok"
    assert down_query.status_code == 200
    message = down_query.json()["errors"][0]["message"]
    assert "Neo4j graph store" in message
    assert "Traceback" not in down_query.text
    assert up_health.status_code == 200
    assert "errors" not in up_query.json()
    assert up_query.json()["data"]["graphStats"]["backend"] == "neo4j"
