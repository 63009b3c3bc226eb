"""Whether a sentence names the thing a question asks about only as another kind of it (pure, no model).

"By how much will *local authority* headcount be reduced?" is not answered by "reducing *central* headcount by
50%", nor "What productivity growth did *mental health* trusts achieve?" by "expenditure by *acute* trusts": the
sentence has the question's head noun ("headcount", "trusts"), but every time it names it, another word narrows
it to a different kind, and the question's own qualifier is nowhere in the sentence. A bare mention ("the
headcount"), a number ("the 18-week target") or a word that narrows nothing ("the national target") leaves the
kind open, so it is no conflict; the question's qualifier anywhere in the sentence settles it the other way.

Example::

    >>> other_kind("local", "headcount", "introducing new standards for alcohol reducing central headcount by 50%")
    True
    >>> other_kind("local", "headcount", "local authority headcount will fall by 10%")
    False
    >>> other_kind("dementia", "target", "The national target remains 66.7%.")
    False
    >>> other_kind("blockchain", "market", "chain market size is expected to grow to USD 39.7 billion")
    False
"""

from __future__ import annotations

import re
from collections.abc import Collection

from assistant.text.terms import STOPWORDS, terms

_TOKEN = re.compile(r"[\w&'’-]+")
# Words before a noun that do not make it another kind: degree, time and scope ("the *new* target", "*overall*
# growth", "*annual* limits"); another kind is named by a content word ("*central* headcount", "*acute* trusts").
NEUTRAL = frozenset(
    """new current overall total national annual additional further more less fewer extra same other own
    its their our this that these those such any all each every some key main existing proposed planned
    agreed ambitious stretching minimum maximum average median relevant respective""".split()
)


def other_kind(qualifier: str, head: str, sentence: str, neutral: Collection[str] = NEUTRAL) -> bool:
    """Whether ``sentence`` names ``head`` (a stem) only with another content word right before it, and never uses
    ``qualifier`` (a stem): it is about another kind of the thing asked about (pure)."""
    tokens = _TOKEN.findall(sentence)
    stems = [terms(t) for t in tokens]
    if any(qualifier in s for s in stems):
        return False
    places = [i for i, s in enumerate(stems) if s and s[-1] == head]
    if not places:
        return False
    for i in places:
        before = tokens[i - 1].lower() if i > 0 else ""
        if (not before or before in STOPWORDS or before in neutral or any(ch.isdigit() for ch in before)
                or not stems[i - 1]):
            return False  # a bare or merely counted mention leaves the kind open
        if len(before) >= 4 and (qualifier.startswith(before) or qualifier.endswith(before)):
            return False  # the qualifier cut in two ("Block- | chain market" across a page break), not another kind
    return True
