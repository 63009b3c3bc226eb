"""The Python API: ``Assistant`` ties the store, retriever and answerer together.

Example::

    >>> from assistant import Assistant
    >>> a = Assistant(index_dir="index")
    >>> a.ingest(["corpus"])            # incremental: unchanged files are skipped
    >>> answer = a.ask("Who was asked to lead the independent review of ICSs?")
    >>> print(answer)                   # text with [n] markers, then the numbered quotes
    >>> a.retrieve("national targets", top_k=3)

The embedding model and the store open lazily, on first use, once per ``Assistant``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.results import Answer, DocumentInfo, IndexStatus, IngestSummary, Passage
from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.answering.base import Answerer
    from assistant.answering.llm import OpenAICompatibleLLM
    from assistant.ingest.store import ChunkStore
    from assistant.retrieval.hybrid import SearchFilters
    from assistant.retrieval.keyword import KeywordIndex
    from assistant.retrieval.naming import DocName


def embed_model_for(settings: Settings) -> "BaseEmbedding":
    """The embedding model ``settings`` name (one instance per process for the same settings)."""
    from assistant.ingest.embedding import get_embed_model

    return get_embed_model(
        settings.embed_model, backend=settings.embed_backend, batch_size=settings.embed_batch_size,
        threads=settings.embed_threads, cache_dir=settings.model_cache_dir,
    )


def llm_for(settings: Settings) -> "OpenAICompatibleLLM":
    """The LLM client of ``settings.backend`` (``openai`` or ``gguf``: llama.cpp starts now); raises ``LLMError``."""
    from assistant.answering.llm import LLMError, make_llm

    if settings.backend == "extractive":
        raise LLMError("backend extractive has no LLM")
    return make_llm(
        settings.backend, base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
        gguf_file=settings.gguf_path, gguf_context=settings.gguf_context, gguf_threads=settings.gguf_threads,
        timeout_s=settings.llm_timeout_s, retries=settings.llm_retries, max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature, extra_body=settings.extra_body(),
    )


def refusal_empty(question: str) -> Answer:
    from assistant.answering.base import refusal

    return refusal(question, [], reason="The index is empty: add documents first (ics-assistant ingest).")


class QuestionError(ValueError):
    """The question cannot be asked (empty, not text); one-line message."""


def clean_question(question: Any, max_chars: int) -> tuple[str, list[str]]:
    """Validate a question: text, not blank; control characters removed; truncated if huge (pure)."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty: type a question about the documents")
    notes = []
    if len(cleaned) > max_chars:
        cleaned = cleaned[:max_chars]
        notes.append(f"question truncated to its first {max_chars} characters")
    return cleaned, notes


