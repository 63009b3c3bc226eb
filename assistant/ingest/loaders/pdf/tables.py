"""Ruled tables from border lines (pure): grids of rows and cells, each row read with its column headers.

Why not pdfplumber's table finder: it needs pdfminer's parse of the whole page (pure Python,
several times slower than PDFium); the ruled grids that Word and LibreOffice draw are found here
from the same thin rectangles, in a few dozen lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import TableRow, Word
from .pdfium_io import Rule
from .textnorm import join_hyphenated

_SNAP = 2.0  # points: borders drawn as separate pieces per cell line up within this
_FORM_ITEM = re.compile(r"^\(?\w{1,3}[.)]\s")  # "4e) Additional comments": a form's numbered question


@dataclass
class Grid:
    """A connected set of horizontal and vertical rules: row boundaries ``ys``, column boundaries ``xs``."""

    ys: list[float]
    xs: list[float]
    verticals: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom)
    horizontals: list[tuple[float, float, float]] = field(default_factory=list)  # (y, left, right)

    def row_bounds(self) -> list[float]:
        """Row boundaries drawn across most of the table (a rule under one merged cell does not end the row)."""
        width = self.xs[-1] - self.xs[0]
        keep = [y for y in self.ys if sum(min(b, self.xs[-1]) - max(a, self.xs[0]) for hy, a, b in self.horizontals
                                          if abs(hy - y) <= _SNAP and b > a) >= 0.6 * width]
        return _snap([self.ys[0], *keep, self.ys[-1]])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def separators(self, top: float, bottom: float) -> list[float]:
        """Column boundaries drawn through the band ``top..bottom`` (merged cells lack some), and where a rule
        along its top or bottom stops short of the table's edge (the corner of a cell merged downwards)."""
        mid = (top + bottom) / 2
        inner = [x for x in self.xs[1:-1] if any(abs(x - vx) <= _SNAP and t - _SNAP <= mid <= b + _SNAP
                                                 for vx, t, b in self.verticals)
                 or any(abs(hy - y) <= _SNAP and min(abs(x - a), abs(x - b)) <= _SNAP
                        for y in (top, bottom) for hy, a, b in self.horizontals)]
        return [self.xs[0], *inner, self.xs[-1]]

    def covered(self, y: float, a: float, b: float) -> float:
        """How much of ``a..b`` the rules at height ``y`` cover (0 to 1)."""
        if b <= a:
            return 1.0
        return sum(max(0.0, min(b, hb) - max(a, ha)) for hy, ha, hb in self.horizontals if abs(hy - y) <= _SNAP) / (b - a)


def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear pieces ``(position, start, end)`` that touch or overlap."""
    out: list[tuple[float, float, float]] = []
    for pos, a, b in sorted(segments):
        # Sorted by position first: a piece a fraction of a point lower may start further left.
        if out and abs(out[-1][0] - pos) <= _SNAP and a <= out[-1][2] + _SNAP and b >= out[-1][1] - _SNAP:
            p, s, e = out[-1]
            out[-1] = (p, min(s, a), max(e, b))
        else:
            out.append((pos, a, b))
    return out


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def find_grids(rules: list[Rule]) -> list[Grid]:
    """Tables as grids of at least two columns and two rows; boxes and lone rules are not tables."""
    hs = _merge([((r.top + r.bottom) / 2, r.x0, r.x1) for r in rules if r.bottom - r.top <= 2.5 < r.x1 - r.x0])
    vs = _merge([((r.x0 + r.x1) / 2, r.top, r.bottom) for r in rules if r.x1 - r.x0 <= 2.5 < r.bottom - r.top])
    if len(hs) < 3 or len(vs) < 3:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - _SNAP <= x <= hx1 + _SNAP and vy0 - _SNAP <= y <= vy1 + _SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids: list[Grid] = []
    for h_group, v_group in groups.values():
        ys, xs = _snap([y for y, _, _ in h_group]), _snap([x for x, _, _ in v_group])
        if len(ys) >= 3 and len(xs) >= 3:
            grids.append(Grid(ys=ys, xs=xs, verticals=v_group, horizontals=h_group))
    return sorted(grids, key=lambda g: g.ys[0])


def _cell_text(words: list[Word], vocab: set[str]) -> str:
    """A cell's words in reading order: lines top to bottom, hyphenation across lines repaired."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.baseline, w.x0)):
        if lines and abs(lines[-1][0].baseline - word.baseline) <= 0.4 * word.size:
            lines[-1].append(word)
        else:
            lines.append([word])
    text = ""
    for line in lines:
        part = " ".join(w.text for w in sorted(line, key=lambda w: w.x0))
        joined = join_hyphenated(text, part, vocab) if text else None
        text = joined if joined is not None else (f"{text} {part}" if text else part)
    return text.strip()


