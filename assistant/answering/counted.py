"""Whether a number found in a sentence counts what a "how many" or figure question asks about (pure, no model).

Two numbers of the figure kind count nothing asked:

- the **day of a date**: "recent changes from *1* October", "by *31* March": the number names a day on the
  calendar, so it is no target, count or amount ("What is the target number of appointments per day?");
- a **share of something else**: "How many *posts* will be cut?" is not answered by "an organisation almost
  *35%* smaller": a percentage counts the asked thing only as a share of it, so the sentence must name the
  counted thing. A plain number keeps the looser rule (the counted noun may be paraphrased), because a count
  of the wrong thing rarely sits where a count is asked for, while a percentage of another base often does.

A number can also count **parts of the asked thing**: "How many integrated care systems are there?" is not answered
by "the *four* core purposes of Integrated Care Systems": the number counts the words between it and "of" (purposes),
and the asked thing only follows "of" (``counts_parts_of``). "One of the 42 ICSs" and "two thirds of members" (a share)
are left alone.

And a number inside a **web address** ("nhs-oversight-framework-2025-26/#annex-a") is part of a name, not a
figure or a date the sentence states.

Example::

    >>> day_of_month("GP contract (including recent 1 October changes)", 30, 31)
    True
    >>> share_of_other("an organisation almost 35% smaller", 23, 25, "post")
    True
    >>> in_url("(https://www.england.nhs.uk/long-read/nhs-oversight-framework-2025-26/) describes", 62, 66)
    True
    >>> share_of_other("a reduction in the number of agency staff by 33%", 45, 47, "staff")
    False
    >>> counts_parts_of("the four core purposes of Integrated Care Systems (ICSs):", 4, 8, "system")
    True
    >>> counts_parts_of("colleagues from all 42 ICSs as well as", 20, 22, "icss")
    False
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b")
_MONTH_BEFORE = re.compile(r"\b" + _MONTH + r"\s+$")
_PERCENT_AFTER = re.compile(r"\s?(?:%|per ?cent\b|percent\b)", re.I)


def day_of_month(sentence: str, a: int, b: int) -> bool:
    """Whether ``sentence[a:b]`` is a number of at most two digits that is the day of a date ("1 October",
    "March 31st") (pure)."""
    text = sentence[a:b]
    if not (text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 31):
        return False
    return bool(_MONTH_AFTER.match(sentence, b)) or bool(_MONTH_BEFORE.search(sentence[max(0, a - 12):a]))


def share_of_other(sentence: str, a: int, b: int, counted_stem: str) -> bool:
    """Whether ``sentence[a:b]`` is a percentage (or its "%" sign) in a sentence that never names the counted
    thing (``counted_stem``, a stem): it is a share of something else (pure)."""
    if not counted_stem:
        return False
    percent = sentence[a:b] == "%" or bool(_PERCENT_AFTER.match(sentence, b))
    return percent and counted_stem not in terms(sentence)


_URL = re.compile(r"(?:https?://|\bwww\.)[^\s)\]>\"']*", re.I)


def in_url(sentence: str, a: int, b: int) -> bool:
    """Whether ``sentence[a:b]`` lies inside a web address (pure)."""
    return any(m.start() <= a and b <= m.end() for m in _URL.finditer(sentence))


# the words a number counts, then "of" and what they belong to: "four core purposes of (the) Integrated Care Systems"
_PARTS_OF = re.compile(r"\s+((?:[A-Za-z][\w-]*\s+){1,3})of\s+((?:\S+\s*){1,4})")
_SHARE_WORDS = frozenset(terms("half halves third thirds quarter quarters fifth fifths tenth tenths per cent percent "
                               "times"))


def counts_parts_of(sentence: str, a: int, b: int, counted_stem: str) -> bool:
    """Whether the number ``sentence[a:b]`` counts other things (the words after it) of the counted thing
    (``counted_stem``, named only after "of"), not the counted thing itself (pure)."""
    m = _PARTS_OF.match(sentence, b)
    if not counted_stem or not m:
        return False
    between = terms(m.group(1))
    return (bool(between) and counted_stem not in between and not _SHARE_WORDS & set(between)
            and counted_stem in terms(m.group(2)))