class Assistant:
    """Question answering over the indexed ICS policy documents.

    The edge where ``Settings`` become components: the store, the embedding model, the keyword
    index, the retriever and the answerer are built from ``settings`` on first use, or taken as
    given (a notebook can swap one part, e.g. ``answerer=ExtractiveAnswerer(embed, min_support=0.5)``).

    Args:
        index_dir: where the embedded Chroma store lives (default ``settings.index_dir``).
        settings: a ``Settings``; default ``Settings.load()`` (``ICS_*`` env and TOML file).
        store, embed_model, keyword_index, retriever, answerer: parts to use instead of building them.
            A ``retriever`` other than ``HybridRetriever`` is asked as it is (no per-call filters).
        **overrides: any ``Settings`` field, e.g. ``top_k=8`` or ``chroma_host="127.0.0.1"``.
    """

    def __init__(
        self,
        index_dir: str | Path | None = None,
        settings: Settings | None = None,
        *,
        store: "ChunkStore | None" = None,
        embed_model: "BaseEmbedding | None" = None,
        keyword_index: "KeywordIndex | None" = None,
        retriever: "BaseRetriever | None" = None,
        answerer: "Answerer | None" = None,
        **overrides: Any,
    ) -> None:
        base = settings or Settings.load()
        self.settings = base.replace(index_dir=index_dir, **overrides) if (index_dir or overrides) else base
        self._lock = threading.RLock()
        # Leaf locks of their own: a preload opens the store in one thread while another loads the model.
        self._store_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._store = store
        self._embed_model = embed_model
        self._keyword_index = keyword_index
        self._retriever = retriever
        self._answerer = answerer
        self._doc_names: "tuple[str, list[DocName]] | None" = None  # (keyword index state, its documents' DocNames)

    def __repr__(self) -> str:
        return f"Assistant(index={self._store.location if self._store else self.settings.index_location!r})"

    # -- lazily built parts ---------------------------------------------------------------------
    @property
    def store(self) -> "ChunkStore":
        """The chunks and the document catalogue (Chroma)."""
        with self._store_lock:
            if self._store is None:
                from assistant.ingest.store import ChunkStore

                s = self.settings
                self._store = ChunkStore(s.index_dir, collection=s.collection, chroma_host=s.chroma_host, chroma_port=s.chroma_port)
            return self._store

    @property
    def embed_model(self) -> "BaseEmbedding":
        """The embedding model (loaded once per process for the same settings)."""
        with self._model_lock:
            if self._embed_model is None:
                self._embed_model = embed_model_for(self.settings)
            return self._embed_model

    @property
    def keyword_index(self) -> "KeywordIndex":
        """The BM25 index and corpus term statistics (the retriever's, if it has one)."""
        with self._lock:
            if self._keyword_index is None:
                from assistant.retrieval.keyword import KeywordIndex, keyword_dir

                own = getattr(self._retriever, "keyword_index", None)
                self._keyword_index = own if isinstance(own, KeywordIndex) else KeywordIndex(
                    self.store, keyword_dir(self.store, self.settings.model_cache_dir, self.settings.keyword_dir)
                )
            return self._keyword_index

    @property
    def retriever(self) -> "BaseRetriever":
        """The llama-index retriever questions go through (``HybridRetriever`` unless one was given)."""
        with self._lock:
            if self._retriever is None:
                from assistant.retrieval.hybrid import HybridRetriever

                s = self.settings
                self._retriever = HybridRetriever(
                    self.store, self.embed_model, self.keyword_index, top_k=s.top_k, candidate_k=s.candidate_k,
                    fusion_mode=s.fusion_mode, fusion_weights=s.fusion_weights, windows=s.window_sentences > 0,
                )
            return self._retriever

    @property
    def answerer(self) -> "Answerer":
        """The configured answer writer (``settings.backend``); created once."""
        with self._lock:
            if self._answerer is None:
                from assistant.answering.extractive import ExtractiveAnswerer

                s = self.settings
                extractive = ExtractiveAnswerer(
                    self.embed_model, max_sentences=s.answer_max_sentences, min_support=s.min_support, cache_mb=s.sentence_cache_mb,
                    next_chunk=self._next_chunk, previous_chunk=self._previous_chunk, near_words=self._near_words,
                )
                if s.backend == "extractive":
                    self._answerer = extractive
                else:
                    from assistant.answering.generative import GenerativeAnswerer

                    # the same extractive answerer: the model's gate, reading order and fallback are the extractive backend's
                    self._answerer = GenerativeAnswerer(
                        self.embed_model, functools.partial(llm_for, s), backend=s.backend,
                        max_sentences=s.answer_max_sentences, min_support=s.min_support,
                        max_prompt_tokens=s.llm_max_prompt_tokens, unsupported=s.llm_unsupported, extractive=extractive,
                    )
            return self._answerer

    def _near_words(self, word: str) -> tuple[str, ...]:
        """The corpus words near ``word`` (``HybridRetriever.near_words``); none from another retriever."""
        near = getattr(self.retriever, "near_words", None)
        return tuple(near(word)) if callable(near) else ()

    def _next_chunk(self, passage: Passage) -> Passage | None:
        """The chunk after ``passage`` in its document, from the store (None at its end or for a passage not stored)."""
        return self._stored_beside(passage, 1)

    def _previous_chunk(self, passage: Passage) -> Passage | None:
        """The chunk before ``passage`` in its document, from the store (None at its start or for a passage not stored)."""
        return self._stored_beside(passage, -1)

    def _stored_beside(self, passage: Passage, step: int) -> Passage | None:
        from llama_index.core.schema import NodeWithScore

        from assistant.retrieval.hybrid import node_to_passage

        if not passage.chunk_id:
            return None
        node = self.store.next_chunk(passage.chunk_id) if step > 0 else self.store.previous_chunk(passage.chunk_id)
        return node_to_passage(NodeWithScore(node=node, score=0.0)) if node is not None else None

    def preload(self) -> None:
        """Get ready for a first question in a fresh process, overlapping the slow parts.

        Chroma loads a collection's vector (HNSW) index on its first read, about a second at 300,000
        chunks, in native code that lets other threads run: a background thread opens the store
        and triggers that while this one imports llama-index and loads the embedding model's runtime.
        """
        # Imported here, not in the thread: two threads importing the same packages at once can see
        # half-initialised modules. What the thread then runs imports nothing llama-index does.
        import chromadb  # noqa: F401
        import filelock  # noqa: F401

        def open_store() -> None:
            try:
                self.store.warm()
            except Exception:  # noqa: BLE001 - the question itself reports a store that can't be opened
                logging.getLogger(__name__).debug("preloading the store failed", exc_info=True)

        threading.Thread(target=open_store, name="ics-preload-store", daemon=True).start()
        import llama_index.core.retrievers  # noqa: F401 - meanwhile: llama-index, the model's runtime

        self.embed_model.get_query_embedding("warm up")

    # -- the API -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | str | Path | None = None, *, progress: bool = False) -> IngestSummary:
        """Index files and directories (default: ``settings.corpus_dirs``); see ``IngestSummary``.

        One ingestion at a time per index (across processes): a second one waits for the first, up
        to ``settings.ingest_lock_timeout_s``, then raises ``IngestLockError``. The keyword index of
        the result is built and published at the end; until then every process keeps searching the
        previous one (new documents are found by the dense search as each is committed).
        """
        from assistant.ingest.chunking import TokenSentenceChunker
        from assistant.ingest.embedding import model_path
        from assistant.ingest.locking import ingest_lock, lock_path
        from assistant.ingest.pipeline import ingest_paths

        s = self.settings
        if paths is None:
            paths = list(s.corpus_dirs)
        elif isinstance(paths, (str, Path)):
            paths = [paths]
        store = self.store
        chunker = TokenSentenceChunker(
            model_path=model_path(s.embed_model), chunk_tokens=s.chunk_tokens,
            overlap_sentences=s.chunk_overlap_sentences, embed_metadata=s.embed_metadata,
        )
        keywords = self.keyword_index
        with ingest_lock(lock_path(store), timeout_s=s.ingest_lock_timeout_s, location=store.location), \
                keywords.exclusive(timeout_s=s.ingest_lock_timeout_s):
            summary = ingest_paths(
                paths, store, self.embed_model, chunker=chunker, max_file_mb=s.max_file_mb, batch_mb=s.ingest_batch_mb,
                window_sentences=s.window_sentences, progress=progress,
            )
            self._prepare_keyword_index(summary, progress)
        return summary

    def _prepare_keyword_index(self, summary: IngestSummary, progress: bool) -> None:
        """Build and publish the keyword index now, so no question (in any process) waits for it."""
        keywords = self.keyword_index
        if keywords.is_saved() and not (summary.added or summary.updated or summary.removed):
            return
        started = time.perf_counter()
        if progress:
            print("Building the keyword index…", file=sys.stderr, flush=True)
        keywords.build(progress=progress)
        if (related_table := getattr(self.retriever, "related_table", None)) is not None:
            if progress:
                print("Embedding the corpus's words for related-word search…", file=sys.stderr, flush=True)
            related_table()  # kept beside the keyword index: a large corpus's words take ~25 s to embed
        summary.seconds += time.perf_counter() - started

    def retrieve(self, question: str, top_k: int | None = None, filters: "SearchFilters | Mapping[str, Any] | None" = None) -> list[Passage]:
        """The ranked passages for a question (no answer): the retriever's ranking. ``ask`` answers from the
        same passages in reading order (``answering/reading.py``)."""
        from assistant.retrieval.filters import SearchFilters

        cleaned, _ = clean_question(question, self.settings.max_question_chars)
        wanted = SearchFilters.coerce(filters)  # a mistake is reported even on an empty index
        if self.store.is_empty():
            return []
        return self._search(cleaned, top_k, wanted)[0]

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        filters: "SearchFilters | Mapping[str, Any] | None" = None,
        history: "Sequence[tuple[str, str]] | None" = None,
    ) -> Answer:
        """A cited answer, or a refusal (``refused=True``) when the documents don't answer it.

        ``history`` is the conversation so far as ``(question, answer_text)`` pairs; a follow-up
        ("and what about the CQC?") is searched for as a stand-alone question built from it.
        """
        final: Answer | None = None
        for part in self.stream(question, top_k=top_k, filters=filters, history=history):
            if isinstance(part, Answer):
                final = part
        assert final is not None, "stream() always ends with an Answer"
        return final

    def stream(
        self,
        question: str,
        top_k: int | None = None,
        filters: "SearchFilters | Mapping[str, Any] | None" = None,
        history: "Sequence[tuple[str, str]] | None" = None,
    ) -> Iterator[str | Answer]:
        """Like ``ask``, but yields the answer text in pieces as it is written, then the ``Answer``.

        Example::

            >>> for part in a.stream("What did the Hewitt Review say about national targets?"):
            ...     print(part if isinstance(part, str) else "\n" + str(part.citations[0]))
        """
        cleaned, notes = clean_question(question, self.settings.max_question_chars)
        query = self.condense(cleaned, history)
        answer: Answer | None = None
        if self.store.is_empty():
            answer = refusal_empty(cleaned)
            yield answer.text
        else:
            from assistant.answering.currency import answer_stream
            from assistant.answering.reading import DEPTH

            k = top_k or self.settings.top_k
            # DEPTH more: the answerer may find a better answer just below the top k (_read_ranked)
            found, qvec = self._search(query, k + DEPTH, filters)
            passages, below = found[:k], found[k:]
            passages = self._with_quoted(query, passages, filters)
            passages = self._with_series(query, passages)
            passages = self._with_part(query, passages, filters)
            retrieved = passages
            passages, quoting = self._named(query, passages, top_k, filters, qvec)
            if passages != retrieved:
                below = []  # a named document's passages only (retrieval/naming.py)
            # a named document's passages are read first, then what quotes it by name (retrieval/naming.py)
            passages = self._read_ranked(query, passages, qvec, below) + self._read_ranked(query, quoting, qvec)
            passages = self._compared(query, passages, top_k, filters, qvec)
            passages = self._second_hop(query, passages, k, filters)
            # Successors first, superseded documents labelled, periods stated (answering/currency.py).
            for part in answer_stream(self.answerer, cleaned, passages, self.keyword_index.term_stats(), qvec):
                if isinstance(part, Answer):
                    answer = part
                else:
                    yield part
        assert answer is not None, "an answerer's stream ends with an Answer"
        if query != cleaned:
            answer.search_query = query
        answer.notes.extend(notes)
        yield answer

    def condense(self, question: str, history: "Sequence[tuple[str, str]] | None" = None) -> str:
        """The stand-alone search query for ``question`` given the conversation (itself if no history)."""
        if not history:
            return question
        from assistant.answering.conversation import condense_question

        answerer = self.answerer
        if answerer.backend != "extractive":  # with an LLM, it rewrites; the rule-based rewrite is the fallback
            from assistant.answering.llm import LLMError, condense_with_llm

            try:
                llm = getattr(answerer, "llm", None)  # starts a gguf backend on first use
                rewritten = condense_with_llm(llm, question, history) if llm is not None else None
            except LLMError as exc:
                logging.getLogger(__name__).warning("condensing with the LLM failed (%s); using the rule-based rewrite", exc)
            else:
                if rewritten:
                    return rewritten
        return condense_question(question, history)

    def _search(
        self, query: str, top_k: int | None, filters: "SearchFilters | Mapping[str, Any] | None"
    ) -> tuple[list[Passage], list[float]]:
        """Embed the query once and retrieve through the retriever's public ``retrieve()``; the vector goes on to the answerer."""
        from llama_index.core.schema import QueryBundle

        from assistant.retrieval.hybrid import HybridRetriever, SearchFilters, node_to_passage

        k = top_k or self.settings.top_k
        wanted = SearchFilters.coerce(filters)
        retriever = self.retriever
        if isinstance(retriever, HybridRetriever):
            retriever = retriever.configured(top_k=k, filters=wanted)  # per call: the chat answers concurrently
        elif wanted:
            from assistant.retrieval.filters import FilterError

            raise FilterError(f"filters need a HybridRetriever; {type(retriever).__name__} applies its own")
        qvec = self.embed_model.get_query_embedding(query)
        nodes = retriever.retrieve(QueryBundle(query, embedding=self._dense_vector(retriever, query, qvec)))
        return self._with_standing([node_to_passage(n) for n in nodes[:k]]), qvec

    @staticmethod
    def _dense_vector(retriever: "BaseRetriever", query: str, qvec: list[float]) -> list[float]:
        """What the dense side searches with (``HybridRetriever.dense_vector``); ``qvec``, the question's own,
        goes on to the answerer."""
        from assistant.answering.yes_no import asked_alone
        from assistant.retrieval.hybrid import HybridRetriever

        if not isinstance(retriever, HybridRetriever):
            return qvec
        alone = asked_alone(query)  # a yes/no question after a preamble: its asking sentence (answering/yes_no.py)
        return retriever.dense_vector(query, qvec) if alone is None else retriever.dense_vector(alone)

    def _compared(
        self, query: str, passages: list[Passage], top_k: int | None, filters: "SearchFilters | Mapping[str, Any] | None",
        qvec: list[float],
    ) -> list[Passage]:
        """For a "what changed" question, each compared document searched on its own (answering/currency.py).

        The sides are looked for among a deeper search's passages (``candidate_k``), made only when the
        question has the form of a comparison.
        """
        from llama_index.core.schema import QueryBundle

        from assistant.answering.comparison import Doc, comparison_passages, looks_like_comparison
        from assistant.retrieval.hybrid import HybridRetriever, SearchFilters, node_to_passage

        retriever = self.retriever
        if not isinstance(retriever, HybridRetriever) or not looks_like_comparison(query):
            return passages
        wanted = SearchFilters.coerce(filters) or SearchFilters()
        k = top_k or self.settings.top_k

        dense = self._dense_vector(retriever, query, qvec)

        def search(within: SearchFilters, text: str, vec: list[float], n: int) -> list[Passage]:
            found = retriever.configured(top_k=n, filters=within).retrieve(QueryBundle(text, embedding=vec))
            return self._with_standing([node_to_passage(hit) for hit in found[:n]])

        def side(doc: Doc, topic: str) -> list[Passage]:
            if wanted.documents and doc.source not in wanted.documents:
                return []
            vec = dense if topic == query else retriever.dense_vector(topic)
            found = search(dataclasses.replace(wanted, documents=(doc.source,)), topic, vec, k)
            # each side's passages in reading order too (they are answered on the topic question)
            return self._read_ranked(topic, found, qvec if topic == query else self.embed_model.get_query_embedding(topic))

        deeper = search(wanted, query, dense, max(k, self.settings.candidate_k))
        return comparison_passages(query, passages, deeper, side)

    def _second_hop(
        self, query: str, passages: list[Passage], top_k: int, filters: "SearchFilters | Mapping[str, Any] | None",
    ) -> list[Passage]:
        """For a question describing someone by role ("the person leading the ICS review") whom a passage names: the
        passages found for the question with the name in place, after these (``answering/described.py``); what is
        asked of the name may be said far from where the name is given."""
        from assistant.answering.described import SECOND_HOP, descriptions, resolved
        from assistant.answering.extractive import candidate_sentences

        if not passages or not descriptions(query):
            return passages
        hop = resolved(query, [c[3] for c in candidate_sentences(passages)], self.keyword_index.term_stats().idf)
        if hop is None:
            return passages
        found, _ = self._search(hop.question, top_k, filters)
        have = {p.chunk_id for p in passages}
        return passages + [p for p in found if not p.chunk_id or p.chunk_id not in have][:SECOND_HOP]

    def _named(
        self, query: str, passages: list[Passage], top_k: int | None, filters: "SearchFilters | Mapping[str, Any] | None",
        qvec: list[float],
    ) -> tuple[list[Passage], list[Passage]]:
        """For a question that names indexed documents ("according to the IFR policy"): their passages (the retrieved
        ones, then their best ones searched for on their own) and the retrieved passages of other documents that
        quote them by name, no other (``retrieval/naming.py``); ``(passages, [])`` when it names none (the names
        come from the documents' titles, file names, publishers and kinds), or compares documents."""
        from llama_index.core.schema import QueryBundle

        from assistant.answering.comparison import looks_like_comparison
        from assistant.answering.constraints import asking_part
        from assistant.retrieval.hybrid import HybridRetriever, SearchFilters, node_to_passage
        from assistant.retrieval.naming import from_named, named_in_asking

        retriever = self.retriever
        if not isinstance(retriever, HybridRetriever) or looks_like_comparison(query):
            return passages, []
        wanted = SearchFilters.coerce(filters) or SearchFilters()
        docs = self._document_names()
        namings = [n for n in named_in_asking(query, asking_part(query), docs)
                   if not wanted.documents or n.key in wanted.documents]
        if not namings:
            return passages, []
        k = top_k or self.settings.top_k
        # the named documents searched on their own: their passages that the whole index outranked
        within = dataclasses.replace(wanted, documents=tuple(dict.fromkeys(n.key for n in namings)))
        try:
            found = retriever.configured(top_k=k, filters=within).retrieve(
                QueryBundle(query, embedding=self._dense_vector(retriever, query, qvec)))
        except Exception as exc:  # chromadb.errors.InternalError
            # Chroma's filtered search fails while an ingestion removes chunks ("Error finding id"): the retrieved
            # passages of the named documents are answered from without the top-up (tests/test_concurrency.py).
            if "Error finding id" not in str(exc):
                raise
            found = []
        return from_named(passages, self._with_standing([node_to_passage(hit) for hit in found[:k]]), namings, k)

    def _document_names(self) -> "list[DocName]":
        """The indexed documents' ``DocName``s, from the keyword index's metadata columns (a question never reads the
        whole catalogue), worked out once per index state."""
        from assistant.retrieval.naming import doc_names_of

        index = self.keyword_index.current()
        if index is None:
            return []
        cached = self._doc_names
        if cached is None or cached[0] != index.state:
            cached = (index.state, doc_names_of(index.columns.distinct(("source", "title", "publisher", "kind"))))
            self._doc_names = cached
        return cached[1]

    def _with_quoted(self, query: str, passages: list[Passage], filters: "SearchFilters | Mapping[str, Any] | None") -> list[Passage]:
        """A phrase the question quotes that no passage writes: the best deeper candidate that does, in place of
        the last passage (``retrieval/quoted.py``)."""
        from assistant.retrieval.quoted import with_quoted
        from assistant.text.phrases import holds_phrase, quoted_phrases

        phrases = quoted_phrases(query)
        if not phrases or all(any(holds_phrase(p.text, q) for p in passages) for q in phrases):
            return passages
        deeper, _ = self._search(query, max(self.settings.candidate_k, len(passages)), filters)
        return with_quoted(passages, deeper, phrases)

    def _with_part(self, query: str, passages: list[Passage], filters: "SearchFilters | Mapping[str, Any] | None") -> list[Passage]:
        """A question picking one part or item ("Which of the six components ...?") whose heading no passage holds
        whole: the deeper candidate whose heading holds more of it in place of the last passage
        (``answering/heading_answers.py``)."""
        from assistant.answering.heading_answers import asked_part, heading_held_whole, with_part_heading

        idf = self.keyword_index.term_stats().idf
        if asked_part(query) is None or not passages or heading_held_whole(query, passages, idf):
            return passages
        deeper, _ = self._search(query, max(self.settings.candidate_k, len(passages)), filters)
        return with_part_heading(query, passages, deeper, idf)

    def _with_series(self, query: str, passages: list[Passage]) -> list[Passage]:
        """For "What are the N X?", the chunks holding a series of headings that lists the Xs (and the heading naming
        them) in a top passage's document, added after the passages (``answering/heading_series.py``)."""
        from llama_index.core.schema import NodeWithScore

        from assistant.answering.heading_series import asked_series, document_headings, series_and_parent
        from assistant.retrieval.hybrid import node_to_passage

        asked = asked_series(query)
        if asked is None:
            return passages
        for path in dict.fromkeys(p.path for p in passages[:3] if p.path):
            nodes = self.store.nodes_by_id(self.store.chunk_ids_where({"path": path}))
            whole = sorted((node_to_passage(NodeWithScore(node=n, score=0.0)) for n in nodes.values()), key=lambda p: p.start)
            series, parent = series_and_parent(asked, document_headings(whole, path))
            if series:
                have = {p.chunk_id for p in passages}
                wanted = dict.fromkeys(h[3] for h in ([parent] if parent else []) + series)
                return passages + self._with_standing([whole[i] for i in wanted if whole[i].chunk_id not in have])
        return passages

    def _read_ranked(self, query: str, passages: list[Passage], qvec: list[float], below: Sequence[Passage] = ()) -> list[Passage]:
        """The passages the answerer can answer from moved up (``answering/reading.py``), with those of ``below``
        (the next retrieved) it would quote a better sentence from than from any of them (``reading.promoted``);
        unchanged when the answerer cannot say (a custom one without ``supports``)."""
        supports = getattr(self.answerer, "supports", None)
        if supports is None or (len(passages) < 2 and not below):
            return passages
        from assistant.answering.reading import promoted, read_ranked, rescued

        stats = self.keyword_index.term_stats()
        scores = supports(query, passages, stats, qvec)
        judge = getattr(self.answerer, "supports_below", None)
        if below and judge is not None:
            have = {p.chunk_id for p in passages}
            below = [p for p in below if not p.chunk_id or p.chunk_id not in have]  # not one the top-ups added
            judged = judge(query, passages, below, stats, qvec) if below else []
            if max(scores, default=0.0) > 0.0:
                up = promoted(scores, judged)
            else:  # the top k answer nothing: only a passage below judged clearly above the refusal floor
                up = rescued(judged, self._rescue_floor())
            passages, scores = passages + [below[i] for i in up], scores + [judged[i] for i in up]
        return read_ranked(passages, scores)

    def _rescue_floor(self) -> float:
        """The support a passage below the top k needs to answer a question they leave unanswered
        (``reading.rescued``): the answerer's refusal floor (its extractive gate's, for an LLM) plus ``RESCUE_MARGIN``."""
        from assistant.answering.reading import RESCUE_MARGIN

        gate = getattr(self.answerer, "_extractive", self.answerer)
        return float(getattr(gate, "min_support", 0.42)) + RESCUE_MARGIN

    def _with_standing(self, passages: list[Passage]) -> list[Passage]:
        """Each passage with its document's facts and standing (version, period, superseded_by) from the catalogue."""
        if not passages:
            return passages
        from assistant.ingest.lineage import annotate

        records = self.store.records_for([p.path for p in passages if p.path])
        return [annotate(p, records.get(p.path)) for p in passages]

    def status(self) -> IndexStatus:
        """Documents and chunks in the index, where it is, and each document's facts and standing."""
        from assistant.ingest.lineage import Lineage

        lineage = Lineage.from_store(self.store)
        docs = lineage.records
        catalogue = sorted((DocumentInfo.of(r, lineage.standing(path)) for path, r in docs.items()), key=lambda d: (d.title, d.source))
        return IndexStatus(
            location=self.store.location,
            documents=len(docs),
            chunks=self.store.count(),
            titles=[d.line() for d in catalogue],
            catalogue=catalogue,
            copies=[{"path": path, "copy_of": r.copy_of} for path, r in sorted(self.store.copies().items())],
        )
