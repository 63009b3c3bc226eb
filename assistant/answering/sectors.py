"""The NHS service sector a figure is stated for must be the one the question asks about (pure, no model).

NHS documents report figures by sector: "*acute* productivity has improved by 1.8%", "activity in *primary
care*", "*mental health* spend". A question that names one sector ("What was the productivity growth of
*mental health* services?") is not answered by a sentence that states the figure for another sector and never
names the asked one: the document measured a different service, and quoting it suggests it measured the one
asked about. A sentence that names no sector leaves the question open (its passage may be about the asked one),
and one that names the asked sector among others ("non-acute sectors including mental health") meets it.
A sentence that names no sector is read in its document: when what was retrieved of it names other sectors and
never the asked one, its figure is theirs ("an increase in labour productivity over the first half of 2024/25"
in a paper whose retrieved passages are about acute productivity answers nothing about mental health)
(``placed_elsewhere``); a document naming no sector leaves it open.

The sectors are the service settings NHS England plans, funds and reports by, so the check holds for any NHS
document, not one question's wording. "acute" counts only as a setting ("acute trusts", "acute productivity"),
not as a clinical word ("acute kidney injury"); "non-acute" is all the sectors but acute.

Example::

    >>> asked_sectors("What was the productivity growth of NHS mental health services in 2024/25?")
    ('mental health',)
    >>> other_sector(("mental health",), "overall acute productivity has improved by 1.8% in H1 2024/25")
    True
    >>> other_sector(("mental health",), "NHS staff numbers have increased by 4.0%")
    False
"""

from __future__ import annotations

import re

_NOT_NON = r"(?<!non-)(?<!non )(?<!post-)(?<!sub-)"
# Each sector: one pattern naming it (case-insensitive, whole words).
SECTORS: dict[str, re.Pattern[str]] = {
    "acute": re.compile(_NOT_NON + r"\bacute\s+(?:sectors?|trusts?|hospitals?|providers?|care|services?|productivity"
                        r"|activity|beds?|settings?|pathways?|spend|spending)\b", re.I),
    "mental health": re.compile(r"\bmental[\s-]+health\b|\bpsychiatric\b|\bMHIS\b", re.I),
    "community": re.compile(r"\bcommunity\s+(?:health|services?|sectors?|trusts?|providers?|nursing|care)\b", re.I),
    "primary care": re.compile(r"\bprimary[\s-]+care\b|\bgeneral practices?\b|\bgeneral practitioners?\b|\bGPs?\b", re.I),
    "ambulance": re.compile(r"\bambulances?\b", re.I),
    "maternity": re.compile(r"\bmaternity\b|\bmidwi(?:fe|ves|fery)\b", re.I),
    "dental": re.compile(r"\bdental\b|\bdentists?\b|\bdentistry\b", re.I),
    "non-acute": re.compile(r"\bnon[\s-]+acute\b", re.I),
}
# "non-acute" is every sector but acute: a sentence about mental health meets it, one about acute trusts does not
_MEETS = {"non-acute": frozenset(SECTORS) - {"acute"}}


def sectors_in(text: str) -> tuple[str, ...]:
    """The sectors ``text`` names, in ``SECTORS`` order (pure)."""
    return tuple(name for name, pattern in SECTORS.items() if pattern.search(text))


def asked_sectors(question: str) -> tuple[str, ...]:
    """The sectors a question names (pure)."""
    return sectors_in(question)


def other_sector(asked: tuple[str, ...], sentence: str) -> bool:
    """Whether ``sentence`` names a sector, and none of the ``asked`` ones: its figure is for another service (pure)."""
    named = sectors_in(sentence)
    met = set(asked).union(*(_MEETS.get(a, ()) for a in asked))
    return bool(asked) and bool(named) and not set(named) & met


def placed_elsewhere(asked: tuple[str, ...], sentence: str, document: str) -> bool:
    """Whether ``sentence`` names no sector while ``document`` (what was retrieved of its document) names sectors,
    none of them an ``asked`` one: its figure belongs to the sectors the document is about (pure)."""
    if not asked or sectors_in(sentence):
        return False
    named = sectors_in(document)
    met = set(asked).union(*(_MEETS.get(a, ()) for a in asked))
    return bool(named) and not set(named) & met
