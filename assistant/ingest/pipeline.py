"""Ingestion: files → loaded Documents → chunks → embeddings → Chroma, incrementally.

- unchanged files (same bytes and manifest entry) are skipped before they are even parsed;
- changed files replace their old chunks (new version written first, then the old removed);
- files gone from an ingested directory leave the index;
- a file that cannot be read is reported and the rest of the batch is still ingested;
- files are loaded, chunked, embedded and written in batches of about ``batch_mb`` megabytes, so a
  folder of any size never sits in memory whole (and a crash keeps every batch already written).

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
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import NonNegativeInt, PositiveFloat

from assistant.errors import checked, one_line
from assistant.ingest.lineage import FACT_KEYS, refresh_standing, replaces_earlier_version
from assistant.ingest.loaders import LoadFailure, ManifestEntry, find_files, load_file, read_manifest
from assistant.ingest.store import ChunkStore, DocumentRecord
from assistant.ingest.windows import PARENT_KEY, WINDOWS_KEY, encode_vectors, sentence_windows
from assistant.results import IngestSummary

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.ingest.chunking import TokenSentenceChunker

log = logging.getLogger(__name__)


def file_fingerprint(path: Path, manifest_entry: ManifestEntry | None, salt: str = "") -> str:
    """sha256 of the file's bytes, plus its manifest entry (editing a title re-ingests) and ``salt``
    (the chunker's settings: chunks made another way are re-made)."""
    digest = hashlib.sha256(salt.encode())
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
    batch_mb: float = 32.0,
    window_sentences: int = 0,
    progress: bool = False,
) -> IngestSummary:
    """Bring the index in line with ``paths`` (files and directories).

    Args:
        store: where the chunks go; embed_model: what embeds them (the one questions are embedded with).
        chunker: default ``TokenSentenceChunker`` for the packaged model with its defaults.
        max_file_mb: larger files are refused (reported as failed).
        batch_mb: files are processed in batches of about this many megabytes (a larger file alone).
        window_sentences: also embed each chunk's windows of this many sentences (``windows.py``; 0: none).
        progress: show progress (a bar over the files to ingest; the embedding's own bar for a single batch).
    """
    max_bytes = int(checked("max_file_mb", max_file_mb, PositiveFloat) * 1024 * 1024)
    batch_bytes = int(checked("batch_mb", batch_mb, PositiveFloat) * 1024 * 1024)
    started = time.perf_counter()
    roots = [Path(p) for p in paths]
    summary = IngestSummary()
    files, failures = find_files(roots)
    _record_failures(summary, failures)
    if chunker is None:
        from assistant.ingest.chunking import TokenSentenceChunker
        from assistant.ingest.embedding import model_path

        chunker = TokenSentenceChunker(model_path=model_path())
    windows: int = checked("window_sentences", window_sentences, NonNegativeInt)
    salt = chunker.signature() + (f"|windows={windows}" if windows else "")  # a change re-ingests every file
    store.ensure_state()
    catalog = store.documents()
    summary.chunks_removed += store.remove_orphans()

    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    to_load: list[tuple[Path, str, bool]] = []
    for file in files:
        resolved = file.resolve()
        manifest = manifests.setdefault(resolved.parent, _safe_manifest(resolved.parent))
        try:
            fingerprint = file_fingerprint(resolved, manifest.get(resolved.name), salt)
        except OSError as exc:
            summary.failed.append({"path": str(file), "reason": f"cannot read file: {exc.strerror or exc}"})
            continue
        existing = catalog.get(str(resolved))
        if existing is not None and existing.fingerprint == fingerprint:
            summary.unchanged.append(str(file))
        else:
            to_load.append((resolved, fingerprint, existing is not None))

    batches = list(_batches(to_load, batch_bytes))
    bar = _bar(len(to_load), progress)
    for batch in batches:
        _ingest_batch(batch, manifests, store, embed_model, chunker, max_bytes, summary, catalog, windows,
                      progress=progress and len(batches) == 1)
        if bar is not None:
            bar.update(len(batch))
            bar.set_postfix(chunks=summary.chunks_added)
    if bar is not None:
        bar.close()

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


def _batches(items: Sequence[tuple[Path, str, bool]], max_bytes: int) -> Iterator[list[tuple[Path, str, bool]]]:
    """Consecutive groups of files of about ``max_bytes`` on disk (a larger file makes a batch alone)."""
    batch: list[tuple[Path, str, bool]] = []
    size = 0
    for item in items:
        try:
            item_size = item[0].stat().st_size
        except OSError:
            item_size = 0  # reported when loaded
        if batch and size + item_size > max_bytes:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        yield batch


def _ingest_batch(
    batch: Sequence[tuple[Path, str, bool]],
    manifests: dict[Path, dict[str, ManifestEntry]],
    store: ChunkStore,
    embed_model: "BaseEmbedding",
    chunker: "TokenSentenceChunker",
    max_bytes: int,
    summary: IngestSummary,
    catalog: dict[str, DocumentRecord],
    windows: int,
    progress: bool,
) -> None:
    """Load, chunk, embed and write one batch of files; each document is committed on its own."""
    documents = []
    for resolved, fingerprint, is_update in batch:
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
    if not documents:
        return
    nodes_by_doc, extra = _chunk_and_embed([d for d, _ in documents], chunker, embed_model, windows, progress)
    for doc, is_update in documents:
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
        summary.chunks_removed += store.write_document(record, nodes, extra)
        summary.chunks_added += len(nodes)
        (summary.updated if is_update else summary.added).append(doc.id_)


def _chunk_and_embed(
    documents: Sequence, chunker: "TokenSentenceChunker", embed_model: "BaseEmbedding", windows: int, progress: bool
) -> tuple[dict[str, list], dict[str, dict[str, str]]]:
    """The documents' embedded chunks by document, and the vectors of the chunks' sentence windows
    (``windows`` sentences each) as chunk metadata, by chunk id."""
    from llama_index.core.ingestion import IngestionPipeline

    chunks = IngestionPipeline(transformations=[chunker]).run(documents=list(documents), show_progress=progress)
    # The pipeline's show_progress stops at its own loop; the embedding, most of the time, shows its own.
    nodes = embed_model(chunks, show_progress=progress)
    by_doc: dict[str, list] = defaultdict(list)
    for node in nodes:
        by_doc[node.ref_doc_id or ""].append(node)
    vectors: dict[str, list] = defaultdict(list)
    if windows:
        for window in embed_model(sentence_windows(nodes, windows), show_progress=progress):
            vectors[window.metadata[PARENT_KEY]].append(window.get_embedding())
    return by_doc, {cid: {WINDOWS_KEY: encode_vectors(v)} for cid, v in vectors.items()}


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


def _bar(total: int, enabled: bool) -> Any:
    if not enabled or total < 2:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Ingesting", unit="file")
