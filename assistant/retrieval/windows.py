"""The dense side with sentence windows: a chunk scores the better of its own and its best window's similarity.

Multi-vector (max-sim) dense retrieval over the windows ``ingest/windows.py`` stores: the chunk
search and the window search run under the same filters; a window's hit counts for its chunk, which
is what is returned (read from the store when the chunk search did not reach it). A llama-index
``BaseRetriever`` like the others, fused by ``QueryFusionRetriever``. Without stored windows it
returns the chunk search unchanged.

Example::

    >>> dense = MaxSimRetriever(store, chunk_retriever, window_retriever, top_k=30)
    >>> dense.retrieve(QueryBundle("...", embedding=vector))
"""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.ingest.store import ChunkStore
from assistant.ingest.windows import PARENT_KEY


class MaxSimRetriever(BaseRetriever):
    """Chunks ranked by ``max(chunk similarity, best window similarity)``; ``top_k`` of them.

    Args:
        store: reads the chunks found through their windows only.
        chunks, windows: retrievers over the chunks' and the windows' vectors (same query, same filters).
    """

    def __init__(self, store: ChunkStore, chunks: BaseRetriever, windows: BaseRetriever, *, top_k: int) -> None:
        self.store = store
        self.chunks = chunks
        self.windows = windows
        self.top_k = top_k
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        found = {h.node.node_id: h for h in self.chunks.retrieve(query_bundle)}
        best: dict[str, float] = {cid: float(h.score or 0.0) for cid, h in found.items()}
        for hit in self.windows.retrieve(query_bundle):
            parent = str(hit.node.metadata.get(PARENT_KEY) or "")
            if parent:
                best[parent] = max(best.get(parent, float("-inf")), float(hit.score or 0.0))
        ranked = sorted(best, key=lambda cid: -best[cid])[: self.top_k]
        missing = self.store.nodes_by_id([cid for cid in ranked if cid not in found])
        out = []
        for cid in ranked:
            node = found[cid].node if cid in found else missing.get(cid)
            if node is not None:  # a window of a chunk since removed or superseded is dropped
                out.append(NodeWithScore(node=node, score=best[cid]))
        return out
