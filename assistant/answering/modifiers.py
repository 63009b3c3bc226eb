"""Words before a noun that narrow it to a kind, and words that do not (word sets, no code).

"*central* headcount" and "*acute* trusts" name kinds of headcount and trusts; "the *new* target", "*overall* growth",
"*current* chair" do not: they grade, date or scope the thing. ``sibling_kinds`` reads a sentence's mentions of an
asked head with these sets (is it "another kind" of the thing asked about?), and ``constraints`` reads a question's
qualifiers with them (which words say which one is asked).
"""

from __future__ import annotations

# Words before a noun that do not make it another kind: degree, time and scope ("the *new* target", "*overall*
# growth", "*annual* limits"); another kind is named by a content word ("*central* headcount", "*acute* trusts").
NEUTRAL = frozenset(
    """new current overall total national annual additional further more less fewer extra same other own
    its their our this that these those such any all each every some key main existing proposed planned
    agreed ambitious stretching minimum maximum average median relevant respective""".split()
)
# Qualifiers in a question that do not narrow what is asked for ("the current chair" is the chair the documents name;
# "extra appointments" are the appointments "additional" ones are: how many more, not which kind).
GENERIC = frozenset(
    """current currently now today new latest recent overall total main key every general particular specific certain
    actual exact typical usual normal various different whole entire full same own real really important
    national nhs england english
    extra additional further more fewer less
    take make get go come put keep give
    projected expected estimated forecast anticipated predicted likely""".split()  # light verbs and modality narrow nothing
)
