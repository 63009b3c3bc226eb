"""The population or setting a question asks about must be one the answering document covers (pure).

Guidance is written for a population and a setting: "adults with type 2 diabetes", "patients with
insulin doses less than 50 units", "primary care". A question about another group ("in pregnancy",
"for children", "in care homes") is not answered by the recommendation for adults: the document says
nothing about that group, and quoting it suggests that it does. So when a question names one of the
groups below, the sentence's own document (what was retrieved of it) must name the same group, in any of
its words ("teenagers" is met by "adolescents", "pregnant" by "antenatal"); otherwise the sentence answers
another question (``answerability.constrained``).

The groups are the populations and settings that guidance is commonly scoped by (NICE guidelines state
them under "Who is it for?"), so the check holds for any such document, not for one question's wording.

A sentence can also answer for another group than the one asked while its document names both: "What share of
the population do *care home residents* with complex needs make up?" is not answered by "This cohort [*adults,
children and young people* with complex needs] has been estimated at around 7% of the population", nor a price limit
for pen needles *in hospitals* by one for *primary care*. ``another_group`` finds such a sentence: the asked group
is named neither in it nor in what it leans on (its lead-in, section, title), while the sentence (or its lead-in)
names another group of the same kind (who: age groups, care home residents, prisoners; where: hospitals, general
practice, care homes, prisons). A sentence that names no group is left to ``covers``.

Example::

    >>> asked_groups("Can SGLT2 inhibitors be used during pregnancy?")
    ['pregnancy']
    >>> covers(asked_groups("Is it licensed for teenagers?"), "For children and adolescents there is no reason ...")
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# Each group: the words (lower case, whole words; a trailing "s" is allowed) that name it.
GROUPS: dict[str, tuple[str, ...]] = {
    "children": ("child", "children", "childhood", "paediatric", "pediatric", "paediatrics", "adolescent", "teenager",
                 "teenage", "young people", "young person", "youth", "infant", "baby", "babies", "neonate", "neonatal",
                 "newborn", "school", "pupil", "under 18", "under-18", "under 16", "under-16", "cyp"),
    "pregnancy": ("pregnancy", "pregnancies", "pregnant", "gestational", "antenatal", "maternity", "maternal", "perinatal",
                  "breastfeeding", "breast-feeding", "breastfed", "lactation", "lactating", "postnatal", "postpartum",
                  "conception", "expectant mother"),
    "older people": ("older people", "older person", "older adult", "elderly", "frail", "frailty", "geriatric",
                     "aged 65", "aged 75", "aged 80", "over 65", "over 75", "over 80", "over-65", "over-75", "over-80"),
    "care homes": ("care home", "nursing home", "residential care", "residential home", "care-home"),
    "prisons": ("prison", "prisoner", "offender", "secure setting", "secure estate", "detention", "detained",
                "health and justice", "young offender"),
}

# Groups checked only sentence by sentence (``another_group``): too common in a document's text for ``covers``
SCOPED: dict[str, tuple[str, ...]] = {
    **GROUPS,
    "adults": ("adult", "adults", "aged 18 and over", "over 18", "over-18", "18 and over", "grown-up"),
    "hospitals": ("hospital", "secondary care", "acute trust", "inpatient", "in-patient", "acute bed", "acute ward"),
    # not "GP" alone: a GP is a person, who also works in hospitals and refers to them ("Can a GP send an IFR?");
    # not "practices" alone: "when working practices allow"
    "general practice": ("general practice", "gp practice", "gp surgery", "gp surgeries", "primary care"),
}
# The kinds a group is of: a sentence naming another group of the asked group's kind speaks of that group.
# Pregnancy is of none: a sentence about pregnancy names the baby, and a mother is an adult.
_KINDS: dict[str, tuple[str, ...]] = {
    "children": ("who",), "adults": ("who",), "older people": ("who",), "care homes": ("who", "where"),
    "prisons": ("who", "where"), "hospitals": ("where",), "general practice": ("where",),
}
# Groups a group lies within: a recommendation for adults is one for older people too
_WITHIN: dict[str, tuple[str, ...]] = {"older people": ("adults",)}


@cache
def _pattern(group: str) -> re.Pattern[str]:
    words = sorted(SCOPED[group], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words) + r")(?:e?s)?\b", re.I)


def asked_groups(question: str) -> list[str]:
    """The population and setting groups ``question`` names, in ``GROUPS`` order (pure)."""
    return [group for group in GROUPS if _pattern(group).search(question)]


def covers(groups: list[str], text: str) -> bool:
    """Whether ``text`` (a document's retrieved text) names every one of ``groups`` (pure)."""
    return all(_pattern(group).search(text) for group in groups)


def asked_scoped(question: str) -> list[str]:
    """The groups of ``SCOPED`` that ``question`` names and that have a kind (pure)."""
    return [group for group in _KINDS if _pattern(group).search(question)]


def another_group(asked: list[str], sentence: str, around: str = "", document: str = "",
                  figure: bool = False) -> str | None:
    """Another group of an asked group's kind that ``sentence`` names while neither it nor ``around`` (its section,
    title) names the asked group, or None (pure). ``sentence``: the sentence with its lead-in.

    A sentence that names no group (a table row) is read as its ``document`` (what was retrieved of it): a price list
    for practices whose document never names hospitals does not answer for hospitals.

    With ``figure`` (the question asks for a figure), a sentence naming the asked group and another one answers only
    if one of its figures belongs to the asked group (``figures_of``): "reducing length of stay in *adult* acute beds,
    and ... 345,000 additional *CYP*" gives no figure for adults."""
    for group in asked:
        kinds = set(_KINDS.get(group, ()))
        others = [other for other in _KINDS if other not in asked and other not in _WITHIN.get(group, ())
                  and kinds & set(_KINDS[other])]
        if _pattern(group).search(sentence):
            # both named: the figure quoted must be the asked group's (the sentence itself, not its lead-in)
            if figure and (owner := figures_of(group, others, sentence.rsplit("\n", 1)[-1])):
                return owner
            continue
        if _pattern(group).search(around):
            continue
        if found := next((other for other in others if _pattern(other).search(sentence)), None):
            return found
        if any(_pattern(other).search(sentence) for other in _KINDS):
            continue  # it names a group of another kind only ("hospital care" for care home residents): its own
        if document and not _pattern(group).search(document):
            if found := next((other for other in others if _pattern(other).search(document)), None):
                return found
    return None


# A figure: a number with its unit, not a year ("2019", "2025/26") nor a numbered heading ("3.12.7")
_FIGURE = re.compile(r"(?<![\w./])(?!(?:19|20)\d\d(?:/\d\d)?\b)[£$€]?\d[\d,]*(?:\.\d+)?(?![\w.]*\.\d)")
# Where one clause of a sentence ends and the next begins: "X for A, and Y for B"; "A: X; B: Y" (not "345,000")
_CLAUSE = re.compile(r"[;:\n]|,(?!\d)|\s\((?=[^)]*\d)|\s(?:while|whereas|but)\s", re.I)


def figures_of(group: str, others: list[str], sentence: str) -> str | None:
    """The other group every figure of ``sentence`` belongs to, when none belongs to ``group``: ``clause_owner`` with
    the groups a clause names ("... for 345,000 additional CYP"; "for adults, 5%") (pure)."""
    return clause_owner(group, lambda clause: {g for g in (group, *others) if _pattern(g).search(clause)}, sentence)


def clause_owner(asked: str, named: Callable[[str], set[str]], sentence: str) -> str | None:
    """The other owner every figure of ``sentence`` belongs to, when none belongs to ``asked`` (pure given ``named``).

    ``named``: the owners (groups, measures) a clause names. A figure belongs to the owners its clause names; a clause
    naming none is read with the last clause before it that names one. A figure with no owner before it belongs to
    none, and keeps the sentence: only a figure read as another's is not the asked one."""
    owner: set[str] = set()  # the owners of the last clause that named one
    found: str | None = None
    for clause in _CLAUSE.split(sentence):
        owner = named(clause) or owner
        if not _FIGURE.search(clause):
            continue
        if not owner or asked in owner:
            return None  # a figure of the asked owner, or of none said
        found = found or sorted(owner)[0]
    return found
