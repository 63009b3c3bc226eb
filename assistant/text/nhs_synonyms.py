"""The NHS's standard words for one thing said two ways, for the answer checks (pure).

A user asks about "missed appointments", "family doctors", "hospital trusts" or "planned operations"; NHS England
writes "did not attends", "GPs", "acute" or "secondary care trusts", "elective procedures". Stems do not meet, and
neither does WordNet, nor the embedding model: all-MiniLM-L6-v2 puts "missed appointments" / "did not attends" at
0.37 and "planned" / "elective" at 0.28, below unrelated pairs of the same kind ("bank" / "agency" 0.43), so no
threshold on it tells a reworded thing from another thing (docs/evaluation.md, twelfth pass, w20-bridge). So the
checks that compare the question's words with a sentence's (``answerability.constrained``: the ``focus`` and
``qualifier`` constraints, and the things a question names in several words) also accept the other standard
wording of a term listed here.

Each group is one meaning in NHS England, DHSC and NICE usage, like ``nhs_acronyms``; a wording that may mean
something else is tied to the words it must stand with ("planned" only as planned care, treatment or procedures;
"acute" only as acute trusts, providers, hospitals or sector). "non-elective" is no wording of "planned".

Example::

    >>> said_otherwise("How many missed appointments have portals helped avoid?", "appointments",
    ...                "Portals have prevented up to 1.59 million did not attends so far.")
    True
    >>> said_otherwise("How many bank workers left?", "bank", "The number of agency staff fell by 33%.")
    False
"""

from __future__ import annotations

import re
from functools import cache

_CARE = r"(?:care|treatments?|procedures?|operations?|surgery|surgeries|admissions?|activity|work|patients?|waiting lists?|waits?|appointments?|services?|recovery|reform)"
_PROVIDER = r"(?:trusts?|providers?|hospitals?|sector|productivity|activity|settings?|services?|care)"
_DISPATCH = r"(?:departments?|attendances?|services?|waiting times?|care|visits?)"
# Each group: the wordings of one thing (regular expressions, matched case-insensitively on whole words).
GROUPS: tuple[tuple[str, ...], ...] = (
    (rf"planned {_CARE}", rf"planned-care(?: {_CARE})?", rf"(?<!non-)(?<!non )elective(?: {_CARE})?", r"(?<!non-)(?<!non )electives"),
    (r"missed (?:GP |hospital |outpatient )?appointments?", r"did not attends?", r"(?-i:DNAs?)", r"no-shows?", r"non-attendances?",
     r"(?:failed|failure) to attend"),
    (r"family doctors?", r"GPs?", r"general practitioners?", r"general practice"),
    (rf"hospital {_PROVIDER}", rf"acute {_PROVIDER}", rf"secondary care(?: {_PROVIDER})?"),
    (rf"A&E(?: {_DISPATCH})?", rf"accident and emergency(?: {_DISPATCH})?", r"emergency departments?", r"casualty"),
    (r"drugs?", r"medicines?", r"medications?"),
    (r"virtual wards?", r"hospital at home"),
)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], ...], ...]:
    return tuple(tuple(re.compile(rf"(?<![\w-]){p}(?![\w-])", re.I) for p in group) for group in GROUPS)


def said_otherwise(question: str, word: str, text: str) -> bool:
    """Whether ``word`` of ``question`` is part of a listed wording of a thing that ``text`` says another listed way (pure).

    ``word``: the question's word a check did not find ("appointments" of "missed appointments", "hospital" of
    "hospital trusts").
    """
    at = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question, re.I)]
    if not at:
        return False
    for group in _compiled():
        asked = {i for i, pattern in enumerate(group) for m in pattern.finditer(question)
                 if any(m.start() <= a and b <= m.end() for a, b in at)}
        if asked and any(pattern.search(text) for i, pattern in enumerate(group) if i not in asked):
            return True
    return False
