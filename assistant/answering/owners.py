"""The words of a question that name the organisation its passages' documents belong to (pure).

"When was NHS Cambridgeshire and Peterborough Integrated Care Board established?": in that board's own documents
the name is in nearly every passage, and most fully in the sentence that gives it ("The name of this Integrated
Care Board is NHS Cambridgeshire and Peterborough Integrated Care Board ..."), which then outscores "The ICB was
established on 1 July 2022" on both the embedding and the shared words, though it says nothing of what is asked.
The name says whose document to read, not which sentence answers: sentences are scored on the question with it
put as "it" ("When was it established?"). (Put as "the ICB" instead, the name's kind word still drew the sentence
that gives the name.)

An owner is a document's publisher, from its own metadata (never a list of organisations). A run of question
words names one when all of them are words of the publisher's name (small words such as "and" may join them,
"ICB" stands for "integrated care board"), one of them is a word, not an acronym, that is neither generic nor
a year ("Cambridgeshire"; "NHS England" names too many documents to mean one), and at most ``MAX_SHARED`` of the
documents have that publisher. A name no document's publisher has ("NHS Norfolk and Waveney ICB") is no owner's.

Example::

    >>> docs = [DocName("c.docx", "ICB constitution", "c.docx", "NHS Cambridgeshire and Peterborough Integrated Care Board")]
    >>> owner_words("When was NHS Cambridgeshire and Peterborough ICB set up?", docs).question
    'When was it set up?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.retrieval.naming import GENERIC, MAX_SHARED, DocName, acronym_of, is_kind, name_matches, name_runs
from assistant.text.terms import terms

_TOKEN = re.compile(r"[A-Za-z0-9&]+(?:['’]s\b)?")
_DATED = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class OwnerWords:
    """The question with the owner's name put as "it" (``question``), and the terms of the words naming it."""

    question: str
    terms: frozenset[str]
    publishers: frozenset[str]
    """The owners named (documents' ``publisher``)."""


def _publisher_of(doc: DocName) -> DocName:
    """``doc`` named by its publisher alone (its title and file name are what it is about, not whose it is)."""
    return DocName(doc.key, "", ".", doc.publisher)


def _names_owner(tokens: Sequence[str], doc: DocName) -> bool:
    """Whether a run of question words holds a word of the publisher's name as written there (not another form of
    it: "governing" is not "Government"), capitalised, that is not an acronym, generic or a year."""
    written = {w.lower() for words in doc.words for w in words}
    for token in tokens:
        # a name is written with capitals: "the government" is not "HM Government"
        if acronym_of(token) or _DATED.match(token) or token.lower() not in written or not token[:1].isupper():
            continue
        if set(terms(token)) - GENERIC:
            return True
    return False


def _proper(token: str, first: bool) -> bool:
    """Whether a question word is capitalised as part of a name (not the question's first word)."""
    return not first and token[:1].isupper()


def owner_words(question: str, docs: Sequence[DocName], max_shared: int = MAX_SHARED) -> OwnerWords | None:
    """The question with the runs of words that name the publisher of some of ``docs`` put as "it" ("its" for
    "X's"), and the terms of those words; None when it names none (pure)."""
    found = list(_TOKEN.finditer(question))
    tokens = [re.sub(r"['’]s$", "", m.group(0)) for m in found]
    owners = {d.publisher: _publisher_of(d) for d in docs if d.publisher}
    spans: list[tuple[int, int]] = []
    named: set[str] = set()
    publishers: set[str] = set()
    for owner in owners.values():
        matched = name_matches(tokens, owner)
        for start, end, _, run_terms in name_runs(tokens, matched):
            # "ICB's board": the name ends at its possessive
            end = next((i + 1 for i in range(start, end) if re.search(r"['’]s$", found[i].group(0))), end)
            run_terms = frozenset(t for m in matched[start:end] if m for t in m)
            if not _names_owner(tokens[start:end], owner):
                continue
            if sum(run_terms <= owners[d.publisher].stems for d in docs if d.publisher) > max_shared:
                continue
            # a document's name, not its owner's: "the Cambridgeshire and Peterborough ICB *constitution*" (naming.py)
            if end < len(tokens) and is_kind(tokens[end]):
                continue
            # part of a longer name: "Cambridgeshire and Peterborough *Joint Prescribing Group*", "*Royal* Papworth"
            if end < len(tokens) and _proper(tokens[end], False) and not re.search(r"['’]s$", found[end - 1].group(0)):
                continue
            if start > 0 and _proper(tokens[start - 1], start - 1 == 0) and tokens[start - 1].lower() not in ("nhs", "the"):
                continue
            # "NHS" before the run is part of the name ("NHS Cambridgeshire ..."), and so is "the"
            while start > 0 and tokens[start - 1].lower() in ("nhs", "the"):
                start -= 1
            spans.append((start, end))
            publishers.add(owner.publisher)
            for token in tokens[start:end]:
                named |= set(terms(acronym_of(token) or token))
            named |= {t for m in matched[start:end] if m for t in m}
    if not spans:
        return None
    text, last = [], 0
    for start, end in sorted(set(spans)):
        a, b = found[start].start(), found[end - 1].end()
        if a < last:
            continue
        text.append(question[last:a])
        text.append("its" if re.search(r"['’]s$", found[end - 1].group(0)) else "it")
        last = b
    text.append(question[last:])
    return OwnerWords("".join(text), frozenset(named), frozenset(publishers))
