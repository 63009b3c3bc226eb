"""Ingestion: files → loaded Documents → chunks → embeddings → Chroma, incrementally.

- unchanged files (same bytes and manifest entry) are skipped before they are even parsed;
- changed files replace their old chunks (new version written first, then the old removed);
- files gone from an ingested directory leave the index;
- a file with the same content as an indexed one is recorded as its copy, not indexed twice (``copies.py``);
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

import dataclasses
import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import NonNegativeInt, PositiveFloat

from assistant.errors import checked, one_line
from assistant.ingest.copies import MANIFEST_DIFFERS, CopyPlan, content_key, plan_copies
from assistant.ingest.lineage import FACT_KEYS, refresh_standing, replaces_earlier_version
from assistant.ingest.loaders import LoadFailure, ManifestEntry, find_files, load_file, read_manifest
from assistant.ingest.loaders.registry import parser_version
from assistant.ingest.store import ChunkStore, DocumentRecord
from assistant.ingest.windows import PARENT_KEY, WINDOWS_KEY, encode_vectors, sentence_windows
from assistant.results import IngestSummary

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.ingest.chunking import TokenSentenceChunker

log = logging.getLogger(__name__)


def file_digests(path: Path, manifest_entry: ManifestEntry | None, salt: str = "") -> tuple[str, str]:
    """``(fingerprint, content key)`` of a file, read once.

    The fingerprint is the sha256 of ``salt`` (the chunker's settings: chunks made another way are
    re-made), the format's parser version (``PARSER_VERSIONS``), the bytes and the manifest entry (editing a title re-ingests); the content key is the
    bytes and format alone (``copies.content_key``: the same file at two paths is indexed once).
    """
    version = parser_version(path.suffix)  # added only when set, so unbumped formats keep their fingerprints
    digest = hashlib.sha256((salt + (f"|parser={version}" if version else "")).encode())
    data = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            data.update(block)
    if manifest_entry is not None:
        digest.update(repr(manifest_entry).encode())
    return digest.hexdigest(), content_key(path.suffix, data.hexdigest())


def file_fingerprint(path: Path, manifest_entry: ManifestEntry | None, salt: str = "") -> str:
    """sha256 of the file's bytes, plus its manifest entry and ``salt`` (``file_digests``)."""
    return file_digests(path, manifest_entry, salt)[0]


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

    A file with the same content as an indexed one (or as one found before it) is not indexed again:
    it is reported in ``summary.copies`` and recorded as a copy, and indexed itself once the indexed
    path is removed or changes (``copies.py``).

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
    copies_before = store.copies()
    summary.chunks_removed += store.remove_orphans()

    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    scanned: list[tuple[Path, Path, str, str]] = []  # (as given, resolved, fingerprint, content key)
    for file in files:
        resolved = file.resolve()
        manifest = manifests.setdefault(resolved.parent, _safe_manifest(resolved.parent))
        try:
            fingerprint, key = file_digests(resolved, manifest.get(resolved.name), salt)
        except OSError as exc:
            summary.failed.append({"path": str(file), "reason": f"cannot read file: {exc.strerror or exc}"})
            continue
        scanned.append((file, resolved, fingerprint, key))

    present = {str(f.resolve()) for f in files}
    directories = [p.resolve() for p in roots if p.is_dir()]
    leaving = {p for p in catalog if p not in present and any(_is_under(Path(p), root) for root in directories)}
    kept: dict[str, str] = {}  # content key → indexed path that stays as it is (the first path of an older index's copies)
    for path, record in sorted(catalog.items()):
        if record.content_key and path not in present and path not in leaving:
            kept.setdefault(record.content_key, path)
    plan = plan_copies([(str(r), k) for _, r, _, k in scanned], kept, _exists)

    to_load: list[tuple[Path, str, str, bool]] = []
    found_copies: list[tuple[Path, Path, str, str]] = []
    keys_to_fill: list[DocumentRecord] = []  # records written before content keys existed
    for file, resolved, fingerprint, key in scanned:
        if str(resolved) in plan.copies:
            found_copies.append((file, resolved, fingerprint, key))
            continue
        existing = catalog.get(str(resolved))
        if existing is not None and existing.fingerprint == fingerprint:
            summary.unchanged.append(str(file))
            if existing.content_key != key:
                keys_to_fill.append(dataclasses.replace(existing, content_key=key))
        else:
            to_load.append((resolved, fingerprint, key, existing is not None))
    to_load += _promoted_copies(copies_before, present, directories, plan, manifests, salt, store, summary)
    if keys_to_fill:
        store.set_standing(keys_to_fill)

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

    copies_left = _record_copies(found_copies, plan, catalog, copies_before, manifests, store, summary)

    # Files gone from a directory we were asked to ingest leave the index, and so does an indexed
    # file gone from anywhere once a copy of it is indexed in its place.
    indexed_now = set(summary.added) | set(summary.updated)
    leaving |= {gone for gone, copy in plan.replaced.items() if copy in indexed_now}
    for path in sorted(leaving):
        summary.chunks_removed += store.delete_document(path)
        summary.removed.append(path)

    if summary.added or summary.updated or summary.removed or copies_left:
        refresh_standing(store)  # which documents supersede which: resolved over the whole catalogue, once
    summary.seconds = time.perf_counter() - started
    return summary


