"""The keyword (BM25) index: built once per store state (by the ingestion), saved, memory-mapped by every reader.

Our own retriever rather than llama-index's ``BM25Retriever``, because that one holds every chunk's
text and metadata in memory (and saves them as JSON lines that take seconds to reload at 100,000
chunks). Ours memory-maps the bm25s score matrix (``sparse.py``), ranks with the same scores, and
reads only the top candidates from Chroma. It is still a llama-index ``BaseRetriever``, fused by
``QueryFusionRetriever`` like any other.

Layout of the directory (``keyword_dir``; shared storage in a multi-process deployment)::

    CURRENT       {"name": ..., "state": ...}: the newest published index, replaced atomically
    <state>/      one index, written under a temporary name and renamed into place whole
    build.lock    held by whoever builds one; an ingestion holds it from start to end

Readers take no lock to notice a new index: when the store's state token (``ChunkStore.state``)
moves, they ``stat`` ``CURRENT`` and open what it names. Only when nothing published matches the
store (an ingestion crashed, or a store written by an older version) does a reader build one, under
``build.lock``; while someone else holds it, readers keep serving the index they have.

Example::

    >>> keywords = KeywordIndex(store, keyword_dir(store))
    >>> keywords.term_stats().df["hewitt"]
    >>> keywords.retriever(top_k=30, filters=None).retrieve("Hewitt Review targets")
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from assistant.ingest.store import ChunkStore
from assistant.retrieval.sparse import SparseBuilder, SparseIndex, keyword_query, tokenize_query
from assistant.retrieval.variants import WEIGHT
from assistant.text.acronyms import AcronymTable
from assistant.text.terms import TermStats

if TYPE_CHECKING:
    from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters

log = logging.getLogger(__name__)

_POINTER = "CURRENT"
_LOCK = "build.lock"
_STALE_TMP_S = 3600.0  # an unfinished build directory older than this was left by a crash
_PAGE = 5000  # chunks read from Chroma per step of a build (offset paging: fewer, larger pages)


def keyword_dir(store: ChunkStore, cache_dir: str | Path | None = None, base: str | Path | None = None) -> Path:
    """Where the keyword index of a store's collection lives.

    ``base`` (the ``keyword_dir`` setting, e.g. shared storage) / ``<collection>``; by default beside
    the embedded store (``<index_dir>/keyword/<collection>``), or for a Chroma server in the local
    cache (``<cache_dir>/keyword/<host>_<port>/<collection>``, default ``$XDG_CACHE_HOME/ics-assistant``).
    """
    if base is not None:
        return Path(base) / store.collection
    if store.index_dir is None:
        from assistant.ingest.embedding import default_cache_dir

        return Path(cache_dir or default_cache_dir()) / "keyword" / f"{store.chroma_host}_{store.chroma_port}" / store.collection
    return store.index_dir / "keyword" / store.collection


@dataclass(frozen=True)
class Pointer:
    """What ``CURRENT`` names: the newest published index and the store state it was built from."""

    name: str
    state: str


class KeywordIndex:
    """BM25 over a store's committed chunks, and their term statistics; one build per store state.

    Args:
        store: the chunks.
        directory: where indexes are published and read (``keyword_dir``); ``None`` keeps this
            process's own in a temporary directory, rebuilt whenever the store changes.
    Thread-safe.
    """

    def __init__(self, store: ChunkStore, directory: str | Path | None = None) -> None:
        self.store = store
        self.directory = Path(directory) if directory is not None else None
        self._loaded: SparseIndex | None = None
        self._lock = threading.Lock()  # one thread of this process refreshes; the others keep serving
        self._file_lock: Any = None
        self._pointer: tuple[tuple[int, int, int], Pointer | None] | None = None
        self._warned_busy = False

    def __repr__(self) -> str:
        return f"KeywordIndex({self.store.location!r}, directory={str(self.directory) if self.directory else None!r})"

    # -- reading -----------------------------------------------------------------------------------
    def current(self) -> SparseIndex | None:
        """The index for the store's current state; the newest one available while another process builds
        that; None for an empty store."""
        state = self.store.state()
        loaded = self._loaded
        if loaded is not None and loaded.state == state:
            return loaded
        if not self._lock.acquire(blocking=loaded is None):
            return loaded  # another thread is bringing it up to date
        try:
            return self._refresh(state)
        finally:
            self._lock.release()

    def term_stats(self) -> TermStats:
        """Corpus document frequencies of the chunks (empty for an empty store), saved with the index."""
        index = self.current()
        return index.stats if index is not None else TermStats()

    def acronyms(self) -> AcronymTable:
        """The abbreviations the chunks define (``text/acronyms.py``), mined and saved with the index."""
        index = self.current()
        return index.acronyms if index is not None else AcronymTable()

    def is_saved(self) -> bool:
        """Whether the index of the store's current state is published (a new process would open, not build, it)."""
        pointer = self._published()
        return pointer is not None and pointer.state == self.store.state(fresh=True)

    def retriever(
        self, top_k: int, filters: "MetadataFilters | None" = None, extra_terms: Sequence[str] = (),
        synonym_terms: Mapping[str, float] | None = None,
    ) -> "KeywordRetriever | None":
        """A retriever over the index (cheap, one per query); None when no chunk is left to search.
        ``extra_terms``: stems scored beside the query's own at ``variants.WEIGHT`` (``variants.py``);
        ``synonym_terms``: stems with their own weights (``synonyms.weighted_stems``)."""
        index = self.current()
        if index is None or index.chunks == 0:
            return None
        mask = None
        if filters is not None and filters.filters:
            mask = index.columns.mask(filters, lambda leaf: self._chroma_mask(index, leaf))
            if not mask.any():
                return None  # every chunk filtered out: nothing for BM25 to say
        return KeywordRetriever(
            index, self.store, top_k=min(top_k, index.chunks), mask=mask, extra_terms=extra_terms, synonym_terms=synonym_terms
        )

    def _chroma_mask(self, index: SparseIndex, leaf: "MetadataFilter") -> np.ndarray:
        """A filter on a key the saved columns lack (added after this index was built), asked of Chroma."""
        from llama_index.core.vector_stores.types import MetadataFilters
        from llama_index.vector_stores.chroma.base import _to_chroma_filter

        mask = np.zeros(index.chunks, dtype=bool)
        mask[index.rows_of(self.store.chunk_ids_where(_to_chroma_filter(MetadataFilters(filters=[leaf]))))] = True
        return mask

    def _refresh(self, state: str) -> SparseIndex | None:
        loaded = self._loaded
        if loaded is not None and loaded.state == state:
            return loaded
        pointer = self._published()
        if pointer is not None and (loaded is None or pointer.state != loaded.state) and (opened := self._open(pointer)) is not None:
            log.info("opened the keyword index %s (%d chunks)", pointer.name, opened.chunks)
            self._loaded = loaded = opened
        if loaded is not None and loaded.state == state:
            return loaded
        if self.store.is_empty():
            self._loaded = None
            return None
        with self._build_lock(blocking=False) as mine:
            if not mine:  # an ingestion, or another process, is building it
                if not self._warned_busy:
                    self._warned_busy = True
                    log.info("the keyword index is being built elsewhere; %s meanwhile",
                             "searching the previous one" if loaded else "searching without it")
                return loaded
            pointer = self._published()  # published while we were looking?
            if pointer is not None and pointer.state == state and (fresh := self._open(pointer)) is not None:
                self._loaded = fresh
                return fresh
            self._loaded = self._build(state, progress=False) or loaded
            return self._loaded

    def _published(self) -> Pointer | None:
        """``CURRENT``, re-read only when the file was replaced (a ``stat`` per call)."""
        if self.directory is None:
            return None
        path = self.directory / _POINTER
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._pointer is not None and self._pointer[0] == stamp:
            return self._pointer[1]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pointer: Pointer | None = Pointer(str(data["name"]), str(data["state"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring %s (%s)", path, exc)
            pointer = None
        self._pointer = (stamp, pointer)
        return pointer

    def _open(self, pointer: Pointer) -> SparseIndex | None:
        assert self.directory is not None
        path = self.directory / pointer.name
        if not path.is_dir():
            return None  # replaced and removed meanwhile: the pointer will say what is current
        try:
            return SparseIndex.load(path)
        except Exception as exc:  # noqa: BLE001 - any damage means "rebuild it", never a failed question
            log.warning("ignoring the saved keyword index in %s (%s); rebuilding it", path, exc)
            shutil.rmtree(path, ignore_errors=True)  # renamed into place whole, so damaged for good
            return None

    # -- building ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def exclusive(self, timeout_s: float = -1) -> Iterator[None]:
        """Hold the build lock (an ingestion does, from start to end), so no reader builds an index of a
        half-ingested store; they serve the published one meanwhile. Re-entrant in one thread.
        Raises ``IngestLockError`` if another process still holds it after ``timeout_s`` (-1: wait)."""
        with self._build_lock(blocking=True, timeout_s=timeout_s) as mine:
            if not mine:
                from assistant.ingest.locking import IngestLockError

                raise IngestLockError(
                    f"another process is still building the keyword index in {self.directory} after waiting {timeout_s:g} s; "
                    "try again when it has finished"
                )
            yield

    def build(self, progress: bool = False) -> SparseIndex | None:
        """Build the index of the store's current state and publish it (ingestion calls this)."""
        with self._build_lock(blocking=True):
            state = self.store.state(fresh=True)
            built = None if self.store.is_empty() else self._build(state, progress)
            with self._lock:
                self._loaded = built
            return built

    @contextlib.contextmanager
    def _build_lock(self, blocking: bool, timeout_s: float = -1) -> Iterator[bool]:
        from filelock import FileLock, Timeout

        if self.directory is not None and self._file_lock is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._file_lock = FileLock(str(self.directory / _LOCK))
            except OSError:
                pass  # unwritable: nothing can be published either; builds stay in this process
        if self._file_lock is None:
            yield True
            return
        try:
            self._file_lock.acquire(timeout=timeout_s if blocking else 0)
        except Timeout:
            yield False
            return
        except OSError:
            yield True  # the lock file can't be opened (read-only storage): build for this process only
            return
        try:
            yield True
        finally:
            self._file_lock.release()

    def _build(self, state: str, progress: bool) -> SparseIndex | None:
        """One pass over the committed chunks, a page at a time; published if the store did not change meanwhile."""
        started = time.perf_counter()
        builder = SparseBuilder()
        pages = self.store.iter_chunks(_PAGE)
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=self.store.count(), desc="Keyword index", unit="chunk", file=sys.stderr)
        for ids, texts, metas in pages:
            builder.add(ids, texts, metas)
            if progress:
                bar.update(len(ids))
        if progress:
            bar.close()
        if not len(builder):
            return None
        unchanged = self.store.state(fresh=True) == state  # else a write landed while we read: use, don't publish
        index = None
        if self.directory is not None and unchanged:
            index = self._save_and_publish(builder, state)
        if index is None:
            index = _private(builder, state)
        log.info("built the keyword index of %d chunks in %.1f s", len(builder), time.perf_counter() - started)
        return index

    def _save_and_publish(self, builder: SparseBuilder, state: str) -> SparseIndex | None:
        assert self.directory is not None
        name = re.sub(r"[^A-Za-z0-9_-]", "_", state)
        target = self.directory / name
        tmp = self.directory / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir(parents=True)
            builder.save(tmp, state)
            try:
                os.replace(tmp, target)  # readers see a whole index or none
            except OSError:
                if not (target / "keyword.json").is_file():
                    raise
                # another process published the same state first: theirs serves
            previous = self._published()
            pointer_tmp = self.directory / f".tmp-{_POINTER}-{uuid.uuid4().hex[:8]}"
            pointer_tmp.write_text(json.dumps({"name": name, "state": state}), encoding="utf-8")
            os.replace(pointer_tmp, self.directory / _POINTER)
            index = SparseIndex.load(target)
        except OSError as exc:
            log.warning("could not save the keyword index to %s: %s", self.directory, exc)
            return None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        keep = {name, _POINTER, _LOCK} | ({previous.name} if previous else set())  # a reader may be opening the previous one
        for other in self.directory.iterdir():
            try:
                if other.name in keep or (other.name.startswith(".tmp-") and time.time() - other.stat().st_mtime < _STALE_TMP_S):
                    continue
            except OSError:
                continue
            shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
        return index


def _private(builder: SparseBuilder, state: str) -> SparseIndex:
    """An index for this process only, in a temporary directory removed with it."""
    path = Path(tempfile.mkdtemp(prefix="ics-keyword-"))
    builder.save(path, state)
    index = SparseIndex.load(path)
    weakref.finalize(index, shutil.rmtree, path, True)
    return index


class KeywordRetriever(BaseRetriever):
    """BM25 over a saved index: the top ``top_k`` chunks as ``NodeWithScore``s, texts read from the store.

    Scores and order are ``BM25Retriever``'s (same tokenizer, same matrix, same ``bm25s`` ranking) for
    the question without its question words (``keyword_query``);
    ``mask`` (rows a filter allows) is applied before ranking, and rows it excludes are never returned.
    """

    def __init__(
        self, index: SparseIndex, store: ChunkStore, *, top_k: int, mask: np.ndarray | None = None, extra_terms: Sequence[str] = (),
        synonym_terms: Mapping[str, float] | None = None,
    ) -> None:
        self.index = index
        self.store = store
        self.top_k = top_k
        self.mask = mask
        self.extra_terms = [t for t in dict.fromkeys(extra_terms) if index.has_term(t)]
        self.synonym_terms = {t: w for t, w in (synonym_terms or {}).items() if index.has_term(t) and t not in self.extra_terms}
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        weight = self.mask.astype(np.float32) if self.mask is not None else None
        tokens = tokenize_query(keyword_query(query_bundle.query_str))
        if self.extra_terms or self.synonym_terms:
            rows, scores = self._with_extra_terms(tokens, weight)
        else:
            found = self.index.bm25.retrieve(tokens, k=self.top_k, show_progress=False, weight_mask=weight)
            rows, scores = found[0][0], found[1][0]
        if self.mask is not None:
            keep = self.mask[rows]
            rows, scores = rows[keep], scores[keep]
        ids = [self.index.chunk_id(int(r)) for r in rows]
        nodes = self.store.nodes_by_id(ids)  # committed ones only: a stale index never resurrects a removed chunk
        return [NodeWithScore(node=nodes[cid], score=float(s)) for cid, s in zip(ids, scores) if cid in nodes]

    def _with_extra_terms(self, tokens: Any, weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The query's BM25 scores plus ``variants.WEIGHT`` times the extra terms' and each synonym term's own
        weight times its scores, best ``top_k`` (score > 0)."""
        bm25 = self.index.bm25
        words = {i: t for t, i in tokens.vocab.items()}
        own = [words[i] for i in tokens.ids[0] if bm25.vocab_dict.get(words[i]) is not None]
        scores = bm25.get_scores(own, weight_mask=weight) if own else np.zeros(self.index.chunks, dtype=np.float32)
        if self.extra_terms:
            scores = scores + np.float32(WEIGHT) * bm25.get_scores(self.extra_terms, weight_mask=weight)
        for term, factor in self.synonym_terms.items():
            scores = scores + np.float32(factor) * bm25.get_scores([term], weight_mask=weight)
        rows = np.argsort(-scores, kind="stable")[: self.top_k]
        rows = rows[scores[rows] > 0]
        return rows, scores[rows]
