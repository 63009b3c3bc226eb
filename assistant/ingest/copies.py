"""The same file at two paths is indexed once: which found files are copies of which indexed one.

A document's identity in the catalogue is its resolved path, so the same bytes reached through two
paths (a file in two folders, a second checkout, a copied corpus folder) would be chunked, embedded
and counted twice: BM25's document frequencies and the answerer's IDF would then depend on where the
files sit. Ingestion therefore keys each file's bytes too (``content_key``: sha256 of its format and
bytes, without the manifest entry or the chunker's settings) and indexes one path per key: the one
already indexed, else the first found. Each other path gets a catalogue record of its own with
``status="copy"`` and ``copy_of`` (no chunks; readers skip status records), so that when the
indexed path disappears or changes, ingestion indexes a remaining copy (nothing is lost). The
indexed path's manifest entry (title, publisher, date) is the one that applies.

Example::

    >>> plan = plan_copies([("/b/x.pdf", "k1"), ("/c/x.pdf", "k1")], {"k1": "/a/x.pdf"}, lambda p: True)
    >>> plan.copies
    {'/b/x.pdf': '/a/x.pdf', '/c/x.pdf': '/a/x.pdf'}
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

COPY_STATUS = "copy"
MANIFEST_DIFFERS = "its manifest entry differs: the indexed file's title, publisher and date apply"


def content_key(suffix: str, bytes_sha256: str) -> str:
    """The key of a file's content: its format (the lower-cased extension picks the parser) and the
    sha256 of its bytes (hex; the same bytes read as another format are another document)."""
    return hashlib.sha256(f"{suffix.lower()}\x00{bytes_sha256}".encode()).hexdigest()


@dataclass
class CopyPlan:
    """``holders``: content key → the path indexed for it after this ingestion; ``copies``: path →
    the path it is a copy of; ``replaced``: an indexed path whose file is gone → the found copy
    that takes its place (indexed now, then the gone path leaves the index)."""

    holders: dict[str, str]
    copies: dict[str, str] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)


def plan_copies(found: Sequence[tuple[str, str]], kept: Mapping[str, str], alive: Callable[[str], bool]) -> CopyPlan:
    """Which of ``found`` (path, content key; in ingestion order) are copies (pure but for ``alive``).

    ``kept``: content key → path of each indexed document that stays as it is (not among ``found``,
    not being removed); it holds its key first: an ingestion of a copied folder adds nothing. Among
    ``found``, the first path of a key holds it. A kept path whose file no longer exists
    (``alive(path)`` false: a moved folder) gives its key to the first found copy, so the index
    points at a file that is there.
    """
    plan = CopyPlan(holders={k: p for k, p in kept.items() if k})
    kept_paths = set(plan.holders.values())
    for path, key in found:
        holder = plan.holders.get(key)
        if not key or holder is None or holder == path:
            if key:
                plan.holders[key] = path
            continue
        if holder in kept_paths and holder not in plan.replaced and not alive(holder):
            plan.replaced[holder] = path
            plan.holders[key] = path
            continue
        plan.copies[path] = holder
    return plan
