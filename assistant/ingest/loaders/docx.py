"""DOCX (Word): body paragraphs and tables as typed blocks; headers, footers and footnotes never read.

- headings (Heading N / Title styles, outline levels, short all-bold paragraphs) become sections
  with their levels, their Word numbering in front ("1.1 Background");
- numbered and bulleted paragraphs become list items with the marker Word shows ("1.1.1", "a)",
  "•"; see ``docx_numbering``);
- tables become one line per row, each cell under its column header ("Version: 1.6 | Date: ...");
- contents lines (TOC styles, a contents control, "Title<tab>12") are marked ``toc``.

Zip bombs are refused before python-docx inflates anything.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.ingest.loaders.base import SECTION_NUMBER, LoadError, Parsed, human_size, normalise_newlines, one_line
from assistant.ingest.loaders.docx_numbering import Numbering
from assistant.text.dates import iso_date

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOC_LINE = re.compile(r"(?:\t|\.{4,}|…{2,})\s*[0-9ivxlc]{1,5}\s*$", re.IGNORECASE)
_CONTENTS_TITLE = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)
_TYPED_MARKER = re.compile(r"^(?:[•▪◦●○■□➢✓–-]|\(?[a-z]{1,2}\)|\(?\d{1,2}\)|\(?[ivx]{1,5}\)|\d{1,2}(?:\.\d{1,2}){1,4}\.?)\s+\S")
_MAX_BOLD_HEADING_CHARS = 120
_SPACES = re.compile(r"[^\S\n]+")


@dataclass
class _Block:
    text: str
    kind: str = "paragraph"  # one of loaders.base.BLOCK_KINDS
    level: int = 0  # headings: 1 the highest


def parse(raw: bytes) -> Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_archive(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        numbering = Numbering.from_part(document.part)
        blocks = list(_blocks(document, numbering))
    except zipfile.BadZipFile:
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, SyntaxError, RuntimeError,
            NotImplementedError, OSError, zlib.error) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise LoadError(f"not a valid DOCX ({one_line(exc)})") from None

    sections: list[tuple[int, str, int]] = []
    spans: list[tuple[int, int, str]] = []
    title = ""
    offset = 0
    for block in blocks:
        if block.kind in ("heading", "title"):
            sections.append((offset, block.text.split("\n")[0], block.level or 1))
            if not title and (block.kind == "title" or block.level == 1):
                title = " ".join(block.text.split())
        spans.append((offset, offset + len(block.text), block.kind))
        offset += len(block.text) + 2

    props = document.core_properties
    author = (props.author or "").strip()
    created = iso_date(props.created)
    # Files made from python-docx's blank template keep its author and creation date: not real ones.
    return Parsed(
        text="\n\n".join(block.text for block in blocks),
        title=(props.title or "").strip() or title,
        sections=sections,
        publisher="" if author == "python-docx" else author,
        date="" if created == "2013-12-23" else created,
        blocks=spans,
    )


def _body_items(parent: Any, in_toc: bool = False) -> Iterator[tuple[Any, bool]]:
    """Paragraph and table elements of the body in order, with those inside content controls
    (``w:sdt``, which python-docx's own iterator skips); ``True`` inside a contents control."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child, in_toc
        elif child.tag == f"{_W}sdt":
            gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
            toc = in_toc or (gallery is not None and "contents" in (gallery.get(f"{_W}val") or "").lower())
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_items(content, toc)


def _blocks(document: Any, numbering: Numbering) -> Iterator[_Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    after_contents_title = False
    level = 0  # of the last heading: a table's title reads one level under it
    for element, in_toc in _body_items(document.element.body):
        if element.tag == f"{_W}tbl":
            after_contents_title = False
            yield from _table_blocks(Table(element, document._body), level)
            continue
        paragraph = Paragraph(element, document._body)
        text = _SPACES.sub(" ", normalise_newlines(paragraph.text).replace("\t", " ")).strip()
        if not text:
            continue
        style = _style_chain(paragraph)
        raw_text = paragraph.text
        if in_toc or any(name.lower().startswith("toc") for name in _names(style)):
            yield _Block(text, "toc")
            continue
        if _CONTENTS_TITLE.match(text):
            after_contents_title = True
            yield _Block(text, "toc")
            continue
        if after_contents_title and _TOC_LINE.search(raw_text.rstrip()):
            yield _Block(text, "toc")
            continue
        after_contents_title = False
        num_id, ilvl = _numbering_of(paragraph, style)
        marker = numbering.marker(num_id, ilvl) if num_id else None
        kind, heading_level = _kind_and_level(paragraph, style, text)
        if kind == "heading" and not _reads_as_heading(text, marker):
            kind, heading_level = "paragraph", 0  # an outline level or heading style on a sentence is formatting
        if marker:
            text = f"{marker} {text}"
        if kind == "paragraph" and (marker or _TYPED_MARKER.match(text)):
            kind = "list_item"  # numbered by Word, or typed by hand ("a) Be registered ...")
        if kind == "heading":
            level = heading_level
        yield _Block(text, kind, heading_level)


def _style_chain(paragraph: Any) -> list[Any]:
    """The paragraph's style and the styles it is based on, nearest first."""
    chain: list[Any] = []
    try:
        style = paragraph.style
    except (KeyError, AttributeError, ValueError):
        style = None
    while style is not None and len(chain) < 10:
        chain.append(style)
        style = getattr(style, "base_style", None)
    return chain


def _names(chain: list[Any]) -> list[str]:
    return [str(s.name or "") for s in chain]


def _numbering_of(paragraph: Any, chain: list[Any]) -> tuple[str, int]:
    """``(numId, ilvl)`` from the paragraph's own numPr, else its style's; ``("", 0)`` when not numbered."""
    num_id: str | None = None
    ilvl: int | None = None
    ppr_list = [paragraph._p.pPr] + [getattr(s.element, "pPr", None) for s in chain]
    for ppr in ppr_list:
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if numpr is None:
            continue
        if num_id is None and numpr.find(f"{_W}numId") is not None:
            num_id = numpr.find(f"{_W}numId").get(f"{_W}val")
        if ilvl is None and numpr.find(f"{_W}ilvl") is not None:
            ilvl = int(numpr.find(f"{_W}ilvl").get(f"{_W}val") or 0)
        if num_id is not None and ilvl is not None:
            break
    return (num_id or ""), (ilvl or 0)


def _outline_level(paragraph: Any, chain: list[Any]) -> int | None:
    for ppr in [paragraph._p.pPr] + [getattr(s.element, "pPr", None) for s in chain]:
        found = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        if found is not None:
            value = int(found.get(f"{_W}val") or 9)
            return value + 1 if value < 9 else None  # 9 is "body text"
    return None


def _kind_and_level(paragraph: Any, chain: list[Any], text: str) -> tuple[str, int]:
    names = _names(chain)
    first = names[0] if names else ""
    if first in ("Title", "Subtitle"):
        return "title", 1
    for name in names:
        found = re.match(r"^heading (\d)$", name, re.IGNORECASE)
        if found:
            return "heading", int(found.group(1))
    outline = _outline_level(paragraph, chain)
    if outline is not None:
        return "heading", outline
    if _is_bold_heading(paragraph, text):
        numbered = SECTION_NUMBER.match(text)
        return "heading", numbered.group(1).count(".") + 1 if numbered else 1
    if first.lower() == "caption":
        return "caption", 0
    return "paragraph", 0


def _reads_as_heading(text: str, marker: str | None) -> bool:
    """Headings are short and are not sentences or bullet points."""
    if marker is not None and not marker[0].isalnum():
        return False
    words = text.split()  # the text without Word's marker
    if not words or words[0][:1].islower():  # "a) describe the services ...": an item of a sentence
        return False
    text = text.rstrip()
    if text.endswith((".", ";", ",")) and (len(text) > 60 or len(words) > 3):
        return False
    return len(text) <= 160 and not (len(text) > 40 and text.endswith(":"))


def _is_bold_heading(paragraph: Any, text: str) -> bool:
    """A short paragraph set wholly in bold, not a sentence: a heading typed without a heading style."""
    if len(text) > _MAX_BOLD_HEADING_CHARS or text.rstrip().endswith((".", ":", ";", ",")) or not re.search(r"[A-Za-z]", text):
        return False
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(getattr(getattr(paragraph.style, "font", None), "bold", None))
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


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
            f"DOCX would expand from {human_size(len(raw))} to {human_size(total)} "
            f"(limits: {human_size(_DOCX_MAX_XML_BYTES)} of XML, {human_size(_DOCX_MAX_EXPANDED_BYTES)} in all): "
            "refusing a possible zip bomb"
        )


_FORM_ITEM = re.compile(r"^\d{1,2}[.)]?\s")


def _table_blocks(table: Any, level: int = 0) -> Iterator[_Block]:
    """One ``table_row`` block per row: ``"Header: cell | ..."`` under a header row, else ``"cell | cell"``.

    First rows that are one cell merged across the table ("Version 1.6 – Schedule of Changes") title it: each
    becomes a heading one level under ``level`` (said once, never quoted as an answer), and the row under them
    is the one that may hold the column headers. A one-column table keeps its first row as a row.
    """
    grid: list[list[tuple[Any, str]]] = []  # per row: (cell element, text) per layout-grid column
    for row in table.rows:
        try:
            cells = [None] * getattr(row, "grid_cols_before", 0) + list(row.cells)
        except (IndexError, ValueError, AttributeError):  # malformed spans: read the row's cells as they come
            cells = [c for c in row.cells]
        grid.append([(c._tc if c is not None else None, _cell_text(c) if c is not None else "") for c in cells])
    if not grid:
        return
    first = 0
    while first < len(grid) - 1 and _is_title_row(grid[first]) and any(len(_distinct(r)) >= 2 for r in grid[first + 1:]):
        yield _Block(grid[first][0][1], "heading", min(level + 1, 6))
        first += 1
    header = grid[first] if _looks_like_header(table.rows[first], grid[first:]) else None
    heads = header
    header_rows = [header] if header is not None else []
    if header is not None and _is_sub_header(table, first + 1, grid):
        # A header of two rows ("Dose" merged over "Adult | Child"): each column named by both ("Dose – Adult").
        sub = grid[first + 1]
        tops = [header[k][1] if k < len(header) else "" for k in range(len(sub))]
        heads = [(tc, f"{top} – {text}" if top and text and top != text else (text or top)) for (tc, text), top in zip(sub, tops)]
        header_rows.append(sub)
    labels = [[t for _, t in _distinct(h) if t] for h in header_rows]
    for row in grid[first:]:
        parts: list[str] = []
        previous = None
        said = ""
        texts = [t for _, t in _distinct(row) if t]
        repeat = any(row is h for h in header_rows) or any(len(ls) >= 2 and texts == ls for ls in labels)  # or again
        for column, (tc, text) in enumerate(row):
            if tc is not None and tc is previous:  # a merged cell spans several grid columns
                continue
            previous = tc
            if not text:
                continue
            head = _head_over(row, column, heads) if heads is not None and not repeat else ""
            parts.append(f"{head}: {text}" if head and head != text and head != said else text)
            said = head  # cells side by side under one header name it once
        if parts:
            # One cell across a table of several columns is prose under no column (a note, a boxed paragraph).
            prose = len(_distinct(row)) == 1 and not repeat and any(len(_distinct(r)) >= 2 for r in grid)
            yield _Block(" | ".join(parts), "paragraph" if prose else "table_row")


def _is_sub_header(table: Any, index: int, grid: list[list[tuple[Any, str]]]) -> bool:
    """``grid[index]`` is the header's second row: more cells than the row above (which merges some over it),
    short labels all in bold, over rows that are not all bold."""
    if index + 1 >= len(grid) or len(_distinct(grid[index])) <= len(_distinct(grid[index - 1])):
        return False
    texts = [t for _, t in _distinct(grid[index]) if t]
    if len(texts) < 2 or not all(_is_label(t) for t in texts):
        return False

    def bold(row: Any) -> bool:
        runs = [r for c in row.cells for p in c.paragraphs for r in p.runs if r.text.strip()]
        return bool(runs) and all(r.bold for r in runs)

    return bold(table.rows[index]) and not all(bold(row) for row in table.rows[index + 1:])


def _head_over(row: list[tuple[Any, str]], column: int, header: list[tuple[Any, str]]) -> str:
    """The header over the cell starting at ``column``; none for a cell merged across columns headed differently
    (a note across the table is under none of them)."""
    tc = row[column][0]
    spanned = [k for k in range(column, len(row)) if row[k][0] is tc] if tc is not None else [column]
    heads = {header[k][1] for k in spanned if k < len(header) and header[k][1]}
    return heads.pop() if len(heads) == 1 else ""


def _is_title_row(row: list[tuple[Any, str]]) -> bool:
    """One cell across the whole row, short and not a sentence."""
    cells = _distinct(row)
    text = cells[0][1] if len(cells) == 1 else ""
    return bool(text) and len(text) <= 160 and not text.endswith((".", "?", "!"))


def _cell_text(cell: Any) -> str:
    return " ".join(normalise_newlines(cell.text).split())


def _looks_like_header(row: Any, grid: list[list[tuple[Any, str]]]) -> bool:
    """``row`` (``grid[0]``) holds column headers: marked as a repeating header row, set in bold, or short
    labels over three rows or more (not a form's numbered questions)."""
    trpr = row._tr.trPr
    if trpr is not None and trpr.find(f"{_W}tblHeader") is not None:
        return True
    texts = [t for _, t in _distinct(grid[0]) if t]
    if len(texts) < 2:
        return False
    runs = [r for c in row.cells for p in c.paragraphs for r in p.runs if r.text.strip()]
    if runs and all(r.bold for r in runs):
        return True
    return len(grid) >= 4 and all(_is_label(t) for t in texts)


def _is_label(text: str) -> bool:
    """Short words, not a sentence, a numbered question or a code/figure ("E01023654", "78%")."""
    digits = sum(ch.isdigit() for ch in text)
    return (len(text) <= 60 and not text.endswith((":", ".")) and not _FORM_ITEM.match(text)
            and bool(re.search(r"[A-Za-z]{2,}", text)) and digits <= 0.3 * len(text))


def _distinct(row: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    for tc, text in row:
        if not out or tc is None or tc is not out[-1][0]:
            out.append((tc, text))
    return out
