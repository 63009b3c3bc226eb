"""Which documents are current: supersession resolved over the catalogue (pure, given the records).

Two relations, kept apart on purpose (docs/currency.md):

- **supersedes**: a document replaces another (the manifest's ``supersedes`` column names the file
  it replaces; or the document says "This policy supersedes …" / "… has been superseded by …"). The
  replaced one is no longer current: its citations say "superseded by …", the ``current_only``
  filter leaves it out, and answers lead with its successor.
- **covers a later period**: the Medium Term Planning Framework (2026/27 to 2028/29) follows the
  2025/26 guidance without replacing it: the older one stays current for its own period. Periods
  order answers and label figures (``answering.currency``), never the filter.

A file replaced under the same name by a version whose manifest row names the file itself in
``supersedes`` keeps the earlier version's facts as a catalogue record (``status="earlier"``), so
the new version can say what it replaced.

Resolution needs the whole catalogue, so it runs once per ingestion (``refresh_standing``) and its
result is kept in each catalogue record (``successor``, ``successor_date``, ``replaced``): a question
only looks up the records of the documents its passages come from (``annotate``).

Example::

    >>> lineage = Lineage(store.documents(), store.earlier_versions())
    >>> lineage.standing(path).superseded_by, lineage.superseded_paths()
    >>> refresh_standing(store)          # after an ingestion: the catalogue records' standing
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from assistant.ingest.facts import split_names
from assistant.text.dates import date_ordinal

if TYPE_CHECKING:
    from assistant.ingest.store import ChunkStore, DocumentRecord
    from assistant.results import Source

FACT_KEYS = ("version", "reference", "period", "supersedes", "superseded_by")
"""The document facts a catalogue record carries beyond title, publisher, date and kind."""

_S = TypeVar("_S", bound="Source")
_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")
_MIN_TITLE_WORDS = 3


@dataclass(frozen=True)
class Standing:
    """One document's place in the lineage: its facts, what replaced it and what it replaced."""

    path: str
    title: str = ""
    date: str = ""
    version: str = ""
    reference: str = ""
    period: str = ""
    superseded_by: str | None = None
    """Title of the current document that replaces it (or the name the document gives); None if current."""
    superseded_date: str = ""
    """Publication date of that successor, when known."""
    supersedes: tuple[str, ...] = field(default_factory=tuple)
    """What it replaced, described ("Example policy, version 1 (2023-01-10)")."""

    @property
    def current(self) -> bool:
        return self.superseded_by is None


def describe(record: "DocumentRecord") -> str:
    """``Title, version 2 (2024-04-01)`` (pure)."""
    label = record.title or record.source
    if record.version and record.version.casefold() not in label.casefold():
        label += f", version {record.version}"
    return f"{label} ({record.date})" if record.date else label


