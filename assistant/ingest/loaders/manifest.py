"""``manifest.csv``: a directory's list of its documents' titles, publishers, dates, kinds, versions,
publication references, licences and body markers.

Example::

    >>> read_manifest(Path("corpus"))["plan.md"].publisher
    'NHS England'
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.ingest.loaders.base import LoadError, decode_text, one_line

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = (
    "file", "title", "publisher", "date", "kind", "body_starts_at", "body_ends_before", "version", "reference", "licence",
)


@dataclass(frozen=True)
class ManifestEntry:
    """One row of a ``manifest.csv``; every field but ``file`` is ``None`` when absent or empty."""

    file: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None
    period: str | None = None  # the period it covers, e.g. "2025/26" or "2026/27 to 2028/29"
    supersedes: str | None = None  # file name(s) of the document(s) it replaces, ";"-separated
    body_starts_at: str | None = None
    body_ends_before: str | None = None
    version: str | None = None
    reference: str | None = None  # publication reference, e.g. NHS England's "PR2086"
    licence: str | None = None


def is_manifest(path: Path) -> bool:
    return path.name.lower() == MANIFEST_NAME


def manifest_path(directory: Path) -> Path | None:
    try:
        candidates = sorted(p for p in directory.iterdir() if is_manifest(p) and p.is_file())
    except OSError:
        return None
    if len(candidates) > 1:
        logger.warning("several manifest files in %s; using %s", directory, candidates[0].name)
    return candidates[0] if candidates else None


# Every column a ManifestEntry holds: MANIFEST_COLUMNS and the document facts (period, supersedes).
_ENTRY_FIELDS = tuple(f.name for f in fields(ManifestEntry) if f.name != "file")


def read_manifest(directory: Path) -> dict[str, ManifestEntry]:
    """Read ``manifest.csv`` (any case, e.g. ``MANIFEST.csv``) in ``directory``, keyed by file name.

    Columns: file, title, publisher, date, kind, body_starts_at, body_ends_before, version,
    reference, licence ("license" is read as licence). Other columns are ignored, missing columns
    and empty cells give ``None``. No manifest gives ``{}``; an unreadable
    one raises ``LoadError``.

    Example::

        >>> read_manifest(Path("corpus"))["plan.md"].publisher
        'NHS England'
    """
    path = manifest_path(Path(directory))
    if path is None:
        return {}
    try:
        text = decode_text(path.read_bytes())
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
            entries[name] = ManifestEntry(file=name, **{col: cells.get(col) for col in _ENTRY_FIELDS})
        return entries
    except LoadError as exc:
        raise LoadError(f"bad manifest: {exc}") from None
    except (OSError, csv.Error) as exc:
        raise LoadError(f"bad manifest: {one_line(exc)}") from None


_COLUMN_ALIASES = {"license": "licence"}


def _norm_col(name: str) -> str:
    name = name.strip().lower()
    return _COLUMN_ALIASES.get(name, name)


def _norm_cell(value: Any) -> str | None:
    if not isinstance(value, str):  # DictReader gives lists for surplus cells, None for missing
        return None
    value = value.strip()
    return value or None


def manifest_lookup(manifest: Mapping[str, ManifestEntry] | None, name: str) -> ManifestEntry | None:
    if not manifest:
        return None
    if name in manifest:
        return manifest[name]
    folded = name.casefold()  # tolerate "Report.PDF" vs "report.pdf" in hand-written manifests
    return next((e for k, e in manifest.items() if k.casefold() == folded), None)
