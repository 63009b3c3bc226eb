"""A heading that names what the question asks about: a glossary term, or a heading that is itself the question (pure).

NICE guidelines end with "Terms used in this guideline": a term as a heading, its definition under it
("Kidney replacement therapy" / "Dialysis or a kidney transplant."). Guidance also asks its own questions
in its headings ("Who is it for?", "What is an experimental treatment?", "When does this policy apply?")
and answers each in the sentence below. The answering sentence then shares none of the question's words,
which are all in its heading (unquotable), and a sentence elsewhere that merely uses the term was quoted
instead. So the first sentence under such a heading is scored as well as the best sentence, plus a little
(``extractive``): when the question asks what a term means and the heading is that term, or the heading is a
question asking what the question asks (same asking word; its words all in the question).

Example::

    >>> defined_term("What does the guideline mean by kidney replacement therapy?")
    ('kidney', 'replac', 'therapi')
    >>> answers_heading("Who is the NICE guideline on kidney protection for?", "Who is it for?")
    True
"""

from __future__ import annotations

import re

from assistant.results import Passage
from assistant.text.terms import terms

_ARTICLE = r"(?:(?:an?|the)\s+)?"
_DEFINE = re.compile(
    rf"\bmean(?:s|t)?\s+by\s+{_ARTICLE}[\"'“‘]?(?P<a>[^?\"”’]+?)[\"'”’]?\s*\??\s*$"
    rf"|\bwhat\s+(?:does|do)\s+{_ARTICLE}[\"'“‘]?(?P<b>[^?\"”’]+?)[\"'”’]?\s+mean(?:\s+(?:in|under|for)\s+[^?]*)?\s*\??\s*$"
    rf"|\b(?:define|definition\s+of|defines)\s+{_ARTICLE}[\"'“‘]?(?P<c>[^?\"”’]+?)[\"'”’]?\s*\??\s*$", re.I)
_WH = re.compile(r"^\W*(what|which|who|whom|whose|when|where|why|how)\b", re.I)
_MAX_HEADING = 80  # characters: a heading, not a sentence
_GAP = 4  # characters between a heading and the sentence under it (a newline or two)


def defined_term(question: str) -> tuple[str, ...]:
    """The stems of the term ``question`` asks the meaning of ("what does X mean", "what is meant by X", "define X"),
    or () (pure)."""
    found = _DEFINE.search(question.strip())
    if not found:
        return ()
    term = next(g for g in found.groups() if g)
    term = re.split(r"\s+(?:in|under|for|according to)\s+(?:this|the|these)\b", term)[0]  # "... in this guideline"
    return tuple(terms(term))


def answers_heading(question: str, heading: str) -> bool:
    """Whether ``heading`` is a question asking what ``question`` asks: it ends in "?", opens with the same asking
    word, and its words are all in ``question``; with no content words ("Who is it for?"), its last word ends the
    question too (pure)."""
    heading = heading.strip()
    if not heading.endswith("?") or len(heading) > _MAX_HEADING:
        return False
    ours, theirs = _WH.match(question), _WH.match(heading)
    if not ours or not theirs or ours.group(1).lower() != theirs.group(1).lower():
        return False
    wanted = set(terms(heading))
    if wanted:
        return wanted <= set(terms(question))
    last = re.findall(r"[A-Za-z]+", heading)[-1:]
    return bool(last) and re.findall(r"[A-Za-z]+", question)[-1:] == last


def heading_before(passage: Passage, start: int) -> str | None:
    """The heading right above the sentence at document offset ``start`` in ``passage`` (an unquotable span ending
    just before it, only whitespace between), or None (pure)."""
    for a, b in passage.unquotable:
        if b <= start and start - b <= _GAP and not passage.text[b - passage.start:start - passage.start].strip():
            text = passage.text[a - passage.start:b - passage.start].strip()
            return text if 0 < len(text) <= _MAX_HEADING else None
    return None


def under_asked_heading(question: str, passage: Passage, start: int) -> bool:
    """Whether the sentence at ``start`` is the first under a heading that names what ``question`` asks: the term it
    asks to define, or a heading that asks the same question (pure)."""
    heading = heading_before(passage, start)
    if heading is None:
        return False
    term = defined_term(question)
    return (bool(term) and set(terms(heading)) == set(term)) or answers_heading(question, heading)
