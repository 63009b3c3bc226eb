"""The items of a set a document lists as a series of headings, for "What are the N X?" (pure functions).

A document often lists its components, steps or phases as sections: "Initial 6 core components", then
"A. Population health management", "B. Modern general practice", ... "F. Urgent neighbourhood services", each heading
followed by its own body text, which never repeats the heading. "What are the six core components?" is answered only
by those headings, and no sentence holds them. The series is

- the headings after a parent heading that names X ("Initial 6 core components" for "core components"), labelled in
  sequence ("A.", "B.", ...; "1.", "2.", ...), or
- headings labelled with X's own word in sequence ("Step 1: ...", "Step 2: ..." for "the steps of ..."),

taken in document order, other headings between them (an item's sub-headings) passed over. The series must have as
many items as the question ("the six ...") or the parent heading ("Initial 6 ...") counts: without a count, a series
cut short (an item whose heading runs into its text is no heading) cannot be told from a whole one. The answer
quotes each heading verbatim.

Example::

    >>> asked_series("What are the six core components of neighbourhood health?")
    SeriesAsk(count=6, head='compon', words=('core', 'compon', 'neighbourhood', 'health'))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.results import Passage
from assistant.text.terms import terms

_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER = r"(?:\d{1,2}|" + "|".join(list(_NUMBERS)[2:]) + ")"
_ASKS = re.compile(
    rf"^\W*(?:what|which)\s+are\s+the\s+(?:(?P<n>{_NUMBER})\s+)?(?P<x>[^?]+?)\s*\??\s*$"
    rf"|^\W*(?:list|name)\s+the\s+(?:(?P<n2>{_NUMBER})\s+)?(?P<x2>[^?]+?)\s*[?.]?\s*$", re.I)
# What a set's items are called; "what are the requirements ..." asks for content, not for a list of sections.
_SET_WORDS = frozenset(terms("components principles steps phases stages pillars domains priorities themes elements "
                             "objectives shifts ambitions parts sections appendices annexes chapters criteria grounds "
                             "areas functions enablers outcomes commitments actions levels tiers segments categories"))
_LETTER = re.compile(r"^\s*\(?([A-Z])[.)]\s+\S")
_DIGIT = re.compile(r"^\s*(\d{1,2})[.)]?\s+[A-Z]")
_ROMAN = re.compile(r"^\s*\(?([ivx]{1,5})[.)]\s+\S", re.I)
_WORD = re.compile(rf"^\s*([A-Za-z]+)\s+((?i:{_NUMBER})|[A-Z])\b\s*[:.–—-]?\s*\S")
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
MIN_ITEMS = 2
MAX_ITEMS = 12
_MAX_HEADING = 150


@dataclass(frozen=True)
class SeriesAsk:
    """A question asking for a set's items: how many (if it says), the stem of what they are called, all its words."""

    count: int | None
    head: str
    words: tuple[str, ...]


def asked_series(question: str) -> SeriesAsk | None:
    """The set "What are the (N) X (of Y)?" asks for, when X is what a set's items are called; else None (pure)."""
    found = _ASKS.match(question.strip())
    if not found:
        return None
    n = found.group("n") or found.group("n2")
    x = found.group("x") or found.group("x2")
    noun_run = re.split(r"\s+(?:of|in|for|that|which|set|under|at|to|from|through|behind)\s+", x, maxsplit=1)[0]
    run = terms(noun_run)
    if not run or run[-1] not in _SET_WORDS:
        return None
    return SeriesAsk(_count(n) if n else None, run[-1], tuple(terms(x)))


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _label(heading: str) -> tuple[str, int] | None:
    """``(style, position)`` of an item's label: ("letter", 5) for "E. ...", ("word:step", 3) for "Step 3: ..."."""
    if m := _WORD.match(heading):
        value = m.group(2)
        position = _count(value) if value.isdigit() or value.lower() in _NUMBERS else ord(value.upper()) - 64
        return "word:" + "".join(terms(m.group(1))[:1]), position
    if m := _LETTER.match(heading):
        return "letter", ord(m.group(1)) - 64
    if (m := _ROMAN.match(heading)) and m.group(1).lower() in _ROMANS:
        return "roman", _ROMANS.index(m.group(1).lower()) + 1
    if m := _DIGIT.match(heading):
        return "digit", int(m.group(1))
    return None


