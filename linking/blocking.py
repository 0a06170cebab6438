"""Candidate pairs: records that share a key, or whose embeddings are neighbours.

Key blocking runs as plain SQL equi-joins with a window count, in whichever
workspace the batch has (DuckDB or Spark: the statements are valid in both);
a key value shared by more than ``max_block_size`` records is skipped, since
a key that common says nothing. Embedding neighbours come from a chunked
matrix product in this process. The result is the ``blocked_pairs`` table that
Splink scores (``match_key``, ``join_key_l``, ``join_key_r``) and a
``blocked_pair_rules`` table naming the rules that proposed each pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linking.backends import Workspace
from linking.errors import LinkingError

FEATURE_TABLE = "link_features"
PAIRS_TABLE = "blocked_pairs"
PAIR_RULES_TABLE = "blocked_pair_rules"
NEIGHBOUR_TABLE = "neighbour_pairs"
NO_PAIRS = (
    "SELECT CAST(NULL AS STRING) AS rule, CAST(NULL AS STRING) AS join_key_l, "
    "CAST(NULL AS STRING) AS join_key_r WHERE 1 = 0"
)


@dataclass(frozen=True)
class KeyRule:
    """Records equal on every column of ``columns`` are candidates."""

    columns: tuple[str, ...]
    max_block_size: int = 400

    @property
    def name(self) -> str:
        return "key:" + "+".join(self.columns)


DEFAULT_KEY_RULES: tuple[KeyRule, ...] = (
    KeyRule(("identifier",)),
    KeyRule(("phone",)),
    KeyRule(("name_key",)),
    KeyRule(("name_prefix_key", "date")),
    KeyRule(("name_prefix_key", "regency_code")),
    KeyRule(("name_prefix_key", "postal_code")),
    KeyRule(("name_prefix_key", "region_code")),
    KeyRule(("name_compact_prefix", "regency_code")),
    KeyRule(("name_first", "date")),
    KeyRule(("name_last", "date")),
    KeyRule(("date", "postal_code")),
    KeyRule(("date", "region_code")),
    KeyRule(("name", "region_code")),
)


@dataclass(frozen=True)
class BlockingConfig:
    """Which candidates to propose; ``neighbours=0`` turns embedding blocking off."""

    key_rules: tuple[KeyRule, ...] = DEFAULT_KEY_RULES
    neighbours: int = 5
    min_cosine: float = 0.75
    cross_origin_only: bool = False
    same_kind_only: bool = True
    chunk_size: int = 2048


@dataclass(frozen=True)
class BlockingResult:
    pairs: int
    by_rule: dict[str, int] = field(default_factory=dict)


def block_pairs(
    db: Workspace,
    config: BlockingConfig,
    *,
    ids: Sequence[str] = (),
    origins: Sequence[str] = (),
    kinds: Sequence[str] = (),
    vectors: npt.NDArray[np.float32] | None = None,
) -> BlockingResult:
    """Build ``blocked_pairs`` from the ``link_features`` table (and embeddings).

    ``ids``, ``origins`` and ``kinds`` describe the rows of ``vectors``; without
    vectors only key rules run. Returns the pair count per rule. Raises
    ``LinkingError`` when a key rule names a column the table lacks. Not safe
    to run twice at once in one workspace.
    """
    columns = set(db.columns(FEATURE_TABLE))
    selects = [_key_rule_sql(rule, config, columns) for rule in config.key_rules]
    if vectors is not None and config.neighbours > 0 and len(ids):
        pairs = sorted(set(_neighbour_pairs(config, ids, origins, kinds, vectors)))
        if pairs:
            db.load_table(NEIGHBOUR_TABLE, _pair_table(pairs))
            selects.append(
                "SELECT 'embedding:knn' AS rule, join_key_l, join_key_r "
                f"FROM {NEIGHBOUR_TABLE}"
            )
    db.create_table(PAIR_RULES_TABLE, " UNION ALL ".join(selects or [NO_PAIRS]))
    db.create_table(
        PAIRS_TABLE,
        "SELECT min(rule) AS match_key, join_key_l, join_key_r "
        f"FROM {PAIR_RULES_TABLE} GROUP BY join_key_l, join_key_r",
    )
    return _summarise(db)


def _pair_table(pairs: Sequence[tuple[str, str]]) -> pa.Table:
    return pa.table(
        {
            "join_key_l": pa.array([a for a, _ in pairs], pa.string()),
            "join_key_r": pa.array([b for _, b in pairs], pa.string()),
        }
    )


def _key_rule_sql(rule: KeyRule, config: BlockingConfig, columns: set[str]) -> str:
    missing = [column for column in rule.columns if column not in columns]
    if missing:
        raise LinkingError(
            f"blocking rule {rule.name} names {missing}, which the feature table "
            f"lacks; known columns: {sorted(columns)}"
        )
    keys = ", ".join(rule.columns)
    present = " AND ".join(f"{column} IS NOT NULL" for column in rule.columns)
    joined = " AND ".join(f"l.{column} = r.{column}" for column in rule.columns)
    sized = f"""(
            SELECT unique_id, origin, kind, {keys},
                   count(*) OVER (PARTITION BY {keys}) AS block_size
            FROM {FEATURE_TABLE} WHERE {present}
        )"""
    return f"""SELECT '{rule.name}' AS rule, l.unique_id AS join_key_l,
            r.unique_id AS join_key_r
        FROM {sized} l JOIN {sized} r ON {joined} AND l.unique_id < r.unique_id
        WHERE l.block_size <= {rule.max_block_size} {_pair_filter(config)}"""


def _pair_filter(config: BlockingConfig) -> str:
    parts = []
    if config.cross_origin_only:
        parts.append("AND l.origin <> r.origin")
    if config.same_kind_only:
        parts.append("AND l.kind = r.kind")
    return " ".join(parts)


def _neighbour_pairs(
    config: BlockingConfig,
    ids: Sequence[str],
    origins: Sequence[str],
    kinds: Sequence[str],
    vectors: npt.NDArray[np.float32],
) -> Iterable[tuple[str, str]]:
    origin_codes = np.unique(np.asarray(origins), return_inverse=True)[1]
    kind_codes = np.unique(np.asarray(kinds), return_inverse=True)[1]
    k = min(config.neighbours, len(ids) - 1)
    if k <= 0:
        return
    for start in range(0, len(ids), config.chunk_size):
        stop = min(start + config.chunk_size, len(ids))
        similarity = vectors[start:stop] @ vectors.T
        _mask(similarity, start, origin_codes, kind_codes, config)
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        for offset, row in enumerate(top):
            for column in row:
                if similarity[offset, column] >= config.min_cosine:
                    a, b = ids[start + offset], ids[int(column)]
                    yield (a, b) if a < b else (b, a)


def _mask(
    similarity: npt.NDArray[np.float32],
    start: int,
    origin_codes: npt.NDArray[np.intp],
    kind_codes: npt.NDArray[np.intp],
    config: BlockingConfig,
) -> None:
    rows = np.arange(similarity.shape[0])
    similarity[rows, start + rows] = -2.0
    chunk = slice(start, start + similarity.shape[0])
    if config.cross_origin_only:
        similarity[origin_codes[chunk][:, None] == origin_codes[None, :]] = -2.0
    if config.same_kind_only:
        similarity[kind_codes[chunk][:, None] != kind_codes[None, :]] = -2.0


def _summarise(db: Workspace) -> BlockingResult:
    total = db.rows(f"SELECT count(*) FROM {PAIRS_TABLE}")
    by_rule = db.rows(
        "SELECT rule, count(*) FROM (SELECT DISTINCT rule, join_key_l, join_key_r "
        f"FROM {PAIR_RULES_TABLE}) AS distinct_pairs GROUP BY rule ORDER BY rule"
    )
    return BlockingResult(
        pairs=int(total[0][0]) if total else 0,
        by_rule={str(rule): int(count) for rule, count in by_rule},
    )


def measure_blocking_recall(
    db: Workspace, true_pairs: Iterable[tuple[str, str]]
) -> float:
    """Share of ``true_pairs`` (record ids) that blocking proposed; 1.0 when none."""
    truth = sorted({(a, b) if a < b else (b, a) for a, b in true_pairs})
    if not truth:
        return 1.0
    db.load_table("true_pairs", _pair_table(truth))
    found = db.rows(
        f"SELECT count(*) FROM true_pairs t JOIN {PAIRS_TABLE} p "
        "ON p.join_key_l = t.join_key_l AND p.join_key_r = t.join_key_r"
    )
    return (int(found[0][0]) if found else 0) / len(truth)
