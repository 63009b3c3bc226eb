"""Whether a figure or name found in a sentence plays the role the question asks about (pure functions, no model).

``constraints.typed_matches`` finds spans of the kind a question asks for (a sum of money, a figure, a
name); a span of that kind may still answer nothing, because it is something else of the kind:

- a **sum** ("how much funding / capital / investment") is not a share: "46% of hospital costs" gives no
  amount, though a cost or a change in one may be put as a share ("costs rose 3.9%");
- a **change** ("by how much did it fall") is a figure said as one ("by 33%", "a 30% reduction"): ``changes``;
- a **count** ("how many needles") is not a price ("£5") nor the base of a rate ("per 100 needles");
- a **share or score** ("what percentage", "what ... engagement score") is neither money nor a number of
  hours, days or units;
- the **holder of a post** ("Who is the current Deputy Chair?") is a person named beside the post, or the role
  the documents say fills it (``post_holders``): another post's title, a definition of the post, a body or a
  document names no one. A post may answer who *does* something ("Who acts as the Guardian?").

``timed_object`` is what a length of time or date is about when the question times an act done to a thing
("how long before ... must the clinician submit a *continuation* of funding request?"): a time given for
another step of the same process (the time to decide) does not answer.

Example::

    >>> in_role("How many pen needles are needed?", "figure", "Needles cost <£5 per 100 needles.", [(15, 16), (21, 24)])
    []
"""

from __future__ import annotations

import re

from assistant.answering.answer_kinds import NUMBER_OF
from assistant.answering.changes import asks_change, change_spans
from assistant.answering.durations import timing_spans
from assistant.answering.frequencies import HOW_OFTEN, frequency_spans
from assistant.answering.post_holders import NOW as _NOW
from assistant.answering.post_holders import asked_post, holder_spans
from assistant.text.terms import STOPWORDS, terms

Span = tuple[int, int]

# A number of units of time or of a measure ("2 mil ion hours": PDF text may split "million").
TIME_UNIT = re.compile(
    r"^[\s-]*(?:(?:million|mil ion|billion|bil ion|thousand)\s+)?(?:(?:working|calendar|clear)\s+)?(seconds?|minutes?|hours?|days?|weeks?"
    r"|months?|years?|units?|mm|cm|mg|mcg|ml|kg|mmol|micrograms?|milligrams?|litres?)\b", re.I)
# "what (is the) <words> percentage / proportion / share / score / ratio": a measure that is neither money nor time
_RATIO = re.compile(r"\bwhat (?:(?:is|are|was|were) (?:the )?)?(?:(?!(?:is|are|was|were|does|do|did|will|would|should|can|could|the|a|an)\b)"
                    r"[\w-]+ ){0,6}?(?:percentage|proportion|share|score|ratio)s?\b", re.I)
_HOW_MANY = re.compile(r"\bhow many\b|\bwhat number of\b|" + NUMBER_OF, re.I)
_SUM = re.compile(r"\bhow much (?:[\w-]+ ){0,2}?(?:capital|funding|money|investment|cash)\b", re.I)
# a cost, or a change, which a share may measure
_COST = re.compile(r"\b(?:costs?|prices?|spend|spent|spending|pay|paid|charged?|rise|rises|rising|increase[sd]?|grow|grows|growth"
                   r"|fall|falls|cut|cuts|reduced?|reduction)\b", re.I)
_SHARE = re.compile(r"%|per ?cent", re.I)
_PRICED = re.compile(r"(?:[£$€]\s?|\bper\s+|\bevery\s+)$", re.I)
# "How long / when ... must <the someone> (have to) <do> a <thing> (of ...)?": the thing.
_TIMED_OBJECT = re.compile(
    r"^\W*(?:how long|how soon|how quickly|how many (?:working |calendar )?(?:days|weeks|months)|(?:by )?when)\b.*?"
    r"\b(?:must|should|does|do|did|can|could|will|would|is|are|has|have)\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){1,3}?"
    r"(?:(?:have|need|has|needs)\s+to\s+)?[a-z][\w-]*\s+(?:a|an|the|their|its)\s+((?:[\w-]+\s+){0,3}?[\w-]+)"
    r"(?=\s+(?:of|for|to|in|on|by|from|with)\b|\s*[?,]|\s*$)", re.I)


# "How much ... spend on <management consultants> ...": what a sum is spent on.
_SPENT_ON = re.compile(
    r"^\W*how much\b.*?\b(?:spend|spends|spent|invest|invests|invested|allocate|allocates|allocated)\s+(?:on|in|for)\s+"
    r"(?:(?:a|an|the|their|its|new)\s+)?((?:[\w-]+\s+){0,3}?[\w-]+)(?=\s+(?:in|by|during|over|for|from|at|per|each|a|an|the)\b|\s*[?,]|\s*$)",
    re.I)


def in_role(question: str, kind: str, sentence: str, found: list[Span]) -> list[Span]:
    """The spans of ``found`` (of ``kind``, in ``sentence``) that play the role ``question`` asks about (pure)."""
    if kind in ("duration", "date", "figure"):  # a period or deadline must time the event asked about
        found = timing_spans(question, sentence, found)
    if kind in ("figure", "money") and asks_change(question):  # "by how much": an amount of change, not any number
        found = change_spans(sentence, found)
    if kind == "money" and _SUM.search(question) and not _COST.search(question):
        return [(a, b) for a, b in found if not _SHARE.search(sentence[a:b])]
    if kind == "figure" and HOW_OFTEN.search(question):
        return frequency_spans(sentence, found)  # "how often": times in a period, not any number
    if kind == "figure" and (_HOW_MANY.search(question) or _RATIO.search(question)):
        share = bool(_RATIO.search(question))
        return [(a, b) for a, b in found if not _priced(sentence, a, b) and not (share and TIME_UNIT.match(sentence[b:b + 24]))]
    if kind == "name" and asked_post(question):
        return holder_spans(question, sentence, found)  # a person's name or the role said to hold the post, beside it
    return found


def timed_object(question: str) -> tuple[str, str] | None:
    """``(word, stem)`` of the thing a "how long / when ... must someone do a <thing>" question times, or that a
    "how much ... spent on <thing>" question prices, or None (pure)."""
    found = _TIMED_OBJECT.search(question) or _SPENT_ON.search(question)
    words = [w for w in found.group(1).split() if w.lower() not in STOPWORDS | _NOW] if found else []
    if len(words) > 1 and words[-1].lower().endswith("ed") and len(words[-1]) > 4:
        words = words[:-1]  # a participle ending the run opens a clause: "the Partner Member *nominated* by ..."
    stems = terms(words[-1]) if words else []
    return (words[-1], stems[-1]) if stems else None


def _priced(sentence: str, a: int, b: int) -> bool:
    """Whether ``sentence[a:b]`` is a price ("£5") or the base of a rate ("per 100 needles") (pure)."""
    return "£" in sentence[a:b] or bool(_PRICED.search(sentence, 0, a))
