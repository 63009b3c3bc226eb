"""Document-control lines: who wrote, signed or approved a document, and when it is due for review (pure).

Policies, board papers and letters say these once, in a label line ("Ratified by: ...", "Report by: ...",
"Review date: December 2027") or a signature after "Yours sincerely", and share none of the words a
question about them uses ("Who signed off the guidance?"), so their own support is low. Such a line
speaks for its whole document, so for a question that asks for that role it is scored as well as the best
sentence of its document: which document is meant is decided by everything else the document says.

Example::

    >>> asked_roles("Who signed off the guidance, and when is it next due for review?")
    frozenset({'approver', 'review'})
    >>> line_roles("Ratification Process: Ratified by: | Details: Joint Prescribing Group")
    frozenset({'approver'})
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.constraints import asking_part

_BY = r"\s+by\b"
# A label names the role and is followed by its value: "Report by: ...", "Review date | ...".
_LABELS: dict[str, str] = {
    "author": r"(?:(?:authored|written|prepared|presented|produced|compiled|drafted|report(?:ed)?|submitted)" + _BY
              + r"|(?:lead\s+|document\s+|report\s+)?authors?(?:\(s\))?)",
    "approver": r"(?:(?:ratified|approved|signed\s+off|agreed|endorsed|adopted|authori[sz]ed)" + _BY
                + r"|(?:approving|ratifying|approval)\s+(?:body|committee|group|forum))",
    "approval_date": r"(?:date\s+(?:ratified|approved|agreed|adopted|signed\s+off|of\s+(?:approval|ratification))"
                     r"|(?:approval|ratification)\s+date)",
    "review": r"(?:(?:date\s+(?:of|for)\s+)?(?:next\s+)?review(?:\s+date)?|review\s+due|due\s+for\s+review)",
    "owner": r"(?:(?:document|policy|guidance)\s+)?owner",
}
_LABEL = {role: re.compile(r"(?:^|[:|]\s*)" + pattern + r"\s*[:|]", re.I) for role, pattern in _LABELS.items()}
_VALEDICTION = re.compile(r"(?:yours\s+(?:sincerely|faithfully|truly)|(?:best|kind)\s+(?:wishes|regards))\s*,?\s*$", re.I)

_WHO = re.compile(r"\b(?:who|whom|which\s+(?:body|group|committee|board|person|organi[sz]ation|team))\b", re.I)
_WHEN = re.compile(r"\b(?:when|what\s+date|which\s+date|by\s+what\s+date)\b", re.I)
_ASKS: list[tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]] = [
    (_WHO, re.compile(r"\b(?:signed\s+off|approved|ratif(?:y|ied)|agreed|endorsed|adopted|authori[sz]ed)\b", re.I),
     frozenset({"approver"})),
    (_WHO, re.compile(r"\bsign(?:ed|s)?\b(?!\s+off)", re.I), frozenset({"signature", "approver", "author"})),
    (_WHO, re.compile(r"\b(?:wrote|written|write|authored|author|prepared|presented|produced|compiled|drafted|sent|issued)\b",
                      re.I), frozenset({"author", "signature"})),
    (_WHO, re.compile(r"\b(?:owns|owner)\b", re.I), frozenset({"owner"})),
    (_WHEN, re.compile(r"\b(?:(?:due\s+for|next|for)\s+(?:its\s+)?review|review\s+date|be\s+reviewed|reviewed\s+next)\b", re.I),
     frozenset({"review"})),
    (_WHEN, re.compile(r"\b(?:signed\s+off|approved|ratified|agreed|adopted)\b", re.I), frozenset({"approval_date"})),
]
# What is written, approved or reviewed must be a document, not a funding request or a plan's target.
_DOCUMENT = re.compile(r"\b(?:guidance|guidelines?|polic(?:y|ies)|document|letter|paper|report|plan|framework|constitution|"
                       r"procedures?|sop|strategy|manual|bulletin|statement|protocol|terms\s+of\s+reference|version|it|this)\b",
                       re.I)
_CLAUSE = re.compile(r",?\s+and\s+(?=(?:[\w’']+\s+){0,3}?(?:what|which|who|whom|when|where|how|why)\b)", re.I)


def asked_roles(question: str) -> frozenset[str]:
    """The document-control roles the question asks for, from each of its clauses ("who signed it off,
    and when is it due for review?" asks two), or none (pure)."""
    found: set[str] = set()
    for clause in _CLAUSE.split(asking_part(question)):
        for asks, verb, roles in _ASKS:
            if (who := asks.search(clause)) and verb.search(clause, who.end()) and _DOCUMENT.search(clause, who.end()):
                found |= roles
    return frozenset(found)


def line_roles(text: str, before: str = "") -> frozenset[str]:
    """The roles a candidate line states: its labels, and "signature" for the line right after a
    valediction (``before`` is the text before it in its passage) (pure)."""
    found = {role for role, label in _LABEL.items() if label.search(text)}
    previous = before.rstrip().rsplit("\n", 1)[-1]
    if _VALEDICTION.search(previous):
        found.add("signature")
    return frozenset(found)


def lifted(supports: Sequence[float], roles: Sequence[frozenset[str]], docs: Sequence[str], asked: frozenset[str],
           credit: float) -> list[float]:
    """Each line stating an asked role scored as its document's best other sentence plus ``credit`` (pure)."""
    best: dict[str, float] = {}
    for support, held, doc in zip(supports, roles, docs):
        if not held & asked:
            best[doc] = max(best.get(doc, 0.0), support)
    return [max(support, best[doc] + credit) if held & asked and doc in best else support
            for support, held, doc in zip(supports, roles, docs)]
