"""Human decisions on links: accept, reject, merge and split, kept across re-runs.

Each decision is logged in ``link_decisions`` and applied to the assignments
in the same transaction, then mirrored into the graph. Runs read the log:
a rejected or split-off record never rejoins its old entity, and every
existing assignment (accepted ones included) is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.base import EdgeInput, GraphStore, NodeInput
from indonesian.text import fold
from linking.errors import LinkConflictError, LinkNotFoundError
from linking.graph_writer import (
    entity_node,
    provenance,
    refers_to_edge,
    refers_to_edge_id,
)
from linking.records import new_entity_id
from store.base import utcnow
from store.engine import transaction
from store.linking import LinkAssignment, LinkDecision, LinkEntity, LinkReview

REVIEW_METHOD = "review"


@dataclass(frozen=True)
class MovedLink:
    """A record whose link changed: from ``old_entity`` (if any) to ``new_entity``."""

    record_id: str
    old_entity: str | None
    new_entity: str


class DecisionService:
    """Applies reviewers' decisions to the store and the graph. Safe to share."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], graph: GraphStore
    ) -> None:
        self.sessions = sessions
        self.graph = graph

    async def accept_link(
        self, record_id: str, entity_id: str, reviewer: str
    ) -> LinkAssignment:
        """Confirm (or move to) ``entity_id`` the link of ``record_id``; pinned after.

        Returns the assignment. Raises ``LinkNotFoundError`` for an unknown
        record or entity.
        """
        async with transaction(self.sessions) as session:
            assignment = await _get_assignment(session, record_id)
            target = await _get_entity(session, entity_id)
            old = assignment.entity_id
            _decide(assignment, target.id, reviewer)
            if old != target.id:
                assignment.method = REVIEW_METHOD
            session.add(_log("accept", reviewer, entity_id, record_id=record_id))
            await _resolve_reviews(session, record_id, reviewer)
            await _recount(session, {old, target.id})
        await self._mirror([MovedLink(record_id, old, target.id)])
        return assignment

    async def reject_link(
        self, record_id: str, entity_id: str, reviewer: str
    ) -> LinkAssignment:
        """Detach ``record_id`` from ``entity_id`` into an entity of its own.

        The record never rejoins ``entity_id`` in later runs. Returns the new
        assignment. Raises ``LinkNotFoundError`` when the record is not linked
        to ``entity_id``.
        """
        async with transaction(self.sessions) as session:
            assignment = await _get_assignment(session, record_id)
            if assignment.entity_id != entity_id:
                raise LinkNotFoundError(
                    f"record {record_id} is linked to {assignment.entity_id}, not "
                    f"{entity_id}: there is no such link to reject"
                )
            alone = await _create_entity_like(session, entity_id, [record_id])
            _decide(assignment, alone, reviewer)
            assignment.method = REVIEW_METHOD
            session.add(_log("reject", reviewer, entity_id, record_id=record_id))
            await _resolve_reviews(session, record_id, reviewer)
            await _recount(session, {entity_id, alone})
        await self._mirror([MovedLink(record_id, entity_id, alone)])
        return assignment

    async def merge_entities(self, keep_id: str, absorb_id: str, reviewer: str) -> str:
        """Move every record of ``absorb_id`` to ``keep_id``; returns ``keep_id``.

        ``absorb_id`` stays resolvable (it points at ``keep_id``). Raises
        ``LinkNotFoundError`` for unknown entities and ``LinkConflictError``
        for an entity merged into itself or entities of different kinds.
        """
        async with transaction(self.sessions) as session:
            keep = await _get_entity(session, keep_id)
            absorb = await _get_entity(session, absorb_id)
            _check_mergeable(keep, absorb)
            moved = await _list_assignments(session, absorb.id)
            for assignment in moved:
                _decide(assignment, keep.id, reviewer)
            absorb.merged_into = keep.id
            absorb.record_count = 0
            session.add(_log("merge", reviewer, keep.id, other=absorb.id))
            await _recount(session, {keep.id})
        await self._mirror([MovedLink(a.record_id, absorb_id, keep_id) for a in moved])
        return keep_id

    async def split_entity(
        self, entity_id: str, record_ids: Sequence[str], reviewer: str
    ) -> str:
        """Move ``record_ids`` out of ``entity_id`` into a new entity; returns its id.

        The moved records never rejoin ``entity_id``. Raises ``LinkNotFoundError``
        when a record is not linked to the entity, ``LinkConflictError`` when
        nothing or everything would move.
        """
        wanted = sorted(set(record_ids))
        async with transaction(self.sessions) as session:
            entity = await _get_entity(session, entity_id)
            current = {
                a.record_id: a for a in await _list_assignments(session, entity.id)
            }
            _check_split(entity.id, wanted, current)
            new_id = await _create_entity_like(session, entity.id, wanted)
            for record_id in wanted:
                _decide(current[record_id], new_id, reviewer)
                current[record_id].method = REVIEW_METHOD
                session.add(_log("split", reviewer, entity.id, record_id=record_id))
            await _recount(session, {entity.id, new_id})
        await self._mirror([MovedLink(r, entity_id, new_id) for r in wanted])
        return new_id

    async def _mirror(self, moves: Sequence[MovedLink]) -> None:
        """Rewrite the graph for the moved records and the entities they touch."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(LinkAssignment).where(
                    LinkAssignment.record_id.in_([m.record_id for m in moves])
                )
            )
            assignments = list(rows)
            touched = {m.new_entity for m in moves} | {
                m.old_entity for m in moves if m.old_entity
            }
            entities = list(
                await session.scalars(
                    select(LinkEntity).where(LinkEntity.id.in_(touched))
                )
            )
        stale = [
            refers_to_edge_id(m.record_id, m.old_entity)
            for m in moves
            if m.old_entity and m.old_entity != m.new_entity
        ]
        await self.graph.delete_edges(stale)
        await self.graph.upsert_nodes([_entity_node(entity) for entity in entities])
        await self.graph.upsert_edges([_edge(a) for a in assignments])


def _entity_node(entity: LinkEntity) -> NodeInput:
    node = entity_node(
        entity.id, entity.kind, entity.name, entity.region_code, entity.record_count
    )
    if not entity.merged_into:
        return node
    return replace(
        node, properties={**node.properties, "merged_into": entity.merged_into}
    )


def _edge(row: LinkAssignment) -> EdgeInput:
    return refers_to_edge(
        row.record_id,
        row.entity_id,
        provenance(
            source=row.source,
            dataset=row.dataset,
            key=row.record_key,
            method=row.method,
            model_version=row.model_version,
            score=row.score,
            evidence=row.evidence,
            status=row.status,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
        ),
    )


def _decide(assignment: LinkAssignment, entity_id: str, reviewer: str) -> None:
    assignment.entity_id = entity_id
    assignment.status = "accepted"
    assignment.decided_by = reviewer
    assignment.decided_at = utcnow()


def _log(
    action: str,
    reviewer: str,
    entity_id: str,
    *,
    record_id: str | None = None,
    other: str | None = None,
) -> LinkDecision:
    return LinkDecision(
        action=action,
        record_id=record_id,
        entity_id=entity_id,
        other_entity_id=other,
        reviewer=reviewer,
        note="",
        created_at=utcnow(),
    )


async def _get_assignment(session: AsyncSession, record_id: str) -> LinkAssignment:
    assignment = await session.get(LinkAssignment, record_id)
    if assignment is None:
        raise LinkNotFoundError(
            f"record {record_id} has not been linked yet: run `bigone link` first"
        )
    return assignment


async def _get_entity(session: AsyncSession, entity_id: str) -> LinkEntity:
    entity = await session.get(LinkEntity, entity_id)
    if entity is None:
        raise LinkNotFoundError(f"there is no entity {entity_id}")
    if entity.merged_into:
        raise LinkConflictError(
            f"entity {entity_id} was merged into {entity.merged_into}; use that id"
        )
    return entity


async def _list_assignments(
    session: AsyncSession, entity_id: str
) -> list[LinkAssignment]:
    rows = await session.scalars(
        select(LinkAssignment)
        .where(LinkAssignment.entity_id == entity_id)
        .order_by(LinkAssignment.record_id)
    )
    return list(rows)


def _check_mergeable(keep: LinkEntity, absorb: LinkEntity) -> None:
    if keep.id == absorb.id:
        raise LinkConflictError(f"cannot merge entity {keep.id} into itself")
    if keep.kind != absorb.kind:
        raise LinkConflictError(
            f"cannot merge a {absorb.kind} ({absorb.id}) into a {keep.kind} ({keep.id})"
        )


def _check_split(
    entity_id: str, wanted: list[str], current: dict[str, LinkAssignment]
) -> None:
    missing = [record for record in wanted if record not in current]
    if missing:
        raise LinkNotFoundError(
            f"records {missing} are not linked to entity {entity_id}"
        )
    if not wanted or len(wanted) == len(current):
        raise LinkConflictError(
            f"a split of {entity_id} must move some but not all of its "
            f"{len(current)} records; {len(wanted)} given"
        )


async def _create_entity_like(
    session: AsyncSession, entity_id: str, record_ids: list[str]
) -> str:
    """A new entity of the same kind for ``record_ids``, with a derived id."""
    original = await _get_entity(session, entity_id)
    new_id = new_entity_id(original.kind, f"{record_ids[0]}@{entity_id}")
    names = await session.scalars(
        select(LinkAssignment.name).where(LinkAssignment.record_id == record_ids[0])
    )
    name = next(iter(names), original.name)
    if await session.get(LinkEntity, new_id) is None:
        session.add(
            LinkEntity(
                id=new_id,
                kind=original.kind,
                name=name,
                search_name=fold(name),
                region_code=original.region_code,
                record_count=0,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
        await session.flush()
    return new_id


async def _resolve_reviews(
    session: AsyncSession, record_id: str, reviewer: str
) -> None:
    await session.execute(
        update(LinkReview)
        .where(
            (LinkReview.record_id == record_id)
            | (LinkReview.candidate_record_id == record_id)
        )
        .where(LinkReview.status == "open")
        .values(status="resolved", resolved_by=reviewer)
    )


async def _recount(session: AsyncSession, entity_ids: set[str | None]) -> None:
    await session.flush()
    for entity_id in sorted(e for e in entity_ids if e):
        count = await session.scalar(
            select(func.count()).where(LinkAssignment.entity_id == entity_id)
        )
        await session.execute(
            update(LinkEntity)
            .where(LinkEntity.id == entity_id)
            .values(record_count=count or 0, updated_at=utcnow())
        )
