"""Compiled plans answer exactly what the schema's executor answers.

Every document runs twice through /graphql, with plans on and off, on the
PostgreSQL (dinsos) and SQLite (dpmdes, dkpp) agency databases; the responses
must be equal, and the documents plans cover must have been served by a plan.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.resolvers.conftest import FederatedClient
from tests.resolvers.test_federation_rows import DATASETS, FILTERS, ORDERS


def served_by_plan(client: FederatedClient) -> float:
    counter = client.app.state.metrics.graphql_operations.labels("plan")
    value: float = counter._value.get()
    return value


async def both_paths(
    client: FederatedClient, document: str, variables: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """The response with plans, the one without, and whether a plan served."""
    endpoint = client.app.state.graphql
    before = served_by_plan(client)
    planned = await client.execute(document, **(variables or {}))
    planned_flag = served_by_plan(client) > before
    endpoint.plans_enabled = False
    try:
        plain = await client.execute(document, **(variables or {}))
    finally:
        endpoint.plans_enabled = True
    return planned, plain, planned_flag


async def assert_same(
    client: FederatedClient,
    document: str,
    variables: dict[str, Any] | None = None,
    *,
    planned: bool = True,
) -> dict[str, Any]:
    with_plan, without, served = await both_paths(client, document, variables)

    assert with_plan == without
    assert served is planned, (document, with_plan)
    return with_plan


@pytest.mark.parametrize(("source", "graphql_filter", "_sql"), FILTERS)
async def test_every_filter_answers_alike(
    federated: FederatedClient, source: str, graphql_filter: str, _sql: str
) -> None:
    field, _table, selection = DATASETS[source]

    body = await assert_same(
        federated,
        f"""{{ page: {field}(filter: {graphql_filter}, first: 50,
              orderBy: [{{column: id}}]) {{
            totalCount nodes {{ {selection} }}
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}""",
    )

    assert "errors" not in body


@pytest.mark.parametrize(("source", "order_by", "_sql"), ORDERS)
async def test_every_sort_answers_alike(
    federated: FederatedClient, source: str, order_by: str, _sql: str
) -> None:
    field, _table, selection = DATASETS[source]

    await assert_same(
        federated,
        f"{{ page: {field}(orderBy: {order_by}, first: 30) {{ nodes {{ {selection} }} }} }}",
    )


@pytest.mark.parametrize("source", sorted(DATASETS))
async def test_paging_both_ways_with_cursors_answers_alike(
    federated: FederatedClient, source: str
) -> None:
    field, _table, selection = DATASETS[source]
    page = f"""query ($first: Int, $after: String, $last: Int, $before: String) {{
      page: {field}(first: $first, after: $after, last: $last, before: $before,
                    orderBy: [{{column: id, direction: DESC}}]) {{
        edges {{ cursor node {{ {selection} }} }}
        pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
        totalCount }} }}"""

    first = await assert_same(federated, page, {"first": 7})
    end = first["data"]["page"]["pageInfo"]["endCursor"]
    second = await assert_same(federated, page, {"first": 7, "after": end})
    start = second["data"]["page"]["pageInfo"]["startCursor"]
    await assert_same(federated, page, {"last": 3, "before": start})
    await assert_same(federated, page, {"last": 4})
    await assert_same(federated, page, {"first": 0})
    await assert_same(federated, page, {"first": 5, "after": end, "before": start})

    assert second["data"]["page"]["pageInfo"]["hasPreviousPage"] is True


async def test_aliases_fragments_typename_and_variables_answer_alike(
    federated: FederatedClient,
) -> None:
    document = """
      query Rows($year: Int!, $codes: [String!], $size: Int = 5) {
        __typename
        a: dinsosPendudukMiskin(filter: {tahun: {eq: $year}, kode_wilayah: {in: $codes}},
                                first: $size, orderBy: [{column: kode_wilayah}]) {
          __typename
          n: totalCount
          ...rows
          list: edges { __typename c: cursor node { ... on DinsosPendudukMiskin { y: tahun } id } }
          info: pageInfo { __typename more: hasNextPage }
        }
        b: dpmdesPencemaranAir(first: 3, filter: {not: {status: {eq: "ADA"}}}) {
          nodes { __typename kode_desa ... { tahun kode_desa } }
        }
      }
      fragment rows on DinsosPendudukMiskinConnection {
        nodes { id kode_wilayah jumlah ... cols }
      }
      fragment cols on DinsosPendudukMiskin { jumlah id satuan }
    """

    body = await assert_same(
        federated, document, {"year": 2019, "codes": ["32.01", "32.73", "32.79"]}
    )

    assert body["data"]["a"]["n"] == len(body["data"]["a"]["nodes"]) == 3
    assert body["data"]["b"]["nodes"][0]["__typename"] == "DpmdesPencemaranAir"


async def test_a_connection_without_arguments_gets_the_default_page(
    federated: FederatedClient,
) -> None:
    body = await assert_same(federated, "{ dkppHargaPangan { nodes { id harga } } }")

    assert len(body["data"]["dkppHargaPangan"]["nodes"]) == 100


async def test_operation_name_picks_the_operation(federated: FederatedClient) -> None:
    document = """
      query One { dkppHargaPangan(first: 2) { nodes { id tanggal harga } } }
      query Two { dkppHargaPangan(first: 3) { nodes { komoditas } } }
    """
    response = await federated.http.post(
        "/graphql", json={"query": document, "operationName": "Two"}
    )

    assert len(response.json()["data"]["dkppHargaPangan"]["nodes"]) == 3


UNCOVERED = [
    # relation fields, aggregates, directives and non-dataset fields keep the schema
    "{ dpmdesPencemaranAir(first: 3) { nodes { id wilayah { nama } } } }",
    "{ dpmdesPencemaranAirAggregate(groupBy: [tahun]) { key { tahun } count } }",
    "query ($on: Boolean!) { dkppHargaPangan(first: 2) { nodes { id @include(if: $on) } } }",
    "{ dkppHargaPangan(first: 2) { nodes { id } } sources { name } }",
]


@pytest.mark.parametrize("document", UNCOVERED)
async def test_uncovered_documents_fall_back_and_answer_alike(
    federated: FederatedClient, document: str
) -> None:
    variables = {"on": True} if "$on" in document else None

    await assert_same(federated, document, variables, planned=False)


BAD = [
    # errors come from the schema's path, with its shape
    ('{ dkppHargaPangan(first: 2, after: "bm9wZQ==") { nodes { id } } }', {}),
    ("{ dkppHargaPangan(first: 5000) { nodes { id } } }", {}),
    ("query ($n: Int!) { dkppHargaPangan(first: $n) { nodes { id } } }", {}),
    ("query ($n: Int!) { dkppHargaPangan(first: $n) { nodes { id } } }", {"n": "x"}),
    ("{ dkppHargaPangan(first: 2) { nodes { nope } } }", {}),
]


@pytest.mark.parametrize(("document", "variables"), BAD)
async def test_bad_requests_answer_alike(
    federated: FederatedClient, document: str, variables: dict[str, Any]
) -> None:
    with_plan, without, served = await both_paths(federated, document, variables)

    assert with_plan == without
    assert "errors" in with_plan
    assert not served