def _promoted_copies(
    copies_before: dict[str, DocumentRecord],
    present: set[str],
    directories: Sequence[Path],
    plan: CopyPlan,
    manifests: dict[Path, dict[str, ManifestEntry]],
    salt: str,
    store: ChunkStore,
    summary: IngestSummary,
) -> list[tuple[Path, str, str, bool]]:
    """Copies recorded earlier, outside this ingestion's files, whose indexed path left or changed: to
    index now (nothing is lost). A copy gone from disk or from an ingested directory loses its record."""
    out: list[tuple[Path, str, str, bool]] = []
    for path, record in sorted(copies_before.items()):
        if path in present:
            continue  # decided with this ingestion's files
        resolved = Path(path)
        if any(_is_under(resolved, root) for root in directories) or not resolved.is_file():
            store.delete_document(path)
            continue
        holder = plan.holders.get(record.content_key)
        if holder is not None and (holder in present or _exists(holder)):
            if holder != record.copy_of:
                store.write_copy(dataclasses.replace(record, copy_of=holder))
            continue
        manifest = manifests.setdefault(resolved.parent, _safe_manifest(resolved.parent))
        try:
            fingerprint, key = file_digests(resolved, manifest.get(resolved.name), salt)
        except OSError as exc:
            summary.failed.append({"path": path, "reason": f"cannot read file: {exc.strerror or exc}"})
            continue
        if holder is not None and key == record.content_key:
            plan.replaced[holder] = path  # the indexed path's file is gone: this copy takes its place
        elif (other := plan.holders.get(key)) is not None and other != path:
            store.write_copy(dataclasses.replace(record, fingerprint=fingerprint, content_key=key, copy_of=other))
            continue
        plan.holders[key] = path
        out.append((resolved, fingerprint, key, False))
    return out


def _record_copies(
    found: Sequence[tuple[Path, Path, str, str]],
    plan: CopyPlan,
    catalog: dict[str, DocumentRecord],
    copies_before: dict[str, DocumentRecord],
    manifests: dict[Path, dict[str, ManifestEntry]],
    store: ChunkStore,
    summary: IngestSummary,
) -> int:
    """Record and report this ingestion's copies; returns how many were indexed documents that now leave."""
    failed = {f["path"]: f["reason"] for f in summary.failed}
    left = 0
    for file, resolved, fingerprint, key in found:
        path = str(resolved)
        holder = plan.copies[path]
        if holder in failed:  # the same bytes could not be loaded at the first path: nor here (it keeps what it had)
            summary.failed.append({"path": str(file), "reason": f"same content as {holder}: {failed[holder]}"})
            continue
        holder_path = Path(holder)
        entry = manifests[resolved.parent].get(resolved.name)
        holder_entry = manifests.setdefault(holder_path.parent, _safe_manifest(holder_path.parent)).get(holder_path.name)
        summary.copies.append({"path": str(file), "copy_of": holder,
                               "note": "" if _same_entry(entry, holder_entry) else MANIFEST_DIFFERS})
        before = copies_before.get(path)
        if before is not None and (before.fingerprint, before.content_key, before.copy_of) == (fingerprint, key, holder):
            continue  # already recorded: an unchanged folder re-ingested writes nothing
        own = catalog.get(path)
        record = own or DocumentRecord(path=path, source=resolved.name, title="", fingerprint=fingerprint, chunks=0)
        removed = store.write_copy(dataclasses.replace(record, fingerprint=fingerprint, content_key=key, copy_of=holder))
        summary.chunks_removed += removed
        left += own is not None
    return left


def _same_entry(a: ManifestEntry | None, b: ManifestEntry | None) -> bool:
    """Whether two manifest rows give a file the same facts (the file names aside)."""
    if a is None or b is None:
        return a is b
    return dataclasses.replace(a, file="") == dataclasses.replace(b, file="")


def _exists(path: str) -> bool:
    return Path(path).is_file()


def _batches(items: Sequence[tuple[Path, str, str, bool]], max_bytes: int) -> Iterator[list[tuple[Path, str, str, bool]]]:
    """Consecutive groups of files of about ``max_bytes`` on disk (a larger file makes a batch alone)."""
    batch: list[tuple[Path, str, str, bool]] = []
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
    batch: Sequence[tuple[Path, str, str, bool]],
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
    keys = {str(resolved): key for resolved, _, key, _ in batch}
    for resolved, fingerprint, _, is_update in batch:
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
            date=str(meta.get("date") or ""), kind=str(meta.get("kind") or ""), content_key=keys.get(doc.id_, ""),
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