def replaces_earlier_version(new: "DocumentRecord", old: "DocumentRecord") -> bool:
    """Whether ``new`` replaces ``old`` under the same name *and says so* (its ``supersedes`` names the file)."""
    names = {n.casefold() for n in split_names(new.supersedes)}
    return new.source.casefold() in names and (new.version, new.date, new.title) != (old.version, old.date, old.title)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(list(haystack[i:i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def names_record(name: str, record: "DocumentRecord") -> bool:
    """Whether ``name`` (a file name, a publication reference or a title, as a manifest or a document
    writes it) designates ``record`` (pure)."""
    folded = name.strip().casefold()
    if not folded:
        return False
    if folded == record.source.casefold() or folded == record.path.casefold():
        return True
    if record.reference and re.search(rf"(?<![A-Za-z0-9]){re.escape(record.reference.casefold())}(?![A-Za-z0-9])", folded):
        return True
    title, words = _words(record.title), _words(name)
    return len(title) >= _MIN_TITLE_WORDS and len(words) >= _MIN_TITLE_WORDS and (_contains(words, title) or _contains(title, words))


def _ordered(older: "DocumentRecord", newer: "DocumentRecord") -> bool:
    """False only when both dates are known and ``older`` is the later one."""
    a, b = date_ordinal(older.date), date_ordinal(newer.date)
    return not (a and b and a > b)


class Lineage:
    """Supersession over the catalogue's records (current ones and earlier versions).

    Args:
        records: path -> record of each indexed document (``ChunkStore.documents()``).
        earlier: earlier versions' records (``ChunkStore.earlier_versions()``).
    """

    def __init__(self, records: Mapping[str, "DocumentRecord"], earlier: Iterable["DocumentRecord"] = ()) -> None:
        self.records = dict(records)
        self.earlier = list(earlier)
        self._successor: dict[str, str] = {}  # path -> path of the document that replaces it
        self._named_successor: dict[str, str] = {}  # path -> a successor the document names, not indexed
        self._replaced: dict[str, list[str]] = {}  # path -> descriptions of what it replaced
        self._resolve()

    @classmethod
    def from_store(cls, store: "ChunkStore") -> "Lineage":
        return cls(store.documents(), store.earlier_versions())

    def _find(self, name: str, exclude: str) -> list["DocumentRecord"]:
        return [r for p, r in self.records.items() if p != exclude and names_record(name, r)]

    def _resolve(self) -> None:
        edges: dict[str, set[str]] = {}  # old path -> new paths
        for path, rec in sorted(self.records.items()):
            replaced = self._replaced.setdefault(path, [])
            for name in split_names(rec.supersedes):
                if name.casefold() == rec.source.casefold():
                    continue  # itself: its earlier versions, below
                found = [r for r in self._find(name, path) if _ordered(r, rec)]
                replaced.extend(describe(r) for r in found) if found else replaced.append(name)
                for r in found:
                    edges.setdefault(r.path, set()).add(path)
            for name in split_names(rec.superseded_by):
                found = [r for r in self._find(name, path) if _ordered(rec, r)]
                for r in found:
                    edges.setdefault(path, set()).add(r.path)
                if not found:
                    self._named_successor.setdefault(path, name)
        for earlier in self.earlier:
            if earlier.path in self.records:
                self._replaced.setdefault(earlier.path, []).append(describe(earlier))
        # A manifest that has two documents replace each other is contradictory: neither is taken as replaced.
        for old, news in edges.items():
            news = {n for n in news if old not in edges.get(n, set())}
            if news:
                # the most recent successor, when several replace the same document
                self._successor[old] = max(sorted(news), key=lambda p: date_ordinal(self.records[p].date))

    def current_successor(self, path: str) -> str | None:
        """The current document at the end of ``path``'s chain of successors (None when ``path`` is current)."""
        seen = {path}
        nxt = self._successor.get(path)
        while nxt is not None and nxt in self._successor and self._successor[nxt] not in seen:
            seen.add(nxt)
            nxt = self._successor[nxt]
        return nxt

    def standing(self, path: str) -> Standing:
        """``path``'s facts and standing; a path not in the catalogue is current with no facts."""
        rec = self.records.get(path)
        if rec is None:
            return Standing(path)
        successor = self.current_successor(path)
        by, by_date = None, ""
        if successor is not None:
            new = self.records[successor]
            by, by_date = new.title or new.source, new.date
            if by.casefold() == rec.title.casefold() and new.version:  # same title: the version tells them apart
                by = f"{by}, version {new.version}"
        elif path in self._named_successor:
            by = self._named_successor[path]
        return Standing(
            path=path, title=rec.title, date=rec.date, version=rec.version, reference=rec.reference, period=rec.period,
            superseded_by=by, superseded_date=by_date, supersedes=tuple(dict.fromkeys(self._replaced.get(path, []))),
        )

    def superseded_paths(self) -> list[str]:
        """Paths of indexed documents that are no longer current (what ``current_only`` leaves out)."""
        return sorted(p for p in self.records if not self.standing(p).current)

    def resolved(self) -> list["DocumentRecord"]:
        """The records whose stored standing (``successor``, ``successor_date``, ``replaced``) is out of date, updated."""
        out = []
        for path, rec in sorted(self.records.items()):
            st = self.standing(path)
            new = dataclasses.replace(rec, successor=st.superseded_by or "", successor_date=st.superseded_date,
                                      replaced="; ".join(st.supersedes))
            if new != rec:
                out.append(new)
        return out


def refresh_standing(store: "ChunkStore") -> int:
    """Resolve the lineage over the whole catalogue and store each changed document's standing; how many changed."""
    changed = Lineage.from_store(store).resolved()
    if changed:
        store.set_standing(changed)
    return len(changed)


def annotate(item: _S, record: "DocumentRecord | None") -> _S:
    """``item`` (a ``Passage``) with its document's facts and stored standing filled in (pure)."""
    if record is None:
        return item
    return dataclasses.replace(
        item, version=record.version, reference=record.reference, period=record.period, supersedes=record.replaced,
        superseded_by=record.successor or None, superseded_date=record.successor_date,
    )
