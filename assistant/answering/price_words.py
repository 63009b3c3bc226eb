"""A price word the question uses and the price bound a sentence states instead (pure functions, no model).

"Which year did NHS England advise only *cheap* insulin pen needles?" is answered by "In 2019 NHS England
advised ... only initiate insulin pen needles that cost <£5 per 100 needles": documents say what counts as
cheap by the price it must stay under, not by the evaluative word. So a qualifier that judges price is met by a
sentence bounding a price on the same side: "cheap" by an upper bound ("<£5", "less than £3.00", "up to £2"),
"expensive" by a lower bound ("over £10"). A bound on the other side, or a price with no bound ("£2.49"), does
not meet it: the judgement is what the question turns on.

Example::

    >>> states_price_bound("cheap", "needles that cost <£5 per 100 needles")
    True
    >>> states_price_bound("expensive", "needles that cost <£5 per 100 needles")
    False
"""

from __future__ import annotations

import re

# Evaluative price words, as written (their stems collide: "costly" / "cost", "economical" / "economy"): low-price
# ones are met by an upper bound, high-price ones by a lower bound.
LOW_PRICE = frozenset("cheap cheaper cheapest inexpensive low-cost lower-cost low-priced affordable economical".split())
HIGH_PRICE = frozenset("expensive costly costlier dear dearer pricey pricier high-cost higher-cost high-priced premium".split())
_MONEY = r"£\s?\d[\d,.]*(?:\s?(?:p|k|m|bn|million|billion))?|\d[\d,.]*\s?p\b"
_UNDER = re.compile(rf"(?:<|≤|\b(?:less than|under|below|no more than|not more than|up to|maximum of|max(?:imum)?|at most|"
                    rf"cheaper than|lower than|capped at)\s)\s*(?:{_MONEY})", re.I)
_OVER = re.compile(rf"(?:>|≥|\b(?:more than|over|above|at least|minimum of|min(?:imum)?|dearer than|higher than|"
                   rf"more expensive than|exceeding)\s)\s*(?:{_MONEY})", re.I)


def price_word(word: str) -> str | None:
    """"low" or "high" for an evaluative price word ("cheap", "costly"; any case), else None (pure)."""
    low = word.lower()
    return "low" if low in LOW_PRICE else "high" if low in HIGH_PRICE else None


def states_price_bound(word: str, text: str) -> bool:
    """Whether ``text`` bounds a price on the side the price word ``word`` judges: below a sum for "cheap", above
    one for "expensive" (pure)."""
    side = price_word(word)
    if side is None:
        return False
    return bool((_UNDER if side == "low" else _OVER).search(text))
