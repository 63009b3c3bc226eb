"""Data shapes of the layout pipeline, from positioned words to the finished ``PdfText``.

Coordinates are PDF points with the origin at the page's top-left corner (y grows downwards),
so "top" and "bottom" read as they do on paper.
"""

from __future__ import annotations

import bisect
import html
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["title", "heading", "paragraph", "list_item", "table_row", "toc", "caption"]
BLOCK_KINDS: tuple[str, ...] = ("title", "heading", "paragraph", "list_item", "table_row", "toc", "caption")


class PdfTextError(ValueError):
    """A PDF cannot be turned into text; the message is one human-readable line."""


class NoTextLayerError(PdfTextError):
    """No page has a text layer and OCR is not available (or found nothing)."""


@dataclass(frozen=True, slots=True)
class Box:
    """A glyph's box and the character(s) it reads as (a ligature glyph reads as several)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class Word:
    """Glyphs set together without a space: the unit the layout stages work on."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points
    bold: bool
    boxes: list[Box] = field(default_factory=list)  # per glyph, for highlighting
    font: str = ""
    baseline: float = 0.0  # y of the text's baseline (descenders hang below it)

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Words on one baseline within one column, left to right."""

    words: list[Word]
    page: int  # physical page, 1-based
    column: int = 0  # 0: full width, 1: left, 2: right column of a two-column region

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The size most of the line's characters are set in."""
        weights: dict[float, int] = {}
        for w in self.words:
            weights[round(w.size, 1)] = weights.get(round(w.size, 1), 0) + len(w.text)
        return max(weights, key=lambda s: (weights[s], s))

    @property
    def bold(self) -> bool:
        total = sum(len(w.text) for w in self.words)
        return total > 0 and sum(len(w.text) for w in self.words if w.bold) >= 0.8 * total


@dataclass(slots=True)
class TableRow:
    """One row of a ruled table: cells left to right, with the header cell above each (may be "")."""

    cells: list[str]
    headers: list[str]
    page: int
    top: float
    bottom: float
    is_header: bool = False
    is_caption: bool = False  # a full-width title row over the table ("PRE-SCREENING CHECKLIST"): read as a heading
    words: list[Word] = field(default_factory=list)
    edges: list[tuple[float, float]] = field(default_factory=list)  # each cell's left and right border
    table: int = 0  # which table on its page (page * 100 + index): rows of one table share it

    def render(self) -> str:
        """``"Header A: cell | Header B: cell"``; empty cells are left out, cells without a header stand bare,
        and cells side by side under one header cell name it once."""
        if self.is_header:  # its own labels (a second header row's ``headers`` join both rows' labels)
            return " | ".join(cell for cell in self.cells if cell)
        parts = []
        said = ""
        for cell, head in zip(self.cells, self.headers):
            if not cell:
                continue
            parts.append(f"{head}: {cell}" if head and head != cell and head != said else cell)
            said = head
        return " | ".join(parts)


Item = Line | TableRow


@dataclass
class PageLayout:
    """One page after layout analysis: its items in reading order, and what was learnt about it."""

    number: int  # physical, 1-based
    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    ocr: bool = False  # the words came from OCR, not the text layer


@dataclass
class PdfText:
    """A PDF's body text in reading order, with the structure later stages need.

    - ``text``: body text; running headers, footers and page numbers removed; ligatures and soft
      hyphens normalised; end-of-line hyphenation repaired; list items and table rows one per line.
    - ``pages``: ``(char_offset, physical_page, printed_label)`` where each page's first character
      starts (pages without text are absent); ``page_at(offset)`` bisects it.
    - ``sections``: ``(char_offset, heading_text, level)``, level 1 the highest.
    - ``blocks``: ``(start, end, kind, page)`` half-open spans of ``text`` covering every block.
    - ``info``: PDF metadata as strings (title, author, subject, keywords, creator, producer,
      created, modified; dates ISO 8601 when parseable).
    - ``warnings``: one-line messages (pages needing OCR, pages OCRed).
    """

    text: str
    pages: list[tuple[int, int, str]] = field(default_factory=list)
    sections: list[tuple[int, str, int]] = field(default_factory=list)
    blocks: list[tuple[int, int, str, int]] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    page_count: int = 0
    ocr_pages: list[int] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """Physical page of the character at ``offset`` (0 when before the first page's text)."""
        i = bisect.bisect_right([p[0] for p in self.pages], offset) - 1
        return self.pages[i][1] if i >= 0 else 0

    def pages_of(self, start: int, end: int) -> list[int]:
        """Physical pages the span ``[start, end)`` touches, e.g. ``[11, 12]`` for a sentence over a break."""
        first, last = self.page_at(start), self.page_at(max(start, end - 1))
        return [p for _, p, _ in self.pages if first <= p <= last]

    def label_of(self, page: int) -> str:
        """The printed label of a physical page (``str(page)`` when unknown)."""
        return next((label for _, p, label in self.pages if p == page), str(page))

    def block_at(self, offset: int) -> tuple[int, int, str, int] | None:
        i = bisect.bisect_right([b[0] for b in self.blocks], offset) - 1
        if i >= 0 and self.blocks[i][0] <= offset < self.blocks[i][1]:
            return self.blocks[i]
        return None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> PdfText:
        raw: dict[str, Any] = json.loads(data)
        return cls(
            text=raw["text"],
            pages=[(int(a), int(b), str(c)) for a, b, c in raw["pages"]],
            sections=[(int(a), str(b), int(c)) for a, b, c in raw["sections"]],
            blocks=[(int(a), int(b), str(c), int(d)) for a, b, c, d in raw["blocks"]],
            info=dict(raw["info"]),
            warnings=list(raw["warnings"]),
            page_count=int(raw.get("page_count", 0)),
            ocr_pages=[int(p) for p in raw.get("ocr_pages", [])],
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{page}</td><td>{html.escape(kind)}</td><td>{html.escape(self.text[a:b][:160])}</td></tr>"
            for a, b, kind, page in self.blocks[:60]
        )
        more = f"<p>… {len(self.blocks) - 60} more blocks</p>" if len(self.blocks) > 60 else ""
        warn = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        return (
            f"<p><b>{html.escape(self.info.get('title') or 'PDF')}</b>: {self.page_count} pages, "
            f"{len(self.text):,} characters, {len(self.sections)} sections, {len(self.blocks)} blocks</p>"
            + (f"<ul>{warn}</ul>" if warn else "")
            + f"<table><tr><th>page</th><th>kind</th><th>text</th></tr>{rows}</table>{more}"
        )
