"""Resolvers of the entity API: read the context, call one linking service, map.

Everything read passes the request's ``GraphView``: links to records the
principal may not see are absent, person names and compared values masked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from graph.base import Node, Path, Subgraph
from linking.decisions import DecisionService
from linking.service import RELATIONS, EntityLink, EntityPage, EntityService
from resolvers import graph as graph_resolvers
from resolvers.context import RequestContext
from resolvers.record_loader import LoadedRecord, get_record_loader
from security.graph_access import GraphView, without_compared_values
from store.linking import LinkAssignment, LinkReview


def entity_service(context: RequestContext) -> EntityService:
    services = context.services
    return EntityService(services.sessions, services.graph)


def decision_service(context: RequestContext) -> DecisionService:
    services = context.services
    return DecisionService(services.sessions, services.graph)


async def find_entity(context: RequestContext, entity_id: str) -> Node | None:
    node = await entity_service(context).find_entity(entity_id)
    return await (await context.graph_view()).node(node)


async def list_entity_nodes(
    context: RequestContext, ids: Sequence[str]
) -> list[Node | None]:
    nodes = await entity_service(context).list_entities_by_id(ids)
    return await (await context.graph_view()).nodes(nodes)


async def list_links(context: RequestContext, entity_id: str) -> list[EntityLink]:
    """The links whose record the principal sees, evidence masked like the record."""
    links = await entity_service(context).list_links(entity_id)
    view = await context.graph_view()
    records = await context.services.graph.list_nodes(
        [link.record_id for link in links]
    )
    shown: list[EntityLink] = []
    for link, record in zip(links, records, strict=True):
        if record is None or view.record(record) is None:
            continue
        access = view.access_of(record.properties)
        if access is not None and view.hides_personal(access):
            link = replace(link, provenance=without_compared_values(link.provenance))
        shown.append(link)
    return shown


async def list_related(
    context: RequestContext, entity_id: str, relation: str
) -> list[Node]:
    edge_type, direction = RELATIONS[relation]
    nodes = await entity_service(context).list_related(entity_id, edge_type, direction)
    seen = await (await context.graph_view()).nodes(nodes)
    return [node for node in seen if node is not None]


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
    service = entity_service(context)
    named_through = None
    if search and context.services.security is not None:
        view = await context.graph_view()
        named_through = [
            (source, dataset)
            for source, dataset in await service.list_linked_datasets()
            if view.reveals_names(view.index.get(source, dataset))
        ]
    return await service.list_entities(
        search=search,
        kind=kind,
        region=region,
        limit=limit,
        offset=offset,
        named_through=named_through,
    )


async def list_neighbours(
    context: RequestContext, entity_id: str, depth: int
) -> Subgraph:
    return await graph_resolvers.list_neighbours(context, entity_id, depth)


async def find_path(context: RequestContext, from_id: str, to_id: str) -> Path | None:
    return await graph_resolvers.find_path(context, from_id, to_id)


async def list_reviews(
    context: RequestContext, kind: str | None, limit: int, offset: int
) -> list[LinkReview]:
    """Items whose two records the principal sees; compared values masked with them.

    Datasets are checked in the query; row rules after it, on the records'
    graph nodes, so a page can come back shorter than ``limit``.
    """
    service = entity_service(context)
    if context.services.security is None:
        return await service.list_reviews(kind=kind, limit=limit, offset=offset)
    view = await context.graph_view()
    # Every record of the graph names its dataset; the readable ones go in the query.
    datasets = await context.services.graph.count_nodes_by(
        "Record", ("source", "dataset")
    )
    readable = [
        (source, dataset)
        for source, dataset in datasets
        if source is not None
        and dataset is not None
        and view.policy.can_read(view.principal, view.index.get(source, dataset))
    ]
    rows = await service.list_reviews(
        kind=kind, limit=limit, offset=offset, datasets=readable
    )
    ids = [id_ for row in rows for id_ in (row.record_id, row.candidate_record_id)]
    nodes = dict(zip(ids, await context.services.graph.list_nodes(ids), strict=True))
    shown = []
    for row in rows:
        records = [nodes[row.record_id], nodes[row.candidate_record_id]]
        if any(node is None or view.record(node) is None for node in records):
            continue
        if any(_hides_personal(view, node) for node in records if node is not None):
            row.evidence = without_compared_values({"evidence": row.evidence})[
                "evidence"
            ]
        shown.append(row)
    return shown


def _hides_personal(view: GraphView, node: Node) -> bool:
    access = view.access_of(node.properties)
    return access is not None and view.hides_personal(access)


async def accept_link(
    context: RequestContext, record_id: str, entity_id: str, reviewer: str | None
) -> LinkAssignment:
    return await decision_service(context).accept_link(
        record_id, entity_id, context.get_curator(reviewer)
    )


async def reject_link(
    context: RequestContext, record_id: str, entity_id: str, reviewer: str | None
) -> LinkAssignment:
    return await decision_service(context).reject_link(
        record_id, entity_id, context.get_curator(reviewer)
    )


async def merge_entities(
    context: RequestContext, keep_id: str, absorb_id: str, reviewer: str | None
) -> str:
    return await decision_service(context).merge_entities(
        keep_id, absorb_id, context.get_curator(reviewer)
    )


async def split_entity(
    context: RequestContext,
    entity_id: str,
    record_ids: Sequence[str],
    reviewer: str | None,
) -> str:
    return await decision_service(context).split_entity(
        entity_id, record_ids, context.get_curator(reviewer)
    )
