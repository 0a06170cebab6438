"""Rows completed directly by the executor answer exactly as graphql-core would."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType

from schema.execution import ROW_FIELDS
from security.principal import ANONYMOUS
from tests.resolvers.conftest import (
    FederatedClient,
    agency_sources,
    direct_engines,
    federated,
)

__all__ = ["agency_sources", "direct_engines", "federated"]

PAGE = """{
  page: dinsosPendudukMiskin(first: 5, orderBy: [{column: id}]) {
    nodes { __typename id year: tahun jumlah ...More }
    edges { node { ... on DinsosPendudukMiskin { kode_wilayah @include(if: true) id } } }
  }
}
fragment More on DinsosPendudukMiskin { satuan id @skip(if: true) }"""


async def served_schema(client: FederatedClient) -> Any:
    """The graphql-core schema anonymous requests run against (their profile's)."""
    return (await client.app.state.graphql.schema_for(ANONYMOUS))._schema


async def unmark(client: FederatedClient) -> dict[str, Any]:
    """Take the fast path away from every row type; returns what to restore."""
    schema = await served_schema(client)
    saved = {}
    for name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and ROW_FIELDS in (
            graphql_type.extensions or {}
        ):
            saved[name] = graphql_type.extensions
            graphql_type.extensions = {}
    return saved


async def test_fast_path_equals_graphql_core(federated: FederatedClient) -> None:
    fast = await federated.query(PAGE)
    saved = await unmark(federated)
    try:
        ordinary = await federated.query(PAGE)
    finally:
        schema = await served_schema(federated)
        for name, extensions in saved.items():
            schema.type_map[name].extensions = extensions

    assert saved
    assert fast == ordinary
    assert fast["page"]["nodes"][0]["__typename"] == "DinsosPendudukMiskin"
    assert list(fast["page"]["nodes"][0]) == [
        "__typename",
        "id",
        "year",
        "jumlah",
        "satuan",
    ]


async def test_null_in_a_non_null_column_fails_as_in_graphql_core(
    federated: FederatedClient,
) -> None:
    schema = await served_schema(federated)
    field = schema.type_map["DkppHargaPangan"].fields["harga"]
    nullable = field.type
    field.type = GraphQLNonNull(nullable)
    document = (
        "{ dkppHargaPangan(filter: {harga: {isNull: true}}, first: 2) "
        "{ nodes { id harga } } }"
    )
    saved: dict[str, Any] = {}
    try:
        fast = await federated.execute(document)
        saved = await unmark(federated)
        ordinary = await federated.execute(document)
    finally:
        field.type = nullable
        for name, extensions in saved.items():
            schema.type_map[name].extensions = extensions

    assert fast == ordinary
    assert fast["data"]["dkppHargaPangan"] is None
    assert fast["errors"][0]["path"] == ["dkppHargaPangan", "nodes", 0, "harga"]
