"""A linking run: records in, stable entities with provenance out, in store and graph.

The run reads what earlier runs and reviewers decided (assignments,
rejections), links the batch with ``linking.engine``, keeps every existing
assignment (so entity ids never change), gives new groups ids derived from
their founding record, writes new assignments and review items to the store
in one transaction and then mirrors the links into the graph.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.base import GraphStore
from indonesian.text import fold
from linking.backends import LinkingBackend
from linking.clustering import Clusters
from linking.embedder import Embedder
from linking.engine import EngineConfig, EngineResult, EngineState, link_batch
from linking.errors import ConcurrentRunError
from linking.evaluation import LinkQuality, measure_link_quality
from linking.features import embedding_text
from linking.graph_writer import (
    entity_node,
    provenance,
    record_node,
    refers_to_edge,
    write_links,
)
from linking.model import METHOD
from linking.records import LinkRecord, new_entity_id
from linking.state import (
    AssignmentRow,
    EntityRow,
    ReviewRow,
    list_assignments,
    load_engine_state,
    most_common,
    save_run,
)

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]
SINGLETON = "singleton"
# A run retried this often lost every race to other runs; let the caller decide.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class LinkRunReport:
    """What a run did; ``quality`` and ``blocking_recall`` only with ground truth."""

    records: int
    entities: int
    new_entities: int
    new_links: int
    review_items: int
    pairs_blocked: int
    pairs_scored: int
    model_version: str
    seconds: Mapping[str, float]
    blocking_recall: float | None = None
    quality: LinkQuality | None = None
    entity_of: Mapping[str, str] = field(default_factory=dict)


class LinkingPipeline:
    """Runs linking over records against the store and the graph.

    Safe to share between tasks, but two runs at once do redundant work: they
    cannot create duplicates (ids are derived, inserts ignore conflicts, and a
    run that finds its records taken by another starts again on top of them).
    Blocking and scoring run on ``backend`` (default: in-process DuckDB);
    clustering, the store and the graph stay in this process.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        graph: GraphStore,
        *,
        config: EngineConfig | None = None,
        embedder: Embedder | None = None,
        backend: LinkingBackend | None = None,
    ) -> None:
        self.sessions = sessions
        self.graph = graph
        self.config = config or EngineConfig()
        self.embedder = embedder
        self.backend = backend

    async def run(
        self,
        records: Sequence[LinkRecord],
        *,
        truth: Mapping[str, str] | None = None,
        progress: Progress | None = None,
    ) -> LinkRunReport:
        """Link ``records`` (every source's, together) and write the result.

        Returns a ``LinkRunReport``. Raises ``LinkingError`` for bad input,
        ``StoreError``/``GraphError`` when a backend fails; the store part is
        atomic, and the graph is rewritten from the store on the next run. A
        run whose records another run assigned meanwhile starts again, up to
        ``MAX_ATTEMPTS`` times, then raises ``ConcurrentRunError``.
        """
        notify = progress or (lambda _stage: None)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await self._run_once(records, truth, notify)
            except ConcurrentRunError as error:
                if attempt == MAX_ATTEMPTS:
                    raise
                logger.warning(
                    "linking.run_retried attempt=%d error=%s", attempt, error
                )
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _run_once(
        self,
        records: Sequence[LinkRecord],
        truth: Mapping[str, str] | None,
        notify: Progress,
    ) -> LinkRunReport:
        state = await load_engine_state(self.sessions)
        notify("state")
        vectors = await self._embed(records)
        notify("embeddings")
        result = await asyncio.to_thread(
            link_batch,
            records,
            self.config,
            state=state,
            vectors=vectors,
            truth=truth,
            backend=self.backend,
        )
        notify("scoring")

        plan = _plan(records, result, state)
        await save_run(self.sessions, plan.assignments, plan.entities, plan.reviews)
        notify("store")
        await self._write_graph(records, plan)
        notify("graph")
        return _report(records, result, plan, truth)

    async def _embed(self, records: Sequence[LinkRecord]) -> Any:
        if self.embedder is None or not records:
            return None
        return await self.embedder.encode_async([embedding_text(r) for r in records])

    async def _write_graph(self, records: Sequence[LinkRecord], plan: _Plan) -> None:
        stored = await list_assignments(self.sessions, [e.id for e in plan.entities])
        edges = [
            refers_to_edge(
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
            for row in stored
        ]
        entities = [
            entity_node(e.id, e.kind, e.name, e.region_code, e.record_count)
            for e in plan.entities
        ]
        await write_links(
            self.graph, [record_node(r) for r in records], entities, edges
        )


@dataclass
class _Plan:
    assignments: list[AssignmentRow]
    entities: list[EntityRow]
    reviews: list[ReviewRow]
    entity_of: dict[str, str]


def _plan(
    records: Sequence[LinkRecord], result: EngineResult, state: EngineState
) -> _Plan:
    by_id = {record.id: record for record in records}
    clusters = result.clusters
    entity_of: dict[str, str] = {}
    entities: list[EntityRow] = []
    new: list[AssignmentRow] = []
    for group, existing in zip(clusters.groups, clusters.entity_of_group, strict=True):
        members = [by_id[record_id] for record_id in group]
        entity_id = existing or new_entity_id(members[0].kind, group[0])
        entities.append(_entity_row(entity_id, members))
        for record in members:
            entity_of[record.id] = entity_id
            if record.id not in state.assigned:
                new.append(
                    _assignment(record, entity_id, clusters, result.model_version)
                )
    reviews = _reviews(clusters, entity_of, by_id, result.model_version)
    return _Plan(new, entities, reviews, entity_of)


def _entity_row(entity_id: str, members: list[LinkRecord]) -> EntityRow:
    name = most_common([m.name for m in members]) or ""
    return EntityRow(
        id=entity_id,
        kind=members[0].kind,
        name=name,
        search_name=fold(name),
        region_code=most_common([m.region_code for m in members]),
        record_count=len(members),
    )


def _assignment(
    record: LinkRecord, entity_id: str, clusters: Clusters, model_version: str
) -> AssignmentRow:
    pair = clusters.links.get(record.id)
    evidence: dict[str, Any] = {}
    if pair is not None:
        other = pair.right if pair.left == record.id else pair.left
        evidence = {**pair.evidence, "matched_record": other}
    return AssignmentRow(
        record_id=record.id,
        entity_id=entity_id,
        source=record.source,
        dataset=record.dataset,
        record_key=record.key,
        kind=record.kind,
        name=record.name,
        method=METHOD if pair else SINGLETON,
        model_version=model_version,
        score=pair.probability if pair else None,
        evidence=evidence,
    )


def _reviews(
    clusters: Clusters,
    entity_of: dict[str, str],
    by_id: dict[str, LinkRecord],
    model_version: str,
) -> list[ReviewRow]:
    return [
        ReviewRow(
            record_id=item.pair.left,
            candidate_record_id=item.pair.right,
            entity_id=entity_of.get(item.pair.left),
            candidate_entity_id=entity_of.get(item.pair.right),
            kind=by_id[item.pair.left].kind,
            reason=item.reason,
            score=item.pair.probability,
            evidence=item.pair.evidence,
            model_version=model_version,
        )
        for item in clusters.review
        if entity_of.get(item.pair.left) != entity_of.get(item.pair.right)
    ]


def _report(
    records: Sequence[LinkRecord],
    result: EngineResult,
    plan: _Plan,
    truth: Mapping[str, str] | None,
) -> LinkRunReport:
    new_entities = {a.entity_id for a in plan.assignments} - {
        e.id
        for e, g in zip(plan.entities, result.clusters.entity_of_group, strict=True)
        if g
    }
    quality = measure_link_quality(result.clusters.groups, truth) if truth else None
    return LinkRunReport(
        records=len(records),
        entities=len(plan.entities),
        new_entities=len(new_entities),
        new_links=len(plan.assignments),
        review_items=len(plan.reviews),
        pairs_blocked=result.blocking.pairs,
        pairs_scored=len(result.pairs),
        model_version=result.model_version,
        seconds=result.seconds,
        blocking_recall=result.blocking_recall,
        quality=quality,
        entity_of=plan.entity_of,
    )
