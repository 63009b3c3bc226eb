"""Page geometry (pure): positioned words into lines in reading order, columns and ruled tables included."""

from __future__ import annotations

import statistics
from collections import Counter

from .model import Item, Line, PageLayout, TableRow, Word
from .pdfium_io import Rule
from .tables import find_grids, grid_rows, mark_captions, read_header

_FRAGMENT_GAP = 1.2  # in font sizes: a wider gap on one baseline separates columns (or cells)


def group_rows(words: list[Word]) -> list[list[Word]]:
    """Words on one baseline, rows top to bottom, words left to right; superscripts join their line."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.baseline, w.x0)):
        if rows:
            anchor = rows[-1][0]
            if word.baseline - anchor.baseline <= 0.3 * max(word.size, anchor.size):
                rows[-1].append(word)
                continue
        rows.append([word])
    # A row of a few small characters lying inside a neighbouring row's band is its super- or subscript.
    merged: list[list[Word]] = []
    for row in rows:
        size = max(w.size for w in row)
        if merged and sum(len(w.text) for w in row) <= 6:
            prev = merged[-1]
            prev_size = max(w.size for w in prev)
            prev_top, prev_bottom = min(w.top for w in prev), max(w.bottom for w in prev)
            if size < 0.85 * prev_size and all(prev_top - 1 <= w.mid_y <= prev_bottom + 0.3 * prev_size for w in row):
                prev.extend(row)
                continue
        merged.append(row)
    for index, row in enumerate(merged):
        if index + 1 < len(merged):  # a superscript may sort before its line (its baseline is higher)
            nxt = merged[index + 1]
            nxt_size = max(w.size for w in nxt)
            nxt_top, nxt_bottom = min(w.top for w in nxt), max(w.bottom for w in nxt)
            if row and sum(len(w.text) for w in row) <= 6 and max(w.size for w in row) < 0.85 * nxt_size and all(nxt_top - 1 <= w.mid_y <= nxt_bottom for w in row):
                nxt.extend(row)
                row.clear()
    return [sorted(r, key=lambda w: w.x0) for r in merged if r]


def fragments(row: list[Word]) -> list[list[Word]]:
    """A row cut where the gap between words is wider than ``_FRAGMENT_GAP`` font sizes."""
    parts: list[list[Word]] = [[row[0]]]
    for prev, word in zip(row, row[1:]):
        if word.x0 - prev.x1 > _FRAGMENT_GAP * max(prev.size, word.size):
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def find_gutter(rows: list[list[list[Word]]], width: float) -> float | None:
    """The x of a column gutter: where at least three fragments start in the middle of the page."""
    starts = Counter(round(frag[0].x0) for row in rows for frag in row
                     if 0.3 * width <= frag[0].x0 <= 0.75 * width)
    candidates = [x for x, n in starts.items() if n >= 3]
    best: tuple[int, float] | None = None
    for x in candidates:
        near = sum(n for s, n in starts.items() if abs(s - x) <= 2)
        if best is None or near > best[0]:
            best = (near, x - 1.5)
    return best[1] if best else None


def _crosses(row: list[list[Word]], gutter: float) -> bool:
    return any(f[0].x0 < gutter - 1 and max(w.x1 for w in f) > gutter + 1 for f in row)


def order_rows(rows: list[list[list[Word]]], width: float, page: int) -> list[Line]:
    """Lines in reading order: full-width rows as they come, two-column runs left column first."""
    gutter = find_gutter(rows, width)
    lines: list[Line] = []
    run: list[list[list[Word]]] = []

    def flush_run() -> None:
        tail: list[list[list[Word]]] = []
        if gutter is not None:
            # Left-only rows well below the end of the right column start a new full-width region.
            right_rows = [i for i, r in enumerate(run) if any(f[0].x0 >= gutter for f in r)]
            if right_rows:
                right_end = max(w.bottom for f in run[right_rows[-1]] for w in f)
                last = right_rows[-1] + 1
                while last < len(run) and min(w.top for f in run[last] for w in f) <= right_end + 0.5 * run[last][0][0].size:
                    last += 1
                run[:], tail = run[:last], run[last:]
        left = [[w for f in r if f[0].x0 < gutter for w in f] for r in run] if gutter is not None else []
        right = [[w for f in r if f[0].x0 >= gutter for w in f] for r in run] if gutter is not None else []
        if sum(1 for r in left if r) >= 2 and sum(1 for r in right if r) >= 2:
            lines.extend(Line(words=r, page=page, column=1) for r in left if r)
            lines.extend(Line(words=r, page=page, column=2) for r in right if r)
        else:
            lines.extend(Line(words=[w for f in r for w in f], page=page) for r in run)
        lines.extend(Line(words=[w for f in r for w in f], page=page) for r in tail)
        run.clear()

    for row in rows:
        if gutter is None or _crosses(row, gutter):
            flush_run()
            lines.append(Line(words=[w for f in row for w in f], page=page))
        else:
            run.append(row)
    flush_run()
    return lines


def page_tables(rules: list[Rule], words: list[Word], page: int, vocab: set[str]) -> tuple[list[list[TableRow]], set[int]]:
    """Each ruled table on the page as its rows (headers applied), and the words inside them."""
    tables: list[list[TableRow]] = []
    used: set[int] = set()
    for grid in find_grids(rules):
        rows, ids = grid_rows(grid, [w for w in words if id(w) not in used], page, vocab)
        if len(rows) < 2 and not (rows and len([c for c in rows[0].cells if c]) >= 2):
            continue
        used |= ids
        read_header(mark_captions(rows))
        for row in rows:
            row.table = page * 100 + len(tables)
        tables.append(rows)
    return tables, used


def layout_page(words: list[Word], rules: list[Rule], number: int, width: float, height: float,
                vocab: set[str], ocr: bool = False) -> PageLayout:
    """One page's items (lines and table rows) in reading order."""
    tables, used = page_tables(rules, words, number, vocab)
    free = [w for w in words if id(w) not in used]
    rows = [fragments(r) for r in group_rows(free)]
    lines = order_rows(rows, width, number)
    items: list[Item] = list(lines)
    # A table sits in the reading order where its top is, before the first full-width line below it.
    for table in tables:
        top = table[0].top
        at = next((i for i, it in enumerate(items) if isinstance(it, Line) and it.column == 0 and it.top > top), len(items))
        items[at:at] = table
    return PageLayout(number=number, width=width, height=height, items=items, ocr=ocr)


def body_size(pages: list[PageLayout]) -> float:
    """The font size most characters are set in (the body text's)."""
    weights: Counter[float] = Counter()
    for page in pages:
        for item in page.items:
            if isinstance(item, Line):
                for w in item.words:
                    weights[round(w.size * 2) / 2] += len(w.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def line_pitch(pages: list[PageLayout], size: float) -> float:
    """The usual baseline-to-baseline distance of body lines within a paragraph."""
    deltas: list[float] = []
    for page in pages:
        prev: Line | None = None
        for item in page.items:
            if isinstance(item, Line) and abs(item.size - size) <= 0.6:
                if prev is not None and prev.column == item.column:
                    delta = item.words[0].baseline - prev.words[0].baseline
                    if 0.8 * size <= delta <= 3 * size:
                        deltas.append(round(delta, 1))
                prev = item
            else:
                prev = None
    if not deltas:
        return 1.2 * size
    # The mode, steadied by its neighbours (deltas scatter by a tenth of a point).
    mode = Counter(deltas).most_common(1)[0][0]
    return statistics.median([d for d in deltas if abs(d - mode) <= 0.5])
