"""One batch of linking: features, blocking, Splink scoring, clustering.

Blocking and scoring run in a workspace of the configured backend that lives
for one call: an in-memory DuckDB database by default, a Spark session for a
province or the nation (``linking.backends``). Clustering runs here, over the
scored pairs and the stored decisions only. Nothing here touches the store or
the graph, so the benchmark and the server run the very same code.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linking.backends import DuckDBBackend, LinkingBackend, Workspace
from linking.blocking import (
    FEATURE_TABLE,
    BlockingConfig,
    BlockingResult,
    block_pairs,
    measure_blocking_recall,
)
from linking.clustering import (
    DEFAULT_POLICY,
    ClusterInput,
    Clusters,
    ThresholdPolicy,
    cluster_pairs,
)
from linking.errors import LinkingError
from linking.evaluation import true_pairs
from linking.features import FEATURE_COLUMNS, build_feature_rows
from linking.model import ModelConfig, PairScorer, ScoredPair, ScoreResult
from linking.records import LinkRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineConfig:
    """Blocking, model and thresholds of one run."""

    blocking: BlockingConfig = field(default_factory=BlockingConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    policy: ThresholdPolicy = DEFAULT_POLICY
    duplicate_free: frozenset[str] = frozenset()
    min_bridge_support: int = 2
    threads: int = 2


@dataclass(frozen=True)
class EngineState:
    """What earlier runs and reviewers decided, as clustering constraints."""

    assigned: Mapping[str, str] = field(default_factory=dict)
    rejected: frozenset[tuple[str, str]] = frozenset()


@dataclass
class EngineResult:
    clusters: Clusters
    pairs: list[ScoredPair]
    blocking: BlockingResult
    blocking_recall: float | None
    model_version: str
    seconds: dict[str, float]


def link_batch(
    records: Sequence[LinkRecord],
    config: EngineConfig,
    *,
    state: EngineState | None = None,
    vectors: npt.NDArray[np.float32] | None = None,
    truth: Mapping[str, str] | None = None,
    backend: LinkingBackend | None = None,
) -> EngineResult:
    """Link ``records`` (with their embeddings, row for row, when given).

    Blocking and scoring run on ``backend`` (default: in-process DuckDB with
    ``config.threads`` threads). Blocking: CPU-bound and blocking; call it from
    a worker thread inside an event loop. Raises ``LinkingError`` on duplicate
    record ids or when the records carry nothing to compare.
    """
    _check_unique(records)
    state = state or EngineState()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    db = (backend or DuckDBBackend(config.threads)).open()
    try:
        _load_features(db, records, vectors)
        blocking = block_pairs(
            db,
            config.blocking,
            ids=[r.id for r in records],
            origins=[r.origin for r in records],
            kinds=[r.kind for r in records],
            vectors=vectors,
        )
        recall = measure_blocking_recall(db, true_pairs(truth)) if truth else None
        seconds["blocking"] = time.perf_counter() - started

        # Without candidate pairs (a small table with no duplicates) there is
        # nothing to train on: Splink's prior would be 0 and prediction fail.
        scored = (
            PairScorer(config.model).score(
                db,
                use_embedding=vectors is not None,
                min_probability=_lowest_review(config.policy),
                u_origin=_largest_duplicate_free(records, config),
            )
            if blocking.pairs
            else ScoreResult(pairs=[], model_version="none", comparisons=())
        )
        seconds["scoring"] = time.perf_counter() - started - seconds["blocking"]
    finally:
        db.close()

    clusters = cluster_pairs(scored.pairs, _cluster_input(records, config, state))
    seconds["total"] = time.perf_counter() - started
    logger.info(
        "linking.batch engine=%s records=%d pairs=%d scored=%d groups=%d seconds=%.2f",
        db.engine, len(records), blocking.pairs, len(scored.pairs),
        len(clusters.groups), seconds["total"],
    )  # fmt: skip
    return EngineResult(
        clusters, scored.pairs, blocking, recall, scored.model_version, seconds
    )


def _check_unique(records: Sequence[LinkRecord]) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise LinkingError(
                f"record {record.id} appears twice in one run: each (source, "
                "dataset, key) must be unique; check the key columns of the dataset"
            )
        seen.add(record.id)


def _load_features(
    db: Workspace,
    records: Sequence[LinkRecord],
    vectors: npt.NDArray[np.float32] | None,
) -> None:
    # Every feature is text: a column no record fills stays a typed column
    # (Arrow would infer ``null``, which Spark cannot compare).
    schema = pa.schema([(column, pa.string()) for column in FEATURE_COLUMNS])
    table = pa.Table.from_pylist(build_feature_rows(records), schema=schema)
    if vectors is not None:
        dims = int(vectors.shape[1])
        flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
        table = table.append_column(
            "embedding", pa.FixedSizeListArray.from_arrays(flat, dims)
        )
    db.load_table(FEATURE_TABLE, table)


def _largest_duplicate_free(
    records: Sequence[LinkRecord], config: EngineConfig
) -> str | None:
    """The duplicate-free origin with the most records (at least 50), if any."""
    sizes = Counter(r.origin for r in records if r.origin in config.duplicate_free)
    if not sizes:
        return None
    origin, size = min(sizes.items(), key=lambda item: (-item[1], item[0]))
    return origin if size >= 50 else None


def _lowest_review(policy: ThresholdPolicy) -> float:
    levels = [policy.default.review, *(t.review for t in policy.by_key.values())]
    return min(levels)


def _cluster_input(
    records: Sequence[LinkRecord], config: EngineConfig, state: EngineState
) -> ClusterInput:
    return ClusterInput(
        records={record.id: (record.kind, record.origin) for record in records},
        assigned=state.assigned,
        rejected=state.rejected,
        duplicate_free=config.duplicate_free,
        policy=config.policy,
        min_bridge_support=config.min_bridge_support,
    )
