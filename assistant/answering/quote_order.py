"""Which chosen quote goes first: the one that names what the question asks for (pure functions, no model).

The extractive answerer chooses its quotes by support (embedding similarity blended with the question's words)
and puts the best first. A sentence worded like the question's topic can outscore the one that answers it:
for "What options does NHS England have for an experimental treatment?" the lead-in "Before agreeing to fund an
experimental or unproven treatment, NHS England will need reassurance:" outscores "The options for consideration
by NHS England in these instances are:". The question's asked noun (the head of the noun run after "what" or
"which": *options*, *sectors*, *planning horizon*) is what the reader looks for in the first quote; a quote that
names it is about the asked thing, one that does not is about its surroundings.

So when the best quote does not name the asked noun and another chosen quote does, that one goes first, except
where "which <N>" (asking for an instance of N) is answered by a best quote naming something the question does not
("Which sharps bins ...?": "Sharpsafe yellow 1 litre ...") over one naming nothing. Only the order changes: the same sentences are quoted, so nothing here decides a refusal.

A question that asks for one thing of a kind (a figure, date, name or length of time: "Within how many working days
must a review be requested?") is answered by the quote that holds it with the question's words; a later quote that
holds another thing of that kind (or none) and none of the question's words the earlier quotes lack ("The review
panel will be convened within 10 working days") is about something else and is dropped (``drop_repeats``); one that
says the same figure again in other words is kept (it may say it better: "The Chair may call a meeting by giving
14 days' notice" after "If the Chair fails to call it, members may call it by giving 14 days' notice"). The first quote is
always kept, so this decides no refusal either; a question asking two things ("who ..., and when ...?") keeps all. Unlike
``asked_type`` ("which" only, a presupposition check that may refuse), "what <N>" counts here: putting a quote
that names N first costs nothing when the documents call the answer something else, since then no quote names it.

Example::

    >>> asked_noun("What options does NHS England have when it considers an IFR?")
    ('options', 'option')
    >>> lead_first([3, 7], {3: "NHS England will need reassurance:", 7: "The options for consideration are:"},
    ...            "What options does NHS England have?")
    [7, 3]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.asked_type import _KINDS, asked_type, head_of_run
from assistant.answering.constraints import asks_two_things, typed_matches
from assistant.answering.topics import topic_terms
from assistant.text.terms import acronyms, expand, terms

_ASKING = re.compile(r"\b(?:what|which)\s+", re.I)
# Nouns of a measure or an amount ("what opening *hours*", "which needle *length*", "what productivity *improvement*"):
# the answer is a figure, which the asked kind (``answer_kinds``) looks for; the noun itself is in many a sentence.
_MEASURES = frozenset(terms("length width height depth weight hours minutes days weeks months years duration frequency "
                            "dose speed distance capacity scale limit maximum minimum increase decrease reduction rise "
                            "fall improvement saving savings value"))
# Nouns that ask for a manner ("in what *form*", "in which *way*"): the answer rarely names them, and a sentence that
# does uses them in another sense ("the request *form*").
_MANNER = frozenset(terms("way ways kind kinds type types sort sorts form forms manner format extent respect sense basis"))


def asked_noun(question: str) -> tuple[str, str] | None:
    """``(word, stem)`` of the noun a "what/which <N> ...?" question asks about, or None (pure).

    The head of the noun run after the first "what" or "which", ended by an auxiliary ("what *options* does"),
    a past-tense verb ("which *minister* announced") or an object after the run's verb ("which *portal* takes
    the form"). "What is ..." has no run (None), nor has a run ending in an answer kind ("what percentage",
    "which year": the asked kind is checked by ``answer_kinds``) a measure ("which needle length") or a manner ("in what form").
    """
    found = _ASKING.search(question)
    if not found:
        return None
    head = head_of_run(question[found.end():])
    if head is None:
        return None
    stems = terms(head)
    if not stems or stems[-1] in _KINDS or stems[-1] in _MEASURES or stems[-1] in _MANNER:
        return None
    return head, stems[-1]


def names_noun(stem: str, text: str) -> bool:
    """Whether ``text`` uses the asked noun (by its stem: "sector" names "sectors") (pure)."""
    return stem in terms(text)


def lead_first(chosen: Sequence[int], texts: Mapping[int, str], question: str) -> list[int]:
    """``chosen`` (best first) with the best quote that names the question's asked noun moved first, when the
    best one does not name it; otherwise unchanged (pure). ``texts[i]``: the text of quote ``i``."""
    asked = asked_noun(question)
    if asked is None or len(chosen) < 2 or names_noun(asked[1], texts[chosen[0]]):
        return list(chosen)
    naming = next((i for i in chosen[1:] if names_noun(asked[1], texts[i])), None)
    if naming is None:
        return list(chosen)
    if asked_type(question) is not None and new_names(texts[chosen[0]], question) and not new_names(texts[naming], question):
        # "which sharps bins ...?" is answered by an instance ("Sharpsguard yellow 1 litre"), which needn't repeat the
        # noun: a best quote naming something the question does not, over one naming nothing, stays first
        return list(chosen)
    # the answer's subject first: the reader looks for the asked thing in the first quote
    return [naming, *(i for i in chosen if i != naming)]


def drop_repeats(chosen: Sequence[int], texts: Mapping[int, str], question: str,
                 before: Mapping[int, int | None] | None = None, covers: Mapping[int, float] | None = None) -> list[int]:
    """``chosen`` (in answer order) without the quotes after the first that hold none of the question's words the
    quotes kept before them lack and no thing of the asked kind they hold, for a question asking for one thing of a
    kind (``answer_kinds``); otherwise unchanged (pure). ``texts[i]``: the text of quote ``i`` (with what it leans on and its list).
    ``before[i]``: the sentence right before ``i`` in its document (``context.predecessors``); a quote right after a
    kept one goes on with it ("It is anticipated that these will transfer from April 2027.") and is kept.
    ``covers[i]``: how much of the question sentence ``i`` itself says (``ScoredSentence.lexical``); one that says at
    least as much as the first quote is about what was asked, whatever words the quotes before it hold, and is kept."""
    if len(chosen) < 2 or answer_kind(question) is None or asks_two_things(question):
        return list(chosen)
    asked = set(topic_terms(question))
    known = acronyms(texts[i] for i in chosen)  # "ICSs" in a quote says "integrated care systems"
    held: set[str] = set()
    given: set[str] = set()
    kept: list[int] = []
    for i in chosen:
        found = set(expand(terms(texts[i]), known)) & asked
        values = asked_values(question, texts[i])
        goes_on = before is not None and before.get(i) in kept
        says_less = covers is None or (bool(kept) and covers[i] < covers[kept[0]])
        if kept and not goes_on and says_less and not found - held and (not values or not values <= given):
            continue  # another figure, date or name (or none) in words already quoted: about something else
        held |= found
        given |= values
        kept.append(i)
    return kept


def asked_values(question: str, text: str) -> set[str]:
    """The things of the asked kind ``text`` holds ("20 working days", "Steve Russell"), as written (pure)."""
    return {" ".join(text[a:b].casefold().split()) for a, b in typed_matches(question, text)}


_NAME = re.compile(r"\b[A-Z][\w&'’-]*")


def new_names(text: str, question: str) -> set[str]:
    """The capitalised words of ``text`` (not opening it or one of its sentences or items) that the question does
    not use: the names it gives of its own ("Sharpsafe", "Jeremy Hunt") (pure)."""
    asked = {w.casefold() for w in re.findall(r"[\w&'’-]+", question)}
    text = text.strip()
    return {m.group(0) for m in _NAME.finditer(text) if m.start() > 0 and m.group(0).casefold() not in asked
            and m.group(0) != "I" and not re.search(r"(?:^|[.:;!?•·–“‘\"(-])\s*$", text[:m.start()])}
