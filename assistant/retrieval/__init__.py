"""Retrieval: dense (Chroma) + keyword (BM25) passages, fused, with metadata filters.

- ``hybrid``: ``HybridRetriever``, the llama-index retriever the assistant asks;
- ``keyword``: ``KeywordIndex``, BM25 and the corpus term statistics, saved beside the store and
  reloaded by new processes;
- ``filters``: ``SearchFilters`` (documents, publishers, dates).
"""

from assistant.retrieval.filters import FilterError, SearchFilters
from assistant.retrieval.hybrid import HybridRetriever, node_to_passage
from assistant.retrieval.keyword import KeywordIndex

__all__ = ["FilterError", "HybridRetriever", "KeywordIndex", "SearchFilters", "node_to_passage"]
