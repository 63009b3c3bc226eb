"""Whether a question asks what follows a failure or a penalty, and whether a sentence says so (pure, no model).

"What penalty do trusts face for missing the 4-hour target?" presupposes that the documents set a penalty;
the sentence giving the 4-hour target, however close its topic, says nothing of what follows missing it.
Two shapes of question, with what the answering sentence must have:

- a **sanction** ("what *penalty* / *fine* / *sanction* ..."): a word for one (penalty, fine, sanction,
  enforcement, intervention, withholding, termination, removal, loss, downgrading, ...); a negation is not
  enough ("safety needles should *not* routinely be prescribed" sets no fine for prescribing them);
- **what follows a failure** ("what happens to an ICB that *fails* to publish its plan?", "what are the
  consequences of *missing* ..."): the failure, or a negation, in the sentence ("an ICB that does *not*
  publish ...", "any organisation *failing* to meet the floor will be scored 4"); a sentence saying what
  must be done ("the ICB will publish its plan") is not what happens when it is not, nor is the failure of
  something else ("if the Forward Plan Condition is not met" for "fails to *publish* its plan"): the first
  content word after the failure must be in the sentence too. A lead-in naming a sanction ("members shall be
  removed from office if any of the following occurs:") answers too: the failures are in the list it opens.

Small word lists, general English: sanctions and failures are a closed set of ideas said in a few common
words, and the sentence side is wider than the question side (any sanction word answers "what penalty").
"Fine" is a sanction only after a determiner or question word ("what fine", "a fine"): "is it fine to ..."
asks no such thing.

Example::

    >>> asked_consequence("What happens to an ICB that fails to publish its plan?")
    ('failure', 'publish')
    >>> states_consequence(("failure", "publish"), "The ICB will publish its plan each year.")
    False
    >>> states_consequence(("failure", "publish"), "Where an ICB does not publish its plan, NHS England may direct it.")
    True
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

_TOKEN = re.compile(r"[\w'’-]+")
_SANCTIONS = frozenset("penalty penalties fine fines sanction sanctions punishment punishments".split())
_BEFORE_NOUN = frozenset("what which any a the no".split())  # "what fine", "a fine": the noun, not "fine to ..."
_FAILING = re.compile(r"^(?:fail(?:s|ed|ing|ures?)?|miss(?:es|ed|ing)?|breach(?:es|ed|ing)?)$")
_ASKS_WHAT_FOLLOWS = re.compile(r"\bwhat\s+happens\b|\bconsequences?\b|\bface\b", re.I)
SANCTION_WORDS = re.compile(
    r"\b(?:penalt|penalis|penaliz|fine[sd]?\b|sanction|punish|enforc|interven|consequen|withh[eo]ld|suspen[ds]"
    r"|terminat|revok|decommission|remov|lose\b|loss\b|downgrad|special measures)", re.I)
_FAILURE_WORDS = re.compile(
    r"\b(?:fail|miss|breach|not\b|no\b|never\b|unable|cannot\b|without\b|below\b|short\b|underperform|lack"
    r"|insufficient|inadequate|poor)|n['’]t\b", re.I)


def asked_consequence(question: str) -> tuple[str, str] | None:
    """``("sanction", noun)`` when ``question`` asks for a penalty, ``("failure", stem)`` when it asks what follows
    a failure it names (``stem``: of what fails to happen, "" when nothing follows), else None (pure)."""
    tokens = [t.lower() for t in _TOKEN.findall(question)]
    for i, word in enumerate(tokens):
        if word in _SANCTIONS and i > 0 and tokens[i - 1] in _BEFORE_NOUN:
            return "sanction", word
    if _ASKS_WHAT_FOLLOWS.search(question):
        at = next((i for i, t in enumerate(tokens) if _FAILING.match(t)), None)
        if at is not None:
            # what fails to happen: the first content word after the failure ("fails to *publish*", "misses its *target*")
            failed = next((stems[0] for t in tokens[at + 1:] if (stems := terms(t))), "")
            return "failure", failed
    return None


def states_consequence(asked: tuple[str, str], sentence: str) -> bool:
    """Whether ``sentence`` can say what ``asked`` (from ``asked_consequence``) asks for (pure): a sanction word; or a
    failure or negation with what fails ("an ICB that does not *publish* ..."), not a failure of something else."""
    kind, failed = asked
    if kind == "sanction":
        return bool(SANCTION_WORDS.search(sentence))
    if sentence.rstrip().endswith(":") and SANCTION_WORDS.search(sentence):
        return True  # "members shall be removed from office if any of the following occurs:": its list has the failure
    return bool(_FAILURE_WORDS.search(sentence)) and (not failed or failed in terms(sentence))
