"""Socio-political and economic issues of posts, from keyword seeds and embeddings.

Each issue of the taxonomy has keyword seeds and a description. A post's
confidence for an issue combines two pieces of evidence:

- keywords: ``k = 1 - 0.5 ** hits`` over the distinct seeds found as whole words
  in the normalised text (one seed 0.5, two 0.75, three 0.875);
- meaning: the cosine similarity ``s`` of the post's embedding to the issue's
  prototype (the embedding of its label, description and seeds), scaled to
  ``e = clip((s - 0.2) / 0.3, 0, 1)``;

``confidence = 1 - (1 - k) * (1 - 0.6 e)``, so meaning alone reaches at most 0.6
and confirms keywords. A post gets every issue at or above the threshold (0.5 by
default); a post with none gets ``other`` with confidence ``1 - best``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analytics.social_config import IssueDefinition

OTHER = "other"
EMBEDDING_WEIGHT = 0.6
SIMILARITY_FLOOR = 0.2
SIMILARITY_SPAN = 0.3
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class IssueScore:
    issue: str
    confidence: float
    method: str  # keywords, embedding, keywords+embedding, residual


class IssueClassifier:
    """Assigns issues to normalised texts. Safe to share once prototypes are set."""

    def __init__(
        self, taxonomy: Sequence[IssueDefinition], threshold: float = 0.5
    ) -> None:
        self.taxonomy = tuple(taxonomy)
        self.threshold = threshold
        self._patterns = [compile_seeds(issue.seeds) for issue in self.taxonomy]
        self.prototypes: Vectors | None = None

    def prototype_texts(self) -> list[str]:
        """What is embedded as each issue's prototype."""
        return [
            f"{issue.label}. {issue.description}. {', '.join(issue.seeds)}"
            for issue in self.taxonomy
        ]

    def set_prototypes(self, vectors: Vectors) -> None:
        """Unit vectors of ``prototype_texts()``, in taxonomy order."""
        self.prototypes = vectors

    def keyword_hits(self, text: str) -> list[int]:
        return [len(set(pattern.findall(text))) for pattern in self._patterns]

    def classify(self, text: str, vector: Vectors | None = None) -> list[IssueScore]:
        """The issues of one normalised text (and its unit embedding, if any)."""
        hits = self.keyword_hits(text)
        similarities = self._similarities(vector)
        scores = [
            score_issue(issue.key, count, similarity)
            for issue, count, similarity in zip(
                self.taxonomy, hits, similarities, strict=True
            )
        ]
        chosen = [s for s in scores if s.confidence >= self.threshold]
        if chosen:
            return sorted(chosen, key=lambda s: s.confidence, reverse=True)
        best = max((s.confidence for s in scores), default=0.0)
        return [IssueScore(OTHER, round(1.0 - best, 4), "residual")]

    def classify_many(
        self, texts: Sequence[str], vectors: Vectors | None = None
    ) -> list[list[IssueScore]]:
        return [
            self.classify(text, None if vectors is None else vectors[i])
            for i, text in enumerate(texts)
        ]

    def _similarities(self, vector: Vectors | None) -> list[float | None]:
        if vector is None or self.prototypes is None:
            return [None] * len(self.taxonomy)
        return [float(value) for value in self.prototypes @ vector]


def score_issue(key: str, hits: int, similarity: float | None) -> IssueScore:
    keyword = 1.0 - 0.5**hits
    meaning = 0.0
    if similarity is not None:
        meaning = min(max((similarity - SIMILARITY_FLOOR) / SIMILARITY_SPAN, 0.0), 1.0)
    confidence = 1.0 - (1.0 - keyword) * (1.0 - EMBEDDING_WEIGHT * meaning)
    methods = [
        name for name, used in (("keywords", hits), ("embedding", meaning)) if used
    ]
    return IssueScore(key, round(confidence, 4), "+".join(methods) or "none")


def compile_seeds(seeds: Sequence[str]) -> re.Pattern[str]:
    """Whole-word alternatives of the seeds, longest first; never matches if empty."""
    forms = sorted(set(seeds), key=len, reverse=True)
    if not forms:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
