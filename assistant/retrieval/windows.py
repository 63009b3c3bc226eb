"""The dense side with sentence windows: a chunk scores the better of its own and its best window's similarity.

Multi-vector (max-sim) rescoring of the dense search's candidates: the chunk search looks twice as
deep, each candidate's window vectors (stored in its record, ``ingest/windows.py``) are compared
with the question, and the best ``top_k`` by ``max(chunk, best window)`` go on to fusion. Only the
candidates' windows are read, so the windows need no vector index of their own. On the development
set's by-document split, rescoring the dense top 60 this way did as well as searching every
window (and better than the dense top 30 alone). A llama-index ``BaseRetriever``, fused by
``QueryFusionRetriever`` like the others; a chunk stored without windows keeps its own score.

Example::

    >>> dense = MaxSimRetriever(store, index.as_retriever(similarity_top_k=60), top_k=30)
    >>> dense.retrieve(QueryBundle("...", embedding=vector))
"""

from __future__ import annotations

import math

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.ingest.store import ChunkStore
from assistant.ingest.windows import WINDOWS_KEY, decode_vectors


class MaxSimRetriever(BaseRetriever):
    """The chunks ``chunks`` finds, rescored by ``max(chunk similarity, best window similarity)``; ``top_k`` of them.

    Args:
        store: where the candidates' window vectors are read.
        chunks: a retriever over the chunks' vectors, given the query vector; its scores are
            ``exp(-cosine distance)`` (llama-index's ``ChromaVectorStore`` on a cosine collection).
    """

    def __init__(self, store: ChunkStore, chunks: BaseRetriever, *, top_k: int) -> None:
        self.store = store
        self.chunks = chunks
        self.top_k = top_k
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self.chunks.retrieve(query_bundle)
        if not hits or query_bundle.embedding is None:
            return hits[: self.top_k]
        query = np.asarray(query_bundle.embedding, dtype=np.float32)
        query /= max(float(np.linalg.norm(query)), 1e-12)
        stored = self.store.chunk_fields([h.node.node_id for h in hits], WINDOWS_KEY)
        rescored = []
        for hit in hits:
            score = float(hit.score or 0.0)
            windows = decode_vectors(stored.get(hit.node.node_id))
            if windows.shape[0] and windows.shape[1] == query.shape[0]:
                # On the chunks' scale: llama-index's Chroma store scores exp(-cosine distance).
                score = max(score, math.exp(float((windows @ query).max()) - 1.0))
            rescored.append(NodeWithScore(node=hit.node, score=score))
        rescored.sort(key=lambda h: -(h.score or 0.0))
        return rescored[: self.top_k]
