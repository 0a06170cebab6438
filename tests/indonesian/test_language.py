"""Language tags per post."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from indonesian.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan di desa kami rusak parah dan belum diperbaiki sampai sekarang", "id"),
        ("Nyong ora ngerti kepriben carane, dalane rusak banget kiye", "jv"),
        ("Matur nuwun sanget, sampun sae pelayananipun", "jv"),
        ("This is the best service I have ever had, thank you", "en"),
        ("Pelayanan di puskesmas sangat bagus, thank you so much ya", "mixed"),
        ("ok", "und"),
    ],
)
def test_language_of_a_post(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_smsa_reviews_are_mostly_indonesian(shared_data: Path) -> None:
    path = shared_data / "indonlu-smsa" / "valid_preprocess.tsv"
    with path.open(encoding="utf-8") as handle:
        texts = [row[0] for row in csv.reader(handle, delimiter="\t")]

    tags = Counter(detect_language(text) for text in texts)

    assert tags["id"] / len(texts) >= 0.9
    assert tags["jv"] / len(texts) <= 0.02
