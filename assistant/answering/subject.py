"""Which of a question's names are its SUBJECT, and which only its FRAME (pure).

"How much funding did NHS England approve through *IFRs* in 2022/23?" is about IFRs: a sentence from a
Board paper that never mentions them ("Spend has reduced from £3.5 billion in 2022/23 ...") answers
another question, however well its year matches, even when an IFR policy was retrieved beside it. So a
subject name must be in the sentence's own document (``answerability.constrained``).

A name that only frames the question, saying who said it or which document it is in, need not be:
the answering passage seldom repeats its own author or title ("According to *Patricia Hewitt*, which
sectors do ICSs bring together?", "the 62-day target in the *Medium Term Planning Framework*"). Frame
names are found by the question's structure, not by a word list:

- what follows "according to" (up to a comma or the asking word);
- a run of two or more capitalised words that a retrieved document's title holds whole, and its
  publisher does not (the question names that document; its publisher may well be what it is about);
- a capitalised possessor of a retrieved title's word ("*Patricia Hewitt's* review"): whose document it is.

Example::

    >>> sorted(frame_terms("According to Patricia Hewitt, which sectors do ICSs bring together?", []))
    ['hewitt', 'patricia']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.answering.constraints import Constraint, asking_part
from assistant.results import Passage
from assistant.text.terms import acronyms, terms

_ACCORDING = re.compile(
    r"\b(?:according\s+to|as\s+(?:set\s+out|stated|described)\s+in)\s+(.+?)"
    r"(?=,|\?|$|\s+(?:what|which|who|whom|whose|how|when|where|why|is|are|was|were|do|does|did|will|can|should|must)\b)",
    re.I)
# Two or more capitalised words (small joining words allowed inside): "Medium Term Planning Framework",
# "NHS England", "Cambridgeshire and Peterborough ICB".
_CAPITAL_RUN = re.compile(r"\b[A-Z][\w&'’-]*(?:\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w&'’-]*)+")

# A capitalised possessor and up to three words it owns: "Patricia Hewitt's (final review)".
_POSSESSIVE = re.compile(r"\b((?:[A-Z][\w&-]*\s+){0,3}[A-Z][\w&-]*)['’]s\s+((?:[\w-]+\s+){0,2}[\w-]+)")


def frame_terms(question: str, passages: Sequence[Passage], known: Mapping[str, Sequence[str]] | None = None) -> set[str]:
    """The terms of the names in ``question`` that frame it (who said it, which document) rather than say what it
    is about: an "according to" clause, and capitalised runs a retrieved title or publisher holds whole (pure).
    ``known``: the acronyms the passages define, when the caller has them already (``terms.acronyms``)."""
    part = asking_part(question)
    frame: set[str] = set()
    for found in _ACCORDING.finditer(part):
        frame.update(terms(found.group(1)))
    if known is None:
        known = acronyms([p.text for p in passages])
    named = [(set(terms(p.title)), _with_acronyms(p.publisher, known)) for p in passages]
    for run in _CAPITAL_RUN.finditer(part):
        stems = set(terms(run.group(0)))
        # the title's own words, not only its publisher's: "Cambridgeshire and Peterborough ICB" in "NHS Cambridgeshire
        # and Peterborough ICB constitution" is the organisation (what its spend is about), not the document
        if len(stems) >= 2 and any(stems <= title and not stems <= publisher for title, publisher in named):
            frame |= stems
    for found in _POSSESSIVE.finditer(part):
        # "Patricia Hewitt's review": whose document it is, when what is owned is a retrieved title's word
        if any(set(terms(found.group(2))) & title for title, _ in named):
            frame.update(terms(found.group(1)))
    return frame


def _with_acronyms(publisher: str, known: Mapping[str, Sequence[str]]) -> set[str]:
    """The terms of ``publisher`` plus its acronyms: those the passages define, and the initials of any run of its
    capitalised words ("Integrated Care Board" gives "icb"; the passages retrieved may not spell it out) (pure)."""
    stems = set(terms(publisher))
    initials = "".join(w[0].lower() for w in re.findall(r"\b[A-Z][\w'’-]*", publisher))
    runs = {initials[i:j] for i in range(len(initials)) for j in range(i + 2, min(len(initials), i + 6) + 1)}
    return stems | runs | {acronym for acronym, long in known.items() if long and set(long) <= stems}


def defined_names(question: str, known: Mapping[str, Sequence[str]]) -> list[Constraint]:
    """The terms of art ``question`` spells out that the retrieved passages define by an acronym ("individual funding
    requests (IFRs)"), as ``name`` constraints: written in lower case they are names all the same, the thing the
    question is about, and met by the long form or the acronym (pure)."""
    asked = terms(asking_part(question))
    out: list[Constraint] = []
    for acronym, long in known.items():
        n = len(long)
        if n < 2 or acronym.endswith("s") and acronym[:-1] in known:
            continue  # the plural maps to the same long form
        if any(tuple(asked[i:i + n]) == tuple(long) for i in range(len(asked) - n + 1)):
            out.append(Constraint("name", " ".join(long), tuple(long)))  # its stems: no raw match of "ics" in "physics"
    return out