def grid_rows(grid: Grid, words: list[Word], page: int, vocab: set[str]) -> tuple[list[TableRow], set[int]]:
    """The grid's rows with cell texts, and the ids of the words they used.

    A cell merged downwards over several rows (no rule under it where the others have one) is read whole and
    stands in each row it spans, as Word repeats a vertically merged cell in each row: every row reads complete.
    """
    used: set[int] = set()
    bands: list[tuple[float, float, list[tuple[float, float]], list[list[Word]]]] = []
    bounds = grid.row_bounds()
    for top, bottom in zip(bounds, bounds[1:]):
        seps = grid.separators(top, bottom)
        cells: list[list[Word]] = [[] for _ in seps[:-1]]
        for word in words:
            cx, cy = (word.x0 + word.x1) / 2, word.mid_y
            if not top <= cy <= bottom or not seps[0] <= cx <= seps[-1]:
                continue
            for k, (a, b) in enumerate(zip(seps, seps[1:])):
                if a <= cx <= b:
                    cells[k].append(word)
                    used.add(id(word))
                    break
        bands.append((top, bottom, list(zip(seps, seps[1:])), cells))
    for (_, _, above_edges, above), (top, _, edges, cells) in zip(bands, bands[1:]):
        for k, (a, b) in enumerate(edges):
            j = next((j for j, (c, d) in enumerate(above_edges) if abs(a - c) <= _SNAP and abs(b - d) <= _SNAP), -1)
            if j >= 0 and grid.covered(top, a, b) < 0.5:
                merged = above[j] + [w for w in cells[k] if w not in above[j]]
                above[j][:] = merged  # the same list object for every row the cell spans
                cells[k] = above[j]
    spans: dict[int, int] = {}
    for _, _, _, cells in bands:
        for c in cells:
            spans[id(c)] = spans.get(id(c), 0) + 1
    # A row with nothing of its own beside a merged cell (a strip of shading cut it off) adds nothing.
    said = {id(c) for *_, cells in bands if any(c for c in cells if spans[id(c)] == 1) for c in cells}
    rows: list[TableRow] = []
    for top, bottom, edges, cells in bands:
        if not any(c for c in cells if spans[id(c)] == 1):
            if all(id(c) in said for c in cells if c):
                continue
            said.update(id(c) for c in cells)
        texts = [_cell_text(c, vocab) for c in cells]
        if any(texts):
            rows.append(TableRow(cells=texts, headers=[""] * len(texts), page=page, top=top, bottom=bottom,
                                 words=[w for c in cells for w in c], edges=edges))
    return rows, used


_MAX_CAPTION_CHARS = 160


def mark_captions(rows: list[TableRow]) -> list[TableRow]:
    """Mark the table's title rows and return the rows under them.

    A first row that is one cell across the whole width ("PRE-SCREENING CHECKLIST COMPLETED BY ...") titles
    the table: it is not the header of the columns below it, which is the next row when that looks like one.
    Several such rows may be stacked. A table that is one column all the way down keeps its first row (no
    column is titled by it), and a long paragraph or a sentence in that place is content, not a title.
    """
    count = 0
    while count < len(rows) - 1 and _is_caption(rows[count]) and any(len(r.cells) >= 2 for r in rows[count + 1:]):
        rows[count].is_caption = True
        count += 1
    return rows[count:]


def _is_caption(row: TableRow) -> bool:
    text = row.cells[0] if len(row.cells) == 1 else ""
    return bool(text) and len(text) <= _MAX_CAPTION_CHARS and not text.endswith((".", "?", "!"))


