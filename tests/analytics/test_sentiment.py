"""The sentiment model trained from SmSA: its score, provenance and determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics import ModelNotTrainedError, TrainingDataError
from analytics.sentiment import (
    MODEL_VERSION,
    load_sentiment_model,
    train_sentiment_model,
)


def test_scores_on_the_smsa_test_split(
    trained_sentiment: tuple[object, Path],
) -> None:
    model = load_sentiment_model(trained_sentiment[1])

    test_f1 = model.metrics["test"]["macro_f1"]
    print(
        f"\nSmSA macro-F1 valid {model.metrics['valid']['macro_f1']:.4f} test {test_f1:.4f}"
    )

    assert model.version == MODEL_VERSION
    assert len(model.data_checksum) == 64
    assert model.metrics["valid"]["macro_f1"] >= 0.87
    # The goal is 0.85 on the test split; this model reaches 0.817 (see
    # bench/social.py and the report of issue #5). The floor guards regressions.
    assert test_f1 >= 0.81


def test_reads_indonesian_as_people_write_it(
    trained_sentiment: tuple[object, Path],
) -> None:
    model = load_sentiment_model(trained_sentiment[1])

    labels = [r.label for r in model.predict([
        "pelayanannya mantaaap bgt, makasih ya 😍",
        "jalan rusak parah gak pernah diperbaiki, kecewa",
        "makanannya tidak enak dan mahal",
    ])]  # fmt: skip

    assert labels == ["positive", "negative", "negative"]


def test_missing_model_tells_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ModelNotTrainedError, match="bigone train sentiment"):
        load_sentiment_model(tmp_path / "none.joblib")


def test_malformed_training_data_names_file_and_line(tmp_path: Path) -> None:
    for split in ("train", "valid", "test"):
        (tmp_path / f"{split}_preprocess.tsv").write_text(
            "bagus\tpositive\njelek\n", "utf-8"
        )

    with pytest.raises(TrainingDataError, match=r"train_preprocess\.tsv line 2"):
        train_sentiment_model(tmp_path)
