"""A condition answers "when" as a date does.

"When is a treatment considered experimental?" is answered by "A treatment may be considered experimental where any
of these points apply:", which holds no date: the clause stating what is asked carries a condition ("where", "if",
"unless", "provided that", ...). Such a sentence is of the kind a "when" question asks for, unless the question asks
for a date outright ("on what date", "which year", "by when") or about a past event ("When was the ICB established?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.constraints import asking_part
from assistant.text.terms import terms

# "when" asking about a standing rule ("When is ...", "When may ...", "When will ... not ..."), not about a past event
_ASKS_WHEN = re.compile(r"^\W*when\b|\bwhen\b(?=\s+(?:is|are|will|would|does|do|should|must|can|could|may|might|shall)\b)", re.I)
# asks for a date or a period outright
_ASKS_DATE = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?(?:date|day|year|month|quarter|time)\b|\bby when\b|\bby what\b"
                        r"|\bhow (?:long|soon)\b|\bwhen\b\s+(?:was|were|did|had|has|have)\b", re.I)
# what opens a condition clause; "when" and "where" too, as conjunctions ("... relevant when the Panel assesses ...")
_CONDITION = re.compile(r"\b(?:if|unless|where|when|whenever|provided(?: that)?|providing|so long as|as long as"
                        r"|in (?:the )?(?:cases?|circumstances|event|situations?) (?:where|that|of|when|in which))\b", re.I)
# a condition clause runs to the next comma, semicolon, colon or dash; what it qualifies, to the next colon or semicolon
_CLAUSE_END = re.compile(r"[,;:]|\s[–—-]\s")
_STATEMENT_END = re.compile(r"[;:]")
# where a "when" question's predicate ends: a trailing phrase places it ("... experimental *under the IFR policy*")
_PLACED = re.compile(r"\b(?:under|for|in|within|at|on|by|according to|from|during|after|before)\b", re.I)
_WHEN = re.compile(r"\bwhen\b", re.I)
MISSING = 1  # the clause outside the condition may lack this many of the predicate's terms, when it has more than LONG
LONG = 3  # ... ("consider a request for an *experimental treatment*" holds two of three, and is about something else)


def predicate_terms(question: str) -> list[str]:
    """The terms of what a "when" question asks about, from "when" to a trailing phrase placing it: "When is a
    treatment considered experimental under the IFR policy?" gives treatment, considered, experimental (pure)."""
    asking = asking_part(question)
    start = _WHEN.search(asking)
    rest = asking[start.end():] if start else asking
    cut = _PLACED.search(rest)
    return terms(rest[:cut.start()] if cut else rest) or terms(rest)


def asks_condition(question: str) -> bool:
    """A "when" question a condition answers: about a rule or a standing state, not asking for a date outright (pure)."""
    asking = asking_part(question)
    return bool(_ASKS_WHEN.search(asking)) and not _ASKS_DATE.search(asking)


def main_clause(sentence: str) -> str | None:
    """``sentence`` without its first condition clause, or None when it has none or does not state (pure).

    A condition opening the sentence ("If the Chair is absent, the Deputy Chair shall preside") runs to the first
    comma; one later in it ("... will be quorate if three ... are present") runs to the next comma or the end."""
    found = _CONDITION.search(sentence)
    if found is None or "?" in sentence:  # a question put in a form states nothing
        return None
    end = _CLAUSE_END.search(sentence, found.end())
    # past a comma or dash the statement goes on; past a colon or semicolon another begins
    stop = len(sentence) if end is None or end.group(0) in ";:" else end.end()
    after = _STATEMENT_END.search(sentence, stop)
    head = sentence[:found.start()]
    head = head[max((m.end() for m in _STATEMENT_END.finditer(head)), default=0):]
    return (head + " " + sentence[stop:after.start() if after else len(sentence)]).strip()


def _in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """How many of ``a``'s terms ``b`` holds in the same order (the longest common subsequence) (pure)."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev = row[:]
        for j, y in enumerate(b):
            row[j + 1] = prev[j] + 1 if x == y else max(row[j], prev[j + 1])
    return row[-1]


def states_under_condition(predicate: Sequence[str], sentence: str) -> bool:
    """Whether ``sentence`` states the asked predicate (its terms, ``predicate_terms``) under a condition: its clause
    outside the condition holds them all (one may lack when more than ``LONG``), in the question's order ("This section outlines how
    the criteria are applied where the treatment is experimental" puts the asked words in the condition; "NHS England
    will consider a request for an experimental treatment where ..." tells when something else happens) (pure)."""
    rest = main_clause(sentence)
    if not predicate or rest is None:
        return False
    allowed = MISSING if len(predicate) > LONG else 0
    return _in_order(predicate, terms(rest)) >= len(predicate) - allowed


def condition_typed(question: str, sentences: Sequence[str]) -> list[bool] | None:
    """Which ``sentences`` answer a "when" question by a condition; None when the question asks for no condition (pure)."""
    if not asks_condition(question):
        return None
    predicate = predicate_terms(question)
    return [states_under_condition(predicate, s) for s in sentences]
