"""Follow-up questions: turn "and what about the CQC?" into a stand-alone search query.

A pure, rule-based rewrite (no LLM): when a question reads as a follow-up (it opens with a
connective such as "and" / "what about", leans on a pronoun such as "it" or "she", or has at most
one content word), the content words of the previous stand-alone question are appended to it, so
retrieval searches the topic of the conversation as well as the new ask.

Example::

    >>> condense_question("And what about the CQC?",
    ...                   [("What did the Hewitt Review say about national targets?", "... [1]")])
    'what about the CQC? Hewitt Review national targets'
    >>> condense_question("Who chairs NHS England?", [("What is an ICB?", "...")])  # stands alone
    'Who chairs NHS England?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.terms import STOPWORDS

# Openings that mark a question as continuing the conversation ("and ...", "what about ...").
_CONNECTIVE = re.compile(
    r"^\s*(?:and|also|so|but|then|plus|what about|how about|what of|and what about|and how about|"
    r"same for|more on|tell me more|what else)\b",
    re.IGNORECASE,
)
# Only the leading "and"/"also"/... carry no meaning for search; "what about" etc. are kept.
_LEADING_FILLER = re.compile(r"^\s*(?:and|also|so|but|then|plus)\b[\s,]*", re.IGNORECASE)
# Pronouns that point back to something named earlier.
_ANAPHORA = frozenset(
    "it its it's they them their theirs this that these those he him his she her hers such "
    "former latter same above".split()
)
_WORD = re.compile(r"(?u)\b[\w’'-]+\b")
# Words that ask rather than tell: never carried over from the previous question.
_QUESTION_WORDS = frozenset("please explain describe summarise summarize list show find know".split())


def content_words(text: str) -> list[str]:
    """The words of ``text`` that say what it is about, original spelling, first occurrences (pure)."""
    seen: set[str] = set()
    out: list[str] = []
    for word in _WORD.findall(text):
        key = word.lower().strip("’'-")
        if len(key) < 2 or key in STOPWORDS or key in _QUESTION_WORDS or key in _ANAPHORA or key in seen:
            continue
        seen.add(key)
        out.append(word.strip("’'-"))
    return out


def is_follow_up(question: str) -> bool:
    """Whether ``question`` reads as depending on earlier turns (pure)."""
    if _CONNECTIVE.match(question):
        return True
    words = {w.lower() for w in _WORD.findall(question)}
    if words & _ANAPHORA:
        return True
    return len(content_words(question)) <= 1


def condense_question(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The stand-alone query for ``question`` given earlier ``(question, answer)`` turns (pure).

    A follow-up gets the content words of the previous question (itself condensed, so a chain of
    follow-ups keeps the original topic) that it does not already contain; any other question is
    returned unchanged.
    """
    if not history or not is_follow_up(question):
        return question
    previous = condense_question(history[-1][0], history[:-1])
    own = {w.lower() for w in content_words(question)}
    carried = [w for w in content_words(previous) if w.lower() not in own]
    if not carried:
        return question
    core = _LEADING_FILLER.sub("", question).strip() or question.strip()
    return f"{core} {' '.join(carried)}"
