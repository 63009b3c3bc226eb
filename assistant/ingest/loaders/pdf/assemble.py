"""From lines and table rows in reading order to blocks, sections and the final text (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.loaders.base import SECTION_NUMBER

from .geometry import body_size, line_pitch
from .model import Item, Line, PageLayout, PdfText, TableRow
from .tables import heads_under
from .textnorm import ends_sentence, join_hyphenated, list_marker, outline_marker, squash

_LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,}|_{4,})\s*\S{0,6}\s*$")
_TOC_ENTRY = re.compile(r"\s\d{1,3}\s*$")
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Chart|Box|Diagram|Graph)\s+\d+[A-Za-z]?(?:[.:–-]|\s)")
_MAX_HEADING_CHARS = 160
# Baseline distance over the body's line pitch that reads as space between blocks: a paragraph after a finished
# sentence (6pt or more under 11pt text), a list item (3pt or more); lines of one paragraph vary by a tenth of a point.
_PARAGRAPH_GAP = 1.25
_ITEM_GAP = 1.08
# "10.Under", "49.NHS", "34.A treatment": a paragraph number whose tab was set too tight to read as a space
# (a capital after the full stop: a decimal has a digit there, a date a digit or nothing)
_GLUED_MARKER = re.compile(r"^(\d{1,3}\.)([A-Z].*)$")
# A field label opening a line ("Report by:", "Paper type:", "Date last updated:"): up to four words and a colon.
_FIELD_LABEL = re.compile(r"^[A-Z][\w'\u2019/()&-]*(?: [\w'\u2019/()&-]+){0,3}: \S")


@dataclass
class Block:
    kind: str
    pieces: list[tuple[str, int, str]] = field(default_factory=list)  # (text, page, separator before it)
    size: float = 0.0
    bold: bool = False
    last: Line | None = None
    indent: float = 0.0  # list items: x where the marker starts
    level: int = 0
    table_caption: bool = False  # a table's title row, read as a heading one level under the section it is in
    in_table: bool = False  # read from a table's rows (a row, or one cell across the table read as prose)
    table: int = -1  # which table a title or a row is of
    spaced: bool = False  # opened by paragraph spacing under a short line (an item of a list without markers)

    @property
    def text(self) -> str:
        return "".join(sep + text for text, _, sep in self.pieces)

    @property
    def page(self) -> int:
        return self.pieces[0][1]


@dataclass
class _Context:
    body: float
    pitch: float
    vocab: set[str]
    right_edge: dict[tuple[int, int], float]


def _line_text(line: Line) -> tuple[str, str | None]:
    """The line's text with a list marker normalised, and the marker (``None`` when it has none)."""
    words = line.words
    glued = _GLUED_MARKER.match(words[0].text)
    if glued:  # "10.Under the framework": the tab after the number was set too tight to read as a space
        rest = " ".join([glued.group(2)] + [w.text for w in words[1:]])
        return f"{glued.group(1)} {rest}", glued.group(1)
    gap = words[1].x0 - words[0].x1 if len(words) > 1 else 0.0
    marker = list_marker(words[0].text, gap, line.size) if len(words) > 1 else None
    if marker is None and len(words) > 1:
        marker = outline_marker(words[0].text, gap, line.size)
    if marker is None:
        return line.text, None
    return marker + " " + " ".join(w.text for w in words[1:]), marker


def _is_heading_line(line: Line, text: str, ctx: _Context) -> bool:
    if len(text) > _MAX_HEADING_CHARS or not re.search(r"[A-Za-z]", text):
        return False
    if len(text) > 60 and text.rstrip().endswith("."):
        return False  # headings are not sentences
    if line.size >= 1.12 * ctx.body:
        return True
    return line.bold and line.size >= 0.9 * ctx.body


