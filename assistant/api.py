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

import threading
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .results import Answer, IndexStatus, IngestSummary, Passage
from .settings import Settings

if TYPE_CHECKING:
    from .retrieval import HybridRetriever, SearchFilters
    from .store import ChunkStore


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

    def __repr__(self) -> str:
        return f"Assistant(index={self.settings.index_location!r})"

    # -- lazily opened parts --------------------------------------------------------------------
    @property
    def store(self) -> "ChunkStore":
        with self._lock:
            if self._store is None:
                from .store import ChunkStore

                self._store = ChunkStore(self.settings)
            return self._store

    @property
    def retriever(self) -> "HybridRetriever":
        store = self.store
        with self._lock:
            if self._retriever is None:
                from .embedding import get_embed_model
                from .retrieval import HybridRetriever

                self._retriever = HybridRetriever(store, get_embed_model(self.settings), self.settings)
            return self._retriever

    # -- the API -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | str | Path | None = None, *, progress: bool = False) -> IngestSummary:
        """Index files and directories (default: ``settings.corpus_dirs``); see ``IngestSummary``."""
        from .ingest import ingest_paths

        if paths is None:
            paths = list(self.settings.corpus_dirs)
        elif isinstance(paths, (str, Path)):
            paths = [paths]
        return ingest_paths(paths, self.store, self.settings, progress=progress)

    def retrieve(self, question: str, top_k: int | None = None, filters: "SearchFilters | Mapping[str, Any] | None" = None) -> list[Passage]:
        """The ranked passages for a question (no answer)."""
        cleaned, _ = clean_question(question, self.settings.max_question_chars)
        return self.retriever.search(cleaned, top_k or self.settings.top_k, filters)

    def ask(self, question: str, top_k: int | None = None, filters: "SearchFilters | Mapping[str, Any] | None" = None) -> Answer:
        """A cited answer, or a refusal (``refused=True``) when the documents don't answer it."""
        from llama_index.core.schema import QueryBundle

        from .answering import ExtractiveAnswerer, refusal
        from .embedding import get_embed_model
        from .retrieval import SearchFilters, node_to_passage

        cleaned, notes = clean_question(question, self.settings.max_question_chars)
        retriever = self.retriever
        if self.store.count() == 0:
            answer = refusal(cleaned, [], reason="The index is empty: add documents first (ics-assistant ingest).")
        else:
            embed = get_embed_model(self.settings)
            qvec = embed.get_query_embedding(cleaned)
            nodes = retriever.retrieve_with(QueryBundle(cleaned, embedding=qvec), top_k or self.settings.top_k, SearchFilters.coerce(filters))
            passages = [node_to_passage(n) for n in nodes]
            answer = ExtractiveAnswerer(embed, self.settings).answer(cleaned, passages, retriever.term_stats(), qvec)
        answer.notes.extend(notes)
        return answer

    def status(self) -> IndexStatus:
        """Documents and chunks in the index, and where it is."""
        docs = self.store.documents()
        return IndexStatus(
            location=self.settings.index_location,
            documents=len(docs),
            chunks=self.store.count(),
            titles=sorted(f"{r.title} ({r.source}, {r.chunks} chunks)" for r in docs.values()),
        )
