"""Sentence embeddings through ONNX Runtime, from a model exported once and cached.

sentence-transformers has an ONNX backend, but it needs ``optimum-onnx``, whose
releases pin ``transformers`` below 5 while sentence-transformers 6 needs 5 or
later; the two cannot be installed together. So the transformer of a loaded
sentence-transformers model is exported here with ``torch.onnx`` (once, into a
cache folder), optionally quantised to int8 with ONNX Runtime's dynamic
quantisation, and run with ONNX Runtime; tokenising, pooling and normalising
follow the sentence-transformers model's own configuration (its tokenizer, its
maximum length, its pooling mode), so any model name the torch backend takes —
the bundled MiniLM, a hub name or a local path — works here too.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from linking.errors import ModelLoadError

Vectors = npt.NDArray[np.float32]
POOLING_MODES = ("mean", "cls")
ONNX_OPSET = 17
# Named after the quantisation, so a changed recipe never reuses an old file.
INT8_FILE_NAME = "model_int8_matmul_per_channel.onnx"


def export_folder(cache_dir: Path, name: str, location: str) -> Path:
    """The cache folder of one model's export: readable name plus a location hash."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[-60:]
    digest = hashlib.sha256(location.encode()).hexdigest()[:12]
    return cache_dir / f"{readable}-{digest}"


def export_transformer(model: Any, path: Path) -> None:
    """Export the transformer of a SentenceTransformer to ONNX at ``path``.

    The graph takes the tokenizer's inputs with dynamic batch and length and
    returns the token embeddings. Written to a temporary file first, so a
    crashed export never leaves a half file behind.
    """
    import torch

    transformer = model[0].auto_model.eval()
    names = list(model.tokenizer.model_input_names)

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: Any) -> Any:
            arguments = dict(zip(names, inputs, strict=True))
            return self.transformer(**arguments).last_hidden_state

    sample = model.tokenizer(
        ["contoh kalimat", "dua"], padding=True, return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "token_embeddings"]}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(handle)
    # The TorchScript exporter handles BERT-like models without the optional
    # onnxscript package the newer exporter needs; it warns that it is legacy.
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TokenEmbeddings(),
            tuple(sample[name] for name in names),
            temporary,
            input_names=names,
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    os.replace(temporary, path)


def quantise_int8(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of the matrix weights (activations stay float).

    Per-channel scales, and only the MatMuls: with one scale per tensor (ONNX
    Runtime's default) MiniLM's vectors keep a mean cosine of only 0.93 with
    the float model's; per channel they keep 0.99 at the same speed, and the
    word-embedding table stays float (quantising its Gather saves memory, not
    time).
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(handle)
    quantize_dynamic(
        str(source),
        temporary,
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )
    os.replace(temporary, target)


def pooling_mode(model: Any) -> str:
    """The pooling of a SentenceTransformer; raises ``ModelLoadError`` if unsupported."""
    config = model[1].get_config_dict() if len(model) > 1 else {}
    mode = str(config.get("pooling_mode", ""))
    if mode not in POOLING_MODES:
        raise ModelLoadError(
            f"the ONNX backend pools with {' or '.join(POOLING_MODES)}; this model "
            f"pools with {mode or 'nothing'!r}: use the torch backend"
        )
    return mode


class OnnxSentenceEncoder:
    """A SentenceTransformer's tokenizer and pooling around an ONNX Runtime session.

    ``encode`` takes the arguments of ``SentenceTransformer.encode`` that we use,
    so callers treat both alike. Safe to call from one thread at a time.
    """

    def __init__(
        self,
        onnx_path: Path,
        tokenizer: Any,
        *,
        max_seq_length: int,
        pooling: str,
        dimensions: int,
        threads: int | None = None,
    ) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        self.pooling = pooling
        self.dimensions = dimensions
        self.input_names = [item.name for item in self.session.get_inputs()]

    def get_embedding_dimension(self) -> int:
        return self.dimensions

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize_embeddings: bool = False,
        convert_to_numpy: bool = True,
        show_progress_bar: bool = False,
    ) -> Vectors:
        """Embeddings of ``texts`` in order; batches are formed by length, as
        sentence-transformers does, so that little padding is computed."""
        del convert_to_numpy, show_progress_bar  # always numpy, never a bar
        order = np.argsort([-len(text) for text in texts], kind="stable")
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chosen = order[start : start + batch_size]
            result[chosen] = self._encode_batch([texts[i] for i in chosen])
        if normalize_embeddings and len(texts):
            norms = np.linalg.norm(result, axis=1, keepdims=True)
            result /= np.maximum(norms, 1e-12)
        return result

    def _encode_batch(self, texts: list[str]) -> Vectors:
        tokens = self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_seq_length,
            return_tensors="np",
        )
        feed = {name: tokens[name].astype(np.int64) for name in self.input_names}
        (embeddings,) = self.session.run(["token_embeddings"], feed)
        if self.pooling == "cls":
            return np.asarray(embeddings[:, 0], dtype=np.float32)
        mask = tokens["attention_mask"][..., None].astype(np.float32)
        summed = (embeddings * mask).sum(axis=1)
        return np.asarray(summed / np.maximum(mask.sum(axis=1), 1e-9), np.float32)


def load_onnx_encoder(
    model: Any,
    *,
    name: str,
    location: str,
    cache_dir: Path,
    quantised: bool,
    threads: int | None = None,
) -> OnnxSentenceEncoder:
    """An ONNX encoder for a loaded SentenceTransformer, exporting it on first use.

    The export (and its int8 form) is cached under ``cache_dir`` by model name
    and location. Raises ``ModelLoadError`` when the model cannot be exported.
    Unsafe: two processes exporting the same model at once both do the work
    (the files are replaced atomically, so neither sees a half file).
    """
    mode = pooling_mode(model)
    folder = export_folder(cache_dir, name, location)
    plain, int8 = folder / "model.onnx", folder / INT8_FILE_NAME
    try:
        if not plain.is_file():
            export_transformer(model, plain)
        if quantised and not int8.is_file():
            quantise_int8(plain, int8)
    except Exception as error:  # torch and onnx raise many kinds; we add the name
        raise ModelLoadError(f"cannot export {name!r} to ONNX: {error}") from error
    size = getattr(model, "get_embedding_dimension", None)
    dims = size() if size else model.get_sentence_embedding_dimension()
    return OnnxSentenceEncoder(
        int8 if quantised else plain,
        model.tokenizer,
        max_seq_length=int(model.max_seq_length),
        pooling=mode,
        dimensions=int(dims),
        threads=threads,
    )
