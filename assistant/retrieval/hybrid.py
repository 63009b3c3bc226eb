"""Retrieval: dense (Chroma) and keyword (BM25) retrievers fused with llama-index's ``QueryFusionRetriever``.

``HybridRetriever`` is a llama-index ``BaseRetriever``: ``retrieve(query)`` returns
``NodeWithScore``s, best first (``node_to_passage`` makes our ``Passage`` of one). Metadata filters
(documents, publishers, date range) apply to both retrievers before fusion. ``configured`` gives a
cheap copy with another ``top_k`` and filters that shares the loaded indexes (one per question).

What each side is given: the dense side searches with ``dense_vector(question)``, the mean of the
question's embedding and that of ``dense_query(question)``, the question with the other form of each
abbreviation it uses, from the corpus's own definitions ("ICBs (integrated care boards)"); the
keyword side ranks by the question's words less its question words ("what does ... say"). The
chunks are embedded with their document title and section (``embed_metadata``). With ``windows``,
the dense side rescores its candidates by their best sentence window (``windows.py``). A chunk text
found more than once (the same file in two folders) is returned once (``distinct``).

Example::

    >>> retriever = HybridRetriever(store, embed_model, KeywordIndex(store), top_k=5)
    >>> for hit in retriever.retrieve("What did the Hewitt Review say about targets?"):
    ...     print(node_to_passage(hit))
    >>> recent = retriever.configured(top_k=3, filters=SearchFilters(date_from="2024"))
    >>> retriever.dense_query("What must ICBs publish?")  # embedded beside the question itself
    'What must ICBs publish? (integrated care boards)'
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import PositiveInt

from assistant.errors import checked
from assistant.ingest.layout import UNIT_NAMES, parse_spans
from assistant.ingest.store import ChunkStore
from assistant.results import Passage
from assistant.retrieval import related as related_words
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.frames import strip_frame
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.options import FusionMode, FusionWeights
from assistant.retrieval.related import RelatedTable, near_words, related_terms
from assistant.retrieval.synonyms import RARE_SHARE, Synonym, question_synonyms, weighted_stems
from assistant.retrieval.variants import corpus_variants, question_words
from assistant.retrieval.windows import MaxSimRetriever

if TYPE_CHECKING:
    import numpy as np
    from llama_index.core.base.embeddings.base import BaseEmbedding

log = logging.getLogger(__name__)
_WINDOW_DEPTH = 2  # with windows, the dense candidates rescored per chunk passed on to fusion

class HybridRetriever(BaseRetriever):
    """Dense + BM25, fused (relative-score fusion by default), with metadata filters.

    Args:
        store: the chunks; embed_model: the model they were embedded with (queries without an
            embedding are embedded with it).
        keyword_index: the BM25 index over ``store`` (default: one kept in memory only).
        top_k: passages returned; candidate_k: how deep each retriever looks before fusion.
        fusion_mode, fusion_weights: how the two rankings are fused (``QueryFusionRetriever``).
        filters: applied to both retrievers.
        windows: rescore the dense side's candidates by the better of a chunk's own and its best
            sentence window's similarity (``MaxSimRetriever``; the ingestion stores the windows).
    """

    def __init__(
        self,
        store: ChunkStore,
        embed_model: "BaseEmbedding",
        keyword_index: KeywordIndex | None = None,
        *,
        top_k: int = 5,
        candidate_k: int = 30,
        fusion_mode: FusionMode = "relative_score",
        fusion_weights: tuple[float, ...] = (0.4, 0.6),
        filters: SearchFilters | Mapping[str, Any] | None = None,
        windows: bool = False,
    ) -> None:
        from llama_index.core import VectorStoreIndex

        if keyword_index is not None and keyword_index.store is not store:
            raise ValueError("keyword_index must index the retriever's store")
        self.store = store
        self.embed_model = embed_model
        self.keyword_index = keyword_index if keyword_index is not None else KeywordIndex(store)
        self.top_k: int = checked("top_k", top_k, PositiveInt)
        self.candidate_k: int = checked("candidate_k", candidate_k, PositiveInt)
        self.fusion_mode: str = checked("fusion_mode", fusion_mode, FusionMode)
        self.fusion_weights: tuple[float, ...] = checked("fusion_weights", tuple(fusion_weights), FusionWeights)
        self.filters = SearchFilters.coerce(filters)
        self.windows = bool(windows)
        # The related-word table of the keyword index's corpus state (shared by configured() copies).
        self._related: dict[str, RelatedTable] = {}
        self._related_lock = threading.Lock()
        # Explicit transformations: the default would build a SentenceSplitter and load tiktoken
        # (~0.5 s of a cold start) for an index that is only ever read here. Shared by configured() copies.
        self._dense_index = VectorStoreIndex.from_vector_store(
            store.vector_store, embed_model=embed_model, transformations=[embed_model]
        )
        super().__init__()

    def configured(self, *, top_k: int, filters: SearchFilters | Mapping[str, Any] | None) -> "HybridRetriever":
        """A copy returning ``top_k`` passages under ``filters``; it shares this one's indexes (cheap, thread-safe)."""
        clone = copy.copy(self)
        clone.top_k = checked("top_k", top_k, PositiveInt)
        clone.filters = SearchFilters.coerce(filters)
        return clone

    def dense_query(self, query: str) -> str:
        """``query`` with the long form of its abbreviations (or the reverse) appended."""
        return self.keyword_index.acronyms().expand(query)

    def dense_vector(self, query: str, query_vector: "Sequence[float] | None" = None) -> list[float]:
        """What the dense side searches with: the query's embedding (``query_vector`` if given), averaged
        with that of ``dense_query`` when the query uses an abbreviation and with that of the query without
        its frame (``frames.strip_frame``) when it names its source ("According to the policy, ..."). The mean rather than the
        expanded text alone, so that the added words pull the query towards the other form without
        outweighing the question (on the by-document split, the expanded text alone lowered confirm MRR)."""
        vector = list(query_vector) if query_vector is not None else self.embed_model.get_query_embedding(query)
        # The question without its frame ("According to the policy, ..."; frames.py) is averaged in the same way.
        others = [text for text in dict.fromkeys((self.dense_query(query), strip_frame(query))) if text != query]
        if not others:
            return vector
        vectors = [vector, *(self.embed_model.get_query_embedding(text) for text in others)]
        return [sum(values) / len(vectors) for values in zip(*vectors)]

    def keyword_variants(self, query: str) -> list[str]:
        """Corpus stems the keyword side adds for the query's words the corpus never uses ("abolished" ->
        "abolit", from "abolition"; ``variants.py``)."""
        import numpy as np
        from bm25s.stopwords import STOPWORDS_EN

        index = self.keyword_index.current()
        if index is None or index.chunks == 0:
            return []
        words = question_words(query, frozenset(STOPWORDS_EN))
        if all(index.has_term(stem) for _, stem in words):
            return []

        def text_of(stem: str) -> str | None:
            row = index.first_row_with(stem)
            if row is None:
                return None
            node = self.store.nodes_by_id([index.chunk_id(row)]).get(index.chunk_id(row))
            return node.get_content() if node is not None else None

        def similarity(word: str, forms: Sequence[str]) -> list[float]:
            vectors = np.asarray(self.embed_model.get_text_embedding_batch([word, *forms]), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            return [float(x) for x in vectors[1:] @ vectors[0]]

        return corpus_variants(words, index.terms(), index.has_term, text_of, similarity)

    def synonyms(self, query: str) -> list[Synonym]:
        """The synonyms the corpus uses for the query's words and two-word runs ("set up" -> "establish";
        ``synonyms.py``); none without WordNet."""
        from bm25s.stopwords import STOPWORDS_EN

        from assistant.text.terms import STOPWORDS
        from assistant.text.thesaurus import open_wordnet

        index = self.keyword_index.current()
        wordnet = open_wordnet()
        if index is None or index.chunks == 0 or wordnet is None:
            return []
        df, cap = index.stats.df, max(2.0, RARE_SHARE * index.chunks)
        stopwords = frozenset(STOPWORDS_EN) | STOPWORDS  # "has", "being": no synonyms worth searching for
        return question_synonyms(query, wordnet.synonyms, index.has_term, stopwords, lambda s: df.get(s, 0) <= cap)

    def _embed_texts(self, texts: Sequence[str]) -> "np.ndarray":
        import numpy as np

        return np.asarray(self.embed_model.get_text_embedding_batch(list(texts)), dtype=np.float32)

    def related_table(self) -> RelatedTable | None:
        """The current corpus state's word table (``related.py``): read from beside its keyword index, or embedded
        and kept there. ``Assistant.ingest`` calls it once it publishes an index, so no question waits for it."""
        index = self.keyword_index.current()
        if index is None or index.chunks == 0 or not index.forms:
            return None
        with self._related_lock:
            table = self._related.get(index.state)
            if table is None:
                model = hashlib.sha1(str(getattr(self.embed_model, "model_name", "")).encode()).hexdigest()[:8]
                table = RelatedTable.cached(index.path / f"related-{model}.npy", index.forms, self._embed_texts)
                self._related.clear()  # one corpus state at a time
                self._related[index.state] = table
        return table

    def near_words(self, word: str) -> tuple[str, ...]:
        """The corpus words the embedding model finds near ``word`` alone (``related.near_words``); none without a table."""
        table = self.related_table()
        return () if table is None else near_words(word, table, self._embed_texts)

    def related(self, query: str, query_vec: Sequence[float] | None = None) -> dict[str, float]:
        """Corpus stems the embedding model finds nearest the query's rarely used words, with their keyword
        weights ("hiring" -> "recruit"; ``related.py``)."""
        from bm25s.stopwords import STOPWORDS_EN

        from assistant.text.terms import STOPWORDS

        index = self.keyword_index.current()
        table = self.related_table()
        if index is None or table is None:
            return {}
        df, cap = index.stats.df, max(2.0, related_words.RARE_SHARE * index.chunks)
        words = question_words(query, frozenset(STOPWORDS_EN) | STOPWORDS)
        return related_terms(query, words, table, self._embed_texts, lambda stem: df.get(stem, 0) <= cap, query_vec)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever

        if self.store.is_empty():
            return []
        if query_bundle.embedding is None:
            query_bundle = QueryBundle(query_bundle.query_str, embedding=self.dense_vector(query_bundle.query_str))
        metadata_filters = self.filters.to_metadata_filters(self._superseded()) if self.filters else None
        depth = max(self.candidate_k, self.top_k)
        dense: BaseRetriever
        if self.windows:
            # Twice as deep: a chunk whose window matches may start below the chunks' own top ``depth``.
            dense = MaxSimRetriever(self.store, top_k=depth, depth=_WINDOW_DEPTH * depth, filters=metadata_filters)
        else:
            dense = self._dense_index.as_retriever(similarity_top_k=depth, filters=metadata_filters)
        retrievers = [dense]
        weights = list(self.fusion_weights)
        query = query_bundle.query_str
        synonym_terms = weighted_stems(self.synonyms(query))
        for stem, weight in self.related(query, query_bundle.embedding).items():
            synonym_terms[stem] = max(synonym_terms.get(stem, 0.0), weight)
        sparse = self.keyword_index.retriever(
            depth, metadata_filters, extra_terms=self.keyword_variants(query), synonym_terms=synonym_terms
        )
        if sparse is not None:
            retrievers.append(sparse)
        else:
            weights = weights[:1]
        # num_queries=1: no LLM query rewriting; MockLLM keeps llama-index from resolving OpenAI.
        fusion = QueryFusionRetriever(
            retrievers, llm=MockLLM(), mode=self.fusion_mode, num_queries=1,  # type: ignore[arg-type]
            use_async=False, similarity_top_k=depth, retriever_weights=weights,
        )
        hits = fusion.retrieve(query_bundle)
        if metadata_filters is not None:
            # BM25 masks filtered-out chunks to score 0 but still returns them when too few match,
            # so the filters are checked again on what fusion returns.
            from llama_index.core.vector_stores.utils import build_metadata_filter_fn

            meta = {h.node.node_id: h.node.metadata for h in hits}
            keep = build_metadata_filter_fn(meta.__getitem__, metadata_filters)
            hits = [h for h in hits if keep(h.node.node_id)]
        return distinct(hits)[: self.top_k]


    def _superseded(self) -> list[str]:
        """Paths the ``current_only`` filter leaves out (read from the catalogue only when it is asked for)."""
        if self.filters is None or not self.filters.current_only:
            return []
        return self.store.superseded_paths()


def distinct(hits: Sequence[NodeWithScore]) -> list[NodeWithScore]:
    """One of each chunk text, at the rank of its first copy (pure).

    The same file filed in two folders, or a new version that keeps a section word for word, would
    otherwise fill the top k with copies (and leave the answer one passage's worth of evidence). Of the
    copies, the newest document's stays (``date_ord``), so a current version is cited before its predecessor.
    """
    out: list[NodeWithScore] = []
    first: dict[str, int] = {}
    for hit in hits:
        key = " ".join(hit.node.get_content().split())
        at = first.get(key)
        if at is None:
            first[key] = len(out)
            out.append(hit)
        elif _date_ord(hit) > _date_ord(out[at]):
            out[at] = NodeWithScore(node=hit.node, score=out[at].score)
    return out


def _date_ord(hit: NodeWithScore) -> int:
    try:
        return int(hit.node.metadata.get("date_ord") or 0)
    except (TypeError, ValueError):
        return 0


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
        page_label=_label(meta.get("page_label"), page),
        page_end_label=_label(meta.get("page_end_label"), int(meta.get("page_end") or 0)),
        page_map=[(int(s[0]), int(s[2]), str(s[3])) for s in parse_spans(meta.get("page_map"), start) if len(s) == 4],
        unquotable=[(int(s[0]), int(s[1])) for s in parse_spans(meta.get("unquotable"), start)],
        units=[(int(s[0]), int(s[1]), UNIT_NAMES[str(s[2])]) for s in parse_spans(meta.get("units"), start)
               if len(s) == 3 and str(s[2]) in UNIT_NAMES],
    )


def _label(printed: object, page: int) -> str:
    """The printed page number, only when it differs from the physical one."""
    text = str(printed or "")
    return text if text and text != str(page) else ""
