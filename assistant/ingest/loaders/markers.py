"""Body markers: the manifest's ``body_starts_at`` / ``body_ends_before`` text, found in a document.

The text outside the body (a web page's navigation, a magazine's blurbs) becomes ``exclude_spans``,
which the chunker never indexes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from assistant.ingest.loaders.manifest import ManifestEntry

logger = logging.getLogger(__name__)


def find_marker(text: str, marker: str, start: int = 0) -> int:
    """Offset of ``marker`` in ``text`` at or after ``start``; whitespace-insensitive fallback; -1 if absent."""
    found = text.find(marker, start)
    if found >= 0:
        return found
    words = marker.split()
    if not words:
        return -1
    match = re.compile(r"\s+".join(map(re.escape, words))).search(text, start)
    return match.start() if match else -1


def exclude_spans(text: str, entry: ManifestEntry | None, path: Path) -> list[tuple[int, int]]:
    if entry is None:
        return []
    spans: list[tuple[int, int]] = []
    body_start = 0
    search_from = 0
    if entry.body_starts_at:
        found = find_marker(text, entry.body_starts_at)
        if found < 0:
            logger.warning("%s: body_starts_at marker not found: %r", path.name, entry.body_starts_at)
        else:
            body_start = found
            search_from = found + len(entry.body_starts_at)
            if found > 0:
                spans.append((0, found))
    if entry.body_ends_before:
        found = find_marker(text, entry.body_ends_before, search_from)
        if found < 0:
            logger.warning("%s: body_ends_before marker not found: %r", path.name, entry.body_ends_before)
        elif found > body_start:
            spans.append((found, len(text)))
    return spans

