"""Writing records, entities and their provenance-carrying links to the graph.

Record nodes (label ``Record``) and entity nodes (label ``Entity``) are
upserted by their stable ids in batches through the graph contract, so a
re-run or a concurrent run writes the same nodes again instead of new ones.
Each ``REFERS_TO`` edge carries the provenance of its link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from graph.base import EdgeInput, GraphStore, NodeInput, edge_id
from linking.features import normalise_name
from linking.records import LinkRecord

RECORD_LABEL = "Record"
ENTITY_LABEL = "Entity"
REFERS_TO = "REFERS_TO"
LOCATED_IN = "LOCATED_IN"


def place_node_id(region_code: str) -> str:
    """The id of the Place entity of a Kemendagri region code.

    Integration point with the region-code datasets ([B3]): they write one
    ``Entity`` of kind ``place`` per code under this id; an entity is linked
    ``LOCATED_IN`` a place only when that node exists.
    """
    return f"place:{region_code}"


def record_node(record: LinkRecord) -> NodeInput:
    """The graph node of a record: its address and what linking compared."""
    _, name_attributes = normalise_name(record)
    properties: dict[str, Any] = {
        "source": record.source,
        "dataset": record.dataset,
        "key": list(record.key),
        "region_code": record.region_code,
        **name_attributes,
    }
    return NodeInput(
        id=record.id,
        label=RECORD_LABEL,
        name=record.name,
        kind=record.kind,
        properties={k: v for k, v in properties.items() if v is not None},
    )


def entity_node(
    entity_id: str, kind: str, name: str, region_code: str | None, record_count: int
) -> NodeInput:
    properties: dict[str, Any] = {"record_count": record_count}
    if region_code:
        properties["region_code"] = region_code
    return NodeInput(
        id=entity_id, label=ENTITY_LABEL, name=name, kind=kind, properties=properties
    )


def provenance(
    *,
    source: str,
    dataset: str,
    key: Sequence[str],
    method: str,
    model_version: str,
    score: float | None,
    evidence: Mapping[str, Any],
    status: str,
    decided_by: str,
    decided_at: datetime,
) -> dict[str, Any]:
    """The properties of a ``REFERS_TO`` edge: why and by whom the link exists."""
    return {
        "source": source,
        "dataset": dataset,
        "key": list(key),
        "method": method,
        "model_version": model_version,
        "score": score,
        "evidence": dict(evidence),
        "status": status,
        "decided_by": decided_by,
        "decided_at": decided_at.isoformat(),
    }


def refers_to_edge(
    record_id: str, entity_id: str, properties: Mapping[str, Any]
) -> EdgeInput:
    return EdgeInput(
        type=REFERS_TO, source_id=record_id, target_id=entity_id, properties=properties
    )


def refers_to_edge_id(record_id: str, entity_id: str) -> str:
    return edge_id(REFERS_TO, record_id, entity_id)


async def write_links(
    graph: GraphStore,
    records: Iterable[NodeInput],
    entities: Iterable[NodeInput],
    edges: Iterable[EdgeInput],
) -> tuple[int, int]:
    """Upsert record and entity nodes, then their edges; returns (nodes, edges).

    Raises ``GraphError`` from the backend. Entity-to-place edges are added for
    entities whose region code names an existing place node.
    """
    entity_list = list(entities)
    nodes = await graph.upsert_nodes([*records, *entity_list])
    edge_list = [*edges, *await _place_edges(graph, entity_list)]
    written = await graph.upsert_edges(edge_list)
    return nodes, written


async def _place_edges(graph: GraphStore, entities: list[NodeInput]) -> list[EdgeInput]:
    wanted = {
        node.id: place_node_id(str(node.properties["region_code"]))
        for node in entities
        if node.properties.get("region_code") and node.kind != "place"
    }
    if not wanted:
        return []
    places = sorted(set(wanted.values()))
    found = {n.id for n in await graph.list_nodes(places) if n is not None}
    return [
        EdgeInput(type=LOCATED_IN, source_id=entity, target_id=place)
        for entity, place in sorted(wanted.items())
        if place in found
    ]
