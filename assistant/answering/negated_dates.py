"""Whether a date in a sentence is the time something does *not* happen (pure, no model).

"In which year will ICBs start being segmented?" is not answered by "ICBs will *not* be segmented *this year*":
the sentence says when the event does not happen, not when it does. So for a when-question, a date or time
said in a negated clause answers nothing, unless the negation bounds it ("not until 2027", "not before April",
"no later than / not later than 31 March": those do date the event).

Example::

    >>> negated_time("Although ICBs will not be segmented this year, their scores will be published.", 36, 45)
    True
    >>> negated_time("Segmentation will not start until 2027.", 34, 38)
    False
    >>> negated_time("Plans must be submitted not later than 31 March 2026.", 39, 52)
    False
"""

from __future__ import annotations

import re

from assistant.answering.durations import clause_of

_NEGATION = re.compile(r"\b(?:not|never|cannot)\b|n['’]t\b", re.I)
# between the negation and the time: a word that makes the time a bound of the event, so it dates it after all
_BOUND = re.compile(r"\b(?:until|till|before|after|unless|later|earlier|sooner|beyond|since|than)\b", re.I)


def negated_time(sentence: str, a: int, b: int) -> bool:
    """Whether the time at ``sentence[a:b]`` stands in a clause that says the event does not happen then (pure)."""
    start, _ = clause_of(sentence, a)
    before = sentence[start:a]
    negations = list(_NEGATION.finditer(before))
    if not negations:
        return False
    return not _BOUND.search(before, negations[-1].end())
