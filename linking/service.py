"""Reading entities for the API: an entity, its links with provenance, search, review.

Links are read from the graph's ``REFERS_TO`` edges, so what the API shows
is what the graph holds; search and the review queue read the store's tables.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.base import Edge, GraphStore, Node
from indonesian.text import fold
from linking.graph_writer import LOCATED_IN, REFERS_TO
from linking.records import parse_record_node_id, record_node_id
from store.linking import LinkAssignment, LinkEntity, LinkReview

MENTIONS = "MENTIONS"
SOLD_BY = "SOLD_BY"
MAX_PAGE = 200


@dataclass(frozen=True)
class EntityLink:
    """One record's link to an entity and its provenance."""

    edge_id: str
    record_id: str
    entity_id: str
    source: str
    dataset: str
    key: tuple[str, ...]
    provenance: Mapping[str, Any]


@dataclass(frozen=True)
class EntityPage:
    items: list[LinkEntity]
    total: int


def to_entity_link(edge: Edge) -> EntityLink:
    """The link an edge stands for; its address comes from the record id."""
    source, dataset, key = parse_record_node_id(edge.source_id)
    return EntityLink(
        edge_id=edge.id,
        record_id=edge.source_id,
        entity_id=edge.target_id,
        source=source,
        dataset=dataset,
        key=key,
        provenance=dict(edge.properties),
    )


class EntityService:
    """Read side of linking. Safe to share; each call opens its own session."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], graph: GraphStore
    ) -> None:
        self.sessions = sessions
        self.graph = graph

    async def find_entity(self, entity_id: str) -> Node | None:
        """The entity node, following merges to the survivor; ``None`` if unknown."""
        node = await self.graph.find_node(entity_id)
        if node is None or node.label != "Entity":
            return None
        merged_into = node.properties.get("merged_into")
        if merged_into:
            return await self.find_entity(str(merged_into))
        return node

    async def list_links(self, entity_id: str) -> list[EntityLink]:
        """Every record linked to the entity, ordered by record id."""
        edges = await self.graph.list_edges(
            entity_id, types=[REFERS_TO], direction="in"
        )
        return sorted(
            (to_entity_link(e) for e in edges), key=lambda link: link.record_id
        )

    async def list_related(
        self, entity_id: str, edge_type: str, direction: str
    ) -> list[Node]:
        """Nodes at the other end of ``edge_type`` edges (posts, listings, places)."""
        edges = await self.graph.list_edges(
            entity_id,
            types=[edge_type],
            direction="in" if direction == "in" else "out",
        )
        ids = [e.source_id if direction == "in" else e.target_id for e in edges]
        return [node for node in await self.graph.list_nodes(ids) if node is not None]

    async def list_entities(
        self,
        *,
        search: str | None = None,
        kind: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
        named_through: Collection[tuple[str, str]] | None = None,
    ) -> EntityPage:
        """Entities whose name contains ``search``, of ``kind``, within ``region``.

        ``region`` is a Kemendagri code prefix (``33.28`` finds entities anywhere
        in Kabupaten Tegal). Merged-away entities are left out. With
        ``named_through``, a name search finds a person only when it has no
        records or one in those (source, dataset) pairs: searching names of
        people whose names are masked would confirm guesses of them.
        """
        query = select(LinkEntity).where(LinkEntity.merged_into.is_(None))
        if search:
            # A search of only punctuation ("%") folds to nothing: it matches
            # no name, rather than every name.
            needle = fold(search)
            query = query.where(
                LinkEntity.search_name.contains(needle, autoescape=True)
                if needle
                else false()
            )
            if named_through is not None:
                query = query.where(_person_named_through(named_through))
        if kind:
            query = query.where(LinkEntity.kind == kind)
        if region:
            query = query.where(LinkEntity.region_code.startswith(region))
        async with self.sessions() as session:
            total = await session.scalar(
                select(func.count()).select_from(query.subquery())
            )
            rows = await session.scalars(
                query.order_by(LinkEntity.record_count.desc(), LinkEntity.id)
                .limit(max(1, min(limit, MAX_PAGE)))
                .offset(max(0, offset))
            )
            return EntityPage(items=list(rows), total=int(total or 0))

    async def list_reviews(
        self,
        *,
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
        datasets: Collection[tuple[str, str]] | None = None,
    ) -> list[LinkReview]:
        """Open review items, most likely matches first.

        With ``datasets``, only items whose two records both belong to one of
        those (source, dataset) pairs.
        """
        query = select(LinkReview).where(LinkReview.status == "open")
        if kind:
            query = query.where(LinkReview.kind == kind)
        if datasets is not None:
            query = query.where(
                _record_in(LinkReview.record_id, datasets),
                _record_in(LinkReview.candidate_record_id, datasets),
            )
        async with self.sessions() as session:
            rows = await session.scalars(
                query.order_by(LinkReview.score.desc(), LinkReview.id)
                .limit(max(1, min(limit, MAX_PAGE)))
                .offset(max(0, offset))
            )
            return list(rows)

    async def list_entities_by_id(self, ids: Sequence[str]) -> list[Node | None]:
        return await self.graph.list_nodes(ids)

    async def list_linked_datasets(self) -> list[tuple[str, str]]:
        """Every (source, dataset) with a record linked to an entity."""
        statement = select(LinkAssignment.source, LinkAssignment.dataset).distinct()
        async with self.sessions() as session:
            rows = (await session.execute(statement)).all()
        return [(str(source), str(dataset)) for source, dataset in rows]


def _record_in(column: Any, pairs: Collection[tuple[str, str]]) -> Any:
    prefixes = [record_node_id(source, dataset, ("",)) for source, dataset in pairs]
    return or_(
        false(),
        *(column.startswith(prefix, autoescape=True) for prefix in sorted(prefixes)),
    )


def _person_named_through(pairs: Collection[tuple[str, str]]) -> Any:
    links = select(LinkAssignment.record_id).where(
        LinkAssignment.entity_id == LinkEntity.id
    )
    revealing = (
        tuple_(LinkAssignment.source, LinkAssignment.dataset).in_(sorted(pairs))
        if pairs
        else false()
    )
    return or_(
        LinkEntity.kind != "person",
        ~links.exists(),
        links.where(revealing).exists(),
    )


RELATIONS: dict[str, tuple[str, str]] = {
    "mentions": (MENTIONS, "in"),
    "listings": (SOLD_BY, "in"),
    "places": (LOCATED_IN, "out"),
}