def _continues(block: Block, line: Line, text: str, ctx: _Context) -> bool:
    """Whether ``line`` carries on ``block`` (same paragraph or list item)."""
    prev = block.last
    if prev is None or block.kind not in ("paragraph", "list_item", "caption"):
        return False
    if prev.page != line.page or prev.column != line.column:
        # Across a page or column break: only an unfinished sentence carries on (a list item at its indent).
        if block.kind == "list_item" and line.x0 < block.indent - 2 and not text[:1].islower():
            return False
        return not ends_sentence(block.text) or text[:1].islower()
    delta = line.words[0].baseline - prev.words[0].baseline
    if delta <= 0 or delta > 1.45 * ctx.pitch * max(1.0, line.size / ctx.body):
        return False
    if block.kind == "list_item" and line.x0 < block.indent - 2:
        return False
    right = ctx.right_edge.get((line.page, line.column), prev.x1)
    short = prev.x1 < right - 0.15 * (right - prev.x0)
    if ends_sentence(block.text) and short and block.kind == "paragraph":
        return False  # a short last line that ends a sentence ends its paragraph
    if short and _FIELD_LABEL.match(text):
        return False  # stacked fields ("Report by: ...", "Paper type: ..."): one line each, no full stops
    gap = delta / (ctx.pitch * max(1.0, line.size / ctx.body))
    if ends_sentence(block.text) and gap > _PARAGRAPH_GAP:
        return False  # a finished sentence, then paragraph spacing (lines of one paragraph are evenly spaced)
    if short and gap > _ITEM_GAP and (block.spaced or block.text.rstrip().endswith(":")):
        # Space before a line under a short one ends the block after a lead-in ("... by:"), a finished sentence,
        # or an item of such a list: list items whose bullets are drawn, not typed, have no marker to split on.
        return False
    return abs(line.size - prev.size) <= 0.6


def _spaced_after(block: Block, line: Line, ctx: _Context) -> bool:
    """``line`` starts an item of a list without markers: under a lead-in ("... by:") or such an item, after its
    short last line and paragraph spacing, on the same page and column."""
    prev = block.last
    if prev is None or prev.page != line.page or prev.column != line.column or block.kind not in ("paragraph", "list_item"):
        return False
    if not (block.spaced or block.text.rstrip().endswith(":")):
        return False
    delta = line.words[0].baseline - prev.words[0].baseline
    right = ctx.right_edge.get((line.page, line.column), prev.x1)
    return prev.x1 < right - 0.15 * (right - prev.x0) and _ITEM_GAP * ctx.pitch < delta <= 2.5 * ctx.pitch


def _append(block: Block, text: str, page: int, vocab: set[str]) -> None:
    if not block.pieces:
        block.pieces.append((text, page, ""))
        return
    last_text, last_page, sep = block.pieces[-1]
    joined = join_hyphenated(last_text.split(" ")[-1], text.split(" ")[0], vocab)
    if joined is not None and not joined.startswith(last_text.split(" ")[-1]):  # hyphen dropped
        block.pieces[-1] = (last_text[:-1], last_page, sep)
        block.pieces.append((text, page, ""))
    elif joined is not None:
        block.pieces.append((text, page, ""))
    else:
        block.pieces[-1] = (last_text.rstrip("\u00ad"), last_page, sep)
        block.pieces.append((text, page, " "))


_CONTENTS_TITLE = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)


def _first_contents_line(text: str, line: Line, blocks: list[Block]) -> bool:
    """A line ending in a page number right under a "Contents" heading on its page: the first contents entry
    of a contents page whose leaders are drawn (a dotted border, a tab) rather than typed as dots."""
    if not (_TOC_ENTRY.search(text) and blocks and blocks[-1].kind == "heading" and blocks[-1].page == line.page):
        return False
    return bool(_CONTENTS_TITLE.match(blocks[-1].text.strip()))


