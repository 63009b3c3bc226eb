"""One ingestion at a time per index: an inter-process lock file next to the index.

Two ingestions interleaving on one index would each remove the other's "orphan" chunks, so the
second one waits (``timeout_s``, setting ``ingest_lock_timeout_s``) and then gives up with a one-line error.
The lock is an ``flock`` (via ``filelock``): the kernel drops it when its process dies, so a
crashed or killed ingestion never leaves a stale lock behind.

- embedded index: ``<index_dir>/ingest.lock``;
- Chroma server (``chroma_host``): a local file named after host, port and collection in the
  temp directory. It serialises ingestions started on this machine only; a shared server fed from
  several machines needs one machine to do the ingesting.

Example::

    >>> with ingest_lock(lock_path(store), timeout_s=600, location=store.location):
    ...     ingest_paths(["corpus"], store, embed_model)
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pydantic import NonNegativeFloat

from assistant.errors import checked
from assistant.ingest.chroma import StoreError
from assistant.ingest.store import ChunkStore

log = logging.getLogger(__name__)

LOCK_NAME = "ingest.lock"


class IngestLockError(StoreError):
    """Another ingestion holds the index for longer than we were willing to wait (one line)."""


def lock_path(store: ChunkStore) -> Path:
    """Where the ingest lock of a store lives (pure)."""
    if store.index_dir is None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{store.chroma_host}-{store.chroma_port}-{store.collection}")
        return Path(tempfile.gettempdir()) / "ics-assistant-locks" / f"{slug}.lock"
    return store.index_dir / LOCK_NAME


def holder_description(path: Path) -> str:
    """``pid N, started at HH:MM:SS`` of the lock's holder, as far as its info file tells."""
    try:
        info = json.loads(_info_path(path).read_text(encoding="utf-8"))
        started = datetime.fromtimestamp(float(info["started"])).isoformat(sep=" ", timespec="seconds")
        return f"pid {int(info['pid'])}, started at {started}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"


@contextmanager
def ingest_lock(
    path: Path,
    *,
    timeout_s: float = 600.0,
    location: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the ingest lock file ``path`` (see ``lock_path``) for the ``with`` block; wait up to ``timeout_s`` for it.

    ``location`` names the index in messages; ``on_wait`` receives the one-line "waiting" message
    (default: a log warning). Raises ``IngestLockError`` when the lock is still held after the timeout.
    """
    from filelock import FileLock, Timeout

    timeout = checked("timeout_s", timeout_s, NonNegativeFloat)
    where = location or str(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the ingest lock in {path.parent}: {exc.strerror or exc}") from None
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:
            raise IngestLockError(
                f"another ingestion is running on {where} ({holder_description(path)}); "
                "try again when it has finished (or set ingest_lock_timeout_s to wait for it)"
            ) from None
        message = f"another ingestion is running ({holder_description(path)}); waiting up to {timeout:g} s..."
        (on_wait or log.warning)(message)
        try:
            lock.acquire(timeout=timeout, poll_interval=0.2)
        except Timeout:
            raise IngestLockError(
                f"another ingestion is still running on {where} ({holder_description(path)}) "
                f"after waiting {timeout:g} s; try again when it has finished (setting ingest_lock_timeout_s)"
            ) from None
    except OSError as exc:
        raise StoreError(f"cannot take the ingest lock {path}: {exc.strerror or exc}") from None
    try:
        _write_info(path)
        yield path
    finally:
        try:
            _info_path(path).unlink(missing_ok=True)
        except OSError:  # a read-only info file must not mask the ingestion's own outcome
            pass
        lock.release()


def _info_path(path: Path) -> Path:
    return path.with_name(path.name + ".info")


def _write_info(path: Path) -> None:
    # Best effort: the info only makes the "waiting" message precise; the flock is the lock.
    info = _info_path(path)
    tmp = info.with_name(info.name + f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"pid": os.getpid(), "started": time.time()}), encoding="utf-8")
        os.replace(tmp, info)
    except OSError:
        log.debug("could not write %s", info, exc_info=True)
