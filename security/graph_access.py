"""The knowledge graph seen by one principal: records of hidden datasets disappear.

A ``Record`` node names its dataset by ``properties["source"]`` and
``properties["dataset"]`` (linking writes both), or by a qualified
``source.dataset`` in ``properties["dataset"]`` alone. Its columns are masked
like the dataset's rows and the dataset's row rules are evaluated on what the
node holds: a rule over a column the node lacks hides the record, so the graph
never shows more than the source would.

Posts belong to the published dataset ``social.posts`` and ``Dataset`` nodes
(a catalog dataset linked to the places it covers) to their own dataset: both
disappear for a principal who may not read it, and a post's name and link are
masked like the post itself (``security.published``).

Hidden records are absent everywhere: single nodes, neighbourhoods, paths
(which are searched around them), counts and entity links. Entities stay,
since they stand for real-world things, but a person entity's name is masked
when every record of it the principal sees has its personal columns masked.
Evidence of a link keeps its levels and weights and loses the compared values
when the record's personal columns are masked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from graph.base import Edge, GraphStore, Node, Path, Subgraph
from security.access_index import SOCIAL_POSTS, AccessIndex, dataset_key
from security.audit_log import AccessLog
from security.errors import AccessDeniedError
from security.filters import matches
from security.masking import mask_value
from security.policy import AccessPolicy, DatasetAccess
from security.principal import Principal
from security.published import get_post_masking

RECORD_LABEL = "Record"
ENTITY_LABEL = "Entity"
POST_LABEL = "Post"
DATASET_LABEL = "Dataset"
DATASET_ID_PROPERTY = "dataset_id"
REFERS_TO = "REFERS_TO"
DATASET_PROPERTY = "dataset"
SOURCE_PROPERTY = "source"
MAX_PATH_RETRIES = 32


def record_dataset_key(properties: Mapping[str, Any]) -> str | None:
    """The qualified dataset of a record node or link, ``None`` when it names none."""
    dataset = properties.get(DATASET_PROPERTY)
    if not isinstance(dataset, str):
        return None
    source = properties.get(SOURCE_PROPERTY)
    return dataset_key(source, dataset) if isinstance(source, str) else dataset


class GraphView:
    """Filters graph results for one principal; built per request, not shared."""

    def __init__(
        self,
        graph: GraphStore,
        policy: AccessPolicy,
        principal: Principal,
        index: AccessIndex,
        log: AccessLog | None = None,
    ) -> None:
        self.graph = graph
        self.policy = policy
        self.principal = principal
        self.index = index
        self.log = log if log is not None else AccessLog()
        self._person_names: dict[str, bool] = {}

    def access_of(self, properties: Mapping[str, Any]) -> DatasetAccess | None:
        """The access metadata of the dataset a record node or link names."""
        key = record_dataset_key(properties)
        return self.index.get_key(key) if key is not None else None

    def record(self, node: Node) -> Node | None:
        """A ``Record`` node as the principal may see it, ``None`` when hidden."""
        access = self.access_of(node.properties)
        if access is None:
            return node if self.principal.is_admin else None
        if not self.sees_row(access, node.properties):
            return None
        self.log.record_read(access)
        raw = dict(node.properties)
        masked = self.policy.mask_row(self.principal, access, raw)
        name = _masked_name(node.name, raw, masked)
        if node.kind == "person" and self.hides_personal(access):
            name = mask_value("person_name", node.name)
        return replace(node, properties=masked, name=name)

    def sees_row(self, access: DatasetAccess, row: Mapping[str, Any]) -> bool:
        """Whether the dataset is readable and ``row`` passes its row rules."""
        if not self.policy.can_read(self.principal, access):
            self.log.record_denied(access)
            return False
        try:
            row_filter = self.policy.row_filter(self.principal, access)
        except AccessDeniedError:
            self.log.record_denied(access)
            return False
        return row_filter is None or matches(row_filter, dict(row))

    def _container(self, label: str, dataset_id: Any) -> DatasetAccess | None:
        # The dataset a post or a dataset node belongs to; None: unknown to the catalog.
        if label == POST_LABEL:
            return self.index.get_key(SOCIAL_POSTS)
        try:
            return self.index.find_id(int(dataset_id))
        except (TypeError, ValueError):
            return None

    def _readable(self, access: DatasetAccess) -> bool:
        if self.policy.can_read(self.principal, access):
            return True
        self.log.record_denied(access)
        return False

    def hides_personal(self, access: DatasetAccess) -> bool:
        """Whether the dataset has personal columns masked for the principal."""
        has_personal = any(column.personal for column in access.columns.values())
        return has_personal and not self.policy.sees_personal(self.principal, access)

    def reveals_names(self, access: DatasetAccess) -> bool:
        """Whether the principal reads ``access``'s records with personal data shown."""
        readable = self.policy.can_read(self.principal, access)
        return readable and not self.hides_personal(access)

    async def node(self, node: Node | None) -> Node | None:
        """Any node as the principal may see it, or ``None`` when hidden."""
        return (await self.nodes([node]))[0]

    async def nodes(self, nodes: Sequence[Node | None]) -> list[Node | None]:
        """Each node as the principal may see it; one graph call per person entity."""
        people = {
            node.id for node in nodes if node is not None and _is_person_entity(node)
        } - set(self._person_names)
        if people and not self.principal.is_admin:
            ordered = sorted(people)
            shown = await asyncio.gather(*map(self._shows_person_name, ordered))
            self._person_names.update(zip(ordered, shown, strict=True))
        return [self._seen(node) for node in nodes]

    def _seen(self, node: Node | None) -> Node | None:
        if node is None:
            return None
        if node.label == RECORD_LABEL:
            return self.record(node)
        if node.label in (POST_LABEL, DATASET_LABEL):
            access = self._container(
                node.label, node.properties.get(DATASET_ID_PROPERTY)
            )
            if access is None or not self._readable(access):
                return None
            return self._post(node, access) if node.label == POST_LABEL else node
        if _is_person_entity(node) and not self._person_names.get(node.id, True):
            return replace(node, name=mask_value("person_name", node.name))
        return node

    def _post(self, node: Node, posts: DatasetAccess) -> Node:
        # A post's node is named by its text and links to it: masked like a post.
        masking = get_post_masking(self.policy, self.principal, posts)
        hashed = bool(node.properties.get("author_hashed"))
        properties = dict(node.properties)
        if "url" in properties:
            properties["url"] = masking.url(properties["url"], hashed)
        name = masking.text(node.name) or ""
        return replace(node, name=name, properties=properties)

    async def _shows_person_name(self, entity_id: str) -> bool:
        # A person's name is the value of its records' name columns: it shows
        # when one record the principal sees shows personal data, or none exists.
        edges = await self.graph.list_edges(
            entity_id, types=[REFERS_TO], direction="in"
        )
        if not edges:
            return True
        records = await self.graph.list_nodes([edge.source_id for edge in edges])
        accesses = [
            self.access_of(node.properties)
            for node in records
            if node is not None and self.record(node) is not None
        ]
        return any(
            access is not None and not self.hides_personal(access)
            for access in accesses
        )

    def edge(self, edge: Edge) -> Edge:
        """``edge`` with compared personal values dropped from a link's evidence."""
        if edge.type != REFERS_TO:
            return edge
        access = self.access_of(edge.properties)
        if access is None or not self.hides_personal(access):
            return edge
        return replace(edge, properties=without_compared_values(edge.properties))

    async def subgraph(
        self, graph: Subgraph, start: str | None = None, depth: int = 0
    ) -> Subgraph:
        """The visible nodes and the edges between visible nodes.

        With ``start``, only nodes within ``depth`` hops of it through visible
        nodes stay: a node reached only through a hidden one is not a neighbour.
        """
        nodes = [node for node in await self.nodes(graph.nodes) if node is not None]
        ids = {node.id for node in nodes}
        if start is not None:
            ids = _reachable(start, depth, ids, graph.edges)
            nodes = [node for node in nodes if node.id in ids]
        edges = [
            self.edge(e)
            for e in graph.edges
            if e.source_id in ids and e.target_id in ids
        ]
        return Subgraph(nodes=nodes, edges=edges)

    async def find_path(
        self, from_id: str, to_id: str, *, max_depth: int = 6
    ) -> Path | None:
        """A shortest path through visible nodes only, ``None`` when there is none.

        Hidden nodes found on a candidate path are avoided and the search runs
        again; the first path without one is shortest among visible paths.
        """
        ends = await self.nodes(list(await self.graph.list_nodes([from_id, to_id])))
        if any(end is None for end in ends):
            return None
        avoid: set[str] = set()
        for _ in range(MAX_PATH_RETRIES):
            path = await self.graph.find_shortest_path(
                from_id, to_id, max_depth=max_depth, avoid=avoid
            )
            if path is None:
                return None
            seen = await self.nodes(path.nodes)
            hidden = {n.id for n, s in zip(path.nodes, seen, strict=True) if s is None}
            if not hidden:
                visible = [node for node in seen if node is not None]
                return Path(nodes=visible, edges=[self.edge(e) for e in path.edges])
            avoid |= hidden
        return None

    async def count_nodes(self, label: str | None) -> int:
        """How many nodes (of ``label``) the principal sees."""
        total = await self.graph.count_nodes(label)
        if self.principal.is_admin:
            return total
        hidden = 0
        if label in (None, RECORD_LABEL):
            grouped = await self.graph.count_nodes_by(
                RECORD_LABEL, (SOURCE_PROPERTY, DATASET_PROPERTY)
            )
            for (source, dataset), count in grouped.items():
                hidden += count - await self._visible_records(source, dataset, count)
        if label in (None, POST_LABEL) and not self._readable(
            self.index.get_key(SOCIAL_POSTS)
        ):
            hidden += await self.graph.count_nodes(POST_LABEL)
        if label in (None, DATASET_LABEL):
            datasets = await self.graph.count_nodes_by(
                DATASET_LABEL, (DATASET_ID_PROPERTY,)
            )
            for (dataset_id,), count in datasets.items():
                access = self._container(DATASET_LABEL, dataset_id)
                if access is None or not self._readable(access):
                    hidden += count
        return total - hidden

    async def _visible_records(
        self, source: str | None, dataset: str | None, count: int
    ) -> int:
        address = {SOURCE_PROPERTY: source, DATASET_PROPERTY: dataset}
        access = self.access_of(address)
        if access is None:
            return 0
        if not self.policy.can_read(self.principal, access):
            return 0
        try:
            if self.policy.row_filter(self.principal, access) is None:
                return count
        except AccessDeniedError:
            return 0
        # Row rules hold per record: read this dataset's record nodes and apply them.
        nodes = await self.graph.list_nodes_where(RECORD_LABEL, address)
        return sum(1 for node in nodes if self.sees_row(access, node.properties))


