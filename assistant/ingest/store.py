"""The store: Chroma, embedded (``PersistentClient`` at ``index_dir``) or a server (``HttpClient``).

Three collections:

- ``<collection>``: one record per chunk (text, metadata, our embedding) via llama-index's
  ``ChromaVectorStore``;
- ``<collection>_documents``: the catalogue, one record per ingested document (path, content
  fingerprint, title, chunk count; a file with the same content as an indexed one has a chunkless
  ``copy`` record, ``ingest.copies``). Writing a document's catalogue record is the commit point of
  its ingestion: chunks of any other version of that document are orphans and are removed.
- ``<collection>_state``: one record, a token replaced by every commit (``state()``). Readers in
  any process compare it, one small read, instead of re-reading the catalogue, which at 100,000
  documents is seconds: it keys the keyword index and the cache of committed versions.

Readers see committed versions only: ``all_nodes``, ``iter_chunks``, ``nodes_by_id`` and the dense
``vector_store`` drop every chunk whose ``content_hash`` is not its document's catalogued
fingerprint, looked up for the documents at hand only (``versions``). So a question asked
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

import dataclasses
import hashlib
import json
import math
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import checked
from assistant.ingest.chroma import CollectionName, StoreError, make_client, server_errors, store_location
from assistant.ingest.copies import COPY_STATUS
from assistant.net import Port

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.core.vector_stores.types import VectorStoreQueryResult
    from llama_index.vector_stores.chroma import ChromaVectorStore

_CATALOG_VECTOR = [1.0]  # the catalogue is looked up by id/metadata only; Chroma wants a vector
_PAGE = 5000  # records per Chroma get/delete call (below Chroma's max batch size)
_STATE_ID = "state"
_STATE_TTL_S = 0.5  # state() is re-read at most this often: one question asks for it several times
_VERSIONS_MAX = 100_000  # committed versions cached per state (paths); beyond, the cache starts over


@dataclass(frozen=True)
class DocumentRecord:
    """A catalogue entry: what the index holds for one source file.

    ``version`` … ``superseded_by`` are the document's facts as it or its manifest gives them
    (``ingest.facts``; lists joined with ``; ``). ``successor``, ``successor_date`` and ``replaced``
    are its standing, resolved over the whole catalogue after each ingestion (``ingest.lineage``):
    the title of the current document that supersedes it (``""`` while it is current) and what it
    replaced. ``status`` is ``""`` for the indexed version of a file and ``"earlier"`` for an earlier
    version kept for its facts only (no chunks) when the new one says it supersedes it, and ``"copy"``
    for a file with the same content as the indexed document ``copy_of`` (no chunks; ``ingest.copies``).
    ``content_key`` keys the file's bytes and format (``""`` in records written before it existed).
    """

    path: str
    source: str
    title: str
    fingerprint: str
    chunks: int
    publisher: str = ""
    date: str = ""
    kind: str = ""
    version: str = ""
    reference: str = ""
    period: str = ""
    supersedes: str = ""
    superseded_by: str = ""
    successor: str = ""
    successor_date: str = ""
    replaced: str = ""
    status: str = ""
    content_key: str = ""
    copy_of: str = ""

    def to_metadata(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


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
        # An embedded store we opened is reopened when another process commits (``state``): Chroma's embedded
        # client keeps its vector index in memory and never sees another process's writes.
        self._reopens = client is None and self.index_dir is not None
        self.client = client if client is not None else make_client(self.index_dir, self.chroma_host, self.chroma_port)
        self._open_collections()
        self._lock = threading.RLock()  # writes, and a reopen (``state`` may be read while writing)
        self._cache_lock = threading.Lock()  # the readers' caches
        self._vector_store: ChromaVectorStore | None = None
        self._state: tuple[str, float] | None = None  # (token, read at)
        self._state_seen = ""  # the last token read or written by this store
        self._documents_cache: tuple[str, dict[str, DocumentRecord]] | None = None
        self._versions: tuple[str, dict[str, DocumentRecord | None]] = ("", {})

    def __repr__(self) -> str:
        return f"ChunkStore({self.location!r})"

    def _open_collections(self) -> None:
        try:
            # embedding_function=None: Chroma must never fall back to its ONNX model (a download).
            self.chunks = self.client.get_or_create_collection(
                self.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.catalog = self.client.get_or_create_collection(
                self.collection + "_documents", embedding_function=None
            )
            self.state_record = self.client.get_or_create_collection(self.collection + "_state", embedding_function=None)
        except Exception as exc:
            raise StoreError(f"cannot open collection {self.collection!r} at {self.location}: {exc}") from None

    def _reopen(self) -> None:
        """Open the embedded index again, from disk, so that searches see what another process wrote."""
        self.client = make_client(self.index_dir)
        self._open_collections()
        if self._vector_store is not None:
            self._vector_store._collection = self.chunks  # the retrievers built on it keep working

    # -- reading ---------------------------------------------------------------------------------
    @property
    def vector_store(self) -> "ChromaVectorStore":
        """llama-index's Chroma store over the chunks, answering from committed versions only."""
        if self._vector_store is None:
            self._vector_store = _committed_vector_store(self)
        return self._vector_store

    @server_errors
    def current_versions(self) -> dict[str, str]:
        """path → fingerprint of every document's committed (catalogued) version (reads the whole catalogue)."""
        return {r.path: r.fingerprint for r in self.documents().values()}

    @server_errors
    def versions(self, paths: Iterable[str]) -> dict[str, str]:
        """path → committed fingerprint for these documents only (absent: not in the catalogue).

        Looked up by id and cached until the store's state changes, so a question costs a read of
        the few documents its candidates come from, whatever the size of the catalogue.
        """
        return {p: r.fingerprint for p, r in self._records(paths).items()}

    def _records(self, paths: Iterable[str]) -> dict[str, DocumentRecord]:
        """path → indexed record of these documents (by id, cached per store state: versions and standing share it)."""
        wanted = list(dict.fromkeys(paths))
        state = self.state()
        with self._cache_lock:
            if self._versions[0] != state or len(self._versions[1]) > _VERSIONS_MAX:
                self._versions = (state, {})
            known = self._versions[1]
            out = {p: known[p] for p in wanted if p in known}
        found: dict[str, DocumentRecord | None] = {p: None for p in wanted if p not in out}  # None: not catalogued
        missing = list(found)
        for i in range(0, len(missing), _PAGE):
            got = self.catalog.get(ids=[_doc_id(p) for p in missing[i:i + _PAGE]], include=["metadatas"])
            for meta in got["metadatas"] or []:
                if meta and meta.get("path") in found and not meta.get("status"):
                    found[str(meta["path"])] = _record(meta)
        with self._cache_lock:
            if self._versions[0] == state:
                self._versions[1].update(found)
        out.update(found)
        return {p: r for p, r in out.items() if r is not None}

    def committed_only(self, result: "VectorStoreQueryResult") -> "VectorStoreQueryResult":
        """``result`` without chunks of uncommitted or superseded document versions."""
        from llama_index.core.vector_stores.types import VectorStoreQueryResult

        nodes = result.nodes or []
        if not nodes:
            return result
        current = self.versions(str(n.metadata.get("path")) for n in nodes)
        keep = [i for i, n in enumerate(nodes) if is_committed(n.metadata, current)]
        if len(keep) == len(nodes):
            return result
        sims, ids = result.similarities, result.ids
        return VectorStoreQueryResult(
            nodes=[nodes[i] for i in keep],
            similarities=[sims[i] for i in keep] if sims else sims,
            ids=[ids[i] for i in keep] if ids else ids,
        )

    @server_errors
    def count(self) -> int:
        """Chunks stored, committed or not (Chroma counts them: ~0.1 s at 100,000; not for every question)."""
        return int(self.chunks.count())

    @server_errors
    def warm(self) -> None:
        """Make Chroma load the chunks' vector index now (an embedded store loads it on first read)."""
        self.chunks.get(limit=1, include=[])

    @server_errors
    def document_count(self) -> int:
        """Documents in the catalogue (cheap)."""
        return int(self.catalog.count())

    def is_empty(self) -> bool:
        """No document is indexed (cheap: asked on every question)."""
        return self.document_count() == 0

    @server_errors
    def state(self, fresh: bool = False) -> str:
        """A token that changes with every commit (a document written or removed), in any process.

        Re-read at most every ``_STATE_TTL_S`` unless ``fresh`` (this process's own writes are seen at
        once). A store written before the token existed gets one named after its catalogue until its
        next write.
        """
        cached = self._state
        if not fresh and cached is not None and time.monotonic() - cached[1] < _STATE_TTL_S:
            return cached[0]
        read_at = time.monotonic()
        got = self.state_record.get(ids=[_STATE_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        token = str(metas[0].get("token")) if metas and metas[0] else "catalogue-" + self.fingerprint(cached=False)
        with self._cache_lock:
            changed = cached is not None and token != self._state_seen
            self._state = (token, read_at)
            self._state_seen = token
        if changed and self._reopens:  # another process committed (this one's commits set the token they write)
            with self._lock:
                self._reopen()
        return token

    @server_errors
    def ensure_state(self) -> None:
        """Give a store written before the state token existed one (ingestion does, so readers stop deriving it).

        Read fresh first: a writer reopens on another process's commit before it writes (``state``)."""
        self.state(fresh=True)
        if not self.state_record.get(ids=[_STATE_ID], include=[])["ids"]:
            self._new_state()

    @server_errors
    def documents(self) -> dict[str, DocumentRecord]:
        """Catalogue: path → record (read in pages; cached until the store's state changes).

        Ingestion and ``status`` need it; questions don't (they use ``versions`` and ``state``).
        """
        state = self.state()
        cached = self._documents_cache
        if cached is not None and cached[0] == state:
            return dict(cached[1])
        out = {rec.path: rec for page in self.iter_documents() for rec in page}
        self._documents_cache = (state, out)
        return dict(out)

    @server_errors
    def iter_documents(self, page: int = _PAGE) -> Iterator[list[DocumentRecord]]:
        """The catalogue, a page of records at a time (memory bounded by the page, not the library)."""
        fields = DocumentRecord.__dataclass_fields__
        offset = 0
        while True:
            got = self.catalog.get(include=["metadatas"], limit=page, offset=offset)
            metas = got["metadatas"] or []
            if not metas:
                return
            # status records are earlier versions' facts (earlier_versions), not indexed documents
            yield [DocumentRecord(**{k: meta.get(k, "") for k in fields}) for meta in metas if not meta.get("status")]  # type: ignore[arg-type]
            offset += len(metas)

    def fingerprint(self, cached: bool = True) -> str:
        """A hash of the catalogue's (path, fingerprint) pairs: the same documents give the same value."""
        records = self.documents().values() if cached else (r for page in self.iter_documents() for r in page)
        docs = sorted((r.path, r.fingerprint) for r in records)
        return hashlib.sha1(json.dumps(docs).encode()).hexdigest()

    @server_errors
    def iter_chunks(self, page: int = _PAGE) -> Iterator[tuple[list[str], list[str], list[dict[str, Any]]]]:
        """Committed chunks as ``(ids, texts, flat metadata)``, a page at a time, in the store's order."""
        offset = 0
        while True:
            got = self.chunks.get(include=["documents", "metadatas"], limit=page, offset=offset)
            ids, texts, metas = got["ids"], got["documents"] or [], got["metadatas"] or []
            if not ids:
                return
            offset += len(ids)
            current = self.versions(str((m or {}).get("path")) for m in metas)
            keep = [i for i, m in enumerate(metas) if is_committed(m, current)]
            yield [ids[i] for i in keep], [texts[i] for i in keep], [dict(metas[i]) for i in keep]

    @server_errors
    def all_nodes(self) -> list["BaseNode"]:
        """Every committed chunk as a llama-index node (text and metadata, no embeddings); small stores only."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        return [metadata_dict_to_node(m, text=t) for _, texts, metas in self.iter_chunks() for t, m in zip(texts, metas)]

    @server_errors
    def nodes_by_id(self, ids: Sequence[str]) -> dict[str, "BaseNode"]:
        """The committed chunks among ``ids`` as nodes, by id (missing or superseded ones left out)."""
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        if not ids:
            return {}
        got = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        metas = got["metadatas"] or []
        current = self.versions(str((m or {}).get("path")) for m in metas)
        return {
            cid: metadata_dict_to_node(meta, text=text)
            for cid, text, meta in zip(got["ids"], got["documents"] or [], metas)
            if is_committed(meta, current)
        }

    @server_errors
    def next_chunk(self, chunk_id: str) -> "BaseNode | None":
        """The chunk after ``chunk_id`` in its document (ids are made from path, content and index: ``chunking.chunk_id``),
        or None at the document's end or when ``chunk_id`` is not a committed chunk."""
        return self._chunk_beside(chunk_id, 1)

    @server_errors
    def previous_chunk(self, chunk_id: str) -> "BaseNode | None":
        """The chunk before ``chunk_id`` in its document, or None at the document's start or when ``chunk_id`` is not a
        committed chunk (``next_chunk`` the other way)."""
        return self._chunk_beside(chunk_id, -1)

    def _chunk_beside(self, chunk_id: str, step: int) -> "BaseNode | None":
        from assistant.ingest.chunking import chunk_id as make_id

        got = self.chunks.get(ids=[chunk_id], include=["metadatas"])
        meta = (got["metadatas"] or [None])[0]
        if not meta or "chunk_index" not in meta or int(meta["chunk_index"]) + step < 0:
            return None
        beside = make_id(str(meta.get("path", "")), str(meta.get("content_hash", "")), int(meta["chunk_index"]) + step)
        return self.nodes_by_id([beside]).get(beside)

    @server_errors
    def query_with_field(
        self, vector: Sequence[float], top_k: int, where: dict[str, Any] | None, key: str
    ) -> tuple["VectorStoreQueryResult", dict[str, Any]]:
        """The dense search ``vector_store`` does (committed chunks, ``exp(-distance)`` scores, a Chroma
        ``where``), and the raw metadata value ``key`` of each chunk found (``write_document``'s
        ``extra``), read in the same call."""
        from llama_index.core.vector_stores.types import VectorStoreQueryResult
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        got = self.chunks.query(query_embeddings=[list(vector)], n_results=top_k, where=where or None,
                                include=["documents", "metadatas", "distances"])
        # A record without metadata was removed while the query ran (an ingestion replacing it): left out,
        # as the version check would leave it out.
        rows = [row for row in zip(got["ids"][0], (got["documents"] or [[]])[0], (got["metadatas"] or [[]])[0],
                                   (got["distances"] or [[]])[0]) if row[2]]
        result = VectorStoreQueryResult(
            nodes=[metadata_dict_to_node(m, text=t) for _, t, m, _ in rows],
            similarities=[math.exp(-d) for *_, d in rows], ids=[cid for cid, *_ in rows],
        )
        return self.committed_only(result), {cid: m[key] for cid, _, m, _ in rows if key in m}

    @server_errors
    def chunk_ids_where(self, where: dict[str, Any]) -> list[str]:
        """Ids of the chunks whose metadata match a Chroma ``where`` clause (committed or not)."""
        out: list[str] = []
        offset = 0
        while True:
            ids = self.chunks.get(where=where, include=[], limit=_PAGE, offset=offset)["ids"]
            out += ids
            if len(ids) < _PAGE:
                return out
            offset += len(ids)

    # -- document standing (docs/currency.md) ---------------------------------------------------------
    @server_errors
    def records_for(self, paths: Sequence[str]) -> dict[str, DocumentRecord]:
        """path → catalogue record of these documents only (looked up by id: cheap at any catalogue size)."""
        return self._records(paths)

    @server_errors
    def superseded_paths(self) -> list[str]:
        """Paths of the indexed documents another one supersedes (what ``current_only`` leaves out)."""
        got = self.catalog.get(where={"successor": {"$ne": ""}}, include=["metadatas"])
        return sorted({str(m["path"]) for m in got["metadatas"] or [] if m and not m.get("status") and m.get("successor")})

    @server_errors
    def earlier_versions(self) -> list[DocumentRecord]:
        """Earlier versions of files, kept for their facts (``status="earlier"``, no chunks)."""
        got = self.catalog.get(where={"status": "earlier"}, include=["metadatas"])
        return [_record(meta) for meta in got["metadatas"] or [] if meta]

    @server_errors
    def copies(self) -> dict[str, DocumentRecord]:
        """path → record of each file indexed as a copy of another (``status="copy"``, ``ingest.copies``)."""
        got = self.catalog.get(where={"status": COPY_STATUS}, include=["metadatas"])
        return {str(meta["path"]): _record(meta) for meta in got["metadatas"] or [] if meta}

    @server_errors
    def write_copy(self, record: DocumentRecord) -> int:
        """Record ``record.path`` as a copy of ``record.copy_of``: the path's own document, if it had one,
        leaves the index (returns its chunks removed) and a chunkless ``status="copy"`` record takes its id."""
        removed = self.delete_document(record.path)
        copy = dataclasses.replace(record, chunks=0, status=COPY_STATUS, successor="", successor_date="", replaced="")
        with self._lock:
            self.catalog.upsert(ids=[_doc_id(record.path)], embeddings=[_CATALOG_VECTOR], metadatas=[copy.to_metadata()])
            self._new_state()
        return removed

    @server_errors
    def keep_earlier_version(self, record: DocumentRecord) -> None:
        """Keep ``record`` (a version about to be replaced under the same path) as an earlier version's facts."""
        earlier = dataclasses.replace(record, chunks=0, status="earlier", successor="", successor_date="")
        with self._lock:
            self.catalog.upsert(ids=[_doc_id(f"{record.path}@{record.fingerprint}")], embeddings=[_CATALOG_VECTOR],
                                metadatas=[earlier.to_metadata()])
            self._new_state()

    @server_errors
    def set_standing(self, records: Sequence[DocumentRecord]) -> None:
        """Rewrite these documents' catalogue records (their resolved standing changed, or a content key
        was filled in); chunks are untouched."""
        with self._lock:
            for i in range(0, len(records), _PAGE):
                batch = records[i:i + _PAGE]
                self.catalog.update(ids=[_doc_id(r.path) for r in batch], metadatas=[r.to_metadata() for r in batch])
            self._new_state()  # other processes re-read which documents are superseded

    # -- writing ---------------------------------------------------------------------------------
    @server_errors
    def write_document(self, record: DocumentRecord, nodes: Sequence["TextNode"],
                       extra: Mapping[str, Mapping[str, Any]] | None = None) -> int:
        """Store one document version: its chunks, then its catalogue record, then drop older chunks.

        ``extra``: more Chroma metadata for some chunks, by chunk id, kept out of the node itself (and
        so out of its ``_node_content`` copy): read back by ``query_with_field`` (the sentence windows'
        vectors). Returns the number of stale chunks removed.
        """
        with self._lock:
            if nodes:
                # Deterministic ids: writing the same version twice upserts, never duplicates.
                self._upsert(nodes, extra or {})
            self.catalog.upsert(ids=[_doc_id(record.path)], embeddings=[_CATALOG_VECTOR], metadatas=[record.to_metadata()])
            self._new_state()  # before the old version goes: a reader that missed it still sees that one whole
            return self._delete_where({"$and": [{"path": record.path}, {"content_hash": {"$ne": record.fingerprint}}]})

    @server_errors
    def delete_document(self, path: str) -> int:
        """Remove a document, its chunks and its earlier versions' records; returns the number of chunks removed."""
        with self._lock:
            self.catalog.delete(ids=[_doc_id(path)])
            self.catalog.delete(where={"path": path})  # earlier versions kept for their facts
            self._new_state()
            return self._delete_where({"path": path})

    @server_errors
    def remove_orphans(self) -> int:
        """Delete chunks whose document version is not the catalogued one (left by a crash)."""
        stale: list[str] = []
        offset = 0
        while True:
            got = self.chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            if not got["ids"]:
                break
            offset += len(got["ids"])
            metas = got["metadatas"] or []
            current = self.versions(str((m or {}).get("path")) for m in metas)
            stale += [cid for cid, meta in zip(got["ids"], metas) if not is_committed(meta, current)]
        for i in range(0, len(stale), _PAGE):
            self.chunks.delete(ids=stale[i:i + _PAGE])
        return len(stale)

    def _new_state(self) -> None:
        token = uuid.uuid4().hex
        self.state_record.upsert(ids=[_STATE_ID], embeddings=[_CATALOG_VECTOR], metadatas=[{"token": token}])
        with self._cache_lock:
            self._state = (token, time.monotonic())
            self._state_seen = token

    def _upsert(self, nodes: Sequence["TextNode"], extra: Mapping[str, Mapping[str, Any]]) -> None:
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        for i in range(0, len(nodes), _PAGE):
            batch = nodes[i:i + _PAGE]
            self.chunks.upsert(
                ids=[n.node_id for n in batch],
                embeddings=[n.get_embedding() for n in batch],
                metadatas=[{**node_to_metadata_dict(n, remove_text=True, flat_metadata=True), **extra.get(n.node_id, {})}
                           for n in batch],
                documents=[n.get_content() for n in batch],
            )

    def _delete_where(self, where: dict[str, Any]) -> int:
        ids = self.chunks.get(where=where, include=[])["ids"]
        for i in range(0, len(ids), _PAGE):
            self.chunks.delete(ids=ids[i:i + _PAGE])
        return len(ids)


def _record(meta: Any) -> DocumentRecord:
    return DocumentRecord(**{k: meta.get(k, "") for k in DocumentRecord.__dataclass_fields__})


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

    @server_errors
    def _query(_store: ChunkStore, vector_store: ChromaVectorStore, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        return ChromaVectorStore.query(vector_store, query, **kwargs)

    return CommittedChromaVectorStore(chroma_collection=store.chunks)  # type: ignore[call-arg]

