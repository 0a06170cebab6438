"""Neo4j's uniqueness constraints: what stops concurrent writers duplicating."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graph.base import EdgeInput, GraphIntegrityError, NodeInput
from graph.neo4j_store import Neo4jGraphStore
from tests.conftest import clear_neo4j, neo4j_settings


@pytest.fixture
async def neo4j() -> AsyncIterator[Neo4jGraphStore]:
    uri, user, password = neo4j_settings()
    store = Neo4jGraphStore(uri, user, password)
    await store.start()
    await clear_neo4j(store)
    yield store
    await clear_neo4j(store)
    await store.close()


def node(id_: str) -> NodeInput:
    return NodeInput(id=id_, label="Record", name=id_.upper(), kind="person")


async def test_a_second_node_with_the_same_id_is_refused(
    neo4j: Neo4jGraphStore,
) -> None:
    await neo4j.upsert_nodes([node("a")])

    with pytest.raises(GraphIntegrityError, match="already exists"):
        await neo4j._run("CREATE (:Node {id: 'a'})")


async def test_a_second_edge_with_the_same_id_is_refused_once_its_type_is_written(
    neo4j: Neo4jGraphStore,
) -> None:
    await neo4j.upsert_nodes([node("a"), node("b")])
    await neo4j.upsert_edges([EdgeInput("REFERS_TO", "a", "b", {"score": 0.9})])
    [edge] = await neo4j.list_edges("a", types=["REFERS_TO"])

    with pytest.raises(GraphIntegrityError, match="already exists"):
        await neo4j._run(
            "MATCH (a:Node {id: 'a'}), (b:Node {id: 'b'}) "
            "CREATE (a)-[:REFERS_TO {id: $id}]->(b)",
            id=edge.id,
        )


async def test_a_constraint_made_by_another_process_is_taken_as_is(
    neo4j: Neo4jGraphStore,
) -> None:
    uri, user, password = neo4j_settings()
    other = Neo4jGraphStore(uri, user, password)
    await neo4j.upsert_nodes([node("a"), node("b")])
    try:
        await other.upsert_edges([EdgeInput("LOCATED_IN", "a", "b")])

        written = await neo4j.upsert_edges([EdgeInput("LOCATED_IN", "a", "b")])
    finally:
        await other.close()

    assert written == 1
    assert len(await neo4j.list_edges("a", types=["LOCATED_IN"])) == 1
