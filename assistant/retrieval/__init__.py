"""Retrieval: dense (Chroma) + keyword (BM25) passages, fused, with metadata filters.

- ``hybrid``: ``HybridRetriever``, the llama-index retriever the assistant asks;
- ``keyword``: ``KeywordIndex``, BM25 and the corpus term statistics, built once per store state
  and memory-mapped by every process (``sparse``: the saved matrix; ``columns``: metadata for filters);
- ``filters``: ``SearchFilters`` (documents, publishers, dates); ``options``: the knobs' bounds.

Names are imported on first use: ``Settings`` needs ``options`` and ``filters`` only, and a fresh
process should not pay for llama-index before it has started opening the store.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "FilterError": "filters", "SearchFilters": "filters", "HybridRetriever": "hybrid", "node_to_passage": "hybrid",
    "KeywordIndex": "keyword",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
