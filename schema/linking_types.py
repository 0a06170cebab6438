"""GraphQL types of the entity API: entities, their links with provenance, review."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from graph.base import Node
from linking.errors import LinkConflictError, LinkNotFoundError
from linking.service import EntityLink
from resolvers import linking as resolvers
from resolvers.context import RequestContext
from schema.graph_types import GraphNodeType, GraphSubgraphType
from schema.scalars import JSON
from security.visibility import STEWARDS
from store.linking import LinkReview


@strawberry.type(description="A source record, read live from its source.")
class LinkedRecord:
    found: bool = strawberry.field(description="Whether the source returned the row.")
    row: JSON | None = strawberry.field(description="The row as the source has it now.")
    error: str | None = strawberry.field(description="Why the row could not be read.")


@strawberry.type(
    name="EntityLink",
    description="A record's link to an entity, with the provenance of that link.",
)
class EntityLinkType:
    id: strawberry.ID = strawberry.field(description="The REFERS_TO edge id.")
    record_id: strawberry.ID = strawberry.field(
        description="record:<source>/<dataset>/<key>"
    )
    entity_id: strawberry.ID
    source: str
    dataset: str
    key: list[str] = strawberry.field(description="Key values of the record.")
    method: str = strawberry.field(
        description="splink-fellegi-sunter, singleton or review."
    )
    model_version: str = strawberry.field(
        description="Splink version and digest of the trained model."
    )
    score: float | None = strawberry.field(description="Match probability, 0 to 1.")
    evidence: JSON = strawberry.field(
        description="Per comparison: level reached, match weight, compared values."
    )
    status: str = strawberry.field(description="auto or accepted.")
    decided_by: str = strawberry.field(description="auto, or the reviewer.")
    decided_at: str = strawberry.field(description="When, ISO 8601 in UTC.")
    link: strawberry.Private[EntityLink]

    @classmethod
    def of(cls, link: EntityLink) -> EntityLinkType:
        props = link.provenance
        return cls(
            id=strawberry.ID(link.edge_id),
            record_id=strawberry.ID(link.record_id),
            entity_id=strawberry.ID(link.entity_id),
            source=link.source,
            dataset=link.dataset,
            key=list(link.key),
            method=str(props.get("method", "")),
            model_version=str(props.get("model_version", "")),
            score=props.get("score"),
            evidence=cast(Any, props.get("evidence") or {}),
            status=str(props.get("status", "")),
            decided_by=str(props.get("decided_by", "")),
            decided_at=str(props.get("decided_at", "")),
            link=link,
        )

    @strawberry.field(description="The record itself, fetched live from its source.")
    async def record(self, info: Info[RequestContext, None]) -> LinkedRecord:
        loaded = await resolvers.load_record(info.context, self.link)
        return LinkedRecord(
            found=loaded.row is not None,
            row=cast(Any, loaded.row),
            error=loaded.error,
        )


@strawberry.type(name="Entity", description="A real-world thing with a stable id.")
class EntityType:
    id: strawberry.ID = strawberry.field(description="Stable: never changes.")
    kind: str | None = strawberry.field(
        description="organisation, place, person, product or topic."
    )
    name: str
    properties: JSON

    @classmethod
    def of(cls, node: Node) -> EntityType:
        return cls(
            id=strawberry.ID(node.id),
            kind=node.kind,
            name=node.name,
            properties=cast(Any, dict(node.properties)),
        )

    @strawberry.field(
        description="Every record linked to this entity, with provenance."
    )
    async def links(self, info: Info[RequestContext, None]) -> list[EntityLinkType]:
        links = await resolvers.list_links(info.context, self.id)
        return [EntityLinkType.of(link) for link in links]

    @strawberry.field(description="Posts and articles that mention this entity.")
    async def mentions(self, info: Info[RequestContext, None]) -> list[GraphNodeType]:
        return await _related(info, self.id, "mentions")

    @strawberry.field(description="Marketplace listings sold by this entity.")
    async def listings(self, info: Info[RequestContext, None]) -> list[GraphNodeType]:
        return await _related(info, self.id, "listings")

    @strawberry.field(description="Places (region codes) this entity is located in.")
    async def places(self, info: Info[RequestContext, None]) -> list[GraphNodeType]:
        return await _related(info, self.id, "places")

    @strawberry.field(description="Nodes and edges within `depth` hops (1 to 4).")
    async def neighbours(
        self, info: Info[RequestContext, None], depth: int = 1
    ) -> GraphSubgraphType:
        subgraph = await resolvers.list_neighbours(info.context, self.id, depth)
        return GraphSubgraphType.of(subgraph)


async def _related(
    info: Info[RequestContext, None], entity_id: str, relation: str
) -> list[GraphNodeType]:
    nodes = await resolvers.list_related(info.context, entity_id, relation)
    return [GraphNodeType.of(node) for node in nodes]


@strawberry.type(name="EntityPage", description="A page of entities.")
class EntityPageType:
    items: list[EntityType]
    total: int = strawberry.field(description="Matching entities across all pages.")


@strawberry.type(description="A candidate link a person should decide on.")
class LinkReviewItem:
    id: strawberry.ID
    record_id: strawberry.ID
    candidate_record_id: strawberry.ID
    entity_id: strawberry.ID | None
    candidate_entity_id: strawberry.ID | None
    kind: str
    reason: str = strawberry.field(
        description="uncertain, ambiguous, weak_bridge, merge_suggestion or conflict."
    )
    score: float = strawberry.field(description="Match probability of the pair.")
    evidence: JSON
    model_version: str

    @classmethod
    def of(cls, row: LinkReview) -> LinkReviewItem:
        return cls(
            id=strawberry.ID(row.id),
            record_id=strawberry.ID(row.record_id),
            candidate_record_id=strawberry.ID(row.candidate_record_id),
            entity_id=strawberry.ID(row.entity_id) if row.entity_id else None,
            candidate_entity_id=(
                strawberry.ID(row.candidate_entity_id)
                if row.candidate_entity_id
                else None
            ),
            kind=row.kind,
            reason=row.reason,
            score=row.score,
            evidence=cast(Any, row.evidence),
            model_version=row.model_version,
        )


@strawberry.type
class LinkingQuery:
    @strawberry.field(description="One entity by its stable id (merged ids resolve).")
    async def entity(
        self, info: Info[RequestContext, None], id: strawberry.ID
    ) -> EntityType | None:
        node = await resolvers.find_entity(info.context, id)
        return EntityType.of(node) if node else None

    @strawberry.field(
        description="Entities by name, kind and region code prefix (e.g. 33.28)."
    )
    async def entities(
        self,
        info: Info[RequestContext, None],
        search: str | None = None,
        kind: str | None = None,
        region: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> EntityPageType:
        page = await resolvers.list_entities(
            info.context, search, kind, region, limit, offset
        )
        nodes = {
            node.id: node
            for node in await resolvers.list_entity_nodes(
                info.context, [row.id for row in page.items]
            )
            if node is not None
        }
        items = [EntityType.of(nodes[row.id]) for row in page.items if row.id in nodes]
        return EntityPageType(items=items, total=page.total)

    @strawberry.field(description="A shortest path between two nodes (up to 6 hops).")
    async def path(
        self,
        info: Info[RequestContext, None],
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
    ) -> GraphSubgraphType | None:
        found = await resolvers.find_path(info.context, from_, to)
        return GraphSubgraphType.of(found) if found else None

    @strawberry.field(description="Open candidate links, most likely matches first.")
    async def review_queue(
        self,
        info: Info[RequestContext, None],
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[LinkReviewItem]:
        rows = await resolvers.list_reviews(info.context, kind, limit, offset)
        return [LinkReviewItem.of(row) for row in rows]


@strawberry.type(description="The link as it stands after the decision.")
class LinkDecided:
    record_id: strawberry.ID
    entity_id: strawberry.ID
    status: str
    decided_by: str


@strawberry.type(description="The entity as it stands after the decision.")
class EntityDecided:
    entity_id: strawberry.ID


@strawberry.type(
    description="A record, entity or link named in the decision is unknown."
)
class LinkNotFound:
    message: str


@strawberry.type(description="The decision contradicts the current state.")
class LinkConflict:
    message: str


LinkDecisionResult = Annotated[
    LinkDecided | LinkNotFound | LinkConflict, strawberry.union("LinkDecisionResult")
]
EntityDecisionResult = Annotated[
    EntityDecided | LinkNotFound | LinkConflict,
    strawberry.union("EntityDecisionResult"),
]


def _failure(error: Exception) -> LinkNotFound | LinkConflict:
    if isinstance(error, LinkNotFoundError):
        return LinkNotFound(message=str(error))
    return LinkConflict(message=str(error))


@strawberry.type
class LinkingMutation:
    @strawberry.mutation(
        description="Confirm a record's link to an entity (or move it).",
        metadata=STEWARDS,
    )
    async def accept_link(
        self,
        info: Info[RequestContext, None],
        record_id: strawberry.ID,
        entity_id: strawberry.ID,
        reviewer: str | None = None,
    ) -> LinkDecisionResult:
        try:
            row = await resolvers.accept_link(
                info.context, record_id, entity_id, reviewer
            )
        except (LinkNotFoundError, LinkConflictError) as error:
            return _failure(error)
        return LinkDecided(
            record_id=strawberry.ID(row.record_id),
            entity_id=strawberry.ID(row.entity_id),
            status=row.status,
            decided_by=row.decided_by,
        )

    @strawberry.mutation(
        description="Detach a record from an entity; it never rejoins that entity.",
        metadata=STEWARDS,
    )
    async def reject_link(
        self,
        info: Info[RequestContext, None],
        record_id: strawberry.ID,
        entity_id: strawberry.ID,
        reviewer: str | None = None,
    ) -> LinkDecisionResult:
        try:
            row = await resolvers.reject_link(
                info.context, record_id, entity_id, reviewer
            )
        except (LinkNotFoundError, LinkConflictError) as error:
            return _failure(error)
        return LinkDecided(
            record_id=strawberry.ID(row.record_id),
            entity_id=strawberry.ID(row.entity_id),
            status=row.status,
            decided_by=row.decided_by,
        )

    @strawberry.mutation(
        description="Move every record of `absorbId` into `keepId`.",
        metadata=STEWARDS,
    )
    async def merge_entities(
        self,
        info: Info[RequestContext, None],
        keep_id: strawberry.ID,
        absorb_id: strawberry.ID,
        reviewer: str | None = None,
    ) -> EntityDecisionResult:
        try:
            kept = await resolvers.merge_entities(
                info.context, keep_id, absorb_id, reviewer
            )
        except (LinkNotFoundError, LinkConflictError) as error:
            return _failure(error)
        return EntityDecided(entity_id=strawberry.ID(kept))

    @strawberry.mutation(
        description="Move some records of an entity into a new one.",
        metadata=STEWARDS,
    )
    async def split_entity(
        self,
        info: Info[RequestContext, None],
        entity_id: strawberry.ID,
        record_ids: list[strawberry.ID],
        reviewer: str | None = None,
    ) -> EntityDecisionResult:
        try:
            new_id = await resolvers.split_entity(
                info.context, entity_id, list(record_ids), reviewer
            )
        except (LinkNotFoundError, LinkConflictError) as error:
            return _failure(error)
        return EntityDecided(entity_id=strawberry.ID(new_id))
