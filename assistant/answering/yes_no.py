"""Yes/no questions: the sentence that settles one goes first (pure functions, no model).

"Will the review panel consider new information?" is settled by a sentence that says it will *not*; a
sentence that only shares the topic's words ("The review panel will consider the written documentation")
decides nothing, yet scores as well or better on similarity and word overlap. What settles a yes/no
question is most often a negation or a limit ("does not in itself", "no longer required", "may not vote",
"single use only", "regardless of their BMI"), so a sentence with such a marker within a few words of the
question's own words gains support (``DECIDES``) and is quoted first when it comes close to the best. A negation
counts only where it denies the sentence's own statement, in the same clause as the question's word: not in a
condition or a relative clause ("If a request is not submitted ...", "a treatment that is not commissioned"),
and not next to a word of the corpus's topic alone ("NHS England does not have a policy").

The credit only orders sentences: it is given when some sentence already meets the support floor, so it
never turns a refusal into an answer. After a preamble, the dense side searches with the asking sentence
alone (``asked_alone``).

Example::

    >>> is_yes_no("Our ICB is drafting its plans. Do we still have to produce a system plan?")
    True
    >>> settles({"system", "plan"}, "Although system plans are no longer required, plans rest on partnership.")
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.constraints import asking_part
from assistant.answering.context import ScoredSentence
from assistant.answering.fates import AUXILIARIES
from assistant.text.terms import terms

DECIDES = 0.2  # support a settling sentence gains on a yes/no question (fast loop over 53 yes/no questions: 0.15-0.25)
COMMON = 1.5  # IDF under which a question word is the corpus's topic, not the question's (df above ~22% of passages)
WINDOW = 6  # words between the negation or limit and a word of the question ("20. Requests will *not* be accepted from a *patient*")

_AUX = AUXILIARIES  # an inverted auxiliary opens a yes/no question (``fates``)
# Negations and limits: closed-class English words, the ways a policy sentence says "no" or "only so far".
_NEGATION = re.compile(r"(?:not|no|never|none|neither|nor|cannot|\w+n['’]t)", re.I)
_LIMIT = re.compile(r"(?:only|solely|unless|except|regardless|without)", re.I)
_OWN_VERB = re.compile(r"(?:cannot|never|\w+n['’]t)", re.I)  # a negation that is its verb's own ("cannot", "won't")
_OPENING = re.compile(r"(?:no|not|none|neither)", re.I)  # ... or opens a clause ("*No* patient may ...", "..., *not* the values")
# Words opening a condition or a relative clause: a negation after one (in the same stretch between punctuation)
# describes a case or a thing ("If a request is *not* submitted ...", "a treatment that is *not* commissioned"), it
# does not answer. Concessives ("although", "whilst") state facts and are left out on purpose.
_CONDITIONAL = frozenset({"if", "where", "when", "whether", "that", "which", "who", "whom", "whose", "unless", "until"})
_TOKENS = re.compile(r"[\w'’]+|[,;:()–—]")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def is_yes_no(question: str) -> bool:
    """The sentence that asks opens with an inverted auxiliary ("Does severity on its own justify an IFR?") (pure)."""
    asking = [s for s in _SENTENCES.split(asking_part(question).strip()) if s]
    words = asking[-1].split() if asking else []
    return bool(words) and words[0].lower() in _AUX


def asked_alone(question: str) -> str | None:
    """The asking sentence of a yes/no question after a preamble, or None (pure).

    "Our ICB is drafting its plans for 2026/27. Do we still have to produce a system plan?": the preamble's
    words ("plans", "2026/27") match a great many passages, and the question's embedding follows them away from
    the one that settles it ("system plans are no longer required"). The dense side searches with the asking
    sentence alone; the keyword side keeps the whole question, so a preamble a pronoun points back to ("Does
    *that* on its own justify an IFR?") still counts. Only yes/no questions: for every question with a
    preamble, the by-document split lost tune hit@5 (0.870 -> 0.850) and confirm must_include.
    """
    part = asking_part(question)
    return part if part != question and is_yes_no(question) else None


def settles(question_terms: set[str], sentence: str, window: int = WINDOW) -> bool:
    """A negation or limit in the sentence stands within ``window`` words of one of the question's terms
    ("... will *not* consider new *information*", "*regardless* of their *BMI*"): it bears on what is asked,
    not on something else the sentence says (pure).

    A negation counts only where it denies the sentence's own statement (``denies``): "Requests *will not* be
    accepted from a patient" settles "Can a patient submit a request?"; "If a request *is not* submitted through
    the portal, ..." and "a treatment that *is not* routinely commissioned" describe a case and settle nothing.
    """
    tokens = _TOKENS.findall(sentence)
    at = [k for k, t in enumerate(tokens) if t[0].isalnum()]  # token index of each word
    words = [tokens[k] for k in at]
    limits = [i for i, w in enumerate(words) if _LIMIT.fullmatch(w) and not bound(words, i)]
    negations = [i for i, w in enumerate(words) if _NEGATION.fullmatch(w) and not bound(words, i) and denies(tokens, at[i])]
    asked = [i for i, w in enumerate(words) if set(terms(w)) & question_terms]
    # a limit brings its own condition ("*only* applied where the *Panel* has concluded"); a negation's condition
    # is another statement ("Costs *will not* be reimbursed if the IFR *Panel* declines")
    return (any(abs(i - j) <= window for i in limits for j in asked)
            or any(abs(i - j) <= window and one_clause(tokens, at[min(i, j)], at[max(i, j)])
                   for i in negations for j in asked))


def bound(words: Sequence[str], i: int) -> bool:
    """"*no* less than two", "*not* more than 30 days": a bound on a figure, not a "no" (pure)."""
    return i + 2 < len(words) and words[i + 2].lower() == "than"


def one_clause(tokens: Sequence[str], a: int, b: int) -> bool:
    """No punctuation mark and no condition or relative clause opens between ``tokens[a]`` and ``tokens[b]`` (pure):
    "Costs *will not* be reimbursed if the IFR *Panel* declines" denies the reimbursement, not anything of the panel."""
    return not any(not t[0].isalnum() or t.lower() in _CONDITIONAL for t in tokens[a + 1:b])


def denies(tokens: Sequence[str], k: int) -> bool:
    """The negation ``tokens[k]`` negates a verb ("will *not*", "is *no* longer", "*cannot*", "*don't*") or opens a
    clause ("*No* request is accepted", "shown as a distribution, *not* the trust's values"), outside any condition or relative clause opened since the last punctuation
    mark (pure)."""
    word = tokens[k]
    opens = k == 0 or not tokens[k - 1][0].isalnum()
    if not (_OWN_VERB.fullmatch(word) or (opens and _OPENING.fullmatch(word)) or (k > 0 and tokens[k - 1].lower() in _AUX)):
        return False  # "organisational *not* system-wide", "*neither* patients *nor* clinicians": no verb denied
    j = k - 1
    while j >= 0 and tokens[j][0].isalnum():
        if tokens[j].lower() in _CONDITIONAL:
            return False
        j -= 1
    return True


def credited(question: str, scored: Sequence[ScoredSentence], min_support: float,
             credit: float | None = None, idf: Callable[[str], float] | None = None) -> list[ScoredSentence]:
    """``scored`` with ``credit`` (default ``DECIDES``) added to each sentence that ``settles`` the question, for a
    yes/no question whose best sentence already meets ``min_support`` (pure).

    ``idf`` (the index's): a question word below ``COMMON`` is in about a fifth of all passages or more ("NHS",
    "England", "patient" in NHS policy); a negation next to it says nothing of what is asked ("... and NHS England
    *does not* have a policy for the treatment" for "Can a patient's family send an IFR to NHS England?").
    """
    if not is_yes_no(question) or not any(s.support >= min_support for s in scored):
        return list(scored)
    credit = DECIDES if credit is None else credit
    asked = {t for t in terms(asking_part(question)) if idf is None or idf(t) >= COMMON}
    return [replace(s, support=s.support + credit) if settles(asked, s.text) else s for s in scored]
