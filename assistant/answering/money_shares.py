"""Whether a percentage answers a "how much money" question: only in a sentence about money (pure, no model).

A sum of money may be put as a share ("costs rose 3.9%", "4.5% of total pay"), so a percentage holds the kind of
thing "How much did the NHS spend on ...?" asks for. But a share of something else does not: "we are seeing around
14% more patient contacts ... and 19% more staff" or "a reduction in the number of agency staff by 33%" says how
many, not how much was spent, and was quoted for "How much did the NHS spend on agency staff in 2021/22?" (and
for 2023/24, over the sentence that gives the £3.0 billion). So a percentage holds a sum only in a sentence that
names money: a currency sign or a word for spending, cost, pay or funding.

Example::

    >>> names_money("NHS staff numbers have increased by 4.0% in the first half of 2024/25.")
    False
    >>> names_money("Real terms costs have increased by 3.9%.")
    True
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

_CURRENCY = re.compile(r"[£$€]|\b(?:pounds?|pence|billion|million|bn)\b", re.I)
_MONEY = frozenset(terms("""cost costs costing spend spending spent expenditure budget budgets funding funded fund pay paid
    payment price prices priced tariff income revenue saving savings saved deficit surplus allocation allocations
    investment invested money cash financial finance fee fees salary salaries wage wages bill bills cheaper expensive"""))
_PERCENT = re.compile(r"(?:%|per ?cent)\s*$", re.I)


def is_percentage(span: str) -> bool:
    """Whether a matched figure (``answer_kinds``' money pattern) is a percentage: "3.9%", "12 per cent" (pure)."""
    return bool(_PERCENT.search(span))


def names_money(sentence: str) -> bool:
    """Whether ``sentence`` speaks of money: a currency sign or amount word, or a word for spending, cost or pay (pure)."""
    return bool(_CURRENCY.search(sentence)) or bool(_MONEY & set(terms(sentence)))
