"""The store: Chroma, embedded (``PersistentClient`` at ``index_dir``) or a server (``HttpClient``).

Two collections:

- ``<collection>``: one record per chunk (text, metadata, our embedding) via llama-index's
  ``ChromaVectorStore``;
- ``<collection>_documents``: the catalogue, one record per ingested document (path, content
  fingerprint, title, chunk count). Writing a document's catalogue record is the commit point of
  its ingestion: chunks of any other version of that document are orphans and are removed.

Readers see committed versions only: ``all_nodes`` and the dense ``vector_store`` drop every
chunk whose ``content_hash`` is not its document's catalogued fingerprint. So a question asked
while an ingestion runs (or after one was killed) sees each document wholly in its old or wholly
in its new version, never a half-written or mixed one; orphans left by a crash are invisible and
removed by the next ingestion.

Why a catalogue in Chroma rather than llama-index's docstore: the docstore would be a second
state file beside Chroma, which a shared ``HttpClient`` deployment cannot see.

Example::

    >>> store = ChunkStore("index")                                    # embedded
    >>> store = ChunkStore(chroma_host="127.0.0.1", chroma_port=8000)   # a Chroma server
    >>> store.count(), len(store.documents())
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import AfterValidator

from assistant.errors import checked
from assistant.net import Port

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.core.vector_stores.types import VectorStoreQueryResult
    from llama_index.vector_stores.chroma import ChromaVectorStore

_CATALOG_VECTOR = [1.0]  # the catalogue is looked up by id/metadata only; Chroma wants a vector
_PAGE = 5000  # records per Chroma get/delete call (below Chroma's max batch size)
_CATALOG_MAX_AGE_S = 5.0  # a cached catalogue is re-read at least this often (mtime granularity is coarse)


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


def _server_errors(method: _F) -> _F:
    """A lost Chroma server becomes one clear ``StoreError``; the HTTP client reconnects by itself later."""

    @functools.wraps(method)
    def guarded(self: "ChunkStore", *args: Any, **kwargs: Any) -> Any:
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


@dataclass(frozen=True)
class DocumentRecord:
    """A catalogue entry: what the index holds for one source file."""

    path: str
    source: str
    title: str
    fingerprint: str
    chunks: int
    publisher: str = ""
    date: str = ""
    kind: str = ""

    def to_metadata(self) -> dict[str, Any]:
        return {
            "path": self.path, "source": self.source, "title": self.title, "fingerprint": self.fingerprint,
            "chunks": self.chunks, "publisher": self.publisher, "date": self.date, "kind": self.kind,
        }


def make_client(index_dir: Path | None, chroma_host: str | None = None, chroma_port: int = 8000) -> Any:
    """A Chroma client: ``HttpClient`` when ``chroma_host`` is given, else ``PersistentClient`` at ``index_dir``."""
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
            return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    except OSError as exc:
        raise StoreError(f"cannot open the index at {index_dir}: {exc.strerror or exc}") from None


def store_location(index_dir: Path | None, collection: str, chroma_host: str | None = None, chroma_port: int = 8000) -> str:
    """Human-readable location of a store (pure)."""
    if chroma_host:
        return f"chroma server http://{chroma_host}:{chroma_port} (collection {collection})"
    return f"{index_dir} (collection {collection})"


class ChunkStore:
    """Chunks and the document catalogue in Chroma; the only code that talks to Chroma.

    Args:
        index_dir: directory of the embedded store (``PersistentClient``); ignored with ``chroma_host``.
        collection: the chunks' collection (the catalogue is ``<collection>_documents``).
        chroma_host, chroma_port: a Chroma server (``chroma run``) to use through ``HttpClient``.
        client: an already open Chroma client (tests, notebooks); default one is opened.
    """

    def __init__(
        self,
        index_dir: str | Path | None = None,
        *,
        collection: str = "ics_policy",
        chroma_host: str | None = None,
        chroma_port: int = 8000,
        client: Any | None = None,
    ) -> None:
        if not chroma_host and index_dir is None and client is None:
            raise ValueError("ChunkStore needs index_dir (an embedded store) or chroma_host (a Chroma server)")
        self.chroma_host = chroma_host or None
        self.chroma_port: int = checked("chroma_port", chroma_port, Port)
        self.index_dir = None if self.chroma_host or index_dir is None else Path(index_dir)
        self.collection: str = checked("collection", collection, CollectionName)
        self.location = store_location(self.index_dir, self.collection, self.chroma_host, self.chroma_port)
        self.client = client if client is not None else make_client(self.index_dir, self.chroma_host, self.chroma_port)
        try:
            # embedding_function=None: Chroma must never fall back to its ONNX model (a download).
            self.chunks = self.client.get_or_create_collection(
                self.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.catalog = self.client.get_or_create_collection(
                self.collection + "_documents", embedding_function=None
            )
        except Exception as exc:
            raise StoreError(f"cannot open collection {self.collection!r} at {self.location}: {exc}") from None
        self._lock = threading.Lock()
        self._vector_store: ChromaVectorStore | None = None
        self._documents_cache: tuple[tuple[int, int], float, dict[str, DocumentRecord]] | None = None

    def __repr__(self) -> str:
        return f"ChunkStore({self.location!r})"

    # -- reading ---------------------------------------------------------------------------------
    @property
    def vector_store(self) -> "ChromaVectorStore":
        """llama-index's Chroma store over the chunks, answering from committed versions only."""
        if self._vector_store is None:
            self._vector_store = _committed_vector_store(self)
        return self._vector_store

    @_server_errors
    def current_versions(self) -> dict[str, str]:
        """path → fingerprint of each document's committed (catalogued) version."""
        return {r.path: r.fingerprint for r in self.documents().values()}

    def committed_only(self, result: "VectorStoreQueryResult") -> "VectorStoreQueryResult":
        """``result`` without chunks of uncommitted or superseded document versions."""
        from llama_index.core.vector_stores.types import VectorStoreQueryResult

        nodes = result.nodes or []
        if not nodes:
            return result
        current = self.current_versions()
        keep = [i for i, n in enumerate(nodes) if is_committed(n.metadata, current)]
        if len(keep) == len(nodes):
            return result
        sims, ids = result.similarities, result.ids
        return VectorStoreQueryResult(
            nodes=[nodes[i] for i in keep],
            similarities=[sims[i] for i in keep] if sims else sims,
            ids=[ids[i] for i in keep] if ids else ids,
        )

    @_server_errors
    def count(self) -> int:
        return int(self.chunks.count())

    @_server_errors
    def documents(self) -> dict[str, DocumentRecord]:
        """Catalogue: path → record.

        Every query needs it (versions, BM25 freshness), and reading 1,000 records costs tens of ms:
        it is re-read only when the store's SQLite file changed (any process's write), after this
        process's own writes, or after ``_CATALOG_MAX_AGE_S``.
        """
        stamp = self._catalog_stamp()
        cached = self._documents_cache
        if stamp is not None and cached is not None and cached[0] == stamp and time.monotonic() - cached[1] < _CATALOG_MAX_AGE_S:
            return dict(cached[2])
        read_at = time.monotonic()
        out = self._read_documents()
        self._documents_cache = (stamp, read_at, out) if stamp is not None else None
        return dict(out)

    def _catalog_stamp(self) -> tuple[int, int] | None:
        """mtime and size of the embedded store's SQLite file (None for a Chroma server)."""
        if self.index_dir is None:
            return None
        try:
            st = (self.index_dir / "chroma.sqlite3").stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _read_documents(self) -> dict[str, DocumentRecord]:
        out: dict[str, DocumentRecord] = {}
        for offset in range(0, max(1, self.catalog.count()), _PAGE):
            got = self.catalog.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for meta in got["metadatas"] or []:
                rec = DocumentRecord(**{k: meta.get(k, "") for k in DocumentRecord.__dataclass_fields__})  # type: ignore[arg-type]
                out[rec.path] = rec
        return out

    def fingerprint(self) -> str:
        """Changes whenever any document is added, changed or removed (cache key for BM25)."""
        docs = sorted((r.path, r.fingerprint) for r in self.documents().values())
        return hashlib.sha1(json.dumps(docs).encode()).hexdigest()

    @_server_errors
    def all_nodes(self) -> list["BaseNode"]:
        """Every chunk as a llama-index node (text and metadata, no embeddings)."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        nodes: list[BaseNode] = []
        # The catalogue is read first: chunks of a version committed after this read are left out
        # until the next call, never mixed with the version they replace.
        current = self.current_versions()
        total = self.count()
        for offset in range(0, total, _PAGE):
            got = self.chunks.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            for text, meta in zip(got["documents"] or [], got["metadatas"] or []):
                if is_committed(meta, current):
                    nodes.append(metadata_dict_to_node(meta, text=text))
        return nodes

    # -- writing ---------------------------------------------------------------------------------
    @_server_errors
    def write_document(self, record: DocumentRecord, nodes: Sequence["TextNode"]) -> int:
        """Store one document version: its chunks, then its catalogue record, then drop older chunks.

        Returns the number of stale chunks removed.
        """
        with self._lock:
            self._documents_cache = None
            if nodes:
                # Deterministic ids: writing the same version twice upserts, never duplicates.
                self._upsert(nodes)
            self.catalog.upsert(ids=[_doc_id(record.path)], embeddings=[_CATALOG_VECTOR], metadatas=[record.to_metadata()])
            self._documents_cache = None  # again: a reader may have cached the catalogue mid-write
            return self._delete_where({"$and": [{"path": record.path}, {"content_hash": {"$ne": record.fingerprint}}]})

    @_server_errors
    def delete_document(self, path: str) -> int:
        """Remove a document and its chunks; returns the number of chunks removed."""
        with self._lock:
            self.catalog.delete(ids=[_doc_id(path)])
            self._documents_cache = None
            return self._delete_where({"path": path})

    @_server_errors
    def remove_orphans(self) -> int:
        """Delete chunks whose document version is not the catalogued one (left by a crash)."""
        current = self.current_versions()
        stale: list[str] = []
        total = self.count()
        for offset in range(0, total, _PAGE):
            got = self.chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"] or []):
                if not is_committed(meta, current):
                    stale.append(cid)
        for i in range(0, len(stale), _PAGE):
            self.chunks.delete(ids=stale[i:i + _PAGE])
        return len(stale)

    def _upsert(self, nodes: Sequence["TextNode"]) -> None:
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        for i in range(0, len(nodes), _PAGE):
            batch = nodes[i:i + _PAGE]
            self.chunks.upsert(
                ids=[n.node_id for n in batch],
                embeddings=[n.get_embedding() for n in batch],
                metadatas=[node_to_metadata_dict(n, remove_text=True, flat_metadata=True) for n in batch],
                documents=[n.get_content() for n in batch],
            )

    def _delete_where(self, where: dict[str, Any]) -> int:
        ids = self.chunks.get(where=where, include=[])["ids"]
        for i in range(0, len(ids), _PAGE):
            self.chunks.delete(ids=ids[i:i + _PAGE])
        return len(ids)


def _doc_id(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()


def is_committed(chunk_metadata: Any, current: dict[str, str]) -> bool:
    """Whether a chunk belongs to its document's catalogued version (pure)."""
    meta = chunk_metadata or {}
    fingerprint = current.get(str(meta.get("path")))
    return fingerprint is not None and fingerprint == meta.get("content_hash")


def _committed_vector_store(store: ChunkStore) -> "ChromaVectorStore":
    """A ``ChromaVectorStore`` whose queries drop chunks of uncommitted versions.

    Subclassed rather than filtered with a Chroma ``where``: the committed fingerprint differs per
    document, and a where clause listing every document would grow with the corpus.
    """
    from llama_index.core.vector_stores.types import VectorStoreQuery
    from llama_index.vector_stores.chroma import ChromaVectorStore

    class CommittedChromaVectorStore(ChromaVectorStore):
        def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
            return store.committed_only(_query(store, self, query, **kwargs))

    @_server_errors
    def _query(_store: ChunkStore, vector_store: ChromaVectorStore, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        return ChromaVectorStore.query(vector_store, query, **kwargs)

    return CommittedChromaVectorStore(chroma_collection=store.chunks)  # type: ignore[call-arg]

