"""The embedded graph backend: nodes and edges in the store's own tables.

Traversals run as breadth-first rounds of indexed queries; vector search scans
the embeddings of the requested label with numpy. Good for one regency on one
machine; Neo4j takes over beyond that.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from graph.base import (
    Direction,
    Edge,
    EdgeInput,
    GraphIntegrityError,
    GraphStore,
    GraphUnavailableError,
    Node,
    NodeInput,
    Path,
    SimilarNode,
    Subgraph,
)
from store.base import utcnow
from store.engine import create_session_factory, transaction
from store.graph_tables import GraphEdge, GraphNode

BATCH_SIZE = 500


def _encode_vector(vector: Sequence[float] | None) -> bytes | None:
    if vector is None:
        return None
    return np.asarray(vector, dtype=np.float32).tobytes()


def _to_node(row: GraphNode) -> Node:
    return Node(row.id, row.label, row.name, row.kind, dict(row.properties or {}))


def _to_edge(row: GraphEdge) -> Edge:
    return Edge(row.id, row.type, row.source_id, row.target_id, dict(row.properties))


def _batches(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class EmbeddedGraphStore(GraphStore):
    """A graph over the store engine. Safe to share between concurrent tasks."""

    backend = "embedded"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sessions = create_session_factory(engine)

    async def start(self) -> None:
        # Tables come with the store's migrations; nothing to create here.
        await self.ping()

    async def close(self) -> None:
        """The engine belongs to the store; closing the graph leaves it open."""

    async def ping(self) -> None:
        try:
            async with self._sessions() as session:
                await session.execute(select(GraphNode.id).limit(1))
        except (OperationalError, DBAPIError, OSError) as error:
            raise GraphUnavailableError(
                f"the embedded graph store (tables in {self._engine.url.database}) "
                f"does not answer: {error.__class__.__name__}"
            ) from error

    async def upsert_nodes(self, nodes: Sequence[NodeInput]) -> int:
        unique = list({node.id: node for node in nodes}.values())
        for batch in _batches(unique):
            async with transaction(self._sessions) as session:
                await self._upsert_node_batch(session, batch)
        return len(unique)

    async def _upsert_node_batch(
        self, session: AsyncSession, batch: Sequence[NodeInput]
    ) -> None:
        ids = [node.id for node in batch]
        rows = await session.execute(
            select(GraphNode.id, GraphNode.properties).where(GraphNode.id.in_(ids))
        )
        old = {id_: properties or {} for id_, properties in rows}
        now = utcnow()
        values = [
            {
                "id": node.id,
                "label": node.label,
                "kind": node.kind,
                "name": node.name,
                "properties": {**old.get(node.id, {}), **_jsonable(node.properties)},
                "embedding": _encode_vector(node.embedding),
                "created_at": now,
                "updated_at": now,
            }
            for node in batch
        ]
        statement = _insert(session)(GraphNode).values(values)
        excluded = statement.excluded
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[GraphNode.id],
                set_={
                    "label": excluded.label,
                    "kind": excluded.kind,
                    "name": excluded.name,
                    "properties": excluded.properties,
                    "embedding": func.coalesce(excluded.embedding, GraphNode.embedding),
                    "updated_at": excluded.updated_at,
                },
            )
        )

    async def upsert_edges(self, edges: Sequence[EdgeInput]) -> int:
        unique = list({edge.id: edge for edge in edges}.values())
        for batch in _batches(unique):
            try:
                async with transaction(self._sessions) as session:
                    await self._upsert_edge_batch(session, batch)
            except IntegrityError as error:
                raise GraphIntegrityError(
                    "an edge names a node that does not exist; upsert nodes first"
                ) from error
        return len(unique)

    async def _upsert_edge_batch(
        self, session: AsyncSession, batch: Sequence[EdgeInput]
    ) -> None:
        endpoints = {e.source_id for e in batch} | {e.target_id for e in batch}
        found = set(
            await session.scalars(
                select(GraphNode.id).where(GraphNode.id.in_(endpoints))
            )
        )
        missing = sorted(endpoints - found)
        if missing:
            raise GraphIntegrityError(
                f"edges name nodes that do not exist: {', '.join(missing[:5])}; "
                "upsert those nodes first"
            )
        rows = await session.execute(
            select(GraphEdge.id, GraphEdge.properties).where(
                GraphEdge.id.in_([e.id for e in batch])
            )
        )
        old = {id_: properties or {} for id_, properties in rows}
        now = utcnow()
        values = [
            {
                "id": edge.id,
                "type": edge.type,
                "source_id": edge.source_id,
                "target_id": edge.target_id,
                "properties": {**old.get(edge.id, {}), **_jsonable(edge.properties)},
                "created_at": now,
                "updated_at": now,
            }
            for edge in batch
        ]
        # INSERT .. ON CONFLICT, not select-then-add: two concurrent writers of
        # one edge must both succeed, not trip over the primary key.
        statement = _insert(session)(GraphEdge).values(values)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[GraphEdge.id],
                set_={
                    "properties": statement.excluded.properties,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )

    async def list_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        found: dict[str, Node] = {}
        async with self._sessions() as session:
            for batch in _batches(list(set(ids))):
                rows = await session.scalars(
                    select(GraphNode).where(GraphNode.id.in_(batch))
                )
                found.update((row.id, _to_node(row)) for row in rows)
        return [found.get(id_) for id_ in ids]

    async def list_edges(
        self,
        node_id: str,
        *,
        types: Sequence[str] | None = None,
        direction: Direction = "both",
    ) -> list[Edge]:
        conditions = []
        if direction in ("out", "both"):
            conditions.append(GraphEdge.source_id == node_id)
        if direction in ("in", "both"):
            conditions.append(GraphEdge.target_id == node_id)
        query = select(GraphEdge).where(or_(*conditions)).order_by(GraphEdge.id)
        if types:
            query = query.where(GraphEdge.type.in_(types))
        async with self._sessions() as session:
            return [_to_edge(row) for row in await session.scalars(query)]

    async def find_edge(self, id_: str) -> Edge | None:
        async with self._sessions() as session:
            row = await session.get(GraphEdge, id_)
            return _to_edge(row) if row else None

    async def update_edge(self, id_: str, properties: Mapping[str, Any]) -> Edge | None:
        async with transaction(self._sessions) as session:
            row = await session.get(GraphEdge, id_, with_for_update=True)
            if row is None:
                return None
            row.properties = {**row.properties, **_jsonable(properties)}
            return _to_edge(row)

    async def delete_edges(self, ids: Sequence[str]) -> int:
        async with transaction(self._sessions) as session:
            existing = list(
                await session.scalars(select(GraphEdge.id).where(GraphEdge.id.in_(ids)))
            )
            await session.execute(delete(GraphEdge).where(GraphEdge.id.in_(existing)))
        return len(existing)

    async def list_neighbours(
        self, node_id: str, *, depth: int = 1, types: Sequence[str] | None = None
    ) -> Subgraph:
        seen = {node_id}
        frontier = {node_id}
        edges: dict[str, Edge] = {}
        async with self._sessions() as session:
            for _ in range(depth):
                if not frontier:
                    break
                found = await self._edges_touching(session, frontier, types)
                edges.update((edge.id, edge) for edge in found)
                reached = {e.source_id for e in found} | {e.target_id for e in found}
                frontier = reached - seen
                seen |= reached
        nodes = [node for node in await self.list_nodes(sorted(seen)) if node]
        inside = [e for e in edges.values() if {e.source_id, e.target_id} <= seen]
        return Subgraph(nodes=nodes, edges=sorted(inside, key=lambda e: e.id))

    async def _edges_touching(
        self, session: AsyncSession, ids: set[str], types: Sequence[str] | None
    ) -> list[Edge]:
        found: list[Edge] = []
        for batch in _batches(sorted(ids)):
            query = select(GraphEdge).where(
                or_(GraphEdge.source_id.in_(batch), GraphEdge.target_id.in_(batch))
            )
            if types:
                query = query.where(GraphEdge.type.in_(types))
            found.extend(_to_edge(row) for row in await session.scalars(query))
        return found

    async def find_shortest_path(
        self,
        from_id: str,
        to_id: str,
        *,
        max_depth: int = 6,
        avoid: Collection[str] = (),
    ) -> Path | None:
        if from_id == to_id:
            node = await self.find_node(from_id)
            return Path(nodes=[node], edges=[]) if node else None
        # Avoided nodes count as already reached, so no step ever enters them.
        parents: dict[str, tuple[str, Edge] | None] = {
            id_: None for id_ in avoid if id_ not in (from_id, to_id)
        }
        parents[from_id] = None
        frontier = {from_id}
        async with self._sessions() as session:
            for _ in range(max_depth):
                if not frontier or to_id in parents:
                    break
                next_frontier: set[str] = set()
                for edge in sorted(
                    await self._edges_touching(session, frontier, None),
                    key=lambda e: e.id,
                ):
                    for here, there in (
                        (edge.source_id, edge.target_id),
                        (edge.target_id, edge.source_id),
                    ):
                        if here in frontier and there not in parents:
                            parents[there] = (here, edge)
                            next_frontier.add(there)
                frontier = next_frontier
        if to_id not in parents:
            return None
        return await self._walk_back(parents, to_id)

    async def _walk_back(
        self, parents: Mapping[str, tuple[str, Edge] | None], end: str
    ) -> Path:
        ids = [end]
        edges: list[Edge] = []
        step = parents[end]
        while step is not None:
            previous, edge = step
            ids.append(previous)
            edges.append(edge)
            step = parents[previous]
        ids.reverse()
        edges.reverse()
        nodes = [node for node in await self.list_nodes(ids) if node]
        return Path(nodes=nodes, edges=edges)

    async def search_similar(
        self,
        vector: Sequence[float],
        *,
        limit: int = 10,
        label: str | None = None,
        kind: str | None = None,
    ) -> list[SimilarNode]:
        query = select(GraphNode).where(GraphNode.embedding.is_not(None))
        if label:
            query = query.where(GraphNode.label == label)
        if kind:
            query = query.where(GraphNode.kind == kind)
        async with self._sessions() as session:
            rows = list(await session.scalars(query))
        if not rows:
            return []
        matrix = np.vstack(
            [np.frombuffer(row.embedding or b"", np.float32) for row in rows]
        )
        target = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(target)
        scores = matrix @ target / np.where(norms == 0, 1.0, norms)
        best = np.argsort(-scores, kind="stable")[:limit]
        return [SimilarNode(_to_node(rows[i]), float(scores[i])) for i in best]

    async def count_nodes(self, label: str | None = None) -> int:
        query = select(func.count()).select_from(GraphNode)
        if label:
            query = query.where(GraphNode.label == label)
        async with self._sessions() as session:
            return int(await session.scalar(query) or 0)

    async def count_nodes_by(
        self, label: str, properties: Sequence[str]
    ) -> dict[tuple[str | None, ...], int]:
        values = [GraphNode.properties[name].as_string() for name in properties]
        query = (
            select(*values, func.count())
            .where(GraphNode.label == label)
            .group_by(*values)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return {tuple(row[:-1]): int(row[-1]) for row in rows}

    async def list_nodes_where(
        self, label: str, properties: Mapping[str, str | None]
    ) -> list[Node]:
        query = select(GraphNode).where(GraphNode.label == label)
        for name, value in properties.items():
            field = GraphNode.properties[name].as_string()
            query = query.where(field.is_(None) if value is None else field == value)
        async with self._sessions() as session:
            rows = await session.scalars(query.order_by(GraphNode.id))
            return [_to_node(row) for row in rows]


def _insert(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert
    return sqlite_insert


def _jsonable(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Properties as plain JSON values, so both backends store the same thing."""
    return dict(json.loads(json.dumps(dict(properties), default=str)))
