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

import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

from .chunking import date_ordinal
from .lexical import TermStats
from .results import Passage
from .settings import Settings
from .store import ChunkStore

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)


class FilterError(ValueError):
    """A search filter is malformed (one-line message)."""


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some documents (file names), publishers and/or a date range (ISO dates).

    Example::

        >>> SearchFilters(publishers=("NHS England",), date_from="2025-01")
    """

    documents: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def coerce(cls, value: "SearchFilters | Mapping[str, Any] | None") -> "SearchFilters | None":
        if value is None or isinstance(value, SearchFilters):
            return value
        if not isinstance(value, Mapping):
            raise FilterError(f"filters must be a SearchFilters or a dict, not {type(value).__name__}")
        unknown = set(value) - {"documents", "publishers", "date_from", "date_to"}
        if unknown:
            raise FilterError(f"unknown filter(s): {', '.join(sorted(unknown))} (use documents, publishers, date_from, date_to)")

        def names(key: str) -> tuple[str, ...]:
            raw = value.get(key) or ()
            return (raw,) if isinstance(raw, str) else tuple(str(v) for v in raw)

        return cls(names("documents"), names("publishers"), value.get("date_from"), value.get("date_to"))

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            date = getattr(self, name)
            if date is not None and date_ordinal(str(date)) == 0:
                raise FilterError(f"{name} must be an ISO date like 2025-01-31, 2025-01 or 2025, got {date!r}")

    @property
    def empty(self) -> bool:
        return not (self.documents or self.publishers or self.date_from or self.date_to)

    def to_metadata_filters(self) -> MetadataFilters | None:
        """As llama-index filters (understood by both Chroma and BM25)."""
        parts: list[MetadataFilter] = []
        if self.documents:
            parts.append(MetadataFilter(key="source", value=list(self.documents), operator=FilterOperator.IN))
        if self.publishers:
            parts.append(MetadataFilter(key="publisher", value=list(self.publishers), operator=FilterOperator.IN))
        if self.date_from:
            parts.append(MetadataFilter(key="date_ord", value=date_ordinal(self.date_from), operator=FilterOperator.GTE))
        if self.date_to:
            # "2025-01" as an upper bound means the end of January.
            parts.append(MetadataFilter(key="date_ord", value=_upper_bound(self.date_to), operator=FilterOperator.LTE))
        if not parts:
            return None
        return MetadataFilters(filters=parts, condition=FilterCondition.AND)  # type: ignore[arg-type]


def _upper_bound(date: str) -> int:
    value = date_ordinal(date)
    if value % 100 == 0:
        value += 99 if value % 10000 != 0 else 9999
    return value


@dataclass
class _Bm25Cache:
    fingerprint: str = ""
    retriever: Any = None
    corpus: list[dict[str, Any]] = field(default_factory=list)
    stats: TermStats = field(default_factory=TermStats)


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
        self._bm25 = _Bm25Cache()
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
                    cache = _Bm25Cache(fingerprint, base, base.corpus, stats)
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


# -- the BM25 index on disk ---------------------------------------------------------------------
# Rebuilding BM25 means reading every chunk back from Chroma and tokenising it (~75 s at 100k chunks),
# so each process would pay it on its first question; it is saved per store state instead.
_STALE_TMP_S = 3600.0


def bm25_dir(settings: Settings) -> Path:
    """Where the BM25 index of ``settings``' collection is kept between processes.

    Beside the embedded store (``<index_dir>/bm25/<collection>``); for a Chroma server, in the
    local cache (``<model_cache_dir>/bm25/<host>_<port>/<collection>``).
    """
    if settings.chroma_host:
        from .embedding import default_cache_dir

        base = (settings.model_cache_dir or default_cache_dir()) / "bm25" / f"{settings.chroma_host}_{settings.chroma_port}"
    else:
        base = settings.index_dir / "bm25"
    return base / settings.collection


def load_bm25(root: Path, fingerprint: str) -> _Bm25Cache | None:
    """The saved BM25 index for this store state, or None (none saved, or unreadable: rebuild)."""
    path = root / fingerprint
    if not (path / "termstats.json").is_file():
        return None
    from llama_index.retrievers.bm25 import BM25Retriever

    try:
        base = BM25Retriever.from_persist_dir(str(path), show_progress=False)
        stats = TermStats.from_dict(json.loads((path / "termstats.json").read_text(encoding="utf-8")))
    except Exception as exc:  # noqa: BLE001 - any damage to a cache means "rebuild it", never a failed question
        log.warning("ignoring the saved BM25 index in %s (%s); rebuilding it", path, exc)
        shutil.rmtree(path, ignore_errors=True)  # saved whole (renamed into place), so damaged for good
        return None
    return _Bm25Cache(fingerprint, base, base.corpus, stats)


def save_bm25(root: Path, cache: _Bm25Cache) -> None:
    """Save the index under its fingerprint, atomically, and drop older ones; never fails the caller."""
    target = root / cache.fingerprint
    if target.exists():
        return
    tmp = root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir(parents=True)
        cache.retriever.persist(str(tmp), show_progress=False)
        (tmp / "termstats.json").write_text(json.dumps(cache.stats.to_dict()), encoding="utf-8")
        os.replace(tmp, target)  # readers see a whole index or none; a concurrent saver's copy wins
    except OSError as exc:
        if not target.exists():
            log.warning("could not save the BM25 index to %s: %s", root, exc)
        return
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for other in root.iterdir():
        if other.name == cache.fingerprint:
            continue
        try:  # another saver's unfinished copy is left alone unless a crash orphaned it long ago
            if other.name.startswith(".tmp-") and time.time() - other.stat().st_mtime < _STALE_TMP_S:
                continue
        except OSError:
            continue
        shutil.rmtree(other, ignore_errors=True)


def node_to_passage(item: NodeWithScore) -> Passage:
    """Our result type for a retrieved node."""
    node = item.node
    meta = node.metadata
    page = int(meta.get("page") or 0)
    return Passage(
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        text=node.get_content(),
        score=float(item.score or 0.0),
        page=page or None,
        section=str(meta.get("section") or "") or None,
        start=int(getattr(node, "start_char_idx", None) or 0),
        end=int(getattr(node, "end_char_idx", None) or 0),
        publisher=str(meta.get("publisher", "")),
        date=str(meta.get("date", "")),
        chunk_id=node.node_id,
        path=str(meta.get("path", "")),
    )

