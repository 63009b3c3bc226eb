"""The attribute a "What is the X of Y?" question asks for, which the answering sentence must name (pure, no model).

A near-miss question names a real subject and asks for an attribute of it the documents never give: "What is the
*term of office* of the ICB Chief Executive?" (terms are given for the Chair and the members, not the Chief
Executive), "What is the *probation period* for a new Chief Executive?", "What is the *retirement age* for
non-executive members?". Every other check passes: the subject's names are in the sentence, the passage is on
topic, and a definition of the Chief Executive, a list of eligibility criteria or "so that members do not all
retire at once" is quoted. What gives it away: the sentence says something else about Y and does not name X, nor does the lead-in of
the list it is an item of. (Not the section heading: a glossary's is "definitions of *terms*".)

So for "What is/was the X of/for/in/on Y?" (or "How long is the X ...?") the sentence (or its lead-in) must name X's head, its last word, and a
noun that completes it ("term of *office*"); an event it times ("deadline for *applying*") is a verb, often put
another way ("requests ... must be made"), so its passage must name that. Not checked: words the answer's kind stands
in for ("time", "deadline", "target", "rate", "limit", "growth": a duration, date or figure answers them, and
``typed_candidates`` checks that), words that ask for a description ("purpose", "role", "aim": a sentence about Y's
purpose seldom says "purpose"), the words before the head ("the current *staff* sickness rate" is "the NHS'
sickness rates"), and "What are ...?" questions, whose answer is often a list whose items do not repeat X.

Example::

    >>> asked_attribute_stems("What is the term of office of the ICB Chief Executive?")
    ('term', 'offic')
    >>> names_attribute(('term', 'offic'), "The Chief Executive of the ICB, appointed pursuant to part 3.5.")
    False
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.sentences import is_lead_in, marker_kind
from assistant.text.terms import STOPWORDS, terms

# "What is/was the X of Y", "How long is the X of Y": singular only; up to four words of X before the preposition that starts Y
_ASKS = re.compile(r"^\W*(?:what(?: is| was|['’]s)|how long (?:is|was)) the ((?:[A-Za-z][\w-]* ){0,3}?[A-Za-z][\w-]*?) (?:of|for|in|on) ", re.I)
# "the term of *office* of Y": a lower-case noun right after "of" and before another "of/for" is part of X
_OF_NOUN = re.compile(r"([a-z][\w-]*) (?:of|for) ")
# Words the answer's kind stands in for (a duration, date, figure, sum, name), or that ask for a description:
# the sentence that answers them need not use them
_SHELL = frozenset(terms("""time times period periods deadline deadlines timescale timescales timeframe timeframes duration
    turnaround window date dates day month year target targets rate rates number numbers amount amounts figure figures level
    levels value total limit limits maximum minimum threshold cap ceiling frequency timing schedule length width weight
    speed distance percentage proportion share ratio average score size name names title cost costs price prices
    spend spending budget fee fees
    growth increase increases rise rises fall falls decline reduction reductions change changes improvement improvements
    saving savings
    purpose aim aims role roles function functions definition meaning objective objectives goal goals scope focus status
    difference relationship impact effect effects reason reasons process approach view position outcome result results
    responsibility responsibilities duty duties job plan plans policy requirement requirements rule rules arrangement
    arrangements procedure basis way ways kind type membership composition structure content contents format form nature
    extent location address source remit main key current overall new latest national total standard usual
    normal typical general""" ))


def asked_attribute_stems(question: str) -> tuple[str, ...]:
    """Stems of the attribute "What is/was the X of/for/in/on Y?" asks for, less words its answer's kind or a
    description stands in for; () for any other question (pure)."""
    found = _ASKS.match(question)
    if not found:
        return ()
    words = [w for w in found.group(1).split() if w.lower() not in STOPWORDS and not any(ch.isdigit() for ch in w)]
    # its head, the last word not stood in for: the words before it ("current *staff* sickness rate") are often
    # paraphrased or left to the passage ("the NHS' sickness rates")
    stems = [s for w in words for s in terms(w) if s not in _SHELL][-1:]
    if (tail := _tail(question, found.end())) and not tail.endswith("ing"):
        stems += [s for s in terms(tail) if s not in _SHELL]
    return tuple(dict.fromkeys(stems))


def asked_event_stems(question: str) -> tuple[str, ...]:
    """Stems of the event "What is the deadline for *applying* for Y?" times: a verb, often put another way ("requests
    for a review must be made within ..." for "applying for a review"), so its passage, not the sentence, must name
    it; () when the question names none (pure)."""
    found = _ASKS.match(question)
    tail = _tail(question, found.end()) if found else ""
    return tuple(s for s in terms(tail) if s not in _SHELL) if tail.endswith("ing") else ()


def _tail(question: str, at: int) -> str:
    """The lower-case word at ``at`` when another "of" or "for" follows it ("term of *office* of ..."), else "" (pure)."""
    tail = _OF_NOUN.match(question, at)
    return tail.group(1) if tail and tail.group(1) not in STOPWORDS else ""


def names_attribute(stems: Sequence[str], sentence: str, lead_in: str = "") -> bool:
    """Whether ``sentence`` (with ``lead_in``, the lead-in of the list it is an item of) names every word of the asked
    attribute ``stems``; True when nothing is asked (pure)."""
    said = set(terms(f"{sentence}\n{lead_in}"))
    return all(stem in said or any(_same_word(stem, word) for word in said) for stem in stems)


_PREFIX = 5  # "appli" (applying) and "applic" (application), "submit" and "submiss": one word in two forms


def _same_word(a: str, b: str) -> bool:
    """Whether two stems are forms of one word: the first ``_PREFIX`` letters agree (pure; shorter stems must be
    equal: "term" is not "termin")."""
    return len(a) >= _PREFIX and len(b) >= _PREFIX and a[:_PREFIX] == b[:_PREFIX]


def lead_in_of(i: int, texts: Sequence[str], same: Sequence[bool]) -> str:
    """The lead-in of the list that sentence ``i`` is an item of ("Notice period:" for "b) For all other members, a
    three-month notice period ..."): the nearest earlier sentence of its passage (``same[j]``) that is a lead-in,
    with only list items between; "" when it is no list item (pure)."""
    if marker_kind(texts[i]) is None:
        return ""
    for j in range(i - 1, -1, -1):
        if not same[j]:
            break
        if is_lead_in(texts[j]):
            return texts[j]
        if marker_kind(texts[j]) is None:
            break
    return ""