def document_headings(passages: Sequence[Passage], path: str) -> list[tuple[int, int, str, int]]:
    """``(doc_start, doc_end, text, passage_index)`` of each one-line heading in the passages of one document, in
    document order, once each; offsets those of the text without surrounding blanks (pure)."""
    found: dict[int, tuple[int, int, str, int]] = {}
    for index, passage in enumerate(passages):
        if (passage.path or passage.source) != path:
            continue
        for a, b in passage.unquotable:
            if a < passage.start or b > passage.end:
                continue
            raw = passage.text[a - passage.start:b - passage.start]
            text = raw.strip()
            if not text or "\n" in text or len(text) > _MAX_HEADING or re.search(r"\.{4,}|…{2,}", text):
                continue
            start = a + (len(raw) - len(raw.lstrip()))
            found.setdefault(start, (start, start + len(text), text, index))
    return [found[k] for k in sorted(found)]


def heading_series(asked: SeriesAsk, headings: Sequence[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """The headings listing the asked set's items, in order ([] when the document has no such series) (pure)."""
    return series_and_parent(asked, headings)[0]


def series_and_parent(asked: SeriesAsk, headings: Sequence[tuple[int, int, str, int]],
                      ) -> tuple[list[tuple[int, int, str, int]], tuple[int, int, str, int] | None]:
    """``heading_series`` and the parent heading naming the set (None when the items' own label names it) (pure)."""
    for i, (_, _, text, _) in enumerate(headings):
        label = _label(text)
        named_by_label = label is not None and label[0] == f"word:{asked.head}" and label[1] == 1
        named_by_parent = asked.head in terms(text) and not named_by_label
        if not (named_by_label or named_by_parent):
            continue
        stated = _stated_count(text) if named_by_parent else None
        if stated is not None and asked.count not in (None, stated):
            continue  # "Initial 6 core components" is not the parent of "the four components"
        # a count, the question's or the parent's, shows the series whole: "Step 4" may be no heading but a line
        # running into its text, and three step headings would then be quoted for the four steps
        expected = asked.count or stated
        series = _series_from(headings[i:] if named_by_label else headings[i + 1:])
        if expected is not None and len(series) == expected >= MIN_ITEMS:
            return series, (headings[i] if named_by_parent else None)
    return [], None


def _stated_count(text: str) -> int | None:
    m = re.search(rf"\b({_NUMBER})\b", text, re.I)
    return _count(m.group(1)) if m else None


def _series_from(headings: Sequence[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """The run of headings labelled 1, 2, 3 ... (or A, B, C ...) in one style from the first, others passed over."""
    labels = [_label(h[2]) for h in headings]
    first = next((i for i, label in enumerate(labels[:3]) if label is not None and label[1] == 1), None)
    if first is None:
        return []
    style = labels[first][0]  # type: ignore[index]
    series: list[tuple[int, int, str, int]] = []
    for heading, label in zip(headings[first:], labels[first:]):
        if label is None or label[0] != style:
            continue  # an item's own sub-heading
        if label[1] != len(series) + 1:
            break  # a later list in the same style
        series.append(heading)
        if len(series) == MAX_ITEMS:
            break
    return series


def listed_by_headings(question: str, passages: Sequence[Passage]) -> list[tuple[int, int, int, str]]:
    """``(passage_rank, doc_start, doc_end, text)`` of the headings listing what "What are the (N) X?" asks for, from
    the first document among ``passages`` that has such a series; [] for other questions or none found (pure)."""
    asked = asked_series(question)
    if asked is None:
        return []
    for path in dict.fromkeys(p.path or p.source for p in passages):
        series = heading_series(asked, document_headings(passages, path))
        if series:
            return [(index, start, end, text) for start, end, text, index in series]
    return []
