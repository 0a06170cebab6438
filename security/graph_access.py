"""The knowledge graph seen by one principal: records of hidden datasets disappear.

A ``Record`` node names its dataset in ``properties["dataset"]`` (the qualified
``source.dataset``) and carries some of its columns; those columns are masked
like the dataset's rows. Entities, posts and listings hold no dataset rows and
pass unchanged. A path through a hidden node is no path for that principal.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graph.base import Node, Path, Subgraph
from security.access_index import AccessIndex
from security.audit_log import AccessLog
from security.policy import AccessPolicy
from security.principal import Principal

RECORD_LABEL = "Record"
DATASET_PROPERTY = "dataset"


class GraphView:
    """Filters graph results for one principal; built per request."""

    def __init__(
        self,
        policy: AccessPolicy,
        principal: Principal,
        index: AccessIndex,
        log: AccessLog | None = None,
    ) -> None:
        self.policy = policy
        self.principal = principal
        self.index = index
        self.log = log if log is not None else AccessLog()

    def node(self, node: Node | None) -> Node | None:
        """``node`` as the principal may see it, or ``None`` when hidden."""
        if node is None or node.label != RECORD_LABEL:
            return node
        key = node.properties.get(DATASET_PROPERTY)
        if not isinstance(key, str):
            return node if self.principal.is_admin else None
        access = self.index.get_key(key)
        if not self.policy.can_read(self.principal, access):
            self.log.record_denied(access)
            return None
        self.log.record_read(access)
        raw = dict(node.properties)
        masked = self.policy.mask_row(self.principal, access, raw)
        return replace(
            node, properties=masked, name=_masked_name(node.name, raw, masked)
        )

    def subgraph(self, graph: Subgraph) -> Subgraph:
        """The visible nodes and the edges between visible nodes."""
        nodes = [seen for seen in map(self.node, graph.nodes) if seen is not None]
        ids = {node.id for node in nodes}
        edges = [e for e in graph.edges if e.source_id in ids and e.target_id in ids]
        return Subgraph(nodes=nodes, edges=edges)

    def path(self, path: Path | None) -> Path | None:
        """``path`` when every node on it is visible, else ``None``."""
        if path is None:
            return None
        nodes = [self.node(node) for node in path.nodes]
        if any(node is None for node in nodes):
            return None
        return Path(nodes=[n for n in nodes if n is not None], edges=path.edges)


def _masked_name(name: str, raw: dict[str, Any], masked: dict[str, Any]) -> str:
    # A record's display name is often one of its columns (a patient's name):
    # it is masked exactly when that column is.
    for column, value in raw.items():
        if value == name and masked.get(column) != value:
            return str(masked[column])
    return name
