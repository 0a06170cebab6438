"""One contract, run unchanged against the Neo4j and the embedded graph backend."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest

from graph.base import EdgeInput, GraphIntegrityError, GraphStore, NodeInput
from linking.embedder import Embedder


def entity(
    id_: str, name: str, kind: str = "organisation", **props: object
) -> NodeInput:
    return NodeInput(id=id_, label="Entity", name=name, kind=kind, properties=props)


async def chain(graph: GraphStore, length: int) -> list[str]:
    """Nodes n0 - n1 - ... linked in one direction by LOCATED_IN edges."""
    ids = [f"n{i}" for i in range(length)]
    await graph.upsert_nodes([entity(id_, id_.upper()) for id_ in ids])
    await graph.upsert_edges(
        [EdgeInput("LOCATED_IN", a, b) for a, b in itertools.pairwise(ids)]
    )
    return ids


async def test_upserted_node_reads_back_with_its_properties(
    graph_store: GraphStore,
) -> None:
    node = entity(
        "org:1", "Warung Sate Pak Slamet", sector="kuliner", evidence={"a": [1]}
    )

    written = await graph_store.upsert_nodes([node])
    found = await graph_store.find_node("org:1")

    assert written == 1
    assert found is not None
    assert (found.id, found.label, found.kind, found.name) == (
        "org:1",
        "Entity",
        "organisation",
        "Warung Sate Pak Slamet",
    )
    assert found.properties == {"sector": "kuliner", "evidence": {"a": [1]}}


async def test_upsert_merges_properties_and_keeps_one_node(
    graph_store: GraphStore,
) -> None:
    await graph_store.upsert_nodes([entity("org:1", "Toko A", sector="kuliner")])

    await graph_store.upsert_nodes([entity("org:1", "Toko A Baru", phone="0812")])

    found = await graph_store.find_node("org:1")
    assert found is not None
    assert found.name == "Toko A Baru"
    assert found.properties == {"sector": "kuliner", "phone": "0812"}
    assert await graph_store.count_nodes("Entity") == 1


async def test_list_nodes_keeps_order_and_marks_missing(
    graph_store: GraphStore,
) -> None:
    await graph_store.upsert_nodes([entity("a", "A"), entity("b", "B")])

    found = await graph_store.list_nodes(["b", "missing", "a", "b"])

    assert [node.id if node else None for node in found] == ["b", None, "a", "b"]


async def test_edge_to_missing_node_is_refused(graph_store: GraphStore) -> None:
    await graph_store.upsert_nodes([entity("a", "A")])

    with pytest.raises(GraphIntegrityError, match="ghost"):
        await graph_store.upsert_edges([EdgeInput("REFERS_TO", "a", "ghost")])


async def test_same_edge_twice_is_one_edge_with_merged_properties(
    graph_store: GraphStore,
) -> None:
    await graph_store.upsert_nodes([entity("rec", "R", "record"), entity("e", "E")])
    first = EdgeInput("REFERS_TO", "rec", "e", {"score": 0.91, "status": "auto"})

    await graph_store.upsert_edges([first])
    await graph_store.upsert_edges(
        [EdgeInput("REFERS_TO", "rec", "e", {"status": "accepted"})]
    )

    edges = await graph_store.list_edges("e")
    assert [(e.id, e.type, e.source_id, e.target_id) for e in edges] == [
        (first.id, "REFERS_TO", "rec", "e")
    ]
    assert edges[0].properties == {"score": 0.91, "status": "accepted"}


async def test_list_edges_by_direction_and_type(graph_store: GraphStore) -> None:
    await graph_store.upsert_nodes([entity(i, i) for i in ("a", "b", "c")])
    await graph_store.upsert_edges(
        [EdgeInput("SOLD_BY", "a", "b"), EdgeInput("LOCATED_IN", "b", "c")]
    )

    outgoing = await graph_store.list_edges("b", direction="out")
    incoming = await graph_store.list_edges("b", direction="in")
    typed = await graph_store.list_edges("b", types=["SOLD_BY"])

    assert [e.target_id for e in outgoing] == ["c"]
    assert [e.source_id for e in incoming] == ["a"]
    assert [e.type for e in typed] == ["SOLD_BY"]


async def test_update_and_delete_edge(graph_store: GraphStore) -> None:
    await graph_store.upsert_nodes([entity("a", "A"), entity("b", "B")])
    edge = EdgeInput("REFERS_TO", "a", "b", {"status": "auto", "score": 0.7})
    await graph_store.upsert_edges([edge])

    updated = await graph_store.update_edge(
        edge.id, {"status": "rejected", "by": "rina"}
    )
    deleted = await graph_store.delete_edges([edge.id, "no-such-edge"])

    assert updated is not None
    assert updated.properties == {"status": "rejected", "by": "rina", "score": 0.7}
    assert deleted == 1
    assert await graph_store.find_edge(edge.id) is None
    assert await graph_store.update_edge(edge.id, {"status": "x"}) is None


async def test_neighbours_grow_with_depth(graph_store: GraphStore) -> None:
    ids = await chain(graph_store, 5)

    one = await graph_store.list_neighbours("n2", depth=1)
    two = await graph_store.list_neighbours("n2", depth=2)

    assert [n.id for n in one.nodes] == ["n1", "n2", "n3"]
    assert len(one.edges) == 2
    assert [n.id for n in two.nodes] == ids
    assert len(two.edges) == 4


async def test_neighbours_filtered_by_edge_type(graph_store: GraphStore) -> None:
    await graph_store.upsert_nodes([entity(i, i) for i in ("a", "b", "c")])
    await graph_store.upsert_edges(
        [EdgeInput("SOLD_BY", "a", "b"), EdgeInput("MENTIONS", "c", "a")]
    )

    sold = await graph_store.list_neighbours("a", depth=2, types=["SOLD_BY"])

    assert [n.id for n in sold.nodes] == ["a", "b"]
    assert [e.type for e in sold.edges] == ["SOLD_BY"]


async def test_shortest_path_ignores_direction_and_prefers_fewer_hops(
    graph_store: GraphStore,
) -> None:
    await chain(graph_store, 5)
    await graph_store.upsert_edges([EdgeInput("SAME_AS", "n4", "n1")])

    path = await graph_store.find_shortest_path("n0", "n4")

    assert path is not None
    assert [n.id for n in path.nodes] == ["n0", "n1", "n4"]
    assert [e.type for e in path.edges] == ["LOCATED_IN", "SAME_AS"]


async def test_shortest_path_goes_around_avoided_nodes(
    graph_store: GraphStore,
) -> None:
    await chain(graph_store, 5)
    await graph_store.upsert_edges([EdgeInput("SAME_AS", "n4", "n1")])

    around = await graph_store.find_shortest_path("n0", "n4", avoid={"n1"})
    blocked = await graph_store.find_shortest_path("n0", "n2", avoid={"n1"})
    ends = await graph_store.find_shortest_path("n1", "n4", avoid={"n1", "n4"})

    assert around is None  # n0 reaches the rest only through n1
    assert blocked is None
    assert ends is not None
    assert [n.id for n in ends.nodes] == ["n1", "n4"]


async def test_path_takes_the_longer_way_when_the_short_one_is_avoided(
    graph_store: GraphStore,
) -> None:
    await chain(graph_store, 5)
    await graph_store.upsert_edges([EdgeInput("SAME_AS", "n4", "n1")])

    path = await graph_store.find_shortest_path("n1", "n4", avoid={"n0"})
    longer = await graph_store.find_shortest_path("n2", "n4", avoid={"n1"})

    assert path is not None
    assert [n.id for n in path.nodes] == ["n1", "n4"]
    assert longer is not None
    assert [n.id for n in longer.nodes] == ["n2", "n3", "n4"]


def record(id_: str, **props: object) -> NodeInput:
    return NodeInput(id=id_, label="Record", name=id_, kind=None, properties=props)


async def test_nodes_counted_and_listed_by_text_properties(
    graph_store: GraphStore,
) -> None:
    await graph_store.upsert_nodes(
        [
            record("r1", source="dinkes", dataset="pasien", nik="1"),
            record("r2", source="dinkes", dataset="pasien"),
            record("r3", source="dinsos", dataset="miskin"),
            record("r4", dataset="dinkes.pasien"),
            entity("e1", "Not a record", source="dinkes", dataset="pasien"),
        ]
    )

    counts = await graph_store.count_nodes_by("Record", ("source", "dataset"))
    pasien = await graph_store.list_nodes_where(
        "Record", {"source": "dinkes", "dataset": "pasien"}
    )
    unsourced = await graph_store.list_nodes_where(
        "Record", {"source": None, "dataset": "dinkes.pasien"}
    )

    assert counts == {
        ("dinkes", "pasien"): 2,
        ("dinsos", "miskin"): 1,
        (None, "dinkes.pasien"): 1,
    }
    assert [node.id for node in pasien] == ["r1", "r2"]
    assert pasien[0].properties["nik"] == "1"
    assert [node.id for node in unsourced] == ["r4"]


async def test_no_path_between_separate_parts(graph_store: GraphStore) -> None:
    await chain(graph_store, 2)
    await graph_store.upsert_nodes([entity("island", "Island")])

    assert await graph_store.find_shortest_path("n0", "island") is None
    assert await graph_store.find_shortest_path("n0", "n1", max_depth=1) is not None


async def test_vector_search_ranks_by_meaning(
    graph_store: GraphStore, embedder: Embedder
) -> None:
    names = ["Warung Sate Kambing", "Toko Bangunan Jaya", "Puskesmas Slawi"]
    vectors = embedder.encode(names)
    await graph_store.upsert_nodes(
        [
            NodeInput(f"e{i}", "Entity", name, "organisation", {}, vector.tolist())
            for i, (name, vector) in enumerate(zip(names, vectors, strict=True))
        ]
        + [NodeInput("p", "Entity", "Slawi", "place", {}, vectors[2].tolist())]
    )
    query = embedder.encode(["sate kambing enak"])[0]

    hits = await graph_store.search_similar(
        query.tolist(), limit=2, kind="organisation"
    )

    assert hits[0].node.id == "e0"
    assert len(hits) == 2
    expected = float(np.dot(vectors[0], query))
    assert hits[0].score == pytest.approx(expected, abs=1e-3)
    assert all(hit.node.kind == "organisation" for hit in hits)


async def test_concurrent_upserts_create_no_duplicates(graph_store: GraphStore) -> None:
    nodes = [entity(f"org:{i}", f"Org {i}") for i in range(50)]

    await asyncio.gather(*(graph_store.upsert_nodes(nodes) for _ in range(4)))

    count = await graph_store.count_nodes("Entity")
    subgraph = await graph_store.list_neighbours("org:0", depth=1)
    assert count == 50, f"{count} entities after concurrent upserts"
    assert [node.id for node in subgraph.nodes] == ["org:0"]


async def test_concurrent_edge_upserts_create_no_duplicates(
    graph_store: GraphStore,
) -> None:
    await graph_store.upsert_nodes(
        [entity(f"r{i}", f"R {i}") for i in range(40)] + [entity("e", "E")]
    )
    edges = [EdgeInput("REFERS_TO", f"r{i}", "e", {"score": 0.9}) for i in range(40)]

    await asyncio.gather(*(graph_store.upsert_edges(edges) for _ in range(4)))

    found = await graph_store.list_edges("e", types=["REFERS_TO"], direction="in")
    assert len(found) == 40, f"{len(found)} edges after concurrent upserts"
    assert len({edge.id for edge in found}) == 40
