"""The keyword (BM25) index: built from the store's chunks, saved per store state, reloaded by new processes.

Rebuilding BM25 means reading every chunk back from Chroma and tokenising it (~75 s at 100k chunks),
so each process would pay it on its first question; it is saved per store state instead. The
corpus term statistics the answerer weighs words by are built and saved with it.

Example::

    >>> keywords = KeywordIndex(store, keyword_dir(store))
    >>> keywords.term_stats().df["hewitt"]
    >>> keywords.retriever(top_k=30, filters=None).retrieve("Hewitt Review targets")
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.ingest.store import ChunkStore
from assistant.text.terms import TermStats

if TYPE_CHECKING:
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.vector_stores.types import MetadataFilters

log = logging.getLogger(__name__)


@dataclass
class Bm25Cache:
    fingerprint: str = ""
    retriever: Any = None
    corpus: list[dict[str, Any]] = field(default_factory=list)
    stats: TermStats = field(default_factory=TermStats)


_STALE_TMP_S = 3600.0


def keyword_dir(store: ChunkStore, cache_dir: str | Path | None = None) -> Path:
    """Where the BM25 index of a store's collection is kept between processes.

    Beside the embedded store (``<index_dir>/bm25/<collection>``); for a Chroma server, in the
    local cache (``<cache_dir>/bm25/<host>_<port>/<collection>``, default ``$XDG_CACHE_HOME/ics-assistant``).
    """
    if store.index_dir is None:
        from assistant.ingest.embedding import default_cache_dir

        base = Path(cache_dir or default_cache_dir()) / "bm25" / f"{store.chroma_host}_{store.chroma_port}"
    else:
        base = store.index_dir / "bm25"
    return base / store.collection


class KeywordIndex:
    """BM25 over a store's committed chunks, and their term statistics; rebuilt only when the store changes.

    Saved under ``directory`` (one copy per store state, see ``keyword_dir``) and loaded from there
    by later processes; ``directory=None`` keeps it in memory only. Thread-safe.
    """

    def __init__(self, store: ChunkStore, directory: str | Path | None = None) -> None:
        self.store = store
        self.directory = Path(directory) if directory is not None else None
        self._cache = Bm25Cache()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeywordIndex({self.store.location!r}, directory={str(self.directory) if self.directory else None!r})"

    def current(self) -> Bm25Cache | None:
        """The index of the store's current state (loaded or built now if the store changed); None if it is empty."""
        from llama_index.retrievers.bm25 import BM25Retriever

        fingerprint = self.store.fingerprint()
        with self._lock:
            if self._cache.fingerprint != fingerprint or self._cache.retriever is None:
                cache = load_bm25(self.directory, fingerprint) if self.directory else None
                if cache is None:
                    nodes = self.store.all_nodes()
                    if not nodes:
                        return None
                    base = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=1)
                    base.bm25.corpus = base.corpus  # lets per-query retrievers share the index
                    stats = TermStats.from_texts(n.get_content() for n in nodes)
                    cache = Bm25Cache(fingerprint, base, base.corpus, stats)
                    if self.directory and self.store.fingerprint() == fingerprint:  # no write landed while the nodes were read
                        save_bm25(self.directory, cache)
                self._cache = cache
            return self._cache

    def is_saved(self) -> bool:
        """Whether the index of the store's current state is saved (a new process would load, not build, it)."""
        return self.directory is not None and (self.directory / self.store.fingerprint() / "termstats.json").is_file()

    def term_stats(self) -> TermStats:
        """Corpus document frequencies of the store's current state (empty for an empty store)."""
        cache = self.current()
        return cache.stats if cache is not None else TermStats()

    def retriever(self, top_k: int, filters: "MetadataFilters | None" = None) -> "BaseRetriever | None":
        """A BM25 retriever sharing the index (cheap, one per query); None when no chunk is left to search."""
        from llama_index.retrievers.bm25 import BM25Retriever

        cache = self.current()
        if cache is None:
            return None
        try:
            return BM25Retriever(
                existing_bm25=cache.retriever.bm25, stemmer=cache.retriever.stemmer, filters=filters,
                similarity_top_k=min(top_k, len(cache.corpus)),
            )
        except ValueError:  # every chunk filtered out: nothing for BM25 to say
            return None


def load_bm25(root: Path, fingerprint: str) -> Bm25Cache | None:
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
    return Bm25Cache(fingerprint, base, base.corpus, stats)


def save_bm25(root: Path, cache: Bm25Cache) -> None:
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

