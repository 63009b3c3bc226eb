"""Table and page columns interleaved line by line in text converted from PDF, put back in reading order (pure).

A converter that reads a multi-column PDF page row by row writes one short line per column in turn:
"805,000 courses of NHS Talking" | "915,000 courses of NHS" | "Therapies by the end of 2026/27" |
"Talking Therapies by the end" | ... Quoted, each line is a fragment; embedded, the chunk is word salad.
The layout is gone, so the reading order is chosen by evidence from the words: within a run of short
lines, every ``k``-th line (``k`` = 2 or 3 columns) is read as one stream when its line joins are far
more fluent than the joins of the lines as written. A join is scored by how often the last word of one
line is followed by the first word of the next elsewhere in the same document (pointwise mutual
information over the document's own word pairs, plus word-triple counts): "Talking | Therapies" and
"end | of" are common joins, "Talking | 915,000" is not. Only clear cases are reordered (see the
thresholds below); everything else is left as written. Each stream becomes one line, so a table cell
reads as one sentence-like line.

Example::

    >>> untangle_columns(["805,000 courses of NHS Talking", "", "915,000 courses of NHS", ...])
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_FRAGMENT_CHARS = 48  # a column line of a table or a two-column page; prose lines of one column are longer
MIN_GAIN = 1.5  # mean join score of the streams over that of the lines as written
MIN_GOOD_SHARE = 0.6  # share of stream joins that are fluent on their own
GOOD_JOIN = 1.0
EDGE_JOIN = 0.5  # a stream's first and last joins must be fluent: a window does not run across rows
MAX_WINDOW = 24
COLUMNS = (2, 3)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,./%]*")
_ENDS_CLOSED = re.compile(r"[.;:!?][\"'”’)\]*]*\s*$")
_NOT_FRAGMENT = re.compile(r"^\s*(?:[#|>*]|[-+•]\s|\d+[.)]\s)")  # headings, bold labels, tables, quotes, lists


def _words(text: str) -> list[str]:
    return ["<n>" if w[0].isdigit() else w.lower() for w in _WORD.findall(text)]


@dataclass(frozen=True)
class JoinModel:
    """Word, word-pair and word-triple counts of one document, read line by line (never across lines)."""

    unigrams: Counter[str]
    bigrams: Counter[tuple[str, str]]
    trigrams: Counter[tuple[str, str, str]]
    total: int

    @classmethod
    def of(cls, lines: Sequence[str]) -> JoinModel:
        uni: Counter[str] = Counter()
        bi: Counter[tuple[str, str]] = Counter()
        tri: Counter[tuple[str, str, str]] = Counter()
        for line in lines:
            w = _words(line)
            uni.update(w)
            bi.update(zip(w, w[1:]))
            tri.update(zip(w, w[1:], w[2:]))
        return cls(uni, bi, tri, max(1, sum(uni.values())))

    def join(self, before: str, after: str) -> float:
        """How fluently ``after`` continues ``before`` (0 where a sentence ends, or a line has no word)."""
        a, b = _words(before), _words(after)
        if not a or not b or _ENDS_CLOSED.search(before):
            return 0.0
        x, y = a[-1], b[0]
        expected = (self.unigrams[x] + 1) * (self.unigrams[y] + 1) / self.total
        score = math.log((self.bigrams[(x, y)] + 0.1) / (expected + 0.1))
        if len(a) > 1:
            score += 0.5 * math.log1p(self.trigrams[(a[-2], x, y)])
        if len(b) > 1:
            score += 0.5 * math.log1p(self.trigrams[(x, y, b[1])])
        return score


def is_fragment(line: str) -> bool:
    text = line.strip()
    return bool(text) and len(text) <= MAX_FRAGMENT_CHARS and not _NOT_FRAGMENT.match(line)


@dataclass(frozen=True)
class Window:
    start: int  # positions in a run of fragment lines
    end: int
    columns: int
    gain: float


def best_windows(run: Sequence[str], model: JoinModel) -> list[Window]:
    """Non-overlapping windows of ``run`` whose lines read better as ``columns`` alternating streams (pure)."""
    n = len(run)
    joins = {k: [model.join(run[i], run[i + k]) for i in range(n - k)] for k in (1, *COLUMNS)}
    found: list[tuple[float, Window]] = []
    for k in COLUMNS:
        for a in range(n):
            for b in range(a + 2 * k, min(n, a + MAX_WINDOW) + 1):
                streams, written = joins[k][a:b - k], joins[1][a:b - 1]
                gain = sum(streams) / len(streams) - sum(written) / len(written)
                good = sum(v > GOOD_JOIN for v in streams) / len(streams)
                if gain > MIN_GAIN and good >= MIN_GOOD_SHARE and min(streams[:k] + streams[-k:]) > EDGE_JOIN:
                    found.append((b - a + gain / 100, Window(a, b, k, gain)))  # longest first, then clearest
    chosen: list[Window] = []
    taken: set[int] = set()
    for _, w in sorted(found, key=lambda item: -item[0]):
        if taken.isdisjoint(range(w.start, w.end)):
            chosen.append(w)
            taken.update(range(w.start, w.end))
    return sorted(chosen, key=lambda w: w.start)


def untangle_columns(lines: Sequence[str]) -> list[str]:
    """``lines`` with interleaved column lines read stream by stream, one line per stream (pure).

    Blank lines between the fragments are ignored; a reordered window keeps its line count (its other lines
    become blank), so nothing else in the document moves."""
    out = list(lines)
    model: JoinModel | None = None
    run: list[int] = []
    for i in [*range(len(out)), len(out)]:
        if i < len(out) and not out[i].strip():
            continue
        if i < len(out) and is_fragment(out[i]):
            run.append(i)
            continue
        if len(run) >= 2 * COLUMNS[0]:
            model = model or JoinModel.of(lines)
            for w in best_windows([out[j].strip() for j in run], model):
                rows = run[w.start:w.end]
                texts = [out[j].strip() for j in rows]
                for j in rows:
                    out[j] = ""
                for s in range(w.columns):
                    out[rows[s]] = " ".join(texts[s::w.columns])
        run = []
    return out
