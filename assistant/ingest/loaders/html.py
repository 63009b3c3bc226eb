"""HTML: the text of block elements; navigation, headers, footers and scripts dropped; h1-h6 as sections
with their levels; list items with their markers and table rows (with their header cells) as blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.ingest.loaders.base import Parsed, decode_text, normalise_newlines

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


def parse(raw: bytes) -> Parsed:
    from bs4 import BeautifulSoup  # imported lazily: only needed for HTML files

    declared = _HTML_CHARSET.search(raw[:4096])
    html = decode_text(raw, declared.group(1).decode("ascii", "ignore").lower() if declared else None)
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
    sections, spans = blocks.layout()
    return Parsed(text="\n\n".join(b.text for b in blocks.blocks), title=title, sections=sections, blocks=spans)


@dataclass
class _Block:
    text: str
    kind: str = "paragraph"  # one of loaders.base.BLOCK_KINDS
    level: int = 0  # headings: 1 for h1 ... 6 for h6


def _cell_text(cell: Any) -> str:
    return " ".join(cell.get_text(" ").split())


class _HtmlBlocks:
    """Collects the text of block elements; inline text within a block is whitespace-collapsed."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self._buffer: list[str] = []
        self._ordered: list[int | None] = []  # per open list: the next item's number (None: bullets)
        self._headers: list[list[str]] = []  # per open table: its header cells

    def flush(self, kind: str = "paragraph", level: int = 0) -> None:
        joined = "".join(self._buffer)
        self._buffer = []
        lines = (_SPACES.sub(" ", line).strip() for line in joined.split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(_Block(text, kind, level))

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
            text = normalise_newlines(tag.get_text()).strip("\n").rstrip()
            if text.strip():
                self.blocks.append(_Block(text))
        elif name == "tr":
            self.flush()
            self._row(tag)
        elif name in ("td", "th"):  # a cell outside any row: its text stays inline
            if "".join(self._buffer).strip():
                self._buffer.append(" | ")
            self.walk(tag)
        elif name in ("ol", "ul", "table"):
            self.flush()
            if name == "table":
                self._headers.append([])
            else:
                start = str(tag.get("start") or "1")
                self._ordered.append((int(start) if start.isdigit() else 1) if name == "ol" else None)
            self.walk(tag)
            self.flush()
            (self._headers if name == "table" else self._ordered).pop()
        elif name in _HTML_BLOCKS:
            self.flush()
            if name == "li":
                self._buffer.append(self._marker())
            self.walk(tag)
            heading = name in _HTML_HEADINGS
            self.flush("heading" if heading else "list_item" if name == "li" else "paragraph", int(name[1]) if heading else 0)
        else:
            self.walk(tag)

    def _marker(self) -> str:
        if not self._ordered or self._ordered[-1] is None:
            return "• "
        number = self._ordered[-1]
        self._ordered[-1] = number + 1
        return f"{number}. "

    def _row(self, tag: Any) -> None:
        """A table row on one line: "Header: cell | ..." under a header row of <th> cells, else "cell | cell"."""
        cells = tag.find_all(("td", "th"), recursive=False)
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            return
        headers = self._headers[-1] if self._headers else []
        if all(c.name == "th" for c in cells) and not headers and self._headers:
            self._headers[-1] = texts
            self.blocks.append(_Block(" | ".join(t for t in texts if t), "table_row"))
            return
        parts = [f"{h}: {t}" if h and h != t and c.name == "td" else t
                 for t, h, c in zip(texts, headers + [""] * len(texts), cells) if t]
        self.blocks.append(_Block(" | ".join(parts), "table_row"))

    def layout(self) -> tuple[list[tuple[int, str, int]], list[tuple[int, int, str]]]:
        """Sections ``(offset, heading, level)`` and blocks ``(start, end, kind)`` of the joined text."""
        sections: list[tuple[int, str, int]] = []
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for block in self.blocks:
            if block.kind == "heading":
                sections.append((offset, block.text.split("\n")[0], block.level))
            spans.append((offset, offset + len(block.text), block.kind))
            offset += len(block.text) + 2
        return sections, spans
