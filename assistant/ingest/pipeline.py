"""Ingestion: files → loaded Documents → chunks → embeddings → Chroma, incrementally.

- unchanged files (same bytes and manifest entry) are skipped before they are even parsed;
- changed files replace their old chunks (new version written first, then the old removed);
- files gone from an ingested directory leave the index;
- a file that cannot be read is reported and the rest of the batch is still ingested.

Chunking runs through llama-index's ``IngestionPipeline``, then the embedding model embeds the
chunks (a transformation too, called on its own so its progress bar follows the model); we write
to Chroma ourselves (not via the pipeline's vector_store/docstore) so each document's replacement
is committed on its own, with its catalogue record.

Example::

    >>> summary = ingest_paths(["corpus"], ChunkStore("index"), get_embed_model())
    >>> print(summary)
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import PositiveFloat

from assistant.errors import checked, one_line
from assistant.ingest.lineage import FACT_KEYS, refresh_standing, replaces_earlier_version
from assistant.ingest.loaders import LoadFailure, ManifestEntry, find_files, load_file, read_manifest
from assistant.ingest.store import ChunkStore, DocumentRecord
from assistant.results import IngestSummary

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.ingest.chunking import TokenSentenceChunker

log = logging.getLogger(__name__)


def file_fingerprint(path: Path, manifest_entry: ManifestEntry | None) -> str:
    """sha256 of the file's bytes, plus its manifest entry (editing a title re-ingests)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if manifest_entry is not None:
        digest.update(repr(manifest_entry).encode())
    return digest.hexdigest()


def ingest_paths(
    paths: Iterable[str | Path],
    store: ChunkStore,
    embed_model: "BaseEmbedding",
    *,
    chunker: "TokenSentenceChunker | None" = None,
    max_file_mb: float = 50.0,
    progress: bool = False,
) -> IngestSummary:
    """Bring the index in line with ``paths`` (files and directories).

    Args:
        store: where the chunks go; embed_model: what embeds them (the one questions are embedded with).
        chunker: default ``TokenSentenceChunker`` for the packaged model with its defaults.
        max_file_mb: larger files are refused (reported as failed).
        progress: show progress bars (reading, embedding, writing).
    """
    max_bytes = int(checked("max_file_mb", max_file_mb, PositiveFloat) * 1024 * 1024)
    started = time.perf_counter()
    roots = [Path(p) for p in paths]
    summary = IngestSummary()
    files, failures = find_files(roots)
    _record_failures(summary, failures)
    catalog = store.documents()
    summary.chunks_removed += store.remove_orphans()

    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    to_load: list[tuple[Path, str, bool]] = []
    for file in files:
        resolved = file.resolve()
        manifest = manifests.setdefault(resolved.parent, _safe_manifest(resolved.parent))
        try:
            fingerprint = file_fingerprint(resolved, manifest.get(resolved.name))
        except OSError as exc:
            summary.failed.append({"path": str(file), "reason": f"cannot read file: {exc.strerror or exc}"})
            continue
        existing = catalog.get(str(resolved))
        if existing is not None and existing.fingerprint == fingerprint:
            summary.unchanged.append(str(file))
        else:
            to_load.append((resolved, fingerprint, existing is not None))

    documents = []
    for resolved, fingerprint, is_update in _progress(to_load, progress, "Reading"):
        try:
            doc = load_file(resolved, manifests[resolved.parent], max_bytes=max_bytes)
        except Exception as exc:  # one bad file never stops the batch
            summary.failed.append({"path": str(resolved), "reason": one_line(exc, 300)})
            continue
        # The chunk ids and version checks use the fingerprint (bytes + manifest entry).
        doc.metadata["content_hash"] = fingerprint
        for warning in doc.metadata.get("warnings") or []:  # e.g. scanned pages skipped: OCR needed
            summary.warnings.append({"path": str(resolved), "warning": warning})
        documents.append((doc, is_update))

    if documents:
        nodes_by_doc = _chunk_and_embed([d for d, _ in documents], chunker, embed_model, progress)
        for doc, is_update in _progress(documents, progress, "Writing"):
            nodes = nodes_by_doc.get(doc.id_, [])
            meta = doc.metadata
            record = DocumentRecord(
                path=doc.id_, source=str(meta.get("source", "")), title=str(meta.get("title", "")),
                fingerprint=str(meta["content_hash"]), chunks=len(nodes), publisher=str(meta.get("publisher") or ""),
                date=str(meta.get("date") or ""), kind=str(meta.get("kind") or ""),
                **{k: str(meta.get(k) or "") for k in FACT_KEYS},
            )
            earlier = catalog.get(doc.id_)
            if earlier is not None and replaces_earlier_version(record, earlier):
                store.keep_earlier_version(earlier)
            summary.chunks_removed += store.write_document(record, nodes)
            summary.chunks_added += len(nodes)
            (summary.updated if is_update else summary.added).append(doc.id_)

    # Files gone from a directory we were asked to ingest leave the index.
    present = {str(f.resolve()) for f in files}
    directories = [p.resolve() for p in roots if p.is_dir()]
    for path in sorted(catalog):
        if path not in present and any(_is_under(Path(path), root) for root in directories):
            summary.chunks_removed += store.delete_document(path)
            summary.removed.append(path)

    if summary.added or summary.updated or summary.removed:
        refresh_standing(store)  # which documents supersede which: resolved over the whole catalogue, once
    summary.seconds = time.perf_counter() - started
    return summary


def _chunk_and_embed(
    documents: Sequence, chunker: "TokenSentenceChunker | None", embed_model: "BaseEmbedding", progress: bool
) -> dict[str, list]:
    from llama_index.core.ingestion import IngestionPipeline

    if chunker is None:
        from assistant.ingest.chunking import TokenSentenceChunker
        from assistant.ingest.embedding import model_path

        chunker = TokenSentenceChunker(model_path=model_path())
    chunks = IngestionPipeline(transformations=[chunker]).run(documents=list(documents), show_progress=progress)
    # The pipeline's show_progress stops at its own loop; the embedding, most of the time, shows its own.
    nodes = embed_model(chunks, show_progress=progress)
    by_doc: dict[str, list] = defaultdict(list)
    for node in nodes:
        by_doc[node.ref_doc_id or ""].append(node)
    return by_doc


def _record_failures(summary: IngestSummary, failures: Iterable[LoadFailure]) -> None:
    for failure in failures:
        summary.failed.append({"path": str(failure.path), "reason": failure.reason})


def _safe_manifest(directory: Path) -> dict[str, ManifestEntry]:
    try:
        return read_manifest(directory)
    except Exception as exc:  # a broken manifest must not stop ingestion; titles fall back
        log.warning("ignoring manifest in %s: %s", directory, one_line(exc, 300))
        return {}


def _is_under(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _progress(items: Sequence, enabled: bool, desc: str) -> Iterable:
    if not enabled or len(items) < 2:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="file")
