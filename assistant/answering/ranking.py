"""Whether a question asks for a ranking, and whether a sentence states one (pure functions, no model).

"Which region has the *highest* agency spend?" presupposes that the documents rank regions; a sentence
about agency spend that ranks nothing ("a continued effort to minimise agency spend") cannot say which
region comes top, however close its topic. A question asks for a ranking when it picks one of many
("which", "who", "where", "what <noun>") by a superlative after "the" ("the longest waits", "the most popular needle",
"is considered the safest"); "what is the longest wait for a decision?" asks for a value (a duration),
checked by kind elsewhere. The sentence that
answers it states one: a superlative ("4mm is the safest needle"), or, when the question says "the most
<word>", "most / least" with the same word (a needle "most cost-effective to prescribe", or "the safest",
is not the "most popular"), or a rank ("ranked", "top", "1st").

Superlatives are a small closed class, so they are listed rather than guessed from "-est" ("interest",
"request"). Time superlatives (latest, earliest, newest) ask for a date and are checked by kind elsewhere;
"best practice" and "best interests" are set phrases, not rankings. "The most" before a determiner ("which
is the most a practice should pay") asks for an amount, not a ranking.

Example::

    >>> asked_ranking("Which region has the highest agency spend?")
    ('highest', '')
    >>> states_ranking(("highest", ""), "London has the highest agency spend of any region.")
    True
    >>> states_ranking(("highest", ""), "Systems must continue to minimise agency spend.")
    False
"""

from __future__ import annotations

import re

from assistant.text.terms import STOPWORDS, terms

SUPERLATIVES = frozenset(
    """highest lowest largest smallest biggest longest shortest greatest fewest best worst fastest slowest
    cheapest dearest safest riskiest busiest poorest richest strongest weakest oldest youngest""".split()
)
_SET_PHRASES = frozenset("practice practices interest interests".split())  # "best practice": no ranking
_MOST = frozenset(("most", "least"))
# What states a rank without a superlative: "ranked third", "the top ten", "1st choice", "more than any other".
_RANK = re.compile(r"\b(?:rank(?:s|ed|ing)?|top|1st|league tables?)\b|\bthan (?:any|all) others?\b", re.I)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
# Question words that pick one thing out of many; "what is the highest ...?" asks for the highest value instead.
_PICKING = frozenset("which who whom whose where".split())
# "What region has ...?" picks one as "which" does; "what is / does ..." asks about a value or a statement.
_AUX = frozenset("is are was were will would do does did can could should shall must may might has have had".split())


def asked_ranking(question: str) -> tuple[str, str] | None:
    """``(superlative, stem)`` of the ranking ``question`` asks for, or None; ``stem`` is the stem of the word
    after "the most / least" ("the most *popular*"), empty for a one-word superlative (pure)."""
    tokens = [t.lower() for t in _TOKEN.findall(question)]
    picks = next((i for i, t in enumerate(tokens) if t in _PICKING
                  or t == "what" and i + 1 < len(tokens) and tokens[i + 1] not in _AUX), None)
    if picks is None:
        return None  # "what is the longest wait ...?" asks for the longest wait itself: a duration
    for i, word in enumerate(tokens[picks + 1:], start=picks + 1):
        if tokens[i - 1] != "the":
            continue  # "at least", "most of": bounds and majorities, not rankings
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if word in SUPERLATIVES and after not in _SET_PHRASES:
            return word, ""
        if word in _MOST and re.match(r"\w", after) and after not in STOPWORDS:
            stems = terms(after)
            if stems:
                return word, stems[-1]
    return None


def states_ranking(asked: tuple[str, str], sentence: str) -> bool:
    """Whether ``sentence`` states the kind of ranking ``asked`` (from ``asked_ranking``) asks for (pure)."""
    tokens = [t.lower() for t in _TOKEN.findall(sentence)]
    _, stem = asked
    if _RANK.search(sentence) or not stem and any(t in SUPERLATIVES for t in tokens):
        return True
    # "the most popular" is ranked by popularity: "the safest" or "most cost-effective" rank by something else
    return any(t in _MOST and (not stem or stem in terms(tokens[i + 1])) for i, t in enumerate(tokens[:-1]))
