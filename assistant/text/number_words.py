"""Numbers written as words, and the words for numbers written as digits (pure).

People ask about "four hours" and "eighteen weeks"; NHS documents write "4-hour A&E" and "18-week
referral to treatment". ``terms`` keeps "four" and "18" (and drops a lone "4"), so a check that the
question's words are in a sentence never sees the two as one. ``spelled_stems`` gives the stemmed
number words for the whole numbers a text writes in digits, to be added to the text's own terms.

Example::

    >>> sorted(spelled_stems("at least 92% within 18 weeks, 4-hour A&E"))
    ['eighteen', 'four']
    >>> sorted(spelled_stems("2025/26, 4.5% and £3.5 billion"))
    []
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

_UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}
NUMBER_WORDS: dict[int, str] = {**{n: w for n, w in enumerate(_UNITS, start=1)}, **_TENS}
# "one" is left out: "in one term", "one of the", "one-off" say "a single" or "a", rarely a count; ``ONE`` is for the
# caller to count where it stands before a unit ("within one hour")
ONE = terms("one")[0]
NUMBER_STEMS = frozenset(terms(" ".join(NUMBER_WORDS.values()))) - {ONE}
# A whole number of one or two digits, alone or before a hyphen ("18-week"): not part of a decimal ("4.5"),
# a date or period ("2025/26"), an amount ("£3") or a percentage ("72%": a share, not a count of anything)
_WHOLE = re.compile(r"(?<![\w.,/£$€])(\d{1,2})(?![\d/%]|[.,]\d|\s*per\s*cent)")


def spelled_stems(text: str) -> set[str]:
    """The stemmed words ("four", "eighteen", "twenti") of the whole numbers 1-99 that ``text`` writes in
    digits (pure); larger numbers are not written in words in questions."""
    out: set[str] = set()
    for m in _WHOLE.finditer(text):
        n = int(m.group(1))
        # 52 is "fifty-two": both words, as ``terms`` splits the question's "fifty-two weeks"
        words = [NUMBER_WORDS.get(n)] if n in NUMBER_WORDS else [NUMBER_WORDS.get(n - n % 10), NUMBER_WORDS.get(n % 10)]
        out.update(t for word in words if word for t in terms(word))
    return out
