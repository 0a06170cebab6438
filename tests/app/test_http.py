"""/graphql over HTTP and /healthz, on every store and graph backend."""

from __future__ import annotations

import httpx

TYPENAME = {"data": {"__typename": "Query"}}


async def test_typename_by_post(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{__typename}"})

    assert response.status_code == 200
    assert response.json() == TYPENAME


async def test_typename_by_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{__typename}"})

    assert response.status_code == 200
    assert response.json() == TYPENAME


async def test_healthz_reports_both_stores(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["store"]["status"] == "ok"
    assert body["checks"]["graph"]["status"] == "ok"


async def test_graph_query_reaches_the_configured_backend(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ graphStats { backend nodes } graphNode(id: "none") { id } }'},
    )

    data = response.json()["data"]
    assert data["graphNode"] is None
    assert data["graphStats"]["nodes"] == 0
    assert data["graphStats"]["backend"] in {"embedded", "neo4j"}
