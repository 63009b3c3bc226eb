"""Where a question's run of nouns ends and a clause about it begins, without a parser (pure).

"the person *leading* the review", "a trust *running* a deficit": an -ing word after a noun starts a clause about
it, unless it is itself a noun ("NHS *funding*"); "... of the NHS budget *goes* to ...": a common verb ends the run.
``constraints`` reads what a figure question counts with ``ends_noun_run``; ``asked_things`` the things a question
names with the stricter ``starts_clause`` (a compound may hold a gerund or a noun that is also a verb: "car *parking*
charges", "agency *spend*").

Example::

    >>> [ends_noun_run(w) for w in ("running", "funding", "goes", "deficit")]
    [True, False, True, False]
    >>> starts_clause("running", "a"), starts_clause("parking", "charges"), starts_clause("spend", None)
    (True, False, False)
"""

from __future__ import annotations

import re

PARTICIPLE = re.compile(r"[a-z]{3,}ing")
# nouns in -ing: what is counted or named ("agency spending", "NHS funding")
NOT_PARTICIPLES = frozenset("funding spending nursing training housing planning meeting prescribing screening commissioning "
                            "building setting offering opening trading".split())
# common verbs that end a noun run (-ed forms end it anyway)
RUN_VERBS = frozenset("""go goes went get gets got spend spends receive receives come comes came take takes took make
    makes made need needs use uses fall falls sit sits live lives wait waits see sees saw attend attends
    meet meets reach reaches""".split())
# ... of which these are as often nouns ("agency *spend*", "unmet *need*", "bed *use*", "the *wait*")
NOUN_VERBS = frozenset("spend spends need needs use uses fall falls wait waits meet meets".split())
# a determiner after an -ing word opens its object: it is a verb ("running *a* deficit"); a preposition or the question's
# end does not tell ("staff parking at ...", "equality monitoring?"), so the run is kept
_OBJECT = re.compile(r"(?:a|an|the|its|their|his|her|our|this|that|these|those)$")


def ends_noun_run(word: str) -> bool:
    """Whether ``word``, following a noun, starts a clause about it: an -ing participle or a common verb (pure)."""
    low = word.lower()
    return low in RUN_VERBS or (bool(PARTICIPLE.fullmatch(low)) and low not in NOT_PARTICIPLES)


def starts_clause(word: str, following: str | None) -> bool:
    """Whether ``word``, following a noun and followed by ``following`` (None: nothing, or punctuation), starts a
    clause about it: a common verb that is not also a noun ("a trust *goes* into ..."), or an -ing participle that
    takes an object ("a trust *running* a deficit"; not "car *parking* charges") (pure)."""
    low = word.lower()
    if low in RUN_VERBS - NOUN_VERBS:
        return True
    takes = following is not None and bool(_OBJECT.match(following.lower()))
    return bool(PARTICIPLE.fullmatch(low)) and low not in NOT_PARTICIPLES and takes
