"""Pair scoring with Splink's Fellegi–Sunter model, on DuckDB or on Spark.

Comparisons are built from the feature columns that carry values: names
(exact, same words in any order, Jaro–Winkler bands), identifiers, dates and
postal codes (exact, one or two typos), phone, region (same code, same
regency), address and embedding cosine. The model is trained without labels:
the prior from deterministic rules, u by random sampling, m by EM; it then
scores exactly the pairs blocking proposed. Every scored pair carries the
level each comparison reached and its match weight (log2 Bayes factor): the
evidence of a link.

The model is backend-neutral Splink settings: it trains and predicts in the
batch's workspace through the Splink API the workspace hands out, Splink's
``DuckDBAPI`` in process or its ``SparkAPI`` for a province or the nation
(``linking.backends``; the README's "Linking at scale" says how to switch).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.exceptions import EMTrainingException

from linking.backends import Workspace
from linking.blocking import FEATURE_TABLE, PAIRS_TABLE
from linking.errors import LinkingError

logger = logging.getLogger(__name__)
METHOD = "splink-fellegi-sunter"
U_TABLE = "link_features_u"


@dataclass(frozen=True)
class ComparisonSpec:
    """One Splink comparison and the labels of its non-null levels, best first."""

    column: str
    comparison: Any
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ModelConfig:
    """How the model trains; the defaults suit one regency on one machine."""

    u_max_pairs: float = 3e5
    u_chunks: int = 1
    em_trains_u: bool = False
    em_sample_proportion: float = 1.0
    prior_recall: float = 0.7
    fallback_prior: float = 1e-4
    min_filled_share: float = 0.05
    seed: int = 7


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float
    match_weight: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreResult:
    pairs: list[ScoredPair]
    model_version: str
    comparisons: tuple[str, ...]


def _jw(column: str, thresholds: Sequence[float]) -> list[Any]:
    return [cll.JaroWinklerLevel(column, value) for value in thresholds]


def _typos(column: str, distances: Sequence[int]) -> list[Any]:
    return [cll.DamerauLevenshteinLevel(column, value) for value in distances]


def _spec(column: str, levels: list[Any], labels: Sequence[str]) -> ComparisonSpec:
    comparison = cl.CustomComparison(
        comparison_levels=[cll.NullLevel(column), *levels, cll.ElseLevel()],
        output_column_name=column,
    )
    return ComparisonSpec(column, comparison, (*labels, "different"))


def _category_spec() -> ComparisonSpec:
    """A place's level or a business's legal form: fixed m, since EM on small
    sources learns it backwards (pairs sharing a name are mostly "Kota X" vs
    "Kabupaten X", which EM may take for the matches)."""
    comparison = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("category"),
            cll.ExactMatchLevel("category").configure(
                m_probability=0.95, fix_m_probability=True
            ),
            cll.ElseLevel().configure(m_probability=0.05, fix_m_probability=True),
        ],
        output_column_name="category",
    )
    return ComparisonSpec("category", comparison, ("exact", "different"))


def comparison_specs(use_embedding: bool) -> list[ComparisonSpec]:
    """Every comparison the model may use; unfilled columns are dropped later."""
    specs = [
        _spec(
            "name",
            [
                cll.ExactMatchLevel("name"),
                cll.CustomLevel("name_key_l = name_key_r", "same words, other order"),
                *_jw("name", (0.95, 0.88, 0.75)),
            ],
            (
                "exact",
                "same words",
                "jaro-winkler>=0.95",
                "jaro-winkler>=0.88",
                "jaro-winkler>=0.75",
            ),
        ),
        _spec(
            "identifier",
            [cll.ExactMatchLevel("identifier"), *_typos("identifier", (1, 2))],
            ("exact", "one typo", "two typos"),
        ),
        _spec(
            "date",
            [cll.ExactMatchLevel("date"), *_typos("date", (1,))],
            ("exact", "one typo"),
        ),
        _spec("phone", [cll.ExactMatchLevel("phone")], ("exact",)),
        _category_spec(),
        _spec(
            "region_code",
            [
                cll.ExactMatchLevel("region_code"),
                cll.CustomLevel("regency_code_l = regency_code_r", "same regency"),
            ],
            ("same code", "same regency"),
        ),
        _spec(
            "address",
            [cll.ExactMatchLevel("address"), *_jw("address", (0.9, 0.7))],
            ("exact", "jaro-winkler>=0.9", "jaro-winkler>=0.7"),
        ),
        _spec(
            "postal_code",
            [cll.ExactMatchLevel("postal_code"), *_typos("postal_code", (1,))],
            ("exact", "one typo"),
        ),
    ]
    if use_embedding:
        specs.append(
            _spec(
                "embedding",
                [cll.CosineSimilarityLevel("embedding", t) for t in (0.95, 0.85, 0.7)],
                ("cosine>=0.95", "cosine>=0.85", "cosine>=0.7"),
            )
        )
    return specs


def _filled_columns(
    db: Workspace, columns: Sequence[str], min_share: float
) -> set[str]:
    counts = ", ".join(f"count({column})" for column in columns)
    row = db.rows(f"SELECT count(*), {counts} FROM {FEATURE_TABLE}")[0]
    if row is None or not row[0]:
        return set()
    total = row[0]
    return {c for c, n in zip(columns, row[1:], strict=True) if n / total >= min_share}


def _prior_rules(filled: set[str]) -> list[Any]:
    candidates = [
        ("identifier",),
        ("name", "date"),
        ("phone",),
        ("name", "region_code"),
    ]
    rules = [block_on(*cols) for cols in candidates if set(cols) <= filled]
    # Without a strong key, an exact name is the best deterministic rule there is.
    return rules or [block_on("name")]


def _em_rules(filled: set[str]) -> list[Any]:
    """A rule on the name (trains the rest), then rules that train the name.

    One strong key (identifier, date, phone, postal code) suffices; without
    one, both the address and the regency train it, since either alone may
    group records so that EM takes "same district" for "same entity".
    """
    rules = [block_on("name_key")] if "name" in filled else []
    for column in ("identifier", "date", "phone", "postal_code"):
        if column in filled:
            return [*rules, block_on(column)]
    if "address" in filled:
        rules.append(block_on("address"))
    if "region_code" in filled:
        # The regency rather than the full code: sources code places at
        # different depths (a village's district vs a record's regency).
        rules.append(block_on("regency_code"))
    return rules


class PairScorer:
    """Trains a Splink model on the feature table and scores the blocked pairs.

    Not safe to share between concurrent tasks: it owns one workspace's tables
    while it runs.
    """

    def __init__(self, config: ModelConfig | None = None) -> None:
        self.config = config or ModelConfig()

    def score(
        self,
        db: Workspace,
        *,
        use_embedding: bool,
        min_probability: float,
        u_origin: str | None = None,
    ) -> ScoreResult:
        """Scored pairs at or above ``min_probability``, with evidence.

        ``u_origin`` names a duplicate-free origin: u is then estimated from
        random pairs within it, which are certainly non-matches. Sampling over
        all records instead counts true matches as chance agreement, which
        understates exact agreement when two sources cover the same entities
        one to one (two editions of a code list). Raises ``LinkingError``
        when no column has enough values to compare.
        """
        specs = comparison_specs(use_embedding)
        filled = _filled_columns(
            db, [spec.column for spec in specs], self.config.min_filled_share
        )
        specs = [spec for spec in specs if spec.column in filled]
        if not specs or "name" not in filled:
            raise LinkingError(
                "nothing to compare: every record needs a name, and the feature "
                f"table has only {sorted(filled)} filled"
            )
        trained = self._train(db, specs, filled, u_origin)
        return self._predict(db, trained, specs, min_probability)

    def _train(
        self,
        db: Workspace,
        specs: list[ComparisonSpec],
        filled: set[str],
        u_origin: str | None,
    ) -> tuple[Linker, Any]:
        db_api = db.splink_api()
        settings: Any = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=[spec.comparison for spec in specs],
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
            probability_two_random_records_match=self.config.fallback_prior,
        )
        if u_origin is not None:
            settings = self._estimate_u_within(db, db_api, settings, u_origin)
        linker = Linker(db_api.register(FEATURE_TABLE), settings, log_level=None)
        training = linker.training
        prior_rules = _prior_rules(filled)
        if prior_rules:
            training.estimate_probability_two_random_records_match(
                prior_rules, recall=self.config.prior_recall
            )
        if u_origin is None:
            self._estimate_u(linker)
        for rule in _em_rules(filled):
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    record_sample_proportion=self.config.em_sample_proportion,
                    fix_u_probabilities=not self.config.em_trains_u,
                )
            except (ValueError, EMTrainingException) as error:
                # EM degenerates when a rule's pairs hold (almost) no matches,
                # e.g. a region rule that only pairs records of one source;
                # the other rules' estimates (or Splink's defaults) then stand.
                logger.warning("linking.em_skipped rule=%s error=%s", rule, error)
        return linker, db_api

    def _estimate_u(self, linker: Linker) -> None:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=self.config.u_max_pairs,
            seed=self.config.seed,
            num_chunks=self.config.u_chunks,
        )

    def _estimate_u_within(
        self,
        db: Workspace,
        db_api: Any,
        settings: SettingsCreator,
        origin: str,
    ) -> dict[str, Any]:
        """Settings whose u values come from pairs inside one duplicate-free origin."""
        db.create_table(
            U_TABLE,
            f"SELECT * FROM {FEATURE_TABLE} WHERE origin = {db.param('origin')}",
            {"origin": origin},
        )
        within = Linker(db_api.register(U_TABLE), settings, log_level=None)
        self._estimate_u(within)
        model: dict[str, Any] = within.misc.save_model_to_json()
        model.pop("linker_uid", None)
        return model

    def _predict(
        self,
        db: Workspace,
        trained: tuple[Linker, Any],
        specs: list[ComparisonSpec],
        min_probability: float,
    ) -> ScoreResult:
        linker, db_api = trained
        linker.table_management.register_blocked_pairs_for_predict(
            db_api.register(PAIRS_TABLE)
        )
        predictions = linker.inference.predict(
            threshold_match_probability=min_probability
        )
        rows = db.records(f"SELECT * FROM {predictions.physical_name}")
        pairs = sorted(
            (_to_pair(row, specs) for row in rows), key=lambda p: (p.left, p.right)
        )
        return ScoreResult(
            pairs=pairs,
            model_version=_model_version(trained[0]),
            comparisons=tuple(spec.column for spec in specs),
        )


def _to_pair(row: dict[str, Any], specs: list[ComparisonSpec]) -> ScoredPair:
    evidence: dict[str, Any] = {}
    for spec in specs:
        gamma = row.get(f"gamma_{spec.column}")
        if gamma is None or gamma < 0:
            continue
        label = spec.labels[len(spec.labels) - 1 - int(gamma)]
        entry: dict[str, Any] = {
            "level": label,
            "match_weight": _rounded(row.get(f"mw_{spec.column}")),
        }
        if spec.column != "embedding":
            entry["values"] = [row.get(f"{spec.column}_l"), row.get(f"{spec.column}_r")]
        evidence[spec.column] = entry
    evidence["blocked_by"] = row.get("match_key")
    left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
    return ScoredPair(
        left=min(left, right),
        right=max(left, right),
        probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        evidence=evidence,
    )


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def _model_version(linker: Linker) -> str:
    """Splink's version and a digest of the trained parameters."""
    model = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)
    digest = hashlib.sha256(json.dumps(model, sort_keys=True, default=str).encode())
    return f"splink-{splink.__version__}/fs-{digest.hexdigest()[:12]}"
