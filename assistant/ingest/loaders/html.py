"""HTML: the text of block elements; navigation, headers, footers and scripts dropped; h1-h6 as sections."""

from __future__ import annotations

import re
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
    return Parsed(text="\n\n".join(text for text, _ in blocks.blocks), title=title, sections=blocks.sections())


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
            text = normalise_newlines(tag.get_text()).strip("\n").rstrip()
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
