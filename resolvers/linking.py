"""Resolvers of the entity API: read the context, call one linking service, map."""

from __future__ import annotations

from collections.abc import Sequence

from graph.base import Node, Path, Subgraph
from linking.decisions import DecisionService
from linking.service import RELATIONS, EntityLink, EntityPage, EntityService
from resolvers.context import RequestContext
from resolvers.record_loader import LoadedRecord, get_record_loader
from store.linking import LinkAssignment, LinkReview

MAX_DEPTH = 4


def entity_service(context: RequestContext) -> EntityService:
    services = context.services
    return EntityService(services.sessions, services.graph)


def decision_service(context: RequestContext) -> DecisionService:
    services = context.services
    return DecisionService(services.sessions, services.graph)


async def find_entity(context: RequestContext, entity_id: str) -> Node | None:
    return await entity_service(context).find_entity(entity_id)


async def list_links(context: RequestContext, entity_id: str) -> list[EntityLink]:
    return await entity_service(context).list_links(entity_id)


async def list_related(
    context: RequestContext, entity_id: str, relation: str
) -> list[Node]:
    edge_type, direction = RELATIONS[relation]
    return await entity_service(context).list_related(entity_id, edge_type, direction)


async def load_record(context: RequestContext, link: EntityLink) -> LoadedRecord:
    return await get_record_loader(context).load((link.source, link.dataset, link.key))


async def list_entities(
    context: RequestContext,
    search: str | None,
    kind: str | None,
    region: str | None,
    limit: int,
    offset: int,
) -> EntityPage:
    return await entity_service(context).list_entities(
        search=search, kind=kind, region=region, limit=limit, offset=offset
    )


async def list_neighbours(
    context: RequestContext, entity_id: str, depth: int
) -> Subgraph:
    bounded = max(1, min(depth, MAX_DEPTH))
    return await context.services.graph.list_neighbours(entity_id, depth=bounded)


async def find_path(context: RequestContext, from_id: str, to_id: str) -> Path | None:
    return await context.services.graph.find_shortest_path(from_id, to_id)


async def list_reviews(
    context: RequestContext, kind: str | None, limit: int, offset: int
) -> list[LinkReview]:
    return await entity_service(context).list_reviews(
        kind=kind, limit=limit, offset=offset
    )


async def accept_link(
    context: RequestContext, record_id: str, entity_id: str, reviewer: str
) -> LinkAssignment:
    return await decision_service(context).accept_link(record_id, entity_id, reviewer)


async def reject_link(
    context: RequestContext, record_id: str, entity_id: str, reviewer: str
) -> LinkAssignment:
    return await decision_service(context).reject_link(record_id, entity_id, reviewer)


async def merge_entities(
    context: RequestContext, keep_id: str, absorb_id: str, reviewer: str
) -> str:
    return await decision_service(context).merge_entities(keep_id, absorb_id, reviewer)


async def split_entity(
    context: RequestContext, entity_id: str, record_ids: Sequence[str], reviewer: str
) -> str:
    return await decision_service(context).split_entity(entity_id, record_ids, reviewer)
