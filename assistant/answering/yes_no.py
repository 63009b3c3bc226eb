"""Yes/no questions: the sentence that settles one goes first (pure functions, no model).

"Will the review panel consider new information?" is settled by a sentence that says it will *not*; a
sentence that only shares the topic's words ("The review panel will consider the written documentation")
decides nothing, yet scores as well or better on similarity and word overlap. What settles a yes/no
question is most often a negation or a limit ("does not in itself", "no longer required", "may not vote",
"single use only", "regardless of their BMI"), so a sentence with such a marker within a few words of the
question's own words gains a little support (``DECIDES``) and is quoted first when it comes close to the best.

The credit only orders sentences: it is given when some sentence already meets the support floor, so it
never turns a refusal into an answer. After a preamble, the dense side searches with the asking sentence
alone (``asked_alone``).

Example::

    >>> is_yes_no("Our ICB is drafting its plans. Do we still have to produce a system plan?")
    True
    >>> settles({"system", "plan"}, "Although system plans are no longer required, plans rest on partnership.")
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.constraints import asking_part
from assistant.answering.context import ScoredSentence
from assistant.answering.fates import AUXILIARIES
from assistant.text.terms import terms

DECIDES = 0.1  # support a settling sentence gains on a yes/no question (tune: 0.06-0.15 the same on both halves)
WINDOW = 4  # words between the negation or limit and a word of the question

_AUX = AUXILIARIES  # an inverted auxiliary opens a yes/no question (``fates``)
# Negations and limits: closed-class English words, the ways a policy sentence says "no" or "only so far".
_DECIDING = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|only|solely|unless|except|regardless|without|\w+n['’]t)\b", re.I)
_WORDS = re.compile(r"[\w'’]+")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def is_yes_no(question: str) -> bool:
    """The sentence that asks opens with an inverted auxiliary ("Does severity on its own justify an IFR?") (pure)."""
    asking = [s for s in _SENTENCES.split(asking_part(question).strip()) if s]
    words = asking[-1].split() if asking else []
    return bool(words) and words[0].lower() in _AUX


def asked_alone(question: str) -> str | None:
    """The asking sentence of a yes/no question after a preamble, or None (pure).

    "Our ICB is drafting its plans for 2026/27. Do we still have to produce a system plan?": the preamble's
    words ("plans", "2026/27") match a great many passages, and the question's embedding follows them away from
    the one that settles it ("system plans are no longer required"). The dense side searches with the asking
    sentence alone; the keyword side keeps the whole question, so a preamble a pronoun points back to ("Does
    *that* on its own justify an IFR?") still counts. Only yes/no questions: for every question with a
    preamble, the by-document split lost tune hit@5 (0.870 -> 0.850) and confirm must_include.
    """
    part = asking_part(question)
    return part if part != question and is_yes_no(question) else None


def settles(question_terms: set[str], sentence: str, window: int = WINDOW) -> bool:
    """A negation or limit in the sentence stands within ``window`` words of one of the question's terms
    ("... will *not* consider new *information*", "*regardless* of their *BMI*"): it bears on what is asked,
    not on something else the sentence says (pure)."""
    words = _WORDS.findall(sentence)
    # "no less than two", "not more than 30 days": a bound on a figure, not a "no"
    marks = [i for i, w in enumerate(words) if _DECIDING.fullmatch(w)
             and not (i + 2 < len(words) and words[i + 2].lower() == "than")]
    if not marks:
        return False
    asked = [i for i, w in enumerate(words) if set(terms(w)) & question_terms]
    return any(abs(i - j) <= window for i in marks for j in asked)


def credited(question: str, scored: Sequence[ScoredSentence], min_support: float,
             credit: float | None = None) -> list[ScoredSentence]:
    """``scored`` with ``credit`` (default ``DECIDES``) added to each sentence that ``settles`` the question, for a
    yes/no question whose best sentence already meets ``min_support`` (pure)."""
    if not is_yes_no(question) or not any(s.support >= min_support for s in scored):
        return list(scored)
    credit = DECIDES if credit is None else credit
    asked = set(terms(asking_part(question)))
    return [replace(s, support=s.support + credit) if settles(asked, s.text) else s for s in scored]