def build_blocks(items: list[Item], ctx: _Context) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    table_state = _TableState()
    for item in items:
        if isinstance(item, TableRow):
            current = None
            _table_block(item, blocks, table_state)
            continue
        text, marker = _line_text(item)
        if _LEADER.search(text) or (_TOC_ENTRY.search(text) and blocks and blocks[-1].kind == "toc"
                                    and blocks[-1].last is not None and blocks[-1].last.page == item.page) \
                or _first_contents_line(text, item, blocks):
            if blocks and blocks[-1].kind == "heading" and blocks[-1].page == item.page:
                blocks[-1].kind = "toc"  # the heading over a table of contents
            current = Block("toc", size=item.size, last=item)
            _append(current, text, item.page, ctx.vocab)
            blocks.append(current)
            continue
        heading = _is_heading_line(item, text, ctx) and (marker is None or marker[0].isdigit() or len(text) < 60)
        if heading and current is not None and current.kind in ("paragraph", "list_item") and not ends_sentence(current.text) \
                and item.size < 1.12 * ctx.body and _continues(current, item, text, ctx):
            heading = False  # bold words carrying on an unfinished sentence are emphasis
        if heading and marker in ("•",):
            heading = False
        two_line = (current is not None and current.kind == "heading" and current.last is not None
                    and current.last.page == item.page and abs(current.size - item.size) <= 0.6
                    and current.bold == item.bold and 0 < item.words[0].baseline - current.last.words[0].baseline <= 2.0 * item.size)
        if heading and not two_line and text[:1].islower() and item.size < 1.12 * ctx.body:
            heading = False  # a body-size bold line starting in lower case carries on a sentence: emphasis
        if heading:
            if two_line and current is not None:
                _append(current, text, item.page, ctx.vocab)  # a heading set on two lines
                current.last = item
                continue
            current = Block("heading", size=item.size, bold=item.bold, last=item)
            _append(current, text, item.page, ctx.vocab)
            blocks.append(current)
            continue
        if current is not None and marker is None and _continues(current, item, text, ctx):
            _append(current, text, item.page, ctx.vocab)
            current.last = item
            continue
        kind = "list_item" if marker else ("caption" if _CAPTION.match(text) else "paragraph")
        spaced = current is not None and current.last is not None and _spaced_after(current, item, ctx)
        current = Block(kind, size=item.size, bold=item.bold, last=item, indent=item.x0, spaced=spaced)
        _append(current, text, item.page, ctx.vocab)
        blocks.append(current)
    return blocks


@dataclass
class _TableState:
    """The table being read: lets a table carried over a page break keep the header of its first page."""

    table: int = -1
    page: int = 0
    columns: int = 0
    extent: tuple[float, float] = (0.0, 0.0)  # the table's left and right border
    header: TableRow | None = None
    inherit: bool = False
    captions: list[str] = field(default_factory=list)  # the title rows of the table being read
    follows: bool = False  # this table starts on the page after the last one ended, nothing between them
    started: bool = False  # a row under the titles has been read
    end: int = -1  # how many blocks there were after the last table's last row


def _table_block(row: TableRow, blocks: list[Block], state: _TableState) -> None:
    if row.table != state.table:
        state.follows = state.end == len(blocks) and state.page == row.page - 1
        state.table, state.started = row.table, False
    if row.is_caption:
        state.page = row.page
        if state.follows and row.cells[0] in state.captions:
            return  # the title repeated at the top of the next page
        if state.follows or state.started or not blocks or not blocks[-1].table_caption:
            state.captions = []  # the first title of a new table
        state.follows = False
        state.captions.append(row.cells[0])
        # A heading (unquotable, said once): the title names what the rows are about, it is no answer to anything.
        blocks.append(Block("heading", pieces=[(row.cells[0], row.page, "")], table_caption=True, table=row.table))
        state.end = len(blocks)
        return
    if not state.started:
        state.started = True
        extent = (row.edges[0][0], row.edges[-1][1]) if row.edges else (0.0, 0.0)
        # Carried on: the same columns, or the same borders (a column split differently on the next page).
        carried = state.follows and (state.columns == len(row.cells)
                                     or (bool(row.edges) and all(abs(u - v) <= 3.0 for u, v in zip(extent, state.extent))))
        previous = state.header if carried else None
        state.columns, state.extent = len(row.cells), extent
        state.header = row if row.is_header else previous
        state.inherit = not row.is_header and previous is not None
        if row.is_header and previous is not None and row.cells == previous.cells:
            state.page = row.page
            return  # the header row repeated at the top of the next page
    elif row.is_header and state.header is not None:
        state.header = row  # the header's second row: its headers name the columns by both rows
    state.page = row.page
    if state.inherit and state.header and not any(row.headers):
        if row.edges and state.header.edges:
            row.headers = heads_under(row, state.header)
        elif len(state.header.cells) == len(row.cells):
            row.headers = list(state.header.headers)
    text = row.render()
    if text.strip():
        # One cell across the whole table ("If question 5 is 'no' the process stops here", a boxed paragraph)
        # is prose under no column: its sentences are read as a paragraph's, not as one row.
        kind = "paragraph" if len(row.cells) == 1 and not row.is_header else "table_row"
        blocks.append(Block(kind, pieces=[(text, row.page, "")], in_table=True, table=row.table))
    state.end = len(blocks)


