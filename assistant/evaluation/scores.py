"""Pure scoring functions behind the metrics (``metrics.py`` says which applies to what).

Retrieval: whether a passage holds a question's evidence (page-aware; a table row also as its bare
cell values, ``cell_values``), the first relevant rank, binary-gain nDCG. Answers: must_include coverage, SQuAD token F1, ALCE citation recall and
precision. No I/O, no models: a judge (``entails``) is passed in where one is needed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from assistant.answering.verification import strip_citations
from assistant.evaluation.questions import Evidence, contains_evidence, match_form, normalise
from assistant.text.sentences import split_sentences


class PassageLike(Protocol):
    """What retrieval scoring reads of a passage (``assistant.results.Passage`` has it)."""

    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def page(self) -> int | None: ...
    @property
    def page_end(self) -> int | None: ...


# A header label our loaders put before a table cell ("Price: £2.49"): up to the first ": " of the cell.
_CELL_LABEL = re.compile(r"(^|(?<= \| ))[^:|\n]{1,120}?: (?=\S)")


def holds(passage: PassageLike, evidence: Evidence) -> bool:
    """Does ``passage`` hold ``evidence``: the quote's text and, when the evidence names a page,
    from that file and running over that page (a passage spanning two pages counts for both).
    The text is the passage's, or that with its table rows as a reader sees them (``cell_values``)."""
    if evidence.page is not None:
        if passage.source != evidence.source_file or passage.page is None:
            return False
        if not passage.page <= evidence.page <= (passage.page_end or passage.page):
            return False
    if contains_evidence(passage.text, evidence.text):
        return True
    rows = [(a, b) for a, b, kind in getattr(passage, "units", None) or () if kind == "table_row"]
    if not rows:
        return False
    base = getattr(passage, "start", 0) or 0
    if contains_evidence(cell_values(passage.text, rows, base), evidence.text):
        return True
    quote = _tokens(evidence.text)
    return bool(quote) and any(reads_along(row_cells(passage.text[a - base : b - base]), quote) for a, b in rows)


def cell_values(text: str, rows: Sequence[tuple[int, int]], base: int = 0) -> str:
    """``text`` with each table row (document offsets ``rows``; ``base``: the text's own offset) as its
    cells' values, without the header label the loaders repeat in every cell ("Price: £2.49 | Size:
    5mm" -> "£2.49 5mm"): the table as printed, where an evidence quote copied from the document
    (``pdftotext -layout``) reads along a row (pure)."""
    out, at = [], 0
    for a, b in sorted(rows):
        a, b = max(a - base, at), min(b - base, len(text))
        if a >= b:
            continue
        out += [text[at:a], _CELL_LABEL.sub(r"\1", text[a:b]).replace(" | ", " ")]
        at = b
    return "".join(out) + text[at:]


def row_cells(row: str) -> list[list[str]]:
    """A table row as the loaders write it ("Label: value | Label: value") as its cells' value words (pure)."""
    return [_tokens(_CELL_LABEL.sub("", cell, count=1)) for cell in row.split(" | ")]


def _tokens(text: str) -> list[str]:
    return [match_form(word) for word in normalise(text).split()]


def reads_along(cells: Sequence[Sequence[str]], quote: Sequence[str]) -> bool:
    """Does ``quote`` read along one printed table row whose cells may wrap (pure)?

    ``pdftotext -layout`` prints a row's line with each cell's first line only and a wrapped cell's
    other words on the lines below ("1st  Insupen  £2.49" over "Original"), so a quote copied from the
    printed row is, cell after cell, a run of words from each cell's start (the first cell's may start
    anywhere); a cell's tail may be left out, never its middle, and no cell is skipped."""

    def along(cell: int, at: int, q: int, used: bool) -> bool:
        if q == len(quote):
            return True
        words = cells[cell]
        if at < len(words) and words[at] == quote[q] and along(cell, at + 1, q + 1, True):
            return True
        # The rest of this cell wrapped below the printed line: the quote goes on with the next cell.
        return used and cell + 1 < len(cells) and along(cell + 1, 0, q, False)

    return any(along(c, at, 0, False) for c, words in enumerate(cells) for at in range(len(words)))


