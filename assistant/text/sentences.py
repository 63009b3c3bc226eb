"""Sentence spans: where sentences start and end in a text, as exact character offsets.

One splitter for the whole product (chunking, extractive answers, claim verification, citation
metrics), so "a sentence" means the same thing at every stage.

Example::

    >>> split_sentences("First one. Second one.")
    [(0, 10), (11, 22)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al no nos mr mrs ms dr prof st rt hon approx fig p pp para paras ref "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co".split()
)
# End of a sentence: terminal punctuation, optional closing quotes/brackets, whitespace, then
# something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£•▪◦·–-])")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BULLET_LINE = re.compile(r"\n[ \t]*(?=(?:[•▪◦·●○■□➢✓–-]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s)")
_ALNUM = re.compile(r"\w")
# A short line ("Classification: Official") followed by a capitalised one is its own sentence;
# long lines are wrapped prose (PDF conversions break lines mid-sentence).
_SHORT_LINE = re.compile(r"(?m)^[^\n]{1,60}(?=\n[ \t]*[A-Z“\"'(])")
# A list marker at the start of a sentence (bullets, "1.", "(a)").
_LEADING_MARKER = re.compile(r"^\s*(?:[•▪◦·●○■□➢✓–-]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s+")


def split_sentences(text: str, start: int = 0, end: int | None = None, hard_breaks: Sequence[int] = ()) -> list[Span]:
    """Sentence spans ``(start, end)`` of ``text[start:end]``, as offsets into ``text``.

    Breaks at sentence punctuation (not after common abbreviations), blank lines, bullet lines
    and any offset in ``hard_breaks`` (page or heading starts). Spans are whitespace-trimmed and
    spans without a letter or digit are dropped.
    """
    end = len(text) if end is None else end
    cuts = {start, end}
    segment = text[start:end]
    for m in _PARAGRAPH.finditer(segment):
        cuts.add(start + m.start())
    for m in _BULLET_LINE.finditer(segment):
        cuts.add(start + m.start())
    for m in _SHORT_LINE.finditer(segment):
        if len(m.group(0).split()) <= 8:
            cuts.add(start + m.end())
    for m in _SENTENCE_END.finditer(segment):
        if _is_abbreviation(segment, m.start()):
            continue
        cuts.add(start + m.start() + len(m.group(0).rstrip()))
    cuts.update(b for b in hard_breaks if start < b < end)
    ordered = sorted(cuts)
    spans: list[Span] = []
    for a, b in zip(ordered, ordered[1:]):
        a, b = trim(text, a, b)
        if a < b and _ALNUM.search(text, a, b):
            spans.append((a, b))
    return spans


def _is_abbreviation(segment: str, dot: int) -> bool:
    if segment[dot] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", segment[max(0, dot - 12):dot])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def trim(text: str, a: int, b: int) -> Span:
    """``(a, b)`` narrowed so that ``text[a:b]`` has no leading or trailing whitespace (pure)."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def clean_sentence(sentence: str) -> str:
    """One line of verbatim text: whitespace runs collapsed, a leading list marker dropped (pure)."""
    return _LEADING_MARKER.sub("", " ".join(sentence.split()))
