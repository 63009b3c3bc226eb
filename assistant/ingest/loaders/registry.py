"""Load policy documents (TXT, MD, HTML, PDF, DOCX) into llama-index ``Document``s.

Every document comes out with the same metadata contract, which the chunker relies on:

- ``source`` (file name), ``path`` (absolute resolved path), ``format`` ("txt", "md", "html",
  "pdf" or "docx"), ``content_hash`` (sha256 of the raw bytes);
- ``title``, ``publisher``, ``date``, ``kind``, ``version``, ``reference``, ``licence`` (from
  ``manifest.csv`` when present; ``""`` when unknown, never ``None``);
- ``pages``: ``[[char_offset, page_number], ...]`` where each PDF page starts in ``doc.text``
  (physical pages, 1-based); ``page_labels``: ``[[page_number, printed_label], ...]`` for the
  pages whose printed number differs (NHS England PDFs print one lower than the physical page);
- ``sections``: ``[[char_offset, heading_text, level], ...]``, each offset at the heading's first
  character, level 1 the highest;
- ``blocks``: ``[[start, end, kind], ...]`` half-open spans of typed blocks (title, heading,
  paragraph, list_item, table_row, toc, caption) for formats with structure (PDF, DOCX, HTML,
  Markdown); ``[]`` for plain text;
- ``exclude_spans``: ``[[start, end], ...]`` half-open ranges not to chunk or cite (the manifest's
  body markers);
- ``warnings``: one line each (e.g. PDF pages that needed OCR).

Example::

    >>> from assistant.ingest.loaders import load_paths
    >>> result = load_paths(["corpus/"])
    >>> [d.metadata["title"] for d in result.documents]
    >>> [str(f) for f in result.failures]   # one line per file that could not be loaded
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core import Document

from assistant.ingest.facts import document_facts
from assistant.ingest.loaders import docx, html, markdown, pdf, plaintext
from assistant.ingest.loaders.base import LoadError, Parsed, clean_inline, human_size, one_line
from assistant.ingest.loaders.manifest import ManifestEntry, is_manifest, manifest_lookup, manifest_path, read_manifest
from assistant.ingest.loaders.markers import exclude_spans
from assistant.text.dates import normalise_date

logger = logging.getLogger("assistant.ingest.loaders")

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# The registry: file extension -> format name -> that format's parser module.
FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
PARSERS: dict[str, Callable[[bytes], Parsed]] = {
    "txt": plaintext.parse,
    "md": markdown.parse,
    "html": html.parse,
    "pdf": pdf.parse,
    "docx": docx.parse,
}
SUPPORTED_SUFFIXES = tuple(FORMATS)
# Bump a format's version when its parser reads the same bytes into different text: the next ingestion
# re-parses files of that format (and only those) instead of keeping chunks made the old way.
# pdf 2: a paragraph number glued to an abbreviation or a one-letter word ("49.NHS", "34.A") is split off.
PARSER_VERSIONS: dict[str, str] = {"pdf": "2"}


def parser_version(suffix: str) -> str:
    """The parser version of a file with this extension (``""`` for a format never bumped)."""
    return PARSER_VERSIONS.get(FORMATS.get(suffix.lower(), ""), "")

# Only these reach the embedding model and the LLM; the rest is bookkeeping for the pipeline.
_PROMPT_METADATA_KEYS = ("title", "publisher", "date")
_MAX_HEADING_CHARS = 200


@dataclass(frozen=True)
class LoadFailure:
    """A file that was not loaded, and why (one line)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class LoadResult:
    """What ``load_paths`` produced: the documents, and one failure per file that could not be loaded."""

    documents: list[Document] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)


# -- finding files --------------------------------------------------------------------------------

def _supported_list() -> str:
    return " ".join(SUPPORTED_SUFFIXES)


def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    what = f"'{suffix}'" if suffix else "(no file extension)"
    return f"unsupported file type {what} (supported: {_supported_list()})"


def _is_skipped_name(name: str) -> bool:
    # Hidden files (.DS_Store, .git) and Office lock files (~$report.docx) are never documents.
    return name.startswith((".", "~$"))


def _as_path_list(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    # A lone string is iterable too; treating it as characters would be a silent disaster.
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[LoadFailure]]:
    """Expand files and directories into the supported files to load, plus failures.

    Directories are walked recursively in sorted order, skipping hidden files and directories and
    ``manifest.csv`` files (any case). Unsupported files inside directories, unsupported files given
    explicitly and paths that do not exist are reported as failures. Duplicates are dropped.

    Example::

        >>> files, failures = find_files(["corpus/", "extra/letter.pdf"])
        >>> [f.name for f in files]
        ['a.md', 'b.txt', 'letter.pdf']
    """
    files: list[Path] = []
    failures: list[LoadFailure] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in _as_path_list(paths):
        if given.is_dir():
            for path in _walk_dir(given):
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    add(path)
                else:
                    failures.append(LoadFailure(str(path), _unsupported_reason(path)))
        elif given.is_file():
            if is_manifest(given):
                continue  # metadata, not a document; load_paths reads it for its directory
            if given.suffix.lower() in SUPPORTED_SUFFIXES:
                add(given)
            else:
                failures.append(LoadFailure(str(given), _unsupported_reason(given)))
        elif given.exists():
            failures.append(LoadFailure(str(given), "not a regular file or directory"))
        else:
            failures.append(LoadFailure(str(given), "no such file or directory"))
    return files, failures


