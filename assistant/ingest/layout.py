"""A loaded document's structure as the chunker and the answerers use it (pure functions).

The loaders give each document ``pages`` (+ ``page_labels``), ``sections`` with levels and typed
``blocks`` (see ``loaders/registry.py``). From them a chunk learns:

- which pages it spans, with their printed labels ("p. 10 (printed 9)", "pp. 11-12");
- which of its spans must never be quoted as an answer: the title, contents lines, dotted leader
  lines, bare headings and tables' header rows (for plain text and Markdown, which have no blocks:
  its section heading lines and leader lines);
- its list items and table rows, which are whole units: a row is never split into sentences and a
  list's lead-in ("... will consider four things:") stays with its items.

Chroma metadata values must be scalars, so span lists travel as compact JSON strings with offsets
relative to the chunk (``spans_json`` / ``parse_spans``).

Example::

    >>> layout = DocLayout.from_metadata(doc.text, doc.metadata)
    >>> layout.pages_between(1200, 1900)
    [(1150, 11, '10'), (1700, 12, '11')]
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]
UNQUOTABLE_KINDS = frozenset({"title", "heading", "toc"})
UNIT_KINDS = {"list_item": "l", "table_row": "r"}
UNIT_NAMES = {code: kind for kind, code in UNIT_KINDS.items()}
# Not indexed at all: navigation, like page furniture (a contents chunk would win keyword searches).
SKIPPED_KINDS = frozenset({"toc"})
_LEADER_LINE = re.compile(r"(?m)^[^\n]*?(?:\.{4,}|…{2,}|(?:\. ){4,}|_{4,})[ \t]*\S{0,6}[ \t]*$")


@dataclass(frozen=True)
class DocLayout:
    """Pages, printed labels, sections and blocks of one document, with offsets into its text."""

    length: int
    pages: list[tuple[int, int]] = field(default_factory=list)  # (offset, physical page)
    labels: dict[int, str] = field(default_factory=dict)  # physical page -> printed label, where they differ
    sections: list[tuple[int, str, int]] = field(default_factory=list)  # (offset, heading, level)
    blocks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind)
    unquotable: list[Span] = field(default_factory=list)

    @classmethod
    def from_metadata(cls, text: str, meta: Mapping[str, Any]) -> DocLayout:
        """The layout in a loaded ``Document``'s metadata (sections without a level count as level 1)."""
        pages = sorted((int(o), int(p)) for o, p in meta.get("pages") or [])
        labels = {int(p): str(label) for p, label in meta.get("page_labels") or []}
        sections = sorted((int(s[0]), str(s[1]), int(s[2]) if len(s) > 2 else 1) for s in meta.get("sections") or [])
        blocks = sorted((int(a), int(b), str(k)) for a, b, k in meta.get("blocks") or [])
        return cls(len(text), pages, labels, sections, blocks, unquotable_spans(text, sections, blocks))

    # -- pages ---------------------------------------------------------------------------------------
    def page_at(self, offset: int) -> int:
        """Physical page of the character at ``offset``; 0 when the document has no pages."""
        i = bisect.bisect_right([o for o, _ in self.pages], offset) - 1
        return self.pages[max(i, 0)][1] if self.pages else 0

    def label(self, page: int) -> str:
        return self.labels.get(page, str(page)) if page else ""

    def pages_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """``(offset, page, label)``: the page ``start`` is on (at ``start``), then each page starting before ``end``."""
        if not self.pages:
            return []
        first = self.page_at(start)
        out = [(start, first, self.label(first))]
        for offset, page in self.pages:
            if start < offset < end and page != out[-1][1]:
                out.append((offset, page, self.label(page)))
        return out

    # -- what chunks are made of --------------------------------------------------------------------
    def skipped(self) -> list[Span]:
        """Spans never indexed: contents lines (navigation, like the furniture the PDF engine drops)."""
        return [(a, b) for a, b, kind in self.blocks if kind in SKIPPED_KINDS]

    def units(self) -> list[tuple[int, int, str]]:
        """List items and table rows: ``(start, end, kind)``."""
        return [(a, b, kind) for a, b, kind in self.blocks if kind in UNIT_KINDS]

    def hard_breaks(self, text: str) -> list[int]:
        """Where a sentence must end: section and block starts and ends, heading line ends (never page starts:
        a sentence runs on over a page break)."""
        breaks = {o for o, _, _ in self.sections}
        # a heading's line ends a sentence; a section taken up again after a table's title starts at no heading
        breaks.update(_line_end(text, o) for o, h, _ in self.sections if _heading_at(text, o, h))
        for a, b, _ in self.blocks:
            breaks.update((a, b))
        return sorted(breaks)

    def section_at(self, offset: int) -> tuple[str, int]:
        """Heading and level of the section ``offset`` is in (``("", 0)`` before the first)."""
        i = bisect.bisect_right([o for o, _, _ in self.sections], offset) - 1
        return (self.sections[i][1], self.sections[i][2]) if i >= 0 else ("", 0)


