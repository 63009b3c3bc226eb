"""A "by how much" question is answered by an amount of change, not by any number (pure).

"By how much did agency staff numbers fall?" asks the size of a change: "a reduction ... by 33%", "a minimum 30%
reduction", "14% more patient contacts", "from £3.5 billion to £3.0 billion", "double the rate". Typed as a
figure, it was met by any number in the sentence ("a single (*one* per NHS region) office"), so a sentence about
the thing asked of that states no change was quoted. ``change_spans`` keeps the figures said as a change.

Example::

    >>> change_spans("Staff numbers fell by 4.0% this year.", [(22, 26)])
    [(22, 26)]
    >>> change_spans("It will set up a single (one per NHS region) office.", [(25, 28)])
    []
"""

from __future__ import annotations

import re

Span = tuple[int, int]

ASKS_CHANGE = re.compile(r"\bby how much\b|\bhow much (?:more|less|fewer|higher|lower|extra|further|bigger|smaller)\b", re.I)
_CHANGE_WORD = (r"(?:more|fewer|less|extra|additional|lower|higher|reductions?|increases?|decreases?|rises?|falls?|drops?|cuts?"
                r"|growth|improvements?|savings?|smaller|larger|bigger|down|up)")
# "*30%* reduction", "*14%* more contacts", "*10%* year-on-year reduction": the change word follows the figure
_CHANGE_AFTER = re.compile(rf"\s*(?:[\w-]+\s+){{0,2}}?{_CHANGE_WORD}\b", re.I)
# "by *33%*", "by at least *1%*", "a reduction of *£14 million*", "from *2.50* to", "to *£3.0 billion*" after "from"
_BY_BEFORE = re.compile(rf"(?:\bby|\b{_CHANGE_WORD}\s+of)\s+(?:[\w.-]+\s+){{0,2}}?$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
_TO_AFTER = re.compile(r"(?:[^.;]|\.(?=\d)){0,60}?\bto\s+[£$€]?\d", re.I)
_TO_BEFORE = re.compile(r"\bfrom\s+[£$€]?\d(?:[^.;]|\.(?=\d)){0,60}?\bto\s+$", re.I)
# a change in itself: "double the improvement rate", "halve the gap", "a threefold rise"
_CHANGE_WORDS = re.compile(r"\b(?:double[ds]?|doubling|halve[ds]?|halving|treble[ds]?|triple[ds]?|(?:two|three|four|five|ten|\d+)-?fold)\b", re.I)
_CHANGE_ITSELF = re.compile(rf"^{_CHANGE_WORDS.pattern}$", re.I)
# a figure's number, unit and sign are found as separate spans ("30", "%", "£", "3.5"): read the figure whole
# (``match`` at a position: no "^", which only matches at the string's start)
_UNIT_AFTER = re.compile(r"\d*[\d,.]*\s?(?:%|per ?cent\b|percent\b|(?:million|billion|bn|m|k)\b)", re.I)
_NUMBER_BEFORE = re.compile(r"(?:[£$€]?\d[\d,.]*\s?|[£$€])$")


def asks_change(question: str) -> bool:
    """Whether the question asks the size of a change ("by how much", "how much more") (pure)."""
    return bool(ASKS_CHANGE.search(question))


def change_spans(sentence: str, found: list[Span]) -> list[Span]:
    """The spans of ``found`` (figures in ``sentence``) said as an amount of change, plus the words that are a change
    in themselves ("halve", "threefold"), which hold no figure (pure)."""
    kept = [(a, b) for a, b in found if _is_change(sentence, *_whole(sentence, a, b))]
    return kept + [m.span() for m in _CHANGE_WORDS.finditer(sentence) if m.span() not in kept]


def _whole(sentence: str, a: int, b: int) -> Span:
    """The whole figure around ``sentence[a:b]``: "30" or "%" of "30%", "£14" of "£14 million" (pure)."""
    before = _NUMBER_BEFORE.search(sentence, 0, a)
    after = _UNIT_AFTER.match(sentence, b)
    return (before.start() if before else a, after.end() if after else b)


def _is_change(sentence: str, a: int, b: int) -> bool:
    """Whether the figure ``sentence[a:b]`` is said as a change (pure)."""
    return bool(_CHANGE_ITSELF.match(sentence[a:b])
                or _CHANGE_AFTER.match(sentence, b)
                or _BY_BEFORE.search(sentence, 0, a)
                or (_FROM_BEFORE.search(sentence, 0, a) and _TO_AFTER.match(sentence, b))
                or _TO_BEFORE.search(sentence, 0, a))
