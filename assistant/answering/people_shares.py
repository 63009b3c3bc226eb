"""Whether a sentence states a share of people that a "what share of patients" question asks for (pure, no model).

"What percentage of *patients* should be seen within four hours in A&E?" counts patients, but the planning documents
state such targets without naming them: a table row "4-hour A&E | Every trust to ... 82%", "the 31-day standard at
96%", "1% of the total waiting list", "a minimum of 78% of *patients* seen ..." (a question may say "people"). So a
share question whose counted thing is people in general is met by a sentence holding a percentage that

- is a share of people, a population or a waiting list ("78% of patients", "7% of the population"), or
- is bare: it is a share of nothing the sentence names ("to 82%", "at 96%"), in a sentence that speaks of no money
  (beside "£13.6 billion" or "spending" a bare share may be one of the money),

and that is not an amount of change ("by 1%", "a 5% improvement", "35% smaller", "3% nationally per year"): that measures growth, not how
many of the people. A percentage of another base ("46% of hospital costs", "92% of GP appointments", "70% of
elective care appointments") counts something else. What the share is *of* beyond that (four hours, 62 days) is
checked by the question's other constraints.

Example::

    >>> states_people_share("4-hour A&E Every trust to maintain or improve to 82%")
    True
    >>> states_people_share("with a minimum of 78% of patients seen within 4 hours")
    True
    >>> states_people_share("around 46% of hospital costs")
    False
    >>> states_people_share("reduce their cost base by at least 1%")
    False
"""

from __future__ import annotations

import re

from assistant.answering.money_shares import names_money
from assistant.text.terms import terms

# Words for people counted in general: what "what share of <patients>" counts (not a group such as "staff" or "children")
PEOPLE = frozenset(terms("people persons individuals patients"))
# Bases a share of people is put as: "% of the population", "% of the total waiting list", "of the cohort"
_PEOPLE_BASES = PEOPLE | frozenset(terms("population waiting list caseload cohort"))
_PERCENT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:%|per ?cent\b|percent\b)", re.I)
# What a percentage is a share of: "of (all / the / total) <words>"
_OF = re.compile(r"\s+of\s+(?:(?:the|all|total|those|these|our|its|their)\s+)*([A-Za-z][\w&-]*(?:\s+[A-Za-z][\w&-]*)?)", re.I)
# An amount of change, not a share: "by 1%", "a 5% improvement", "35% smaller", "3% more"
_CHANGE_BEFORE = re.compile(r"(?:\bby|\b(?:improvement|reduction|increase|growth|cut|rise|fall|decrease|drop|uplift)s?\s+of)\s+"
                            r"(?:(?:at least|up to|around|about|nearly|almost|over|some|a further|an? extra)\s+)?$", re.I)
# (one word may come between: "4% overall improvement", "2% productivity growth"; a rate a year is growth: "3% a year")
_CHANGE_AFTER = re.compile(r"\s*(?:[\w-]+\s+)?(?:(?:point\s+)?(?:improvement|reduction|increase|growth|cut|rise|fall|decrease|drop"
                           r"|uplift|more|fewer|less|smaller|larger|bigger|higher|lower|real[- ]terms)|(?:per|a|each)\s+(?:year|annum))\b",
                           re.I)


def states_people_share(sentence: str) -> bool:
    """Whether ``sentence`` holds a percentage that is a share of people, a population or a waiting list, or of
    nothing it names, and not an amount of change (pure)."""
    for m in _PERCENT.finditer(sentence):
        if _CHANGE_AFTER.match(sentence, m.end()) or _CHANGE_BEFORE.search(sentence, 0, m.start()):
            continue
        base = _OF.match(sentence, m.end())
        if base is None and not names_money(sentence) or base is not None and set(terms(base.group(1))) & _PEOPLE_BASES:
            return True  # a bare share beside a sum of money may be a share of the money
    return False