def first_relevant_rank(passages: Sequence[PassageLike], evidence: Sequence[Evidence]) -> int | None:
    """1-based rank of the first passage holding any of ``evidence``, or None."""
    for rank, passage in enumerate(passages, start=1):
        if any(holds(passage, e) for e in evidence):
            return rank
    return None


def ndcg(passages: Sequence[PassageLike], evidence: Sequence[Evidence], k: int) -> float:
    """Binary-gain nDCG@k: a passage gains 1 when it holds a quote not already found higher up, so
    overlapping chunks of the same quote do not push the score over 1; ideal = min(#quotes, k) hits."""
    if not evidence:
        raise ValueError("nDCG needs evidence")
    found: set[int] = set()
    dcg = 0.0
    for rank, passage in enumerate(passages[:k], start=1):
        new = {i for i, e in enumerate(evidence) if i not in found and holds(passage, e)}
        if new:
            found |= new
            dcg += 1.0 / math.log2(rank + 1)
    return dcg / sum(1.0 / math.log2(r + 1) for r in range(1, min(len(evidence), k) + 1))


def must_include_coverage(answer_text: str, must_include: Sequence[str]) -> float:
    """Share of key facts found in the answer (case-insensitive, in :func:`match_form`)."""
    if not must_include:
        raise ValueError("must_include is empty")
    text = match_form(answer_text)
    return sum(match_form(m) in text for m in must_include) / len(must_include)


def _f1_tokens(text: str) -> list[str]:
    text = re.sub(r"\b(a|an|the)\b", " ", normalise(strip_citations(text)))
    return re.findall(r"\w+", text)


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token F1 (lower-cased, punctuation and articles dropped)."""
    pred, ref = _f1_tokens(prediction), _f1_tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_LEADING = re.compile(r"^(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")
# A marker followed by a list bullet closes a list item: each cited item is its own claim, though
# items that end in ";" or nothing carry no full stop for the sentence splitter.
_ITEM_BREAK = re.compile(r"(?<=\])\s+(?=[•▪◦‣*–-]\s)")


def cited_sentences(text: str) -> list[tuple[str, list[int]]]:
    """An answer's sentences with the citation numbers each carries.

    Handles markers after the full stop ("... ends. [1] Next ...", the extractive style) and before
    it ("... ends [1][2]."): a sentence owns the markers inside it and those that open the next span.
    A cited list item ("apply: [1] • the first; [1] • the second. [1]") is a claim of its own.
    """

    def numbers(span: str) -> list[int]:
        return [int(n) for g in _MARKER.findall(span) for n in re.split(r"\s*[,;]\s*", g)]

    out: list[tuple[str, list[int]]] = []
    for a, b in split_sentences(text):
        whole = text[a:b]
        lead = _LEADING.match(whole)
        if lead and out:
            out[-1][1].extend(numbers(lead.group(0)))
            whole = whole[lead.end():]
        for span in _ITEM_BREAK.split(whole):
            sentence = strip_citations(" ".join(span.split()))
            if re.search(r"\w", sentence):
                out.append((sentence, numbers(span)))
    return [(s, list(dict.fromkeys(ns))) for s, ns in out]


Entails = Callable[[str, Sequence[str]], bool]  # sentence, evidence texts -> entailed?


def citation_recall_precision(sentences: Sequence[tuple[str, Sequence[int]]], passages: dict[int, str],
                              entails: Entails) -> tuple[float, float | None]:
    """ALCE citation recall and precision (precision None when nothing is cited).

    Recall: a sentence counts when the concatenation of its cited passages entails it. Precision: a
    citation is irrelevant when its passage alone does not entail the sentence and the sentence
    stays entailed without it; a sentence that is not entailed makes all its citations imprecise
    (as in ALCE's reference implementation).
    """
    if not sentences:
        raise ValueError("no sentences to score")
    supported = precise = total = 0
    for sentence, numbers in sentences:
        cited = [n for n in numbers if n in passages]
        total += len(cited)
        if not cited or not entails(sentence, ["\n".join(passages[n] for n in cited)]):
            continue
        supported += 1
        if len(cited) == 1:
            precise += 1
            continue
        for n in cited:
            if entails(sentence, [passages[n]]):
                precise += 1
            elif not entails(sentence, ["\n".join(passages[m] for m in cited if m != n)]):
                precise += 1  # needed: without it the rest no longer entail the sentence
    return supported / len(sentences), (precise / total) if total else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100, linear interpolation); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