def looks_like_header(row: TableRow, body_rows: list[TableRow]) -> bool:
    """A first row reads as column headers: two labels or more, bold, or short (not numbered form items) over
    three rows or more; not a form's field labels waiting for their answers ("Request reference:")."""
    if not row.cells or not any(row.cells):
        return False
    filled = [c for c in row.cells if c]
    if len(filled) < 2 or all(c.endswith(":") for c in filled) or not all(any(ch.isalnum() for ch in c) for c in filled):
        return False  # one label is a row's label ("Case No | ..."), not the columns'; "Name:" awaits an answer; "✓" is ticked
    if _bold(row.words) and not (len(body_rows) >= 2 and _bold([w for r in body_rows for w in r.words])):
        return True  # set apart in bold from the rows under it (a list of options all in bold is not)
    return (len(body_rows) >= 3 and len(filled) == len(row.cells) and len(row.cells) >= 2
            and all(len(c) <= 60 and not c.endswith((":", ".")) and not _FORM_ITEM.match(c) for c in filled))


def _bold(words: list[Word]) -> bool:
    return bool(words) and sum(w.bold for w in words) >= 0.8 * len(words)


def apply_headers(rows: list[TableRow], header: TableRow | None) -> None:
    """Give each cell the header above it (by horizontal overlap); header rows themselves are marked, and so is
    a row that repeats the header further down (a header repeated where the table was carried on).

    A cell merged across several headed columns ("If question 5 is 'no' the process stops here") stands
    under none of them: naming one would be wrong.
    """
    if header is None:
        return
    # The header's own ``headers`` name its columns: its cells, or (a header's second row) both rows' labels.
    header.headers = list(header.headers) if any(header.headers) else list(header.cells)
    labels = [c for c in header.cells if c]
    for row in rows:
        if row is header:
            row.is_header = True
        elif len(labels) >= 2 and [c for c in row.cells if c] == labels:
            row.is_header, row.headers = True, list(header.headers)
        else:
            row.headers = heads_under(row, header)


def read_header(body: list[TableRow]) -> None:
    """Find the rows' header and give each cell its header.

    A header of two rows ("Dose" merged over "Adult | Child", both bold over rows that are not) names each
    column by both ("Dose – Adult"); both rows are header rows.
    """
    header = body[0] if body and looks_like_header(body[0], body[1:]) else None
    sub = _sub_header(header, body) if header is not None else None
    if sub is None:
        apply_headers(body, header)
        return
    assert header is not None
    apply_headers(body, sub)
    header.is_header, header.headers = True, list(header.cells)


def _sub_header(header: TableRow, body: list[TableRow]) -> TableRow | None:
    """The header's second row, its ``headers`` the two rows' labels joined; ``None`` when there is none."""
    if len(body) < 3:
        return None
    sub = body[1]
    filled = [c for c in sub.cells if c]
    if (len(sub.edges) <= len(header.edges) or len(filled) < 2 or not _bold(sub.words)
            or _bold([w for r in body[2:] for w in r.words])
            or any(len(c) > 60 or c.endswith(":") or not any(ch.isalnum() for ch in c) for c in filled)):
        return None
    header.headers = list(header.cells)
    tops = heads_under(sub, header)
    sub.headers = [f"{top} – {cell}" if top and cell and top != cell else (cell or top) for top, cell in zip(tops, sub.cells)]
    return sub


def heads_under(row: TableRow, header: TableRow) -> list[str]:
    """The header over each of the row's cells, by horizontal overlap with the header row's cells ("" under a
    blank header cell, or for a cell merged across two headed columns or more)."""
    heads: list[str] = []
    for a, b in row.edges:
        best, best_overlap = "", 0.0
        covered = 0
        for (ha, hb), text in zip(header.edges, header.headers):
            overlap = min(b, hb) - max(a, ha)
            if text and overlap > 0.5 * (hb - ha):
                covered += 1
            if overlap > best_overlap:
                best, best_overlap = text, overlap
        # "Outcome date:" over a column is a field of the form awaiting its answer, not the column's name.
        heads.append("" if covered >= 2 or best.endswith(":") else best)
    return heads if len(heads) == len(row.cells) else [""] * len(row.cells)
