"""The graph-store contract shared by the Neo4j and the embedded backend.

Nodes carry a stable string id, a label (``Entity``, ``Record``, ``Post``, ...),
an optional kind (for entities: organisation, place, person, product, topic),
a display name, JSON-able properties and an optional embedding. Edges are typed
and directed, identified by ``edge_id(type, source, target, key)`` so that the
same link written twice is one edge.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Direction = Literal["out", "in", "both"]


class GraphError(Exception):
    """Base of every error raised by a graph backend."""

    retryable = False


class GraphUnavailableError(GraphError):
    """Raised when the graph store does not answer; retrying may succeed."""

    retryable = True


class GraphIntegrityError(GraphError):
    """Raised when an edge names a node that does not exist."""


def edge_id(type_: str, source_id: str, target_id: str, key: str = "") -> str:
    """The stable id of an edge: the same four parts always give the same id."""
    raw = "\x1f".join((type_, source_id, target_id, key))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class NodeInput:
    """A node to create or update; properties are merged into existing ones."""

    id: str
    label: str
    name: str = ""
    kind: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    embedding: Sequence[float] | None = None


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    name: str
    kind: str | None
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class EdgeInput:
    """An edge to create or update; ``key`` tells parallel edges of one type apart."""

    type: str
    source_id: str
    target_id: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""

    @property
    def id(self) -> str:
        return edge_id(self.type, self.source_id, self.target_id, self.key)


@dataclass(frozen=True)
class Edge:
    id: str
    type: str
    source_id: str
    target_id: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Subgraph:
    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class Path:
    """Nodes from start to end, and the edges between consecutive nodes."""

    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class SimilarNode:
    node: Node
    score: float  # cosine similarity in [-1, 1]


class GraphStore(ABC):
    """What every graph backend offers. Safe to share between concurrent tasks."""

    backend: str

    @abstractmethod
    async def start(self) -> None:
        """Create constraints and indexes; idempotent. Raises ``GraphError``."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    @abstractmethod
    async def ping(self) -> None:
        """Return when the store answers; raise ``GraphUnavailableError`` otherwise."""

    @abstractmethod
    async def upsert_nodes(self, nodes: Sequence[NodeInput]) -> int:
        """Create or update nodes in batches; returns how many were written."""

    @abstractmethod
    async def upsert_edges(self, edges: Sequence[EdgeInput]) -> int:
        """Create or update edges; raises ``GraphIntegrityError`` on a missing node."""

    @abstractmethod
    async def list_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        """Nodes in the order of ``ids``, ``None`` where there is none."""

    @abstractmethod
    async def list_edges(
        self,
        node_id: str,
        *,
        types: Sequence[str] | None = None,
        direction: Direction = "both",
    ) -> list[Edge]:
        """Edges touching ``node_id``, ordered by id."""

    @abstractmethod
    async def find_edge(self, id_: str) -> Edge | None:
        """The edge with this id, or ``None``."""

    @abstractmethod
    async def update_edge(self, id_: str, properties: Mapping[str, Any]) -> Edge | None:
        """Merge properties into an edge; ``None`` when it does not exist."""

    @abstractmethod
    async def delete_edges(self, ids: Sequence[str]) -> int:
        """Delete edges by id; returns how many existed."""

    @abstractmethod
    async def list_neighbours(
        self, node_id: str, *, depth: int = 1, types: Sequence[str] | None = None
    ) -> Subgraph:
        """Nodes within ``depth`` hops (either direction) and the edges among them.

        The start node is included; nodes and edges are ordered by id.
        """

    @abstractmethod
    async def find_shortest_path(
        self,
        from_id: str,
        to_id: str,
        *,
        max_depth: int = 6,
        avoid: Collection[str] = (),
    ) -> Path | None:
        """A shortest undirected path, or ``None`` when none within ``max_depth``.

        The path passes through no node of ``avoid`` (its ends excepted), so a
        caller can search the graph as a principal sees it.
        """

    @abstractmethod
    async def search_similar(
        self,
        vector: Sequence[float],
        *,
        limit: int = 10,
        label: str | None = None,
        kind: str | None = None,
    ) -> list[SimilarNode]:
        """Nodes with embeddings most similar to ``vector`` (cosine), best first."""

    @abstractmethod
    async def count_nodes(self, label: str | None = None) -> int:
        """How many nodes (of a label) the graph holds."""

    @abstractmethod
    async def count_nodes_by(
        self, label: str, properties: Sequence[str]
    ) -> dict[tuple[str | None, ...], int]:
        """Nodes of ``label`` counted per combination of top-level text properties.

        A key holds the values of ``properties`` in order, ``None`` where a node
        lacks one. One aggregate query; the access policy uses it to count only
        the records a principal may see.
        """

    @abstractmethod
    async def list_nodes_where(
        self, label: str, properties: Mapping[str, str | None]
    ) -> list[Node]:
        """Nodes of ``label`` whose top-level text properties equal ``properties``.

        ``None`` asks for the property to be absent. Ordered by id; reads every
        match, so callers keep it to one dataset's records.
        """

    async def find_node(self, id_: str) -> Node | None:
        """The node with this id, or ``None``."""
        return (await self.list_nodes([id_]))[0]
