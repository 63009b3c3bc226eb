"""A "how often" question is answered by a frequency, not by any number (pure).

"How often does the committee meet?" asks how many times in a period: "four times each week", "on a quarterly
basis", "annual refresher training", "twice a year", "every 3 years". Typed as a figure, it was met by any
number in the sentence ("c) *One* shall have specific knowledge ..."), so a sentence about the committee that
never says how often it meets was quoted. ``frequency_spans`` keeps the numbers that count times in a period
and adds the frequency words that hold no number ("twice", "monthly").

Example::

    >>> frequency_spans("It meets four times each week.", [(9, 13)])  # "four", and "each week"
    [(9, 13), (20, 29)]
    >>> frequency_spans("c) One shall have specific knowledge.", [(3, 6)])
    []
"""

from __future__ import annotations

import re

Span = tuple[int, int]

HOW_OFTEN = re.compile(r"\bhow often\b|\bhow frequently\b|\bat what (?:frequency|intervals?)\b", re.I)
_PERIOD = r"(?:day|week|month|year|annum|quarter|fortnight|term|financial year|calendar year)"
# what follows a number that counts times in a period: "four *times each week*", "3 *per year*", "2 *a month*"
_AFTER = re.compile(rf"^\s*(?:times?\b|(?:a|an|per|each|every)\s+{_PERIOD}\b|x\s)", re.I)
_BEFORE = re.compile(r"\bevery\s+$", re.I)  # "every *3* years"
# a frequency in words, or a number of a period after "every"
FREQUENCY_WORDS = re.compile(
    r"\b(?:once|twice|daily|weekly|fortnightly|monthly|bi-?monthly|quarterly|annual(?:ly)?|yearly|bi-?annual(?:ly)?"
    rf"|biennial(?:ly)?|six-monthly|every\s+(?:other\s+|\w+\s+)?{_PERIOD}s?|(?:each|per|a)\s+{_PERIOD}|on an? \w+ basis"
    # "several times a month", "as required": a frequency with no number in it
    rf"|(?:several|a\s+few|many)\s+times\s+(?:a|an|per|each|every)\s+{_PERIOD}|as\s+(?:and\s+when\s+)?(?:needed|required|necessary))\b",
    re.I)


def frequency_spans(sentence: str, found: list[Span]) -> list[Span]:
    """The spans of ``found`` (numbers in ``sentence``) that count times in a period, plus the frequency words
    of ``sentence`` ("twice", "quarterly", "every year") (pure)."""
    kept = [(a, b) for a, b in found
            if FREQUENCY_WORDS.fullmatch(sentence[a:b]) or _AFTER.match(sentence[b:b + 24]) or _BEFORE.search(sentence[max(0, a - 8):a])]
    words = [m.span() for m in FREQUENCY_WORDS.finditer(sentence)]
    return sorted(set(kept) | set(words))
