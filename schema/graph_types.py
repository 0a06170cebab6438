"""GraphQL types of the knowledge graph."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from graph.base import Edge, Node, Path, Subgraph
from resolvers import graph as graph_resolvers
from resolvers.context import RequestContext
from schema.scalars import JSON


@strawberry.type(name="GraphNode", description="A node of the knowledge graph.")
class GraphNodeType:
    id: strawberry.ID = strawberry.field(description="Stable id; never changes.")
    label: str = strawberry.field(description="Entity, Record, Post, Listing, ...")
    kind: str | None = strawberry.field(
        description="For entities: organisation, place, person, product or topic."
    )
    name: str
    properties: JSON = strawberry.field(description="Attributes as a JSON object.")

    @classmethod
    def of(cls, node: Node) -> GraphNodeType:
        return cls(
            id=strawberry.ID(node.id),
            label=node.label,
            kind=node.kind,
            name=node.name,
            properties=cast(Any, dict(node.properties)),
        )

    @strawberry.field(description="Nodes and edges within `depth` hops (1 to 4).")
    async def neighbours(
        self, info: Info[RequestContext, None], depth: int = 1
    ) -> GraphSubgraphType:
        subgraph = await graph_resolvers.list_neighbours(info.context, self.id, depth)
        return GraphSubgraphType.of(subgraph)


@strawberry.type(
    name="GraphEdge", description="A typed, directed edge with provenance."
)
class GraphEdgeType:
    id: strawberry.ID
    type: str = strawberry.field(description="REFERS_TO, MENTIONS, SOLD_BY, ...")
    source_id: strawberry.ID
    target_id: strawberry.ID
    properties: JSON

    @classmethod
    def of(cls, edge: Edge) -> GraphEdgeType:
        return cls(
            id=strawberry.ID(edge.id),
            type=edge.type,
            source_id=strawberry.ID(edge.source_id),
            target_id=strawberry.ID(edge.target_id),
            properties=cast(Any, dict(edge.properties)),
        )


@strawberry.type(name="GraphSubgraph", description="Nodes with the edges among them.")
class GraphSubgraphType:
    nodes: list[GraphNodeType]
    edges: list[GraphEdgeType]

    @classmethod
    def of(cls, graph: Subgraph | Path) -> GraphSubgraphType:
        return cls(
            nodes=[GraphNodeType.of(node) for node in graph.nodes],
            edges=[GraphEdgeType.of(edge) for edge in graph.edges],
        )


@strawberry.type(name="GraphStats")
class GraphStatsType:
    backend: str = strawberry.field(description="neo4j or embedded.")

    @strawberry.field(
        description="How many nodes the graph holds, of one label or all."
    )
    async def nodes(
        self, info: Info[RequestContext, None], label: str | None = None
    ) -> int:
        return await graph_resolvers.count_nodes(info.context, label)


@strawberry.type
class GraphQuery:
    @strawberry.field(description="One node of the knowledge graph by its stable id.")
    async def graph_node(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> GraphNodeType | None:
        node = await graph_resolvers.find_node(info.context, id)
        return GraphNodeType.of(node) if node else None

    @strawberry.field(
        description="A shortest path between two nodes, ignoring direction (up to 6 hops)."
    )
    async def graph_path(
        self,
        info: Info[RequestContext, None],
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
    ) -> GraphSubgraphType | None:
        path = await graph_resolvers.find_path(info.context, from_, to)
        return GraphSubgraphType.of(path) if path else None

    @strawberry.field(description="Which graph backend answers, and how big it is.")
    def graph_stats(self, info: Info[RequestContext, None]) -> GraphStatsType:
        return GraphStatsType(backend=info.context.services.graph.backend)
