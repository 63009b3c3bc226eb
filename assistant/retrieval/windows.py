"""The dense side with sentence windows: a chunk scores the better of its own and its best window's similarity.

Multi-vector (max-sim) rescoring of the dense search's candidates: the chunk search looks twice as
deep, each candidate's window vectors (stored in its record, ``ingest/windows.py``, and read in
the same Chroma call) are compared with the question, and the best ``top_k`` by ``max(chunk, best
window)`` go on to fusion. Only the candidates' windows are read, so the windows need no vector
index of their own. On the development set's by-document split, rescoring the dense top 60 this
way did as well as searching every window. A llama-index ``BaseRetriever``, fused by
``QueryFusionRetriever`` like the others; a chunk stored without windows keeps its own score.

Example::

    >>> dense = MaxSimRetriever(store, top_k=30, depth=60, filters=None)
    >>> dense.retrieve(QueryBundle("...", embedding=vector))
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.ingest.store import ChunkStore
from assistant.ingest.windows import WINDOWS_KEY, decode_vectors

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import MetadataFilters


class MaxSimRetriever(BaseRetriever):
    """The ``depth`` chunks nearest the query vector, rescored by ``max(chunk, best window)``; ``top_k`` of them.

    Scores are on the scale of llama-index's ``ChromaVectorStore`` (``exp(-cosine distance)``), so a
    chunk without windows scores as it would without this retriever. Needs the query's embedding.
    """

    def __init__(self, store: ChunkStore, *, top_k: int, depth: int, filters: "MetadataFilters | None" = None) -> None:
        self.store = store
        self.top_k = top_k
        self.depth = max(depth, top_k)
        self.filters = filters
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        from llama_index.vector_stores.chroma.base import _to_chroma_filter

        if query_bundle.embedding is None:
            raise ValueError("MaxSimRetriever needs the query's embedding")
        where = _to_chroma_filter(self.filters) if self.filters is not None and self.filters.filters else None
        found, stored = self.store.query_with_field(query_bundle.embedding, self.depth, where, WINDOWS_KEY)
        query = np.asarray(query_bundle.embedding, dtype=np.float32)
        query /= max(float(np.linalg.norm(query)), 1e-12)
        hits = []
        for node, score in zip(found.nodes or [], found.similarities or []):
            windows = decode_vectors(stored.get(node.node_id))
            if windows.shape[0] and windows.shape[1] == query.shape[0]:
                score = max(score, math.exp(float((windows @ query).max()) - 1.0))  # exp(-(1 - cosine))
            hits.append(NodeWithScore(node=node, score=score))
        hits.sort(key=lambda h: -(h.score or 0.0))
        return hits[: self.top_k]
