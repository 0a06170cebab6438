"""Sentiment of posts (positive, negative, neutral), trained on IndoNLU SmSA.

The model is a logistic regression over TF-IDF word uni- and bigrams plus
character 2- to 5-grams (within word bounds) of text normalised the Indonesian
way (slang expanded, stretched letters squeezed, emoji read as words), with
negation scope and a shipped polarity lexicon marked
(``indonesian.sentiment_lexicon``). Character n-grams catch affixed and
misspelt forms of the same word (``kecewa``, ``mengecewakan``, ``kecewaa``).
It was chosen by macro-F1 on the SmSA validation split over: words alone, a
linear SVM, NB-weighted logistic regression, complement naive Bayes, soft-vote
ensembles of those, logistic regression on frozen MiniLM embeddings (valid
0.725: the bundled MiniLM is an English model) and those embeddings appended
to the TF-IDF features (valid 0.876, below the TF-IDF alone). Fine-tuning
MiniLM with a classification head does not fit the build-time budget on two
CPU cores: it trained at about 2 sentences a second on a shared machine, hours
per epoch over SmSA's 11,000 (see the report of issue #5). Also below this
model on validation: NB-SVM (log-count ratio) over the same word and character
n-grams (valid 0.868), a logistic-regression stack over out-of-fold
probabilities of this model, NB-SVM, complement NB and a linear SVM (valid
0.870-0.879), probability averages of this model with NB-SVM (valid <= 0.880),
and WordLlama's bundled static token embeddings (Llama-2 vocabulary, which
splits Indonesian into fragments: valid 0.73). Training is
deterministic: the same data gives the same model.

The model file (joblib) records the model version, the SHA-256 of the training
files, when it was trained and its validation and test scores. It is derived from
data: ``bigone train sentiment`` writes it into the data folder; it is never
committed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.pipeline import FeatureUnion, Pipeline

from analytics import ModelNotTrainedError, TrainingDataError
from indonesian.normalise import normalise_text
from indonesian.sentiment_lexicon import mark_polarity

MODEL_VERSION = "smsa-tfidf-word-char-lr-lexicon-2"
LABELS = ("negative", "neutral", "positive")
SPLITS = ("train", "valid", "test")
MODEL_FILE_NAME = "sentiment.joblib"


@dataclass(frozen=True)
class LabelledTexts:
    texts: list[str]
    labels: list[str]


@dataclass(frozen=True)
class SentimentResult:
    label: str
    score: float  # probability of the label


@dataclass
class SentimentModel:
    """A trained classifier with its provenance. Safe to share between threads."""

    pipeline: Pipeline
    version: str
    data_checksum: str
    trained_at: str
    metrics: dict[str, Any] = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        """A label and its probability for each text, in order."""
        if not texts:
            return []
        features = [prepare_text(text) for text in texts]
        probabilities = self.pipeline.predict_proba(features)
        classes = list(self.pipeline.classes_)
        results = []
        for row in probabilities:
            best = int(row.argmax())
            results.append(SentimentResult(str(classes[best]), float(row[best])))
        return results


def prepare_text(text: str) -> str:
    """The text as the model sees it: normalised tokens with polarity marks."""
    tokens = normalise_text(text, keep_punctuation=True).tokens
    return " ".join(mark_polarity(tokens))


def smsa_file(folder: Path, split: str) -> Path:
    return folder / f"{split}_preprocess.tsv"


def read_smsa_split(path: Path) -> LabelledTexts:
    """One SmSA split (``text<TAB>label``, no header); raises ``TrainingDataError``."""
    if not path.is_file():
        raise TrainingDataError(f"SmSA split {path} does not exist")
    texts, labels = [], []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        text, _, label = line.rpartition("\t")
        if label not in LABELS or not text:
            raise TrainingDataError(
                f"{path} line {number}: expected 'text<TAB>label' with label in "
                f"{', '.join(LABELS)}, got {line[:80]!r}"
            )
        texts.append(text)
        labels.append(label)
    return LabelledTexts(texts, labels)


def checksum_files(paths: Sequence[Path]) -> str:
    """SHA-256 over the files' names and bytes, in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_pipeline() -> Pipeline:
    """The untrained pipeline; every parameter fixed so that training is deterministic."""
    words = TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2,
        token_pattern=r"\S+",
        lowercase=False,
    )
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
    )
    return Pipeline(
        [
            ("tfidf", FeatureUnion([("words", words), ("characters", characters)])),
            (
                "classifier",
                LogisticRegression(
                    C=10.0, max_iter=3000, class_weight="balanced", random_state=0
                ),
            ),
        ]
    )


def evaluate(model: SentimentModel, data: LabelledTexts) -> dict[str, Any]:
    """Macro-F1, per-class report and scoring speed on labelled texts."""
    started = time.perf_counter()
    predicted = [result.label for result in model.predict(data.texts)]
    seconds = time.perf_counter() - started
    return {
        "macro_f1": float(f1_score(data.labels, predicted, average="macro")),
        "report": classification_report(
            data.labels, predicted, output_dict=True, zero_division=0
        ),
        "texts": len(data.texts),
        "texts_per_second": len(data.texts) / seconds if seconds else None,
    }


def train_sentiment_model(smsa_dir: Path) -> SentimentModel:
    """Train on the SmSA train split; score on valid and test; record provenance.

    Raises ``TrainingDataError`` when a split is missing or malformed.
    """
    paths = [smsa_file(smsa_dir, split) for split in SPLITS]
    splits = {
        split: read_smsa_split(path) for split, path in zip(SPLITS, paths, strict=True)
    }
    pipeline = build_pipeline()
    pipeline.fit(
        [prepare_text(t) for t in splits["train"].texts], splits["train"].labels
    )

    model = SentimentModel(
        pipeline=pipeline,
        version=MODEL_VERSION,
        data_checksum=checksum_files(paths),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    model.metrics = {
        "valid": evaluate(model, splits["valid"]),
        "test": evaluate(model, splits["test"]),
    }
    return model


def save_sentiment_model(model: SentimentModel, path: Path) -> None:
    """Write the model file (joblib), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(
        {
            "version": model.version,
            "data_checksum": model.data_checksum,
            "trained_at": model.trained_at,
            "metrics": model.metrics,
            "pipeline": model.pipeline,
        },
        path,
    )


def load_sentiment_model(path: Path) -> SentimentModel:
    """Read a model file; raises ``ModelNotTrainedError`` when missing or stale.

    Unsafe: joblib unpickles; load only files this program wrote.
    """
    if not path.is_file():
        raise ModelNotTrainedError(
            f"no sentiment model at {path}: run `bigone train sentiment` first"
        )
    stored = joblib.load(path)
    if stored.get("version") != MODEL_VERSION:
        raise ModelNotTrainedError(
            f"sentiment model {path} is version {stored.get('version')!r}, this "
            f"program needs {MODEL_VERSION!r}: run `bigone train sentiment`"
        )
    return SentimentModel(
        pipeline=stored["pipeline"],
        version=stored["version"],
        data_checksum=stored["data_checksum"],
        trained_at=stored["trained_at"],
        metrics=stored.get("metrics", {}),
    )
