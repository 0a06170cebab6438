"""The knowledge graph: one interface, two backends (Neo4j and embedded).

Exceptions::

    GraphError                  base of this layer
     ├── GraphUnavailableError  the graph store cannot be reached (retryable)
     └── GraphIntegrityError    a write names a node that does not exist
"""

from graph.base import (
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
    edge_id,
)

__all__ = [
    "Edge",
    "EdgeInput",
    "GraphError",
    "GraphIntegrityError",
    "GraphStore",
    "GraphUnavailableError",
    "Node",
    "NodeInput",
    "Path",
    "SimilarNode",
    "Subgraph",
    "edge_id",
]