def _heading_at(text: str, offset: int, heading: str) -> bool:
    """Whether the section's heading is written at its offset (a section resumed after a table is not)."""
    return " ".join(text[offset:offset + 400].split()).startswith(" ".join(heading.split())[:10])


def unquotable_spans(text: str, sections: Sequence[tuple[int, str, int]], blocks: Sequence[tuple[int, int, str]]) -> list[Span]:
    """Titles, contents lines and bare headings (from blocks, else from section heading lines), and dotted leader lines."""
    spans: set[Span] = set()
    if blocks:
        spans.update((a, b) for a, b, kind in blocks if kind in UNQUOTABLE_KINDS)
    else:
        for offset, heading, _ in sections:
            end = _line_end(text, offset)
            line = text[offset:end].strip()
            # A bold line ending in ":" or "." was taken for a heading but is a lead-in or a sentence.
            if (line == heading.strip() or end - offset <= len(heading) + 2) and not line.endswith((":", ".", "?", "!", ";")):
                spans.add((offset, end))
    spans.update((m.start(), m.end()) for m in _LEADER_LINE.finditer(text))
    spans.update(header_rows(text, blocks))
    return sorted(spans)


def header_rows(text: str, blocks: Sequence[tuple[int, int, str]]) -> list[Span]:
    """A table's header row ("Drug | Dose"): its labels are repeated in a row under it ("Drug: X | Dose: Y"), one of
    the next few (a note under the header may come first); the same row again further down the table (a header
    repeated where the table was carried on) is one too."""
    out = []
    headers: set[str] = set()
    for index, (a, b, kind) in enumerate(blocks):
        if kind != "table_row":
            if kind != "paragraph":
                headers.clear()  # a new table
            continue
        row = text[a:b]
        labels = [cell for cell in row.split(" | ") if cell]
        below = []
        for c, d, next_kind in blocks[index + 1:index + 1 + _HEADER_LOOKAHEAD]:
            if next_kind not in ("table_row", "paragraph"):  # a note across the table may stand under the header
                break
            below.append(text[c:d])
        # "Dose – Adult: 500 mg" under a header of two rows names "Dose" and "Adult".
        if row in headers or (len(labels) >= 2 and any(sum(f"{label}: " in r or f"{label} – " in r for label in labels) >= 2
                                                       for r in below)):
            out.append((a, b))
            headers.add(row)
    return out


_HEADER_LOOKAHEAD = 3


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl


def clip(spans: Iterable[Sequence[Any]], start: int, end: int) -> list[tuple[Any, ...]]:
    """Spans (with any extra fields) cut to ``[start, end)``, empty ones dropped."""
    out = []
    for span in spans:
        a, b = max(int(span[0]), start), min(int(span[1]), end)
        if a < b:
            out.append((a, b, *span[2:]))
    return out


def spans_json(spans: Iterable[Sequence[Any]], base: int) -> str:
    """Compact JSON of spans relative to ``base`` (a chunk's start), e.g. ``[[0,41],[120,166,"l"]]``."""
    rows = [[int(s[0]) - base, int(s[1]) - base, *s[2:]] for s in spans]
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def parse_spans(value: Any, base: int) -> list[tuple[Any, ...]]:
    """Spans from ``spans_json`` back in document offsets; ``[]`` for missing or malformed values."""
    if not isinstance(value, str) or not value:
        return []
    try:
        rows = json.loads(value)
        return [(int(r[0]) + base, int(r[1]) + base, *r[2:]) for r in rows if isinstance(r, list) and len(r) >= 2]
    except (ValueError, TypeError):
        return []
