"""What an embedding backend costs in quality against torch, on real posts.

Run from the project root:
``PYTHONPATH=$PWD python bench/embedding_quality.py [--posts N] [--backend onnx-int8]``.
Over the first N distinct vaccine tweets (then hate-speech tweets) it prints the
cosine between the backend's vectors and sentence-transformers' (torch), the
share of posts given the same issue set, and the overlap of the top 10 of a
semantic search (50 posts as queries over the rest).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from social import BRANDS, load_posts

from analytics.issues import IssueClassifier
from analytics.social_config import parse_social_config
from analytics.social_prepare import prepare_posts
from linking.embedder import BACKENDS, Embedder

QUERIES = 50
TOP = 10


def issue_sets(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, list]:  # type: ignore[type-arg]
    config = parse_social_config(BRANDS)
    classifier = IssueClassifier(config.taxonomy(), config.issue_threshold)
    classifier.set_prototypes(embedder.encode(classifier.prototype_texts()))
    vectors = embedder.encode(texts)
    issues = [
        frozenset(score.issue for score in classifier.classify(text, vector))
        for text, vector in zip(texts, vectors, strict=True)
    ]
    return vectors, issues


def top_hits(vectors: np.ndarray) -> list[set[int]]:  # type: ignore[type-arg]
    scores = vectors[:QUERIES] @ vectors[QUERIES:].T
    return [set(np.argsort(-row)[:TOP].tolist()) for row in scores]


def main(count: int, backend: str) -> None:
    prepared = prepare_posts(load_posts(count * 2), "bench")
    texts = list({p.text_hash: p.normalised_text for p in prepared}.values())[:count]
    with tempfile.TemporaryDirectory() as folder:
        torch = Embedder()
        other = Embedder(backend=backend, cache_dir=Path(folder))
        reference, reference_issues = issue_sets(torch, texts)
        vectors, issues = issue_sets(other, texts)
        torch.close()
        other.close()

    cosines = (reference * vectors).sum(axis=1)
    same = np.mean([a == b for a, b in zip(reference_issues, issues, strict=True)])
    overlap = np.mean([
        len(a & b) / TOP
        for a, b in zip(top_hits(reference), top_hits(vectors), strict=True)
    ])  # fmt: skip
    print(
        f"{backend} against torch over {len(texts)} posts: cosine mean "
        f"{cosines.mean():.4f}, min {cosines.min():.4f}; same issue set "
        f"{same:.3f}; search top-{TOP} overlap {overlap:.3f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--backend", choices=BACKENDS, default="onnx-int8")
    arguments = parser.parse_args()
    main(arguments.posts, arguments.backend)
