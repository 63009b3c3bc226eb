"""The Chroma client and its failures: which client a store opens (embedded or a server), and one
clear ``StoreError`` for a store that cannot be opened or reached.

Kept apart from ``store.py`` (what the store holds and how readers see it) so that the settings and
the CLI can name a store's location and its error without loading the store.

Example::

    >>> client = make_client(Path("index"))                          # PersistentClient
    >>> client = make_client(None, chroma_host="127.0.0.1")          # HttpClient, heartbeat checked
    >>> store_location(Path("index"), "ics")
    'index (collection ics)'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator


class StoreError(RuntimeError):
    """The store cannot be opened or reached (one-line message for the user)."""


def _collection_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ValueError(f"collection must be letters, digits, '_' or '-', got {name!r}")
    return name


CollectionName = Annotated[str, AfterValidator(_collection_name)]


_F = TypeVar("_F", bound=Callable[..., Any])
# httpx's transport failures (server down, restarting, timing out) as the HttpClient raises them.
_CONNECTION_ERRORS = {"TransportError", "NetworkError", "ConnectError", "TimeoutException", "RemoteProtocolError"}


def _is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, (ConnectionError, TimeoutError)) or any(
        cls.__name__ in _CONNECTION_ERRORS and cls.__module__.startswith("httpx") for cls in type(exc).__mro__
    )


def server_errors(method: _F) -> _F:
    """A lost Chroma server becomes one clear ``StoreError``; the HTTP client reconnects by itself later."""

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            if self.chroma_host and _is_connection_error(exc):
                raise StoreError(
                    f"lost the connection to the Chroma server at http://{self.chroma_host}:{self.chroma_port} "
                    f"({type(exc).__name__}); is `chroma run` up? Try again when it is back"
                ) from None
            raise

    return guarded  # type: ignore[return-value]


def make_client(index_dir: Path | None, chroma_host: str | None = None, chroma_port: int = 8000) -> Any:
    """A Chroma client: ``HttpClient`` when ``chroma_host`` is given, else ``PersistentClient`` at ``index_dir``.

    An embedded client gets a Chroma ``System`` of its own, loaded from disk now. Chroma shares one System per
    path in a process, and a System's in-memory vector index never sees another process's writes: a client
    opened later on the same path would inherit that stale index (``ChunkStore`` reopens when another process
    commits; tests/test_concurrency.py).
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_host:
        try:
            client = chromadb.HttpClient(host=chroma_host, port=chroma_port, settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # chromadb raises a variety of connection errors
            raise StoreError(
                f"cannot reach the Chroma server at http://{chroma_host}:{chroma_port} "
                f"({type(exc).__name__}); is `chroma run` up?"
            ) from None
        return client
    assert index_dir is not None
    from filelock import FileLock

    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        # Chroma creates its tables on first open without a cross-process guard: two processes
        # opening a new index at once fail with "table collections already exists" (seen in CI).
        with FileLock(str(index_dir / "open.lock")):
            _forget_shared_system(str(index_dir))
            return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    except OSError as exc:
        raise StoreError(f"cannot open the index at {index_dir}: {exc.strerror or exc}") from None


def _forget_shared_system(path: str) -> None:
    """Make the next ``PersistentClient`` at ``path`` start its own System (clients already open keep theirs).

    Chroma has no public way to ask for this; its per-process registry is a class attribute keyed by the path.
    The System is not stopped: other clients may still use it, and it is freed with the last of them.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_system.pop(path, None)


def store_location(index_dir: Path | None, collection: str, chroma_host: str | None = None, chroma_port: int = 8000) -> str:
    """Human-readable location of a store (pure)."""
    if chroma_host:
        return f"chroma server http://{chroma_host}:{chroma_port} (collection {collection})"
    return f"{index_dir} (collection {collection})"
