"""Load policy documents (TXT, MD, HTML, PDF, DOCX) into llama-index ``Document``s.

Every document comes out with the same metadata contract, which the chunker relies on:

- ``source`` (file name), ``path`` (absolute resolved path), ``format`` ("txt", "md", "html",
  "pdf" or "docx"), ``content_hash`` (sha256 of the raw bytes);
- ``title``, ``publisher``, ``date``, ``kind`` (from ``manifest.csv`` when present; ``""`` when
  unknown, never ``None``);
- ``pages``: ``[[char_offset, page_number], ...]`` where each PDF page starts in ``doc.text``;
- ``sections``: ``[[char_offset, heading_text], ...]``, each offset at the heading's first character;
- ``exclude_spans``: ``[[start, end], ...]`` half-open ranges of page furniture not to chunk or cite.

Example::

    >>> from assistant.loading import load_paths
    >>> result = load_paths(["corpus/"])
    >>> [d.metadata["title"] for d in result.documents]
    >>> [str(f) for f in result.failures]   # one line per file that could not be loaded
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from llama_index.core import Document

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "publisher", "date", "kind", "body_starts_at", "body_ends_before")

_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
# Only these reach the embedding model and the LLM; the rest is bookkeeping for the pipeline.
_PROMPT_METADATA_KEYS = ("title", "publisher", "date")
_MAX_HEADING_CHARS = 200
_MAX_BOLD_HEADING_CHARS = 120
_MAX_TITLE_CHARS = 300
_BINARY_SNIFF_BYTES = 8192


class LoadError(ValueError):
    """A file cannot be turned into a document; the message is one human-readable line."""


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


@dataclass(frozen=True)
class ManifestEntry:
    """One row of a ``manifest.csv``; every field but ``file`` is ``None`` when absent or empty."""

    file: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None
    body_starts_at: str | None = None
    body_ends_before: str | None = None


@dataclass
class _Parsed:
    """What a format-specific parser extracted; offsets point into ``text``."""

    text: str
    title: str = ""
    sections: list[tuple[int, str]] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    publisher: str = ""
    date: str = ""


# --------------------------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------------------------


def _supported_list() -> str:
    return " ".join(SUPPORTED_SUFFIXES)


def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    what = f"'{suffix}'" if suffix else "(no file extension)"
    return f"unsupported file type {what} (supported: {_supported_list()})"


def _is_manifest(path: Path) -> bool:
    return path.name.lower() == MANIFEST_NAME


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
            if _is_manifest(given):
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
            if _is_skipped_name(name) or _is_manifest(path) or not path.is_file():
                continue
            found.append(path)
    return found


# --------------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------------


def _manifest_path(directory: Path) -> Path | None:
    try:
        candidates = sorted(p for p in directory.iterdir() if _is_manifest(p) and p.is_file())
    except OSError:
        return None
    if len(candidates) > 1:
        logger.warning("several manifest files in %s; using %s", directory, candidates[0].name)
    return candidates[0] if candidates else None


def read_manifest(directory: Path) -> dict[str, ManifestEntry]:
    """Read ``manifest.csv`` (any case, e.g. ``MANIFEST.csv``) in ``directory``, keyed by file name.

    Columns: file, title, publisher, date, kind, body_starts_at, body_ends_before. Extra columns are
    ignored, missing columns and empty cells give ``None``. No manifest gives ``{}``; an unreadable
    one raises ``LoadError``.

    Example::

        >>> read_manifest(Path("corpus"))["plan.md"].publisher
        'NHS England'
    """
    path = _manifest_path(Path(directory))
    if path is None:
        return {}
    try:
        text = _decode_text(path.read_bytes())
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "file" not in {_norm_col(c) for c in reader.fieldnames}:
            raise LoadError("manifest has no 'file' column")
        entries: dict[str, ManifestEntry] = {}
        for row in reader:
            cells = {_norm_col(k): _norm_cell(v) for k, v in row.items() if k is not None}
            name = cells.get("file")
            if not name:
                continue
            name = Path(name.replace("\\", "/")).name  # keyed by bare file name
            entries[name] = ManifestEntry(
                file=name, **{col: cells.get(col) for col in MANIFEST_COLUMNS if col != "file"}
            )
        return entries
    except LoadError as exc:
        raise LoadError(f"bad manifest: {exc}") from None
    except (OSError, csv.Error) as exc:
        raise LoadError(f"bad manifest: {_one_line(exc)}") from None


def _norm_col(name: str) -> str:
    return name.strip().lower()


def _norm_cell(value: Any) -> str | None:
    if not isinstance(value, str):  # DictReader gives lists for surplus cells, None for missing
        return None
    value = value.strip()
    return value or None


def _manifest_lookup(manifest: Mapping[str, ManifestEntry] | None, name: str) -> ManifestEntry | None:
    if not manifest:
        return None
    if name in manifest:
        return manifest[name]
    folded = name.casefold()  # tolerate "Report.PDF" vs "report.pdf" in hand-written manifests
    return next((e for k, e in manifest.items() if k.casefold() == folded), None)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


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
                manifest_file = _manifest_path(directory)
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
            failures.append(LoadFailure(str(path), f"unexpected error: {type(exc).__name__}: {_one_line(exc)}"))
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
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(_unsupported_reason(path))
    raw = _read_bytes(path, max_bytes)
    if not raw.strip():
        raise LoadError("empty file: no text to index")

    parsed = _PARSERS[fmt](raw)
    if not parsed.text.strip():
        raise LoadError("empty file: no text to index")

    resolved = str(path.resolve())
    entry = _manifest_lookup(manifest, path.name)
    metadata: dict[str, Any] = {
        "source": path.name,
        "path": resolved,
        "format": fmt,
        "title": _pick_title(entry, parsed, path),
        "publisher": _clean_inline((entry and entry.publisher) or parsed.publisher),
        "date": _normalise_date(entry.date) if entry and entry.date else parsed.date,
        "kind": (entry and entry.kind) or "",
        "content_hash": hashlib.sha256(raw).hexdigest(),
        "pages": [[offset, page] for offset, page in parsed.pages],
        "sections": [[offset, heading] for offset, heading in _tidy_sections(parsed.sections)],
        "exclude_spans": [list(span) for span in _exclude_spans(parsed.text, entry, path)],
    }
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
            shown, limit = _human_size(size), _human_size(max_bytes)
            if shown == limit:  # "50 MB > limit 50 MB" would read as a contradiction
                shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
            raise LoadError(f"file too large ({shown} > limit {limit})")
        with path.open("rb") as fh:
            # Ask for the stat size, not the limit: read(n) allocates n bytes up front.
            raw = fh.read(size + 1)
            if len(raw) > size:  # the file grew between stat and read
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise LoadError(f"could not read file ({exc.strerror or _one_line(exc)})") from None
    if len(raw) > max_bytes:
        raise LoadError(f"file too large (> limit {_human_size(max_bytes)})")
    return raw


def _human_size(n: int) -> str:
    if n >= 100 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n} bytes"


def _one_line(exc: BaseException | str, limit: int = 200) -> str:
    text = " ".join(str(exc).split()) or (type(exc).__name__ if isinstance(exc, BaseException) else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_inline(value: str | None, limit: int = _MAX_TITLE_CHARS) -> str:
    return " ".join((value or "").split())[:limit]


def _pick_title(entry: ManifestEntry | None, parsed: _Parsed, path: Path) -> str:
    for candidate in (entry.title if entry else None, parsed.title):
        title = _clean_inline(candidate)
        if title:
            return title
    return _clean_inline(re.sub(r"[_-]+", " ", path.stem)) or path.name


def _tidy_sections(sections: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    tidy: dict[int, str] = {}
    for offset, heading in sections:
        heading = heading.strip()[:_MAX_HEADING_CHARS].rstrip()
        if heading and offset not in tidy:
            tidy[offset] = heading
    return sorted(tidy.items())


def _find_marker(text: str, marker: str, start: int = 0) -> int:
    """Offset of ``marker`` in ``text`` at or after ``start``; whitespace-insensitive fallback; -1 if absent."""
    found = text.find(marker, start)
    if found >= 0:
        return found
    words = marker.split()
    if not words:
        return -1
    match = re.compile(r"\s+".join(map(re.escape, words))).search(text, start)
    return match.start() if match else -1


def _exclude_spans(text: str, entry: ManifestEntry | None, path: Path) -> list[tuple[int, int]]:
    if entry is None:
        return []
    spans: list[tuple[int, int]] = []
    body_start = 0
    search_from = 0
    if entry.body_starts_at:
        found = _find_marker(text, entry.body_starts_at)
        if found < 0:
            logger.warning("%s: body_starts_at marker not found: %r", path.name, entry.body_starts_at)
        else:
            body_start = found
            search_from = found + len(entry.body_starts_at)
            if found > 0:
                spans.append((0, found))
    if entry.body_ends_before:
        found = _find_marker(text, entry.body_ends_before, search_from)
        if found < 0:
            logger.warning("%s: body_ends_before marker not found: %r", path.name, entry.body_ends_before)
        elif found > body_start:
            spans.append((found, len(text)))
    return spans


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_FORMATS = (
    ("%d/%m/%Y", "%Y-%m-%d"),  # UK order: NHS documents are British
    ("%d.%m.%Y", "%Y-%m-%d"),
    ("%d %B %Y", "%Y-%m-%d"),
    ("%d %b %Y", "%Y-%m-%d"),
    ("%B %d, %Y", "%Y-%m-%d"),
    ("%B %Y", "%Y-%m"),
    ("%b %Y", "%Y-%m"),
    ("%Y/%m/%d", "%Y-%m-%d"),
    ("%Y/%m", "%Y-%m"),
)


def _normalise_date(value: str | None) -> str:
    """ISO ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` when recognisable, else the text as given."""
    value = (value or "").strip()
    if not value or _ISO_DATE.match(value):
        return value
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value):
        return value[:10]
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", value)  # "5th December 2024"
    for parse_fmt, out_fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, parse_fmt).strftime(out_fmt)
        except ValueError:
            continue
    return value


def _iso(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, (datetime, date)) else ""


# --------------------------------------------------------------------------------------------
# Text decoding (TXT, MD, HTML)
# --------------------------------------------------------------------------------------------

_DECODE_FAILURE = "could not decode text as UTF-8, UTF-8-SIG, UTF-16 or cp1252"


def _decode_text(raw: bytes, preferred: str | None = None) -> str:
    """Decode text bytes and normalise newlines; rejects binary files."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 is full of NULs, so its BOM must be honoured before the binary sniff.
        try:
            return _normalise_newlines(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise LoadError(_DECODE_FAILURE) from None
    if b"\x00" in raw[:_BINARY_SNIFF_BYTES] or _binary_share(raw[:_BINARY_SNIFF_BYTES]) > 0.05:
        raise LoadError("looks like a binary file, not text")
    codecs = ["utf-8-sig", "cp1252"]
    if preferred:
        codecs.insert(0, preferred)
    for codec in codecs:
        try:
            return _normalise_newlines(raw.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    raise LoadError(_DECODE_FAILURE)


# C0 controls other than tab, newlines and form feed: text files hardly ever hold them; binaries do.
_NON_TEXT_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _binary_share(sample: bytes) -> float:
    """Share of control bytes in ``sample`` (pure): above a few percent it is not text."""
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _NON_TEXT_BYTES))) / len(sample)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _parse_txt(raw: bytes) -> _Parsed:
    return _Parsed(text=_decode_text(raw))


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPE_BASE = 0xF0000  # Unicode private use plane: placeholders that no markdown rule touches
_MD_RESTORE = re.compile("[\U000f0000-\U000f007f]")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`+([^`]+?)`+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:={2,}|-{2,})\s*$")
_MD_THEMATIC = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BULLET = re.compile(r"^(\s*)[*+-]\s+")
_MD_ALL_BOLD = re.compile(r"^(?:\s*\*{2,}[^*]*?\*{2,}\s*)+$|^(?:\s*_{2,}[^_]*?_{2,}\s*)+$")
_MD_STRONG = re.compile(r"\*{2,}|(?<!\w)_{2,}|_{2,}(?!\w)")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")


def _md_inline(line: str) -> str:
    """Render one markdown line's inline syntax to plain text (escapes are already placeholders)."""
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REF_LINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = _MD_CODE.sub(r"\1", line)
    line = _MD_STRONG.sub("", line)
    line = _MD_EM_STAR.sub(r"\1", line)
    line = _MD_EM_UNDERSCORE.sub(r"\1", line)
    # Removed markers leave double spaces behind ("** **"); keep indentation, squeeze the rest.
    return _INNER_SPACES.sub(" ", line).rstrip()


def _restore_escapes(text: str, keep_backslash: bool = False) -> str:
    prefix = "\\" if keep_backslash else ""
    return _MD_RESTORE.sub(lambda m: prefix + chr(ord(m.group()) - _ESCAPE_BASE), text)


def _has_word(text: str) -> bool:
    # Headings like "### 2" are page numbers from PDF conversion, not section titles.
    return any(ch.isalpha() for ch in text)


def _parse_md(raw: bytes) -> _Parsed:
    source = _decode_text(raw)
    source = _MD_ESCAPE.sub(lambda m: chr(_ESCAPE_BASE + ord(m.group(1))), source)
    out: list[str] = []
    heading_lines: dict[int, bool] = {}  # output line index -> is an ATX (#) heading
    in_fence = False
    previous_blank = True

    def emit(line: str) -> None:
        if line.strip():
            out.append(line)
        elif out and out[-1]:  # one blank line between blocks is enough
            out.append("")

    for line in source.split("\n"):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            emit(_restore_escapes(line.rstrip(), keep_backslash=True))  # code is verbatim
            previous_blank = not line.strip()
            continue
        if _MD_REF_DEF.match(line):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            text = _clean_inline(_restore_escapes(_md_inline(heading.group(1) or "")), 10_000)
            if text:
                emit(text)
                if _has_word(text):
                    heading_lines[len(out) - 1] = True
            previous_blank = False
            continue
        if _MD_SETEXT.match(line) and not previous_blank and out and out[-1]:
            if _has_word(out[-1]):
                out[-1] = out[-1].strip()
                heading_lines.setdefault(len(out) - 1, True)
            previous_blank = False
            continue
        if _MD_THEMATIC.match(line):
            emit("")
            previous_blank = True
            continue
        line = _MD_QUOTE.sub("", line)
        all_bold = bool(_MD_ALL_BOLD.match(line))
        line = _MD_BULLET.sub(lambda m: m.group(1) + "• ", line)
        text = _restore_escapes(_md_inline(line))
        if all_bold:
            text = _clean_inline(text, 10_000)
            emit(text)
            # A long all-bold line is an emphasised sentence, not a heading.
            if text and _has_word(text) and len(text) <= _MAX_BOLD_HEADING_CHARS:
                heading_lines.setdefault(len(out) - 1, False)
        else:
            emit(text)
        previous_blank = not text.strip()

    while out and not out[-1]:
        out.pop()
    sections: list[tuple[int, str]] = []
    title = ""
    offset = 0
    for index, line in enumerate(out):
        if index in heading_lines:
            sections.append((offset, line))
            if not title and heading_lines[index]:
                title = line
        offset += len(line) + 1
    return _Parsed(text="\n".join(out), title=title, sections=sections)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

# Page furniture: navigation, chrome and non-text elements never belong in the index.
_HTML_DROP = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form")
_HTML_DROP_ROLES = {"navigation", "banner", "contentinfo", "search"}
_HTML_BLOCKS = {
    "address", "article", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
    "ul",
}  # fmt: skip
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")


def _parse_html(raw: bytes) -> _Parsed:
    from bs4 import BeautifulSoup  # imported lazily: only needed for HTML files

    declared = _HTML_CHARSET.search(raw[:4096])
    html = _decode_text(raw, declared.group(1).decode("ascii", "ignore").lower() if declared else None)
    soup = BeautifulSoup(html, "lxml")

    title = ""
    if soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(" ", strip=True)
    elif (h1 := soup.find("h1")) is not None:
        title = h1.get_text(" ", strip=True)

    for tag in list(soup.find_all(True)):
        if tag.decomposed:  # inside an element already removed
            continue
        if tag.name == "header" and tag.find_parent(("article", "main")) is not None:
            continue  # an article's own header holds its headline, not site chrome
        role = str(tag.get("role") or "").lower()
        if tag.name in _HTML_DROP or role in _HTML_DROP_ROLES or tag.has_attr("hidden"):
            tag.decompose()

    blocks = _HtmlBlocks()
    blocks.walk(soup.body or soup)
    blocks.flush()
    return _Parsed(text="\n\n".join(text for text, _ in blocks.blocks), title=title, sections=blocks.sections())


class _HtmlBlocks:
    """Collects the text of block elements; inline text within a block is whitespace-collapsed."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, bool]] = []  # (text, is_heading)
        self._buffer: list[str] = []

    def flush(self, heading: bool = False) -> None:
        joined = "".join(self._buffer)
        self._buffer = []
        lines = (_SPACES.sub(" ", line).strip() for line in joined.split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append((text, heading))

    def walk(self, node: Any) -> None:
        from bs4.element import NavigableString, PreformattedString, Tag

        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctypes, CDATA
                continue
            if isinstance(child, NavigableString):
                # Source newlines are just spaces in HTML; only <br> makes a line break.
                self._buffer.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                self._tag(child)

    def _tag(self, tag: Any) -> None:
        name = tag.name
        if name == "br":
            self._buffer.append("\n")
        elif name == "pre":
            self.flush()
            text = _normalise_newlines(tag.get_text()).strip("\n").rstrip()
            if text.strip():
                self.blocks.append((text, False))
        elif name in ("td", "th"):
            if "".join(self._buffer).strip():
                self._buffer.append(" | ")  # cells of a row stay on one line
            self.walk(tag)
        elif name in _HTML_BLOCKS:
            self.flush()
            if name == "li":
                self._buffer.append("• ")
            self.walk(tag)
            self.flush(heading=name in _HTML_HEADINGS)
        else:
            self.walk(tag)

    def sections(self) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        offset = 0
        for text, heading in self.blocks:
            if heading:
                found.append((offset, text.split("\n")[0]))
            offset += len(text) + 2
        return found


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


_ENCRYPTED_PDF = "encrypted PDF (password-protected): save an unprotected copy to index it"


def _parse_pdf(raw: bytes) -> _Parsed:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise LoadError(f"encrypted PDF ({_one_line(exc)})") from None
            if not decrypted:
                raise LoadError(_ENCRYPTED_PDF)
        page_list = list(reader.pages)
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError(_ENCRYPTED_PDF) from None
    except LimitReachedError as exc:  # pypdf's own guard against decompression bombs
        raise LoadError(f"PDF exceeds a safety limit, possibly a decompression bomb ({_one_line(exc)})") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise LoadError(f"not a valid PDF ({_one_line(exc)})") from None

    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    for number, page in enumerate(page_list, start=1):
        try:
            text = page.extract_text() or ""
        except LimitReachedError as exc:
            raise LoadError(f"PDF page {number} exceeds a safety limit, possibly a decompression bomb ({_one_line(exc)})") from None
        except Exception:  # one damaged page should not cost the rest of the document
            logger.debug("PDF page %d: text extraction failed", number, exc_info=True)
            text = ""
        text = _normalise_newlines(text).strip()
        if not text:
            continue  # blank / image-only page: no offset to record, no empty gap in the text
        if parts:
            offset += 2  # the "\n\n" separator
        pages.append((offset, number))
        parts.append(text)
        offset += len(text)
    if not parts:
        raise LoadError("no extractable text (scanned PDF?)")
    text = "\n\n".join(parts)

    info = _pdf_info(reader)
    return _Parsed(
        text=text,
        pages=pages,
        title=info.get("title", ""),
        publisher=info.get("author", ""),
        date=info.get("date", ""),
        sections=_pdf_outline_sections(reader, text, pages),
    )


def _pdf_info(reader: Any) -> dict[str, str]:
    try:
        meta = reader.metadata
        if meta is None:
            return {}
        info = {"title": str(meta.title or "").strip(), "author": str(meta.author or "").strip()}
        try:
            info["date"] = _iso(meta.creation_date)
        except (ValueError, TypeError):  # malformed /CreationDate strings are common
            info["date"] = ""
        return info
    except Exception:
        logger.debug("PDF metadata unreadable", exc_info=True)
        return {}


def _pdf_outline_sections(reader: Any, text: str, pages: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Bookmarks whose title appears on their target page, as sections (best effort)."""
    page_start = {number: offset for offset, number in pages}
    ends = [offset for offset, _ in pages[1:]] + [len(text)]
    page_end = {number: ends[i] for i, (_, number) in enumerate(pages)}
    sections: list[tuple[int, str]] = []

    def visit(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
                continue
            title = str(getattr(item, "title", "") or "").strip()
            number = reader.get_destination_page_number(item) + 1
            if not title or number not in page_start:
                continue
            found = _find_marker(text[: page_end[number]], title, page_start[number])
            if found >= 0:
                sections.append((found, title))

    try:
        visit(reader.outline)
    except Exception:  # outlines are optional and often broken; sections are a nice-to-have
        logger.debug("PDF outline unreadable", exc_info=True)
    return sections


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def _parse_docx(raw: bytes) -> _Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_docx_archive(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        content = list(document.iter_inner_content())
    except zipfile.BadZipFile:
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, SyntaxError, RuntimeError,
            NotImplementedError, OSError, zlib.error) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise LoadError(f"not a valid DOCX ({_one_line(exc)})") from None

    blocks: list[tuple[str, str | None]] = []  # (text, heading style name or None)
    for item in content:
        if isinstance(item, Paragraph):
            text = _normalise_newlines(item.text).strip()
            if text:
                style = _style_name(item)
                is_heading = style.startswith(("Heading", "Title"))
                blocks.append((text, style if is_heading else None))
        elif isinstance(item, Table):
            blocks.extend((row, None) for row in _docx_table_rows(item))

    sections: list[tuple[int, str]] = []
    title = ""
    offset = 0
    for block_text, heading_style in blocks:
        if heading_style is not None:
            sections.append((offset, block_text.split("\n")[0]))
            if not title and heading_style in ("Title", "Heading 1"):
                title = block_text
        offset += len(block_text) + 2

    props = document.core_properties
    author = (props.author or "").strip()
    created = _iso(props.created)
    # Files made from python-docx's blank template keep its author and creation date: not real ones.
    return _Parsed(
        text="\n\n".join(block_text for block_text, _ in blocks),
        title=(props.title or "").strip() or title,
        sections=sections,
        publisher="" if author == "python-docx" else author,
        date="" if created == "2013-12-23" else created,
    )


# A DOCX is a zip: python-docx inflates every part into memory and parses the XML with lxml, so
# sizes are checked from the zip's directory first. zipfile never inflates past a member's
# declared size, so a directory that lies about sizes cannot get round the check.
_DOCX_MAX_MEMBERS = 5000
_DOCX_MAX_XML_BYTES = 64 * 1024 * 1024
_DOCX_MAX_EXPANDED_BYTES = 256 * 1024 * 1024


def _check_docx_archive(raw: bytes) -> None:
    """Refuse zip bombs and absurd archives before python-docx inflates them."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    if len(members) > _DOCX_MAX_MEMBERS:
        raise LoadError(f"not a valid DOCX ({len(members)} parts in the archive, limit {_DOCX_MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if xml > _DOCX_MAX_XML_BYTES or total > _DOCX_MAX_EXPANDED_BYTES:
        raise LoadError(
            f"DOCX would expand from {_human_size(len(raw))} to {_human_size(total)} "
            f"(limits: {_human_size(_DOCX_MAX_XML_BYTES)} of XML, {_human_size(_DOCX_MAX_EXPANDED_BYTES)} in all): "
            "refusing a possible zip bomb"
        )


def _style_name(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError):
        return ""


def _docx_table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # merged cells repeat the same cell object
                continue
            previous = cell._tc
            text = " ".join(_normalise_newlines(cell.text).split())
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


_PARSERS: dict[str, Callable[[bytes], _Parsed]] = {
    "txt": _parse_txt,
    "md": _parse_md,
    "html": _parse_html,
    "pdf": _parse_pdf,
    "docx": _parse_docx,
}
