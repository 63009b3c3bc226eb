"""The store: Chroma, embedded (``PersistentClient`` at ``index_dir``) or a server (``HttpClient``).

Two collections:

- ``<collection>``: one record per chunk (text, metadata, our embedding) via llama-index's
  ``ChromaVectorStore``;
- ``<collection>_documents``: the catalogue, one record per ingested document (path, content
  fingerprint, title, chunk count). Writing a document's catalogue record is the commit point of
  its ingestion: chunks of any other version of that document are orphans and are removed.

Why a catalogue in Chroma rather than llama-index's docstore: the docstore would be a second
state file beside Chroma, which a shared ``HttpClient`` deployment cannot see.

Example::

    >>> store = ChunkStore(Settings.load(index_dir="index"))
    >>> store.count(), len(store.documents())
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

_CATALOG_VECTOR = [1.0]  # the catalogue is looked up by id/metadata only; Chroma wants a vector
_PAGE = 5000  # records per Chroma get/delete call (below Chroma's max batch size)


class StoreError(RuntimeError):
    """The store cannot be opened or reached (one-line message for the user)."""


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


def make_client(settings: Settings) -> Any:
    """A Chroma client: ``HttpClient`` when ``chroma_host`` is set, else ``PersistentClient``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # chromadb raises a variety of connection errors
            raise StoreError(
                f"cannot reach the Chroma server at http://{settings.chroma_host}:{settings.chroma_port} "
                f"({type(exc).__name__}); is `chroma run` up?"
            ) from None
        return client
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except OSError as exc:
        raise StoreError(f"cannot open the index at {settings.index_dir}: {exc.strerror or exc}") from None


class ChunkStore:
    """Chunks and the document catalogue in Chroma; the only code that talks to Chroma."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.client = client if client is not None else make_client(settings)
        try:
            # embedding_function=None: Chroma must never fall back to its ONNX model (a download).
            self.chunks = self.client.get_or_create_collection(
                settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.catalog = self.client.get_or_create_collection(
                settings.collection + "_documents", embedding_function=None
            )
        except Exception as exc:
            raise StoreError(f"cannot open collection {settings.collection!r} at {settings.index_location}: {exc}") from None
        self._lock = threading.Lock()
        self._vector_store: ChromaVectorStore | None = None

    # -- reading ---------------------------------------------------------------------------------
    @property
    def vector_store(self) -> "ChromaVectorStore":
        if self._vector_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vector_store = ChromaVectorStore(chroma_collection=self.chunks)
        return self._vector_store

    def count(self) -> int:
        return int(self.chunks.count())

    def documents(self) -> dict[str, DocumentRecord]:
        """Catalogue: path → record."""
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

    def all_nodes(self) -> list["BaseNode"]:
        """Every chunk as a llama-index node (text and metadata, no embeddings)."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        nodes: list[BaseNode] = []
        total = self.count()
        for offset in range(0, total, _PAGE):
            got = self.chunks.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            for text, meta in zip(got["documents"] or [], got["metadatas"] or []):
                node = metadata_dict_to_node(meta, text=text)
                nodes.append(node)
        return nodes

    # -- writing ---------------------------------------------------------------------------------
    def write_document(self, record: DocumentRecord, nodes: Sequence["TextNode"]) -> int:
        """Store one document version: its chunks, then its catalogue record, then drop older chunks.

        Returns the number of stale chunks removed.
        """
        with self._lock:
            if nodes:
                # Deterministic ids: writing the same version twice upserts, never duplicates.
                self._upsert(nodes)
            self.catalog.upsert(ids=[_doc_id(record.path)], embeddings=[_CATALOG_VECTOR], metadatas=[record.to_metadata()])
            return self._delete_where({"$and": [{"path": record.path}, {"content_hash": {"$ne": record.fingerprint}}]})

    def delete_document(self, path: str) -> int:
        """Remove a document and its chunks; returns the number of chunks removed."""
        with self._lock:
            self.catalog.delete(ids=[_doc_id(path)])
            return self._delete_where({"path": path})

    def remove_orphans(self) -> int:
        """Delete chunks whose document version is not the catalogued one (left by a crash)."""
        current = {r.path: r.fingerprint for r in self.documents().values()}
        stale: list[str] = []
        total = self.count()
        for offset in range(0, total, _PAGE):
            got = self.chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"] or []):
                if current.get(str(meta.get("path"))) != meta.get("content_hash"):
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