def without_compared_values(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Link provenance whose evidence keeps levels and weights but no values."""
    evidence = properties.get("evidence")
    if not isinstance(evidence, Mapping):
        return dict(properties)
    cleaned = {
        name: (
            {k: v for k, v in entry.items() if k != "values"}
            if isinstance(entry, Mapping)
            else entry
        )
        for name, entry in evidence.items()
    }
    return {**properties, "evidence": cleaned}


def _reachable(
    start: str, depth: int, shown: set[str], edges: Sequence[Edge]
) -> set[str]:
    reached, frontier = {start} & shown, {start} & shown
    for _ in range(depth):
        step = {
            there
            for edge in edges
            for here, there in (
                (edge.source_id, edge.target_id),
                (edge.target_id, edge.source_id),
            )
            if here in frontier and there in shown and there not in reached
        }
        reached |= step
        frontier = step
    return reached


def _is_person_entity(node: Node) -> bool:
    return node.label == ENTITY_LABEL and node.kind == "person"


def _masked_name(name: str, raw: dict[str, Any], masked: dict[str, Any]) -> str:
    # A record's display name is often one of its columns (a patient's name):
    # it is masked exactly when that column is.
    for column, value in raw.items():
        if value == name and masked.get(column) != value:
            return str(masked[column])
    return name
