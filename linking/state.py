"""Reading and writing linking state in the store: assignments, entities, reviews.

Every write of a run happens in one transaction, so a run is atomic. The
store's keys make concurrent runs unable to duplicate: an assignment's key is
its record, so a second run's insert of the same record is ignored, and the
run then finds that record assigned elsewhere and rolls back with
``ConcurrentRunError`` rather than leave entities that lost their records.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from linking.engine import EngineState
from linking.errors import ConcurrentRunError
from store.base import utcnow
from store.engine import transaction
from store.linking import LinkAssignment, LinkDecision, LinkEntity, LinkReview


@dataclass(frozen=True)
class AssignmentRow:
    """A record's link to its entity, with provenance, as written to the store."""

    record_id: str
    entity_id: str
    source: str
    dataset: str
    record_key: tuple[str, ...]
    kind: str
    name: str
    method: str
    model_version: str
    score: float | None
    evidence: dict[str, Any]


@dataclass(frozen=True)
class EntityRow:
    id: str
    kind: str
    name: str
    search_name: str
    region_code: str | None
    record_count: int


@dataclass(frozen=True)
class ReviewRow:
    record_id: str
    candidate_record_id: str
    entity_id: str | None
    candidate_entity_id: str | None
    kind: str
    reason: str
    score: float
    evidence: dict[str, Any]
    model_version: str

    @property
    def id(self) -> str:
        raw = f"{self.record_id}\x1f{self.candidate_record_id}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


async def load_engine_state(
    sessions: async_sessionmaker[AsyncSession],
) -> EngineState:
    """Current assignments (merged entities resolved) and rejected pairs."""
    async with sessions() as session:
        merged_rows = await session.execute(
            select(LinkEntity.id, LinkEntity.merged_into).where(
                LinkEntity.merged_into.is_not(None)
            )
        )
        merged = {entity: target for entity, target in merged_rows}
        rows = await session.execute(
            select(LinkAssignment.record_id, LinkAssignment.entity_id)
        )
        assigned = {record: resolve_entity(entity, merged) for record, entity in rows}
        rejections = await session.execute(
            select(LinkDecision.record_id, LinkDecision.entity_id).where(
                LinkDecision.action.in_(("reject", "split"))
            )
        )
        rejected = frozenset(
            (record, resolve_entity(entity, merged))
            for record, entity in rejections
            if record is not None
        )
    return EngineState(assigned=assigned, rejected=rejected)


def resolve_entity(entity_id: str, merged: dict[str, str | None]) -> str:
    """Follow ``merged_into`` to the surviving entity."""
    seen = set()
    while (target := merged.get(entity_id)) and entity_id not in seen:
        seen.add(entity_id)
        entity_id = target
    return entity_id


async def save_run(
    sessions: async_sessionmaker[AsyncSession],
    assignments: Sequence[AssignmentRow],
    entities: Sequence[EntityRow],
    reviews: Sequence[ReviewRow],
) -> None:
    """Write one run's new assignments, entity summaries and review items atomically.

    Raises ``ConcurrentRunError`` (and writes nothing) when another run
    committed an assignment of one of these records to another entity since
    this run read the state.
    """
    async with transaction(sessions) as session:
        insert = _insert(session)
        for batch in _batches([_assignment_values(a) for a in assignments]):
            await session.execute(
                insert(LinkAssignment).values(batch).on_conflict_do_nothing()
            )
        await _check_assignments(session, assignments)
        for batch in _batches([_entity_values(e) for e in entities]):
            statement = insert(LinkEntity).values(batch)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[LinkEntity.id],
                    set_={
                        "name": statement.excluded.name,
                        "search_name": statement.excluded.search_name,
                        "region_code": statement.excluded.region_code,
                        "record_count": statement.excluded.record_count,
                        "updated_at": statement.excluded.updated_at,
                    },
                )
            )
        await _save_reviews(session, insert, reviews)


async def _check_assignments(
    session: AsyncSession, assignments: Sequence[AssignmentRow]
) -> None:
    # Read after the inserts: by then PostgreSQL has waited for a concurrent
    # run's conflicting rows to commit, and SQLite holds the write lock.
    planned = {a.record_id: a.entity_id for a in assignments}
    ids = sorted(planned)
    for start in range(0, len(ids), 1000):
        rows = await session.execute(
            select(LinkAssignment.record_id, LinkAssignment.entity_id).where(
                LinkAssignment.record_id.in_(ids[start : start + 1000])
            )
        )
        taken = [(r, e) for r, e in rows if planned[r] != e]
        if taken:
            record, entity = taken[0]
            raise ConcurrentRunError(
                f"another linking run assigned {len(taken)} of this run's records "
                f"first (e.g. {record} to {entity}); run again to build on them"
            )


async def _save_reviews(
    session: AsyncSession, insert: Any, reviews: Sequence[ReviewRow]
) -> None:
    now = utcnow()
    values = [
        {
            "id": review.id,
            "record_id": review.record_id,
            "candidate_record_id": review.candidate_record_id,
            "entity_id": review.entity_id,
            "candidate_entity_id": review.candidate_entity_id,
            "kind": review.kind,
            "reason": review.reason,
            "score": review.score,
            "evidence": review.evidence,
            "model_version": review.model_version,
            "status": "open",
            "created_at": now,
        }
        for review in {r.id: r for r in reviews}.values()
    ]
    for batch in _batches(values):
        # A review someone resolved stays resolved: conflicts are ignored.
        await session.execute(insert(LinkReview).values(batch).on_conflict_do_nothing())


def _assignment_values(row: AssignmentRow) -> dict[str, Any]:
    return {
        "record_id": row.record_id,
        "entity_id": row.entity_id,
        "source": row.source,
        "dataset": row.dataset,
        "record_key": list(row.record_key),
        "kind": row.kind,
        "name": row.name,
        "method": row.method,
        "model_version": row.model_version,
        "score": row.score,
        "evidence": row.evidence,
        "status": "auto",
        "decided_by": "auto",
        "decided_at": utcnow(),
    }


def _entity_values(row: EntityRow) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "search_name": row.search_name,
        "region_code": row.region_code,
        "record_count": row.record_count,
        "created_at": now,
        "updated_at": now,
    }


def _batches(
    values: list[dict[str, Any]], size: int = 500
) -> list[list[dict[str, Any]]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


async def list_assignments(
    sessions: async_sessionmaker[AsyncSession], entity_ids: Sequence[str]
) -> list[LinkAssignment]:
    """Every assignment to the given entities, ordered by record id.

    Reads in chunks: drivers cap the number of bound parameters per statement.
    """
    ids = sorted(set(entity_ids))
    found: list[LinkAssignment] = []
    async with sessions() as session:
        for start in range(0, len(ids), 1000):
            rows = await session.scalars(
                select(LinkAssignment).where(
                    LinkAssignment.entity_id.in_(ids[start : start + 1000])
                )
            )
            found.extend(rows)
    return sorted(found, key=lambda row: row.record_id)


def most_common(values: Sequence[str | None]) -> str | None:
    """The most frequent non-empty value; ties go to the smallest."""
    counts = Counter(value for value in values if value)
    if not counts:
        return None
    return min(counts, key=lambda value: (-counts[value], value))
