"""The Neo4j graph backend, through the official async driver.

Every node carries the ``Node`` label (unique ``id`` constraint, vector index on
``embedding``) beside its own label; every edge type gets a unique ``id``
constraint the first time it is written, so that concurrent writers cannot
create an edge twice even where ``MERGE`` alone would not stop them. Neo4j
properties cannot hold maps, so the full property map is kept as JSON in
``props``; top-level scalars are copied beside it for Cypher filters. Driver
errors are translated at this boundary.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.base import (
    Direction,
    Edge,
    EdgeInput,
    GraphError,
    GraphIntegrityError,
    GraphStore,
    GraphUnavailableError,
    Node,
    NodeInput,
    Path,
    SimilarNode,
    Subgraph,
)

BATCH_SIZE = 1000
VECTOR_INDEX = "node_embedding"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Node fields that a property of the same name must not overwrite.
RESERVED = frozenset({"id", "label", "name", "kind", "embedding", "props"})


def _check_name(name: str) -> str:
    # Labels and relationship types cannot be query parameters; allow only plain names.
    if not _NAME.match(name):
        raise GraphError(
            f"{name!r} is not a valid label or edge type: use [A-Za-z0-9_]"
        )
    return name


def _flat(properties: Mapping[str, Any]) -> dict[str, Any]:
    props = json.loads(json.dumps(dict(properties), default=str))
    flat = {
        key: value
        for key, value in props.items()
        if isinstance(value, str | int | float | bool)
        and _NAME.match(key)
        and key not in RESERVED
    }
    flat["props"] = json.dumps(props, sort_keys=True)
    return flat


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _to_node(record: Any) -> Node:
    return Node(
        id=record["id"],
        label=record["label"],
        name=record["name"] or "",
        kind=record["kind"],
        properties=json.loads(record["props"] or "{}"),
    )


def _to_edge(record: Any) -> Edge:
    return Edge(
        id=record["id"],
        type=record["type"],
        source_id=record["source"],
        target_id=record["target"],
        properties=json.loads(record["props"] or "{}"),
    )


NODE_FIELDS = (
    "n.id AS id, n.label AS label, n.name AS name, n.kind AS kind, n.props AS props"
)
EDGE_FIELDS = (
    "r.id AS id, type(r) AS type, startNode(r).id AS source, "
    "endNode(r).id AS target, r.props AS props"
)


class Neo4jGraphStore(GraphStore):
    """A graph in Neo4j. Safe to share between concurrent tasks (the driver is)."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str | None = None,
        dimensions: int = 384,
    ) -> None:
        self._uri = uri
        self._driver: AsyncDriver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            # Fail fast when Neo4j is down: a request should report the outage in
            # about two seconds rather than wait out the driver's default retries.
            connection_timeout=2.0,
            connection_acquisition_timeout=3.0,
            max_transaction_retry_time=1.0,
        )
        self._database = database
        self._dimensions = dimensions
        self._started = False
        self._constrained_types: set[str] = set()
        self._schema_lock = asyncio.Lock()

    async def _run(self, query: str, **params: Any) -> list[Any]:
        try:
            records, _, _ = await self._driver.execute_query(
                query, params, database_=self._database
            )
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise GraphUnavailableError(
                f"the Neo4j graph store at {self._uri} does not answer: "
                f"{error.__class__.__name__}"
            ) from error
        except AuthError as error:
            raise GraphError(
                f"Neo4j at {self._uri} refused the credentials: check "
                "BIGONE_NEO4J_USER and BIGONE_NEO4J_PASSWORD"
            ) from error
        except ConstraintError as error:
            raise GraphIntegrityError(
                f"Neo4j refused a write: {error.message}"
            ) from error
        except Neo4jError as error:
            raise GraphError(f"Neo4j query failed: {error.message}") from error
        return list(records)

    async def start(self) -> None:
        await self._run(
            "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE"
        )
        await self._run(
            f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS "
            "FOR (n:Node) ON (n.embedding) OPTIONS {indexConfig: {"
            "`vector.dimensions`: $dimensions, "
            "`vector.similarity_function`: 'cosine', "
            # Quantised vectors give scores that differ from the embedded
            # backend's exact cosine in the third decimal; keep them exact.
            "`vector.quantization.enabled`: false}}",
            dimensions=self._dimensions,
        )
        await self._run("CALL db.awaitIndexes(60)")
        self._started = True

    async def close(self) -> None:
        await self._driver.close()

    async def ping(self) -> None:
        await self._run("RETURN 1 AS ok")
        if not self._started:
            # Neo4j was down when the server started: create what start() makes.
            await self.start()

    async def upsert_nodes(self, nodes: Sequence[NodeInput]) -> int:
        unique = list({node.id: node for node in nodes}.values())
        by_label: dict[str, list[dict[str, Any]]] = {}
        for node in unique:
            by_label.setdefault(_check_name(node.label), []).append(
                {
                    "id": node.id,
                    "name": node.name,
                    "kind": node.kind,
                    "label": node.label,
                    "props": _flat(node.properties),
                    "embedding": list(map(float, node.embedding))
                    if node.embedding is not None
                    else None,
                }
            )
        for label, rows in by_label.items():
            for start in range(0, len(rows), BATCH_SIZE):
                await self._run(
                    f"""
                    UNWIND $rows AS row
                    MERGE (n:Node {{id: row.id}})
                    SET n:{label}
                    SET n += row.props, n.name = row.name, n.kind = row.kind,
                        n.label = row.label,
                        n.embedding = coalesce(row.embedding, n.embedding)
                    """,
                    rows=await self._merge_props(rows[start : start + BATCH_SIZE]),
                )
        return len(unique)

    async def _merge_props(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Properties merge into what a node already has, as in the embedded backend.
        ids = [row["id"] for row in rows]
        records = await self._run(
            "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n.props AS props",
            ids=ids,
        )
        old = {r["id"]: json.loads(r["props"] or "{}") for r in records}
        for row in rows:
            new = json.loads(row["props"]["props"])
            row["props"] = _flat({**old.get(row["id"], {}), **new})
        return rows

    async def upsert_edges(self, edges: Sequence[EdgeInput]) -> int:
        unique = list({edge.id: edge for edge in edges}.values())
        await self._check_endpoints(unique)
        by_type: dict[str, list[dict[str, Any]]] = {}
        for edge in unique:
            by_type.setdefault(_check_name(edge.type), []).append(
                {
                    "id": edge.id,
                    "source": edge.source_id,
                    "target": edge.target_id,
                    "props": dict(edge.properties),
                }
            )
        for type_, rows in by_type.items():
            await self._constrain_edge_type(type_)
            for start in range(0, len(rows), BATCH_SIZE):
                batch = await self._merge_edge_props(
                    type_, rows[start : start + BATCH_SIZE]
                )
                await self._run(
                    f"""
                    UNWIND $rows AS row
                    MATCH (a:Node {{id: row.source}}), (b:Node {{id: row.target}})
                    MERGE (a)-[r:{type_} {{id: row.id}}]->(b)
                    SET r += row.props
                    """,
                    rows=batch,
                )
        return len(unique)

    async def _check_endpoints(self, edges: Sequence[EdgeInput]) -> None:
        endpoints = sorted({e.source_id for e in edges} | {e.target_id for e in edges})
        records = await self._run(
            "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id", ids=endpoints
        )
        missing = sorted(set(endpoints) - {r["id"] for r in records})
        if missing:
            raise GraphIntegrityError(
                f"edges name nodes that do not exist: {', '.join(missing[:5])}; "
                "upsert those nodes first"
            )

    async def _constrain_edge_type(self, type_: str) -> None:
        """Create the unique ``id`` constraint of an edge type, once per process."""
        if type_ in self._constrained_types:
            return
        name = f"edge_id_{type_}"
        async with self._schema_lock:
            if type_ in self._constrained_types:
                return
            try:
                await self._run(
                    f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                    f"FOR ()-[r:{type_}]-() REQUIRE r.id IS UNIQUE"
                )
            except GraphError as error:
                # Another process may have created it a moment ago; anything
                # else (duplicates already stored) is a real failure.
                if not await self._run(
                    "SHOW CONSTRAINTS YIELD name WHERE name = $name RETURN name",
                    name=name,
                ):
                    raise GraphIntegrityError(
                        f"cannot make {type_} edge ids unique: {error}; remove "
                        f"duplicate {type_} edges (same id) and retry"
                    ) from error
            self._constrained_types.add(type_)

    async def _merge_edge_props(
        self, type_: str, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        # The type lets Neo4j use the id constraint's index instead of a scan
        # of every relationship.
        records = await self._run(
            f"UNWIND $ids AS id MATCH ()-[r:{type_} {{id: id}}]->() "
            "RETURN r.id AS id, r.props AS props",
            ids=[row["id"] for row in rows],
        )
        old = {r["id"]: json.loads(r["props"] or "{}") for r in records}
        for row in rows:
            row["props"] = _flat({**old.get(row["id"], {}), **row["props"]})
        return rows

    async def list_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        records = await self._run(
            f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN {NODE_FIELDS}",
            ids=list(set(ids)),
        )
        found = {r["id"]: _to_node(r) for r in records}
        return [found.get(id_) for id_ in ids]

    async def list_edges(
        self,
        node_id: str,
        *,
        types: Sequence[str] | None = None,
        direction: Direction = "both",
    ) -> list[Edge]:
        pattern = {
            "out": "(n:Node {id: $id})-[r]->()",
            "in": "(n:Node {id: $id})<-[r]-()",
            "both": "(n:Node {id: $id})-[r]-()",
        }[direction]
        records = await self._run(
            f"MATCH {pattern} WHERE $types IS NULL OR type(r) IN $types "
            f"RETURN DISTINCT {EDGE_FIELDS} ORDER BY id",
            id=node_id,
            types=list(types) if types else None,
        )
        return [_to_edge(r) for r in records]

    async def find_edge(self, id_: str) -> Edge | None:
        records = await self._run(
            f"MATCH ()-[r {{id: $id}}]->() RETURN {EDGE_FIELDS}", id=id_
        )
        return _to_edge(records[0]) if records else None

    async def update_edge(self, id_: str, properties: Mapping[str, Any]) -> Edge | None:
        edge = await self.find_edge(id_)
        if edge is None:
            return None
        merged = _flat({**edge.properties, **properties})
        records = await self._run(
            f"MATCH ()-[r {{id: $id}}]->() SET r += $props RETURN {EDGE_FIELDS}",
            id=id_,
            props=merged,
        )
        return _to_edge(records[0]) if records else None

    async def delete_edges(self, ids: Sequence[str]) -> int:
        records = await self._run(
            "UNWIND $ids AS id MATCH ()-[r {id: id}]->() DELETE r RETURN count(*) AS n",
            ids=list(ids),
        )
        return int(records[0]["n"]) if records else 0

    async def list_neighbours(
        self, node_id: str, *, depth: int = 1, types: Sequence[str] | None = None
    ) -> Subgraph:
        depth = max(0, int(depth))
        records = await self._run(
            f"""
            MATCH (start:Node {{id: $id}})
            OPTIONAL MATCH (start)-[rels*1..{max(depth, 1)}]-(m:Node)
            WHERE $depth > 0 AND ($types IS NULL OR all(r IN rels WHERE type(r) IN $types))
            WITH start, collect(DISTINCT m) AS others
            RETURN [x IN others WHERE x IS NOT NULL | x.id] + [start.id] AS ids
            """,
            id=node_id,
            depth=depth,
            types=list(types) if types else None,
        )
        if not records:
            return Subgraph(nodes=[], edges=[])
        ids = sorted(set(records[0]["ids"]))
        nodes = [node for node in await self.list_nodes(ids) if node]
        edges = await self._run(
            f"""
            MATCH (a:Node)-[r]->(b:Node)
            WHERE a.id IN $ids AND b.id IN $ids
              AND ($types IS NULL OR type(r) IN $types)
            RETURN {EDGE_FIELDS} ORDER BY id
            """,
            ids=ids,
            types=list(types) if types else None,
        )
        return Subgraph(nodes=nodes, edges=[_to_edge(r) for r in edges])

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
        records = await self._run(
            f"""
            MATCH (a:Node {{id: $from}}), (b:Node {{id: $to}})
            MATCH p = shortestPath((a)-[*..{int(max_depth)}]-(b))
            WHERE none(n IN nodes(p)[1..-1] WHERE n.id IN $avoid)
            RETURN [n IN nodes(p) | n.id] AS ids,
                   [r IN relationships(p) | r.id] AS edges
            """,
            **{"from": from_id, "to": to_id, "avoid": sorted(avoid)},
        )
        if not records:
            return None
        ids, edge_ids = records[0]["ids"], records[0]["edges"]
        nodes = [node for node in await self.list_nodes(ids) if node]
        edges = [edge for id_ in edge_ids if (edge := await self.find_edge(id_))]
        return Path(nodes=nodes, edges=edges)

    async def search_similar(
        self,
        vector: Sequence[float],
        *,
        limit: int = 10,
        label: str | None = None,
        kind: str | None = None,
    ) -> list[SimilarNode]:
        # The index ranks over every node; fetch more and filter by label and kind.
        fetch = limit if not (label or kind) else max(limit * 10, 100)
        records = await self._run(
            f"""
            CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $vector)
            YIELD node AS n, score
            WHERE ($label IS NULL OR n.label = $label) AND ($kind IS NULL OR n.kind = $kind)
            RETURN {NODE_FIELDS}, score
            ORDER BY score DESC, id
            LIMIT $limit
            """,
            fetch=fetch,
            vector=[float(x) for x in vector],
            label=label,
            kind=kind,
            limit=limit,
        )
        # Neo4j reports cosine as (1 + cos) / 2; give back the plain cosine.
        return [
            SimilarNode(_to_node(r), 2.0 * float(r["score"]) - 1.0) for r in records
        ]

    async def count_nodes(self, label: str | None = None) -> int:
        records = await self._run(
            "MATCH (n:Node) WHERE $label IS NULL OR n.label = $label RETURN count(n) AS n",
            label=label,
        )
        return int(records[0]["n"])

    async def count_nodes_by(
        self, label: str, properties: Sequence[str]
    ) -> dict[tuple[str | None, ...], int]:
        # Top-level scalars are copied beside ``props``, so Cypher groups on them.
        columns = ", ".join(
            f"n.{_check_name(name)} AS p{i}" for i, name in enumerate(properties)
        )
        records = await self._run(
            f"MATCH (n:Node) WHERE n.label = $label RETURN {columns}, count(n) AS n",
            label=label,
        )
        return {
            tuple(_text(r[f"p{i}"]) for i in range(len(properties))): int(r["n"])
            for r in records
        }

    async def list_nodes_where(
        self, label: str, properties: Mapping[str, str | None]
    ) -> list[Node]:
        conditions = ["n.label = $label"]
        values: dict[str, Any] = {}
        for i, (name, value) in enumerate(properties.items()):
            field = f"n.{_check_name(name)}"
            if value is None:
                conditions.append(f"{field} IS NULL")
            else:
                conditions.append(f"{field} = $p{i}")
                values[f"p{i}"] = value
        records = await self._run(
            f"MATCH (n:Node) WHERE {' AND '.join(conditions)} "
            f"RETURN {NODE_FIELDS} ORDER BY id",
            label=label,
            **values,
        )
        return [_to_node(r) for r in records]
