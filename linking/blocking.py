"""Candidate pairs: records that share a key, or whose embeddings are neighbours.

Key blocking runs as plain SQL equi-joins with a window count in DuckDB
(statements Spark SQL accepts as well); a key value shared by more than ``max_block_size`` records
is skipped, since a key that common says nothing. Embedding neighbours come
from a chunked matrix product. The result is the ``blocked_pairs`` table that
Splink scores (``match_key``, ``join_key_l``, ``join_key_r``) and a
``blocked_pair_rules`` table naming the rules that proposed each pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linking.errors import LinkingError

FEATURE_TABLE = "link_features"
PAIRS_TABLE = "blocked_pairs"
PAIR_RULES_TABLE = "blocked_pair_rules"


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
    con: duckdb.DuckDBPyConnection,
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
    to run twice at once on one connection.
    """
    columns = {row[0] for row in con.execute(f"DESCRIBE {FEATURE_TABLE}").fetchall()}
    selects = [_key_rule_sql(rule, config, columns) for rule in config.key_rules]
    con.execute(f"DROP TABLE IF EXISTS {PAIR_RULES_TABLE}")
    con.execute(
        f"CREATE TABLE {PAIR_RULES_TABLE} AS "
        + " UNION ALL ".join(selects or ["SELECT NULL, NULL, NULL WHERE FALSE"])
    )
    if vectors is not None and config.neighbours > 0 and len(ids):
        _add_neighbour_pairs(con, config, ids, origins, kinds, vectors)

    con.execute(f"DROP TABLE IF EXISTS {PAIRS_TABLE}")
    con.execute(
        f"""CREATE TABLE {PAIRS_TABLE} AS
        SELECT min(rule) AS match_key, join_key_l, join_key_r
        FROM {PAIR_RULES_TABLE} GROUP BY join_key_l, join_key_r"""
    )
    return _summarise(con)


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
    return f"""(
        WITH sized AS (
            SELECT unique_id, origin, kind, {keys},
                   count(*) OVER (PARTITION BY {keys}) AS block_size
            FROM {FEATURE_TABLE} WHERE {present}
        )
        SELECT '{rule.name}' AS rule, l.unique_id AS join_key_l, r.unique_id AS join_key_r
        FROM sized l JOIN sized r ON {joined} AND l.unique_id < r.unique_id
        WHERE l.block_size <= {rule.max_block_size} {_pair_filter(config)}
    )"""


def _pair_filter(config: BlockingConfig) -> str:
    parts = []
    if config.cross_origin_only:
        parts.append("AND l.origin <> r.origin")
    if config.same_kind_only:
        parts.append("AND l.kind = r.kind")
    return " ".join(parts)


def _add_neighbour_pairs(
    con: duckdb.DuckDBPyConnection,
    config: BlockingConfig,
    ids: Sequence[str],
    origins: Sequence[str],
    kinds: Sequence[str],
    vectors: npt.NDArray[np.float32],
) -> None:
    pairs = list(_neighbour_pairs(config, ids, origins, kinds, vectors))
    if not pairs:
        return
    table = pa.table(
        {"join_key_l": [a for a, _ in pairs], "join_key_r": [b for _, b in pairs]}
    )
    con.register("neighbour_pairs", table)
    con.execute(
        f"INSERT INTO {PAIR_RULES_TABLE} "
        "SELECT 'embedding:knn', join_key_l, join_key_r FROM neighbour_pairs"
    )
    con.unregister("neighbour_pairs")


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


def _summarise(con: duckdb.DuckDBPyConnection) -> BlockingResult:
    total = con.execute(f"SELECT count(*) FROM {PAIRS_TABLE}").fetchall()[0]
    by_rule = con.execute(
        f"SELECT rule, count(DISTINCT (join_key_l, join_key_r)) FROM {PAIR_RULES_TABLE} "
        "GROUP BY rule ORDER BY rule"
    ).fetchall()
    return BlockingResult(
        pairs=int(total[0]) if total else 0,
        by_rule={str(rule): int(count) for rule, count in by_rule},
    )


def measure_blocking_recall(
    con: duckdb.DuckDBPyConnection, true_pairs: Iterable[tuple[str, str]]
) -> float:
    """Share of ``true_pairs`` (record ids) that blocking proposed; 1.0 when none."""
    truth = sorted({(a, b) if a < b else (b, a) for a, b in true_pairs})
    if not truth:
        return 1.0
    table = pa.table({"l": [a for a, _ in truth], "r": [b for _, b in truth]})
    con.register("true_pairs", table)
    found = con.execute(
        f"SELECT count(*) FROM true_pairs t JOIN {PAIRS_TABLE} p "
        "ON p.join_key_l = t.l AND p.join_key_r = t.r"
    ).fetchall()[0]
    con.unregister("true_pairs")
    return (int(found[0]) if found else 0) / len(truth)
