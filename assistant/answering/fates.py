"""A yes/no question about a thing's fate, and whether a sentence states one (pure, no model).

"Is the Better Care Fund being abolished?", "Will the NHS App be sold?", "Are ICBs going to merge?": the question
turns on its predicate, a change to the thing's standing (abolished, scrapped, banned, merged, replaced, sold,
frozen, outsourced, ...). The sentences most like the whole question are about the thing only ("distribute NHS
funding more equally ...", "patients manage all their appointments through the NHS App") and settle nothing: when
no document says anything of the thing's fate, the answer is a refusal. A sentence settles such a question when it
states a fate: the asked one or another ("Is X being scrapped?" is settled by "X will be abolished", "we will
review the requirement for X", "X is no longer required"). All-MiniLM-L6-v2 does not find such words alike
("scrapped"/"abolished" 0.32, "banned"/"scrap" 0.28, as close as unrelated pairs), so, as with
``consequences``, the class is a closed set of ideas said in a few common words, and the sentence side is wider
than the question side.

A question about money asked or paid ("Will the app charge patients a fee?", "Are members paid overtime?") is the
same shape: a sentence about the app or the members settles nothing unless it speaks of a payment; so is a sanction
asked as a verb ("Does NHS England fine trusts in segment 5?"), settled by any sanction word (``consequences``).

Only yes/no questions (an inverted auxiliary opens the asking sentence): "When will X be abolished?" presupposes
the fate, and what is asked is its date. Quantities ("cut", "reduce") are no fate: "Are trusts expected to cut
agency use?" is settled by "a 30% reduction in agency use", a figure of how much, which these words do not see.

Example::

    >>> asked_fate("Is the Better Care Fund being abolished?")
    'abolished'
    >>> states_fate("The proposed abolition of NHS England is already under way.")
    True
    >>> states_fate("Distribute NHS funding more equally across the country.")
    False
"""

from __future__ import annotations

import re

from assistant.answering.consequences import SANCTION_WORDS

# An inverted auxiliary opens a yes/no question ("Is ...", "Can ...", "Does ..."); "need" too ("Need I ...?").
AUXILIARIES = frozenset(
    "do does did is are was were will would should shall can could must may might has have had need".split())
# A change to a thing's standing, as a question asks it ("be abolished", "be sold off", "merge with", "stop ..."),
# not a way of supplying it ("Are the pens *sold with* needles?").
_ASKED = re.compile(
    r"\b(?:abolish\w*|scrap(?:s|ped|ping)?|ban(?:s|ned|ning)?|axe[ds]?|axing|merg(?:e|es|ed|ing|er)"
    r"|replac(?:e|es|ed|ing)|discontinu\w+|remov(?:e|es|ed|ing)|withdr[ae]w\w*|cancel\w*|suspend\w*"
    r"|freez(?:e|es|ing)|frozen|sold(?!\s+(?:with|in|as|at|by|over|through)\b)|sell(?:s|ing)?\s+off|privati[sz]\w*|nationali[sz]\w*|outsourc\w+|exempt\w*"
    r"|dissol\w+|disband\w*|repeal\w*|abandon\w*|decommission\w*|shut(?:s|ting)?|clos(?:ed|es|ing|ure)"
    r"|dropp(?:ed|ing)|stop(?:s|ped|ping)?|phas(?:e|ed|ing) out)\b", re.I)
# What states a fate in a sentence: the asked words, and the other ways a document says a thing ends, changes
# hands, stays, is limited or is reconsidered ("abolition", "will end", "superseded by", "restrict", "no longer
# required", "review the requirement"); not "no longer than 18 weeks" (a bound),
# "the end of 2026/27" (a date) nor "reviewing and switching patients" (a review of something else).
_STATED = re.compile(
    _ASKED.pattern[:-3] + r"|abolition|removal|replacement|withdrawal|closure|cessation|ceas\w+|end(?:s|ed|ing)?"
    r"(?!\s+of\b)|no longer(?!\s+than\b)|retain\w*|transfer\w*|supersed\w*|instead of|in place of|tak(?:e|es|en|ing) over|prohibit\w*"
    r"|restrict\w*|review(?:s|ed|ing)?\s+(?:of|the|its|their|whether)|under review)\b", re.I)
# Money asked of or paid to someone ("charge patients a fee", "be paid extra", "free of charge"; not "in charge of"),
# stated by a word for a payment or its absence ("remuneration", "price", "at no cost"); not by any sum or cost
# ("benefits equivalent to £249 million", "reducing the cost of services" charge no one).
_ASKED_PAYMENT = re.compile(
    r"\b(?:(?<!in )charg(?:e|es|ed|ing)\b(?!\s+of\b)|fees?\b|paid\b|pay(?:s|ing)?\s+(?:for|extra|more|less|patients|staff)\b"
    r"|free of charge|reimburs\w*|subsidis\w*)", re.I)
_STATED_PAYMENT = re.compile(
    r"\b(?:charg|fees?\b|free of charge|at no cost|pay|paid|pric|remunerat|reimburs|subsid|incentiv|allowance|salar"
    r"|bonus)", re.I)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# A sanction as a verb ("Does NHS England fine trusts ...?", "Will members be penalised?"; not "Is it fine to ...?"),
# stated by any sanction word (``consequences``: "penalty", "intervention", "special measures", ...).
_ASKED_SANCTION = re.compile(
    r"\b(?:fine[sd]\b|fine\b(?!\s+(?:to|for|if|with)\b)|penalis\w+|penaliz\w+|sanction(?:s|ed|ing)?|punish\w*)", re.I)
_KINDS = {"fate": (_ASKED, _STATED), "payment": (_ASKED_PAYMENT, _STATED_PAYMENT),
          "sanction": (_ASKED_SANCTION, SANCTION_WORDS)}


def asked_fate(asking: str) -> str | None:
    """The fate word of a yes/no question (its asking part), as written, or None (pure).

    "Will the NHS App be sold to a private company?" -> "sold"; "When will it be abolished?" -> None.
    """
    found = asked_predicates(asking)
    return found[0][1] if found and found[0][0] == "fate" else None


def asked_predicates(asking: str) -> list[tuple[str, str]]:
    """The (kind, word as written) of each closed-class predicate a yes/no question turns on: a ``fate`` ("abolished",
    "sold") or a ``payment`` ("charge patients a fee", "be paid extra"); empty for any other question (pure)."""
    sentences = [s for s in _SENTENCES.split(asking.strip()) if s]
    last = sentences[-1] if sentences else ""
    first = _FIRST_WORD.match(last)
    if first is None or first.group(0).lower() not in AUXILIARIES:
        return []
    return [(kind, m.group(0)) for kind, (asked, _) in _KINDS.items() if (m := asked.search(last))]


def states_fate(sentence: str) -> bool:
    """Whether ``sentence`` states a fate of the kind ``asked_fate`` asks about (pure)."""
    return bool(_STATED.search(sentence))


def states_predicate(kind: str, sentence: str) -> bool:
    """Whether ``sentence`` states a predicate of ``kind`` (from ``asked_predicates``): any fate for a fate, any word
    for a payment for a payment (pure)."""
    return bool(_KINDS[kind][1].search(sentence))
