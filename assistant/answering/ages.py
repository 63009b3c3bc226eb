"""An "at what age" question is answered by an age, not by any figure or by none (pure).

"At what age should children move to 6mm needles?" had no kind of its own, so a sentence about children and
needles that states no age ("there is no clinical reason for using needles longer than 6mm") was quoted. An age
is a number said of years of life: "aged 0 to 25", "under 16-year-olds", "the over-65s", "18 years of age".

Example::

    >>> bool(ASKS_AGE.search("From what age can people get a health check?"))
    True
    >>> [m.group(0) for m in HOLDS_AGE.finditer("CYP aged 0 to 25, and under 16-year-olds.")]
    ['aged 0 to 25', 'under 16-year-olds']
"""

from __future__ import annotations

import re

# "at / from / until / under what age", "what age (limit / range)", "how old"; not "which age group" (a group may be
# named in words: "children and young people")
ASKS_AGE = re.compile(r"\bwhat age\b(?!\s+groups?\b)|\bhow old\b", re.I)
_N = r"\d{1,3}"
HOLDS_AGE = re.compile(
    rf"\b(?:aged?|ages)\s+(?:(?:of|under|over|between|from|up\s+to|below|above)\s+)?{_N}(?:\s*(?:-|–|to|and)\s*{_N})?\b"
    rf"|\b(?:(?:under|over|below|above)\s+)?{_N}(?:\s*(?:-|–|to)\s*{_N})?[- ]?years?[- ]?olds?\b"
    rf"|\b{_N}\s+years?\s+of\s+age\b"
    rf"|\b(?:under|over)[- ]?{_N}s\b"
    # "over the age of 18"; a bare "children under 5" only before a break or a function word, not before a unit
    # or noun ("over 52 weeks", "under 5%", "above 50 units", "over 100 practices")
    rf"|\b(?:(?:under|over|below|above)\s+)?the\s+age\s+of\s+{_N}\b"
    rf"|\b(?:under|over|below|above)\s+{_N}(?=\s*(?:[,;:)]|\.(?!\d)|$|(?:and|or|who|with|in|are|is|should|will|can|may|must|have|has|get|receive)\b))",
    re.I)
