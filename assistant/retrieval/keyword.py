"""The keyword (BM25) index: built from the store's chunks, saved per store state, reloaded by new processes.

Rebuilding BM25 means reading every chunk back from Chroma and tokenising it (~75 s at 100k chunks),
so each process would pay it on its first question; it is saved per store state instead.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from assistant.text.terms import TermStats

log = logging.getLogger(__name__)

@dataclass
class Bm25Cache:
    fingerprint: str = ""
    retriever: Any = None
    corpus: list[dict[str, Any]] = field(default_factory=list)
    stats: TermStats = field(default_factory=TermStats)


_STALE_TMP_S = 3600.0


def bm25_dir(settings: Settings) -> Path:
    """Where the BM25 index of ``settings``' collection is kept between processes.

    Beside the embedded store (``<index_dir>/bm25/<collection>``); for a Chroma server, in the
    local cache (``<model_cache_dir>/bm25/<host>_<port>/<collection>``).
    """
    if settings.chroma_host:
        from assistant.ingest.embedding import default_cache_dir

        base = (settings.model_cache_dir or default_cache_dir()) / "bm25" / f"{settings.chroma_host}_{settings.chroma_port}"
    else:
        base = settings.index_dir / "bm25"
    return base / settings.collection


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

