from pathlib import Path

from linking.blocking import BlockingConfig
from linking.engine import EngineConfig, link_batch
from linking.evaluation import measure_link_quality
from tests.linking.febrl import febrl_pair, truth_of

FEBRL_CONFIG = EngineConfig(
    blocking=BlockingConfig(neighbours=0, cross_origin_only=True),
    duplicate_free=frozenset({"febrl/a", "febrl/b"}),
)


def test_febrl_subset_links_with_high_precision_and_recall(shared_data: Path) -> None:
    left, right = febrl_pair(shared_data, below=1500)
    records = left + right
    truth = truth_of(records)

    result = link_batch(records, FEBRL_CONFIG, truth=truth)

    quality = measure_link_quality(result.clusters.groups, truth)
    assert len(left) == len(right) == 1500
    assert result.blocking_recall is not None
    assert result.blocking_recall >= 0.995
    assert quality.precision >= 0.998
    assert quality.recall >= 0.995


def test_every_link_carries_evidence_of_each_comparison(shared_data: Path) -> None:
    left, right = febrl_pair(shared_data, below=300)

    result = link_batch(left + right, FEBRL_CONFIG)

    pair = max(result.pairs, key=lambda p: p.probability)
    assert result.model_version.startswith("splink-")
    assert {"name", "identifier", "date", "blocked_by"} <= set(pair.evidence)
    assert pair.evidence["name"]["match_weight"] > 0
    assert pair.evidence["name"]["values"][0]
