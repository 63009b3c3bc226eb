"""Synthetic stores of any size, built from a real index: the real chunks, then perturbed copies.

Shared by ``benchmarks/run.py`` and ``benchmarks/scale.py``. Written with chromadb directly (not the
package), so one store serves the code before and after a change. Deterministic: the same source
and size give the same ids, texts, metadata and vectors (numpy seed 0). Built
in a child process; the parent marks it ``DONE`` once the child has exited (Chroma flushes on
close), so an interrupted build is redone and a finished one reused.

A copy beyond the real chunks is its own chunk in its own document (100 chunks a document, each
with a catalogue record): a fresh id, ``path``/``source`` of the synthetic document (in the flat
metadata and in the serialised node, so the node read back is that chunk), the real text, and the
real vector plus Gaussian noise (sigma 0.02 per dimension, renormalised).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

PER_DOC = 100
_BATCH = 2000


def _doc_id(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()  # as assistant.ingest.store names catalogue records


def build_store(source: Path, target: Path, size: int, collection: str = "ics_policy", log: Any = None) -> dict[str, Any]:
    """Build (or reuse) a store of ``size`` chunks at ``target`` from the index at ``source``."""
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings

    done = target / "DONE"
    if done.is_file():
        return dict(json.loads(done.read_text()), reused=True)
    settings = ChromaSettings(anonymized_telemetry=False)
    src = chromadb.PersistentClient(path=str(source), settings=settings).get_collection(collection)
    got = src.get(include=["documents", "metadatas", "embeddings"])
    ids, texts, metas = got["ids"], got["documents"], got["metadatas"]
    vecs = np.asarray(got["embeddings"], dtype=np.float32)
    shutil.rmtree(target, ignore_errors=True)  # an unfinished build
    client = chromadb.PersistentClient(path=str(target), settings=settings)
    chunks = client.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    catalog = client.get_or_create_collection(collection + "_documents", embedding_function=None)
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    records: dict[str, dict[str, Any]] = {}
    batch: dict[str, list[Any]] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}

    def flush() -> None:
        if batch["ids"]:
            chunks.upsert(ids=batch["ids"], embeddings=np.asarray(batch["embeddings"]), documents=batch["documents"],
                          metadatas=batch["metadatas"])
            for values in batch.values():
                values.clear()

    for i in range(size):
        j = i % len(ids)
        meta = dict(metas[j])
        if i >= len(ids):
            path = f"/synthetic/doc{i // PER_DOC:06d}.md"
            cid = f"syn-{i}"
            meta.update(path=path, source=Path(path).name, content_hash="synthetic", doc_id=path, document_id=path, ref_doc_id=path)
            node = json.loads(meta["_node_content"])
            node["id_"] = cid
            node["metadata"].update(path=path, source=Path(path).name, content_hash="synthetic")
            meta["_node_content"] = json.dumps(node)
            v = vecs[j] + rng.normal(0, 0.02, vecs.shape[1]).astype(np.float32)
            v /= np.linalg.norm(v)
        else:
            path, cid, v = str(meta["path"]), ids[j], vecs[j]
        rec = records.get(path)
        if rec is None:
            rec = records[path] = {"path": path, "source": str(meta.get("source", "")), "title": str(meta.get("title", "")),
                                   "fingerprint": str(meta.get("content_hash", "")), "chunks": 0,
                                   "publisher": str(meta.get("publisher", "")), "date": str(meta.get("date", "")),
                                   "kind": str(meta.get("kind", ""))}
        rec["chunks"] += 1
        batch["ids"].append(cid)
        batch["embeddings"].append(v)
        batch["documents"].append(texts[j])
        batch["metadatas"].append(meta)
        if len(batch["ids"]) >= _BATCH:
            flush()
            if log and (i + 1) % (50 * _BATCH) == 0:
                log(f"  {target.name}: {i + 1:,} / {size:,} chunks ({time.perf_counter() - started:.0f} s)")
    flush()
    recs = list(records.values())
    for k in range(0, len(recs), _BATCH):
        part = recs[k:k + _BATCH]
        catalog.upsert(ids=[_doc_id(r["path"]) for r in part], embeddings=[[1.0]] * len(part), metadatas=part)
    return {"chunks": chunks.count(), "documents": catalog.count(), "build_s": round(time.perf_counter() - started, 1)}


def mark_done(target: Path, info: dict[str, Any]) -> None:
    """Called by the parent once the building process has exited."""
    (target / "DONE").write_text(json.dumps(info))
