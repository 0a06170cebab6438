"""Resolvers over the knowledge graph: nodes, neighbourhoods, paths and counts.

Every result passes the request's ``GraphView``, so records of datasets the
principal may not read are absent (also from paths and counts) and their
personal columns masked.
"""

from __future__ import annotations

from graph.base import Node, Path, Subgraph
from resolvers.context import RequestContext

MAX_DEPTH = 4


async def find_node(context: RequestContext, id_: str) -> Node | None:
    node = await context.services.graph.find_node(id_)
    return await (await context.graph_view()).node(node)


async def list_neighbours(context: RequestContext, id_: str, depth: int) -> Subgraph:
    bounded = max(1, min(depth, MAX_DEPTH))
    view = await context.graph_view()
    if await view.node(await context.services.graph.find_node(id_)) is None:
        return Subgraph(nodes=[], edges=[])
    subgraph = await context.services.graph.list_neighbours(id_, depth=bounded)
    return await view.subgraph(subgraph, start=id_, depth=bounded)


async def find_path(context: RequestContext, from_id: str, to_id: str) -> Path | None:
    return await (await context.graph_view()).find_path(from_id, to_id)


async def count_nodes(context: RequestContext, label: str | None) -> int:
    return await (await context.graph_view()).count_nodes(label)
