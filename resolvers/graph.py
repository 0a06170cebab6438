"""Resolvers over the knowledge graph: nodes, neighbourhoods and paths."""

from __future__ import annotations

from graph.base import Node, Path, Subgraph
from resolvers.context import RequestContext

MAX_DEPTH = 4


async def find_node(context: RequestContext, id_: str) -> Node | None:
    return await context.services.graph.find_node(id_)


async def list_neighbours(context: RequestContext, id_: str, depth: int) -> Subgraph:
    bounded = max(1, min(depth, MAX_DEPTH))
    return await context.services.graph.list_neighbours(id_, depth=bounded)


async def find_path(context: RequestContext, from_id: str, to_id: str) -> Path | None:
    return await context.services.graph.find_shortest_path(from_id, to_id)


async def count_nodes(context: RequestContext, label: str | None) -> int:
    return await context.services.graph.count_nodes(label)
