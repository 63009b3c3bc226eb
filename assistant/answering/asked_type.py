"""What a "which <N> ...?" question asks for an instance of (pure functions, no model).

"Which pharmacy wholesaler supplies Insupen needles?" presupposes that the documents name wholesalers; a
passage about Insupen's price, however close, names none, so nothing retrieved can say which one. The
asked type N is the head of the noun run after "which" when what ends the run shows it is a noun run:
an auxiliary ("which *sectors* do ..."), a past-tense verb ("which *minister* announced ..."), or, after
the run's last word (then its verb), an object ("which pharmacy *wholesaler* supplies Insupen ...").

Only "which": "what <N>" is as often a description the documents put in other words ("what papers do
panel members get" is answered by "the documents ... the pack"; on the development set that cost an
answer), while "which N" asks to pick among things the documents call Ns. Shell nouns ("which way",
"which steps") and answer kinds ("which year", "which version"; checked by kind elsewhere) ask for no
type of their own. ``constraints.meets`` looks for N in everything retrieved, not only the sentence.

Example::

    >>> asked_type("Which minister announced the 10 Year Health Plan?")
    ('minister', 'minist')
    >>> asked_type("Which of these applies?") is None
    True
"""

from __future__ import annotations

import re

from assistant.text.terms import STOPWORDS, terms

_AUX = frozenset("do does did is are was were will would should shall can could must may might has have had".split())
_OBJECT_OPENERS = frozenset("the a an its their his her our this that these those".split())
# Nouns that name no kind of thing of their own ("which way", "which one"): the answer rarely repeats them.
_SHELL = frozenset(terms("one ones kind type sort way ways extent step steps thing things factor factors aspect aspects "
                         "area areas issue issues option options part parts case cases example examples"))
# What other checks ask for by kind ("which year": a date; "which version": a version number).
_KINDS = frozenset(terms("percentage proportion share number amount figure target rate date day month year time period "
                         "deadline reference code version phone telephone cost price salary budget fee age size level"))
# Adverbs between the noun run and its verb ("which newspaper *first* reported"): neither noun nor verb.
_ADVERBS = frozenset("first last still already usually often always never ever currently now recently also only".split())
_WHICH = re.compile(r"\bwhich\s+", re.I)
_TOKEN = re.compile(r"[\w&-]+(?:['’]s)?|[^\w\s]")


def head_of_run(rest: str) -> str | None:
    """The head of the noun run that opens ``rest`` (what follows "which"/"what"), ended by an auxiliary, a past-tense
    verb or an object after the run's verb; None for no run, or a run that may be a verb phrase (pure)."""
    run: list[str] = []
    stop = ""
    for token in _TOKEN.findall(rest):
        low = token.lower()
        if low in _ADVERBS or (low.endswith("ly") and len(low) > 4):
            continue
        if not re.match(r"\w", token):
            stop = "."
        elif token[:1].isupper() or any(ch.isdigit() for ch in token):
            stop = "object" if run else "name"  # a name or a figure: the run's last word was its verb
        elif low in _AUX or (run and low.endswith("ed") and len(low) > 4):
            stop = "verb"
        elif low in _OBJECT_OPENERS:
            stop = "object"
        elif low in STOPWORDS:
            stop = "."
        else:
            run.append(token)
            continue
        break
    if stop == "verb" and run:
        head = run[-1]
    elif stop == "object" and len(run) >= 2:
        head = run[-2]
    else:
        return None
    return head


def asked_type(question: str) -> tuple[str, str] | None:
    """``(word, stem)`` of the type a "which <N>" question asks for an instance of, or None (pure)."""
    found = _WHICH.search(question)
    if not found:
        return None
    head = head_of_run(question[found.end():])
    if head is None:
        return None  # "which of ...", or a run that may be a verb phrase
    stems = terms(head)
    if not stems or stems[-1] in _SHELL or stems[-1] in _KINDS:
        return None
    return head, stems[-1]


# "question 5", "Appendix four", "Annex A", "segment 3": the asked type's word with a number or a label letter
_LABEL = r"(?:\d+(?:\.\d+)*[a-z]?|[A-Z]\b|one|two|three|four|five|six|seven|eight|nine|ten)"
_INSTANCE = re.compile(rf"\b([A-Za-z][A-Za-z-]{{2,}})\s+{_LABEL}(?![-/]\w)")


def labels_instance(stem: str, text: str) -> bool:
    """Whether ``text`` names an instance of the asked type (stem ``stem``) by its label: "If *question 5* is no
    the process stops" for "which question ends the process?", "*Appendix four*" for "which appendix" (pure).

    Such a sentence holds what a "which <N>" question asks for, as a figure holds what "how many" asks.
    """
    return any(terms(m.group(1))[-1:] == [stem] for m in _INSTANCE.finditer(text))
