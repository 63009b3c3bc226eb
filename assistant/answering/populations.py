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

Example::

    >>> asked_groups("Can SGLT2 inhibitors be used during pregnancy?")
    ['pregnancy']
    >>> covers(asked_groups("Is it licensed for teenagers?"), "For children and adolescents there is no reason ...")
    True
"""

from __future__ import annotations

import re
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


@cache
def _pattern(group: str) -> re.Pattern[str]:
    words = sorted(GROUPS[group], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words) + r")(?:e?s)?\b", re.I)


def asked_groups(question: str) -> list[str]:
    """The population and setting groups ``question`` names, in ``GROUPS`` order (pure)."""
    return [group for group in GROUPS if _pattern(group).search(question)]


def covers(groups: list[str], text: str) -> bool:
    """Whether ``text`` (a document's retrieved text) names every one of ``groups`` (pure)."""
    return all(_pattern(group).search(text) for group in groups)
