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

import logging
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.results import Answer, IndexStatus, IngestSummary, Passage
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answering.base import Answerer
    from assistant.ingest.store import ChunkStore
    from assistant.retrieval.hybrid import HybridRetriever, SearchFilters


def refusal_empty(question: str) -> Answer:
    from assistant.answering.extractive import refusal

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

    Args:
        index_dir: where the embedded Chroma store lives (default ``settings.index_dir``).
        settings: a ``Settings``; default ``Settings.load()`` (``ICS_*`` env and TOML file).
        **overrides: any ``Settings`` field, e.g. ``top_k=8`` or ``chroma_host="127.0.0.1"``.
    """

    def __init__(self, index_dir: str | Path | None = None, settings: Settings | None = None, **overrides: Any) -> None:
        base = settings or Settings.load()
        self.settings = base.replace(index_dir=index_dir, **overrides) if (index_dir or overrides) else base
        self._lock = threading.Lock()
        self._store: ChunkStore | None = None
        self._retriever: HybridRetriever | None = None
        self._answerer: Answerer | None = None

    def __repr__(self) -> str:
        return f"Assistant(index={self.settings.index_location!r})"

    # -- lazily opened parts --------------------------------------------------------------------
    @property
    def store(self) -> "ChunkStore":
        with self._lock:
            if self._store is None:
                from assistant.ingest.store import ChunkStore

                self._store = ChunkStore(self.settings)
            return self._store

    @property
    def retriever(self) -> "HybridRetriever":
        store = self.store
        with self._lock:
            if self._retriever is None:
                from assistant.ingest.embedding import get_embed_model
                from assistant.retrieval.hybrid import HybridRetriever

                self._retriever = HybridRetriever(store, get_embed_model(self.settings), self.settings)
            return self._retriever

    # -- the API -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | str | Path | None = None, *, progress: bool = False) -> IngestSummary:
        """Index files and directories (default: ``settings.corpus_dirs``); see ``IngestSummary``.

        One ingestion at a time per index (across processes): a second one waits for the first, up
        to ``settings.ingest_lock_timeout_s``, then raises ``IngestLockError``.
        """
        from assistant.ingest.locking import ingest_lock
        from assistant.ingest.pipeline import ingest_paths

        if paths is None:
            paths = list(self.settings.corpus_dirs)
        elif isinstance(paths, (str, Path)):
            paths = [paths]
        store = self.store
        with ingest_lock(self.settings):
            summary = ingest_paths(paths, store, self.settings, progress=progress)
        self._prepare_keyword_index(summary, progress)
        return summary

    def _prepare_keyword_index(self, summary: IngestSummary, progress: bool) -> None:
        """Build (and save) the BM25 index now, so the first question after an ingestion doesn't wait for it."""
        from assistant.retrieval.hybrid import bm25_dir

        saved = (bm25_dir(self.settings) / self.store.fingerprint() / "termstats.json").is_file()
        if saved and not (summary.added or summary.updated or summary.removed):
            return
        started = time.perf_counter()
        if progress:
            print("Building the keyword index…", file=sys.stderr, flush=True)
        self.retriever.term_stats()
        summary.seconds += time.perf_counter() - started

    def retrieve(self, question: str, top_k: int | None = None, filters: "SearchFilters | Mapping[str, Any] | None" = None) -> list[Passage]:
        """The ranked passages for a question (no answer)."""
        cleaned, _ = clean_question(question, self.settings.max_question_chars)
        return self.retriever.search(cleaned, top_k or self.settings.top_k, filters)

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
        if self.store.count() == 0:
            answer = refusal_empty(cleaned)
            yield answer.text
        else:
            passages, qvec = self._search(query, top_k, filters)
            for part in self.answerer.stream(cleaned, passages, self.retriever.term_stats(), qvec):
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

        if self.settings.backend != "extractive":  # with an LLM, it rewrites; the rule-based rewrite is the fallback
            from assistant.answering.llm import LLMError, condense_with_llm

            try:
                llm = getattr(self.answerer, "llm", None)  # starts a gguf backend on first use
                rewritten = condense_with_llm(llm, question, history) if llm is not None else None
            except LLMError as exc:
                logging.getLogger(__name__).warning("condensing with the LLM failed (%s); using the rule-based rewrite", exc)
            else:
                if rewritten:
                    return rewritten
        return condense_question(question, history)

    @property
    def answerer(self) -> "Answerer":
        """The configured answer writer (``settings.backend``); created once."""
        with self._lock:
            if self._answerer is None:
                from assistant.answering.extractive import ExtractiveAnswerer
                from assistant.ingest.embedding import get_embed_model

                if self.settings.backend in ("openai", "gguf"):
                    from assistant.answering.generative import GenerativeAnswerer

                    self._answerer = GenerativeAnswerer(self.settings, get_embed_model(self.settings))
                else:
                    self._answerer = ExtractiveAnswerer(get_embed_model(self.settings), self.settings)
            return self._answerer

    def _search(
        self, query: str, top_k: int | None, filters: "SearchFilters | Mapping[str, Any] | None"
    ) -> tuple[list[Passage], list[float]]:
        """Embed the query once and retrieve; the vector is reused by the answerer."""
        from llama_index.core.schema import QueryBundle

        from assistant.ingest.embedding import get_embed_model
        from assistant.retrieval.hybrid import SearchFilters, node_to_passage

        retriever = self.retriever
        qvec = get_embed_model(self.settings).get_query_embedding(query)
        nodes = retriever.retrieve_with(QueryBundle(query, embedding=qvec), top_k or self.settings.top_k, SearchFilters.coerce(filters))
        return [node_to_passage(n) for n in nodes], qvec

    def status(self) -> IndexStatus:
        """Documents and chunks in the index, and where it is."""
        docs = self.store.documents()
        return IndexStatus(
            location=self.settings.index_location,
            documents=len(docs),
            chunks=self.store.count(),
            titles=sorted(f"{r.title} ({r.source}, {r.chunks} chunks)" for r in docs.values()),
        )
