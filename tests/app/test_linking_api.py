"""The entity API through the ASGI app: links with provenance, live records, decisions."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from app.factory import create_app
from connectors.base import Row
from linking.pipeline import LinkingPipeline
from resolvers.context import Services
from tests.app.conftest import make_settings, open_client
from tests.linking.febrl import febrl_pair, truth_label
from tests.linking.rows_connector import RowsConnector, catalog_connector
from tests.linking.test_engine import FEBRL_CONFIG
from tests.security.conftest import JWT_SECRET, token

ENTITY_QUERY = """
query ($id: ID!) {
  entity(id: $id) {
    id kind name
    links {
      recordId source dataset key method modelVersion score evidence status
      decidedBy decidedAt
      record { found row error }
    }
    places { id }
    neighbours(depth: 1) { nodes { id label } }
  }
}
"""


def febrl_rows(
    shared_data: Path, below: int
) -> dict[str, tuple[tuple[str, ...], list[Row]]]:
    import csv

    datasets = {}
    for name in ("a", "b"):
        path = shared_data / "febrl" / f"dataset4{name}.csv"
        with path.open(encoding="utf-8") as handle:
            rows = [
                row
                for row in csv.DictReader(handle, skipinitialspace=True)
                if int(truth_label(row["rec_id"])) < below
            ]
        datasets[name] = (("rec_id",), rows)
    return datasets


@pytest.fixture
async def linked_app(
    tmp_path: Path, store_url: str, shared_data: Path
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient, RowsConnector, dict[str, str]]]:
    app = create_app(
        make_settings(tmp_path, store_url=store_url, jwt_secret=JWT_SECRET)
    )
    async for client in open_client(app):
        services: Services = app.state.services_ref["services"]
        connector = RowsConnector("febrl", febrl_rows(shared_data, below=60))
        services.extras["connectors"] = {"febrl": connector}
        # Anonymous requests read as the public role: the FEBRL records are
        # synthetic, so their datasets are catalogued terbuka.
        await catalog_connector(services, connector, access_level="terbuka")
        left, right = febrl_pair(shared_data, below=60)
        pipeline = LinkingPipeline(
            services.sessions, services.graph, config=FEBRL_CONFIG
        )
        report = await pipeline.run(left + right)
        yield app, client, connector, dict(report.entity_of)


async def graphql(
    client: httpx.AsyncClient, query: str, bearer: str | None = None, **variables: Any
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_every_link_of_an_entity_carries_provenance_and_its_live_record(
    linked_app: tuple[Starlette, httpx.AsyncClient, RowsConnector, dict[str, str]],
) -> None:
    _, client, connector, entity_of = linked_app
    entity_id = entity_of["record:febrl/a/rec-1-org"]

    data = await graphql(client, ENTITY_QUERY, id=entity_id)

    links = data["entity"]["links"]
    assert [link["recordId"] for link in links] == [
        "record:febrl/a/rec-1-org",
        "record:febrl/b/rec-1-dup-0",
    ]
    for link in links:
        assert link["method"] == "splink-fellegi-sunter"
        assert link["modelVersion"].startswith("splink-")
        assert link["score"] >= 0.9
        assert link["evidence"]["name"]["level"]
        assert link["status"] == "auto"
        assert link["decidedBy"] == "auto"
        assert link["decidedAt"]
        assert link["record"]["found"] is True
        assert link["record"]["row"]["rec_id"] == link["key"][0]
    assert sorted(connector.load_calls) == [("a", 1), ("b", 1)]
    assert {n["id"] for n in data["entity"]["neighbours"]["nodes"]} >= {entity_id}


async def test_entities_search_and_path(
    linked_app: tuple[Starlette, httpx.AsyncClient, RowsConnector, dict[str, str]],
) -> None:
    _, client, _, entity_of = linked_app
    entity_id = entity_of["record:febrl/a/rec-1-org"]
    name = (await graphql(client, ENTITY_QUERY, id=entity_id))["entity"]["name"]

    page = await graphql(
        client,
        'query ($s: String) { entities(search: $s, kind: "person") { total items { id } } }',
        s=name.split()[-1],
    )
    path = await graphql(
        client,
        "query ($a: ID!, $b: ID!) { path(from: $a, to: $b) { nodes { id } } }",
        a="record:febrl/a/rec-1-org",
        b="record:febrl/b/rec-1-dup-0",
    )

    assert entity_id in [item["id"] for item in page["entities"]["items"]]
    assert [n["id"] for n in path["path"]["nodes"]] == [
        "record:febrl/a/rec-1-org",
        entity_id,
        "record:febrl/b/rec-1-dup-0",
    ]


DECIDE = """
mutation ($record: ID!, $entity: ID!) {
  rejectLink(recordId: $record, entityId: $entity, reviewer: "ani") {
    __typename
    ... on LinkDecided { entityId status decidedBy }
    ... on LinkNotFound { message }
  }
}
"""


@pytest.mark.parametrize("wildcard", ["%", "_"])
async def test_entities_search_takes_like_wildcards_literally(
    linked_app: tuple[Starlette, httpx.AsyncClient, RowsConnector, dict[str, str]],
    wildcard: str,
) -> None:
    _, client, _, _ = linked_app

    page = await graphql(
        client, "query ($s: String) { entities(search: $s) { total } }", s=wildcard
    )

    assert page["entities"]["total"] == 0


async def test_reject_link_and_its_expected_failures(
    linked_app: tuple[Starlette, httpx.AsyncClient, RowsConnector, dict[str, str]],
) -> None:
    _, client, _, entity_of = linked_app
    record = "record:febrl/b/rec-2-dup-0"
    entity_id = entity_of[record]

    steward = token("steward")
    rejected = await graphql(client, DECIDE, steward, record=record, entity=entity_id)
    again = await graphql(client, DECIDE, steward, record=record, entity=entity_id)
    public = await client.post(
        "/graphql",
        json={"query": DECIDE, "variables": {"record": record, "entity": entity_id}},
    )
    merged = await graphql(
        client,
        'mutation ($e: ID!) { mergeEntities(keepId: $e, absorbId: $e, reviewer: "ani") '
        "{ __typename ... on LinkConflict { message } } }",
        steward,
        e=entity_id,
    )
    after = await graphql(client, ENTITY_QUERY, id=entity_id)

    assert "mutation" in public.json()["errors"][0]["message"]
    assert rejected["rejectLink"]["__typename"] == "LinkDecided"
    assert rejected["rejectLink"]["entityId"] != entity_id
    # The decision records the authenticated steward, not the name typed.
    assert rejected["rejectLink"]["decidedBy"] == "jwt:user-steward- (ani)"
    assert again["rejectLink"]["__typename"] == "LinkNotFound"
    assert merged["mergeEntities"]["__typename"] == "LinkConflict"
    assert record not in [link["recordId"] for link in after["entity"]["links"]]
