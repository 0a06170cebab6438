"""Pairwise precision, recall and F1 of entities against ground truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LinkQuality:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        truth = self.true_positives + self.false_negatives
        return self.true_positives / truth if truth else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def measure_link_quality(
    groups: Iterable[Iterable[str]], truth: Mapping[str, str]
) -> LinkQuality:
    """Compare predicted groups with ``truth`` (record id -> true entity label).

    Counted over pairs of records that both appear in ``truth``; records the
    truth does not know are ignored.
    """
    predicted_pairs = 0
    agreeing: Counter[tuple[int, str]] = Counter()
    for index, group in enumerate(groups):
        known = [record for record in group if record in truth]
        predicted_pairs += _pairs(len(known))
        agreeing.update((index, truth[record]) for record in known)
    true_positive = sum(_pairs(count) for count in agreeing.values())
    true_pairs = sum(_pairs(count) for count in Counter(truth.values()).values())
    return LinkQuality(
        true_positives=true_positive,
        false_positives=predicted_pairs - true_positive,
        false_negatives=true_pairs - true_positive,
    )


def true_pairs(truth: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every pair of records that the truth says are one entity."""
    by_label: dict[str, list[str]] = {}
    for record, label in truth.items():
        by_label.setdefault(label, []).append(record)
    return [
        (a, b)
        for records in by_label.values()
        for i, a in enumerate(sorted(records))
        for b in sorted(records)[i + 1 :]
    ]