def _walk_dir(directory: Path) -> list[Path]:
    """Non-hidden, non-manifest files under ``directory``, sorted; symlinked dirs are not followed (loops)."""
    found: list[Path] = []
    for root, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not _is_skipped_name(d))
        for name in sorted(filenames):
            path = Path(root) / name
            if _is_skipped_name(name) or is_manifest(path) or not path.is_file():
                continue
            found.append(path)
    return found


# --------------------------------------------------------------------------------------------


# -- loading ------------------------------------------------------------------------------------

def load_paths(
    paths: Iterable[str | Path],
    *,
    progress: Callable[[Path], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadResult:
    """Find and load every supported file under ``paths``; never raises for a single bad file.

    Each directory's manifest is read once and applied to the files directly in it. ``progress``
    is called with each file's path before it is loaded.

    Example::

        >>> result = load_paths(["corpus/"], progress=lambda p: print("loading", p.name))
        >>> len(result.documents), [str(f) for f in result.failures]
    """
    files, failures = find_files(paths)
    documents: list[Document] = []
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for path in files:
        directory = path.parent.resolve()
        if directory not in manifests:
            try:
                manifests[directory] = read_manifest(directory)
            except LoadError as exc:
                manifest_file = manifest_path(directory)
                failures.append(LoadFailure(str(manifest_file or directory), str(exc)))
                manifests[directory] = {}
        if progress is not None:
            progress(path)
        try:
            documents.append(load_file(path, manifests[directory], max_bytes=max_bytes))
        except LoadError as exc:
            logger.debug("could not load %s: %s", path, exc)
            failures.append(LoadFailure(str(path), str(exc)))
        except Exception as exc:  # a parser bug on one odd file must not stop the whole batch
            logger.debug("unexpected error loading %s", path, exc_info=True)
            failures.append(LoadFailure(str(path), f"unexpected error: {type(exc).__name__}: {one_line(exc)}"))
    return LoadResult(documents=documents, failures=failures)


def load_file(
    path: Path,
    manifest: Mapping[str, ManifestEntry] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Load one file into a ``Document`` with the module's metadata contract.

    ``manifest`` (from ``read_manifest``) supplies title/publisher/date/kind and body markers for
    files it lists; it is not read automatically here. Raises ``LoadError`` (a ``ValueError``)
    with a one-line reason when the file cannot be loaded.

    Example::

        >>> doc = load_file(Path("corpus/plan.md"), read_manifest(Path("corpus")))
        >>> doc.metadata["title"], doc.metadata["sections"][:2]
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(_unsupported_reason(path))
    raw = _read_bytes(path, max_bytes)
    if not raw.strip():
        raise LoadError("empty file: no text to index")

    parsed = PARSERS[fmt](raw)
    if not parsed.text.strip():
        raise LoadError("empty file: no text to index")

    resolved = str(path.resolve())
    entry = manifest_lookup(manifest, path.name)
    metadata: dict[str, Any] = {
        "source": path.name,
        "path": resolved,
        "format": fmt,
        "title": _pick_title(entry, parsed, path),
        "publisher": clean_inline((entry and entry.publisher) or parsed.publisher),
        "date": normalise_date(entry.date) if entry and entry.date else parsed.date,
        "kind": (entry and entry.kind) or "",
        "version": (entry and entry.version) or "",
        "reference": (entry and entry.reference) or "",
        "licence": (entry and entry.licence) or "",
        "content_hash": hashlib.sha256(raw).hexdigest(),
        "pages": [[offset, page] for offset, page in parsed.pages],
        "page_labels": [[page, label] for page, label in sorted(parsed.page_labels.items())],
        "sections": [[offset, heading, level] for offset, heading, level in _tidy_sections(parsed.sections)],
        "blocks": [[a, b, kind] for a, b, kind in parsed.blocks],
        "exclude_spans": [list(span) for span in exclude_spans(parsed.text, entry, path)],
        "warnings": list(parsed.warnings),
    }

    # Date, version, reference, period, supersedes: the manifest's, else the document's own words.
    metadata.update(document_facts(parsed.text, title=metadata["title"], file_name=path.name, manifest=entry, info_date=parsed.date).to_metadata())
    excluded = [k for k in metadata if k not in _PROMPT_METADATA_KEYS]
    return Document(
        text=parsed.text,
        id_=resolved,
        metadata=metadata,
        excluded_embed_metadata_keys=excluded,
        excluded_llm_metadata_keys=list(excluded),
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise LoadError("no such file or directory" if not path.exists() else "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            shown, limit = human_size(size), human_size(max_bytes)
            if shown == limit:  # "50 MB > limit 50 MB" would read as a contradiction
                shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
            raise LoadError(f"file too large ({shown} > limit {limit})")
        with path.open("rb") as fh:
            # Ask for the stat size, not the limit: read(n) allocates n bytes up front.
            raw = fh.read(size + 1)
            if len(raw) > size:  # the file grew between stat and read
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise LoadError(f"could not read file ({exc.strerror or one_line(exc)})") from None
    if len(raw) > max_bytes:
        raise LoadError(f"file too large (> limit {human_size(max_bytes)})")
    return raw


def _pick_title(entry: ManifestEntry | None, parsed: Parsed, path: Path) -> str:
    for candidate in (entry.title if entry else None, parsed.title):
        title = clean_inline(candidate)
        if title:
            return title
    return clean_inline(re.sub(r"[_-]+", " ", path.stem)) or path.name


def _tidy_sections(sections: Iterable[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    tidy: dict[int, tuple[str, int]] = {}
    for offset, heading, level in sections:
        heading = heading.strip()[:_MAX_HEADING_CHARS].rstrip()
        if heading and offset not in tidy:
            tidy[offset] = (heading, max(1, int(level)))
    return [(offset, heading, level) for offset, (heading, level) in sorted(tidy.items())]
