"""Retrieval: dense (Chroma) and keyword (BM25) retrievers fused with llama-index's ``QueryFusionRetriever``.

``HybridRetriever`` is a llama-index ``BaseRetriever``: ``retrieve(query)`` returns
``NodeWithScore``s, best first; ``search(query)`` returns our ``Passage`` results. Metadata filters
(documents, publishers, date range) apply to both retrievers before fusion.

Example::

    >>> retriever = HybridRetriever(store, embed_model, settings)
    >>> for p in retriever.search("What did the Hewitt Review say about targets?", top_k=5):
    ...     print(p)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilters

from assistant.ingest.layout import UNIT_NAMES, parse_spans
from assistant.ingest.store import ChunkStore
from assistant.results import Passage
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.keyword import Bm25Cache, bm25_dir, load_bm25, save_bm25
from assistant.settings import Settings
from assistant.text.terms import TermStats

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)


class HybridRetriever(BaseRetriever):
    """Dense + BM25, fused (reciprocal rank fusion by default), with metadata filters."""

    def __init__(
        self,
        store: ChunkStore,
        embed_model: "BaseEmbedding",
        settings: Settings,
        *,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
    ) -> None:
        self._store = store
        self._embed_model = embed_model
        self._settings = settings
        self.top_k = top_k or settings.top_k
        self.filters = filters
        self._bm25 = Bm25Cache()
        self._bm25_lock = threading.Lock()
        self._index: Any = None
        super().__init__()

    # -- the llama-index retriever contract -----------------------------------------------------
    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.retrieve_with(query_bundle, self.top_k, self.filters)

    def retrieve_with(self, query_bundle: QueryBundle, top_k: int, filters: SearchFilters | None) -> list[NodeWithScore]:
        """Retrieve with a per-call ``top_k`` and ``filters`` (the retriever itself is shared)."""
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        if self._store.count() == 0:
            return []
        if query_bundle.embedding is None:
            query_bundle = QueryBundle(query_bundle.query_str, embedding=self._embed_model.get_query_embedding(query_bundle.query_str))
        metadata_filters = filters.to_metadata_filters() if filters else None
        depth = max(self._settings.candidate_k, top_k)
        retrievers = [self._dense(depth, metadata_filters)]
        weights = list(self._settings.fusion_weights)
        sparse = self._sparse(depth, metadata_filters)
        if sparse is not None:
            retrievers.append(sparse)
        else:
            weights = weights[:1]
        # num_queries=1: no LLM query rewriting; MockLLM keeps llama-index from resolving OpenAI.
        fusion = QueryFusionRetriever(
            retrievers, llm=MockLLM(), mode=self._settings.fusion_mode, num_queries=1,  # type: ignore[arg-type]
            use_async=False, similarity_top_k=depth, retriever_weights=weights,
        )
        return fusion.retrieve(query_bundle)[:top_k]

    def term_stats(self) -> TermStats:
        """Corpus document frequencies (built with the BM25 index, refreshed with it)."""
        self._sparse(1, None)
        return self._bm25.stats

    def search(self, query: str, top_k: int | None = None, filters: SearchFilters | Mapping[str, Any] | None = None) -> list[Passage]:
        """Our ``Passage`` results for a query string."""
        nodes = self.retrieve_with(QueryBundle(query), top_k or self.top_k, SearchFilters.coerce(filters) or self.filters)
        return [node_to_passage(n) for n in nodes]

    # -- the two retrievers -----------------------------------------------------------------------
    def _dense(self, depth: int, filters: MetadataFilters | None) -> BaseRetriever:
        from llama_index.core import VectorStoreIndex

        if self._index is None:
            # Explicit transformations: the default would build a SentenceSplitter and load tiktoken
            # (~0.5 s of a cold start) for an index that is only ever read here.
            self._index = VectorStoreIndex.from_vector_store(
                self._store.vector_store, embed_model=self._embed_model, transformations=[self._embed_model]
            )
        return self._index.as_retriever(similarity_top_k=depth, filters=filters)

    def _sparse(self, depth: int, filters: MetadataFilters | None) -> BaseRetriever | None:
        """A BM25 retriever over every chunk; the index is rebuilt only when the store changes."""
        from llama_index.retrievers.bm25 import BM25Retriever

        fingerprint = self._store.fingerprint()
        with self._bm25_lock:
            if self._bm25.fingerprint != fingerprint or self._bm25.retriever is None:
                root = bm25_dir(self._settings)
                cache = load_bm25(root, fingerprint)
                if cache is None:
                    nodes = self._store.all_nodes()
                    if not nodes:
                        return None
                    base = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(depth, len(nodes)))
                    base.bm25.corpus = base.corpus  # lets per-query retrievers share the index
                    stats = TermStats.from_texts(n.get_content() for n in nodes)
                    cache = Bm25Cache(fingerprint, base, base.corpus, stats)
                    if self._store.fingerprint() == fingerprint:  # no write landed while the nodes were read
                        save_bm25(root, cache)
                self._bm25 = cache
            base = self._bm25.retriever
        try:
            return BM25Retriever(
                existing_bm25=base.bm25, stemmer=base.stemmer, filters=filters,
                similarity_top_k=min(depth, len(self._bm25.corpus)),
            )
        except ValueError:  # every chunk filtered out: nothing for BM25 to say
            return None



def node_to_passage(item: NodeWithScore) -> Passage:
    """Our result type for a retrieved node."""
    node = item.node
    meta = node.metadata
    page = int(meta.get("page") or 0)
    start = int(getattr(node, "start_char_idx", None) or 0)
    return Passage(
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        text=node.get_content(),
        score=float(item.score or 0.0),
        page=page or None,
        section=str(meta.get("section") or "") or None,
        start=start,
        end=int(getattr(node, "end_char_idx", None) or 0),
        publisher=str(meta.get("publisher", "")),
        date=str(meta.get("date", "")),
        chunk_id=node.node_id,
        path=str(meta.get("path", "")),
        page_end=int(meta.get("page_end") or 0) or page or None,
        page_map=[(int(s[0]), int(s[2]), str(s[3])) for s in parse_spans(meta.get("page_map"), start) if len(s) == 4],
        unquotable=[(int(s[0]), int(s[1])) for s in parse_spans(meta.get("unquotable"), start)],
        units=[(int(s[0]), int(s[1]), UNIT_NAMES[str(s[2])]) for s in parse_spans(meta.get("units"), start)
               if len(s) == 3 and str(s[2]) in UNIT_NAMES],
    )