def _levels(blocks: list[Block], outline: list[tuple[int, str, int]]) -> None:
    """Heading levels: the outline's where a bookmark names the heading, else numbering, else size rank."""
    styles = sorted({(round(b.size * 2) / 2, b.bold) for b in blocks if b.kind == "heading" and not b.table_caption},
                    key=lambda s: (-s[0], not s[1]))
    rank = {style: i + 1 for i, style in enumerate(styles)}
    outer = 0
    for block in blocks:
        if block.kind != "heading":
            continue
        if block.table_caption:
            block.level = min(outer + 1, 6)
            continue
        numbered = SECTION_NUMBER.match(block.text)
        block.level = numbered.group(1).count(".") + 1 if numbered else min(rank[(round(block.size * 2) / 2, block.bold)], 6)
        outer = block.level
    for level, title, page in outline:
        key = squash(title)
        if not key:
            continue
        for index, block in enumerate(blocks):
            if block.page not in (page, page + 1) or block.kind not in ("heading", "paragraph"):
                continue
            own = squash(block.text)
            if own == key or (block.kind == "heading" and len(key) >= 8 and (own.startswith(key) or key.startswith(own))):
                block.kind, block.level = "heading", level
                break
            if block.kind == "paragraph" and len(block.pieces) > 1 and squash(block.pieces[0][0]) == key:
                # The bookmarked heading's line was read as the first line of its paragraph: split it off.
                rest = Block("paragraph", pieces=[(block.pieces[1][0], block.pieces[1][1], ""), *block.pieces[2:]],
                             size=block.size, bold=block.bold, last=block.last, indent=block.indent)
                block.pieces, block.kind, block.level, block.last = block.pieces[:1], "heading", level, None
                blocks.insert(index + 1, rest)
                break


def _mark_title(blocks: list[Block], body: float) -> None:
    """The largest heading on the first text page is the document's title (cover small print may precede it)."""
    first = [b for b in blocks if b.page == blocks[0].page] if blocks else []
    largest = max((b.size for b in first if b.kind == "heading"), default=0.0)
    if largest < 1.3 * body:
        return
    for block in first:
        if block.kind == "heading" and block.size >= largest - 0.5:
            block.kind = "title"
            return


def assemble(pages: list[PageLayout], furniture_ids: set[int], labels: dict[int, str],
             outline: list[tuple[int, str, int]], vocab: set[str]) -> PdfText:
    """The document's text, page offsets, sections and blocks from its laid-out pages."""
    items: list[Item] = [it for p in pages for it in p.items if id(it) not in furniture_ids]
    body = body_size(pages)
    right: dict[tuple[int, int], float] = {}
    for it in items:
        if isinstance(it, Line):
            right[(it.page, it.column)] = max(right.get((it.page, it.column), 0.0), it.x1)
    ctx = _Context(body=body, pitch=line_pitch(pages, body), vocab=vocab, right_edge=right)
    blocks = build_blocks(items, ctx)
    _mark_title(blocks, body)
    _levels(blocks, outline)

    parts: list[str] = []
    offset = 0
    page_starts: list[tuple[int, int, str]] = []
    seen_pages: set[int] = set()
    spans: list[tuple[int, int, str, int]] = []
    sections: list[tuple[int, str, int]] = []
    enclosing: tuple[int, str, int] | None = None  # the last heading that is not a table's title
    captioned: int | None = None  # the table whose title the current section is
    previous_kind = ""
    for block in blocks:
        text = block.text
        if not text.strip():
            continue
        if parts:
            sep = "\n" if block.kind == previous_kind == "list_item" else "\n\n"
            parts.append(sep)
            offset += len(sep)
        start = offset
        for index, (piece, page, sep) in enumerate(block.pieces):
            lead = sep if index else ""
            if page not in seen_pages:
                seen_pages.add(page)
                page_starts.append((offset + len(lead), page, labels.get(page, str(page))))
            parts.append(lead + piece)
            offset += len(lead) + len(piece)
        end = offset
        spans.append((start, end, block.kind, block.page))
        if block.kind == "heading":
            sections.append((start, " ".join(text.split())[:200], block.level))
            if not block.table_caption:
                enclosing = sections[-1]
            captioned = block.table if block.table_caption else None
        elif captioned is not None and not (block.in_table and block.table == captioned) and enclosing is not None:
            # A table's title names its rows only: what follows the table is the enclosing section's again.
            sections.append((start, enclosing[1], enclosing[2]))
            captioned = None
        previous_kind = block.kind
    return PdfText(text="".join(parts), pages=page_starts, sections=sections, blocks=spans)
