"""Whether the retrieved sentences answer the question at all, or only something of the same kind.

``constrained`` checks each candidate sentence against what the question turns on
(``assistant.answering.constraints``), by document: a figure the question asks about ("by 2028",
"in 2022/23") must be in the sentence's own document, since another retrieved document that happens
to say "2028" does not make "170 centres will be open by March 2025" an answer. A figure that names a
document instead ("the December 2024 Board paper", "the 2025/26 guidance": the figure is that
document's date or period and the words beside it are its title's) is met by that document's being retrieved.

Example::

    >>> constrained("How many centres will be open by 2028?", candidates, passages)
    [False, True, ...]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answering.answer_kinds import ANSWER_TYPES, KINDS, answer_kind
from assistant.answering.asked_attributes import asked_attribute_stems, asked_event_stems, lead_in_of, names_attribute
from assistant.answering.asked_things import asked_things, names_thing, names_title
from assistant.answering.constraints import (
    ASKING,
    GENERIC,
    Constraint,
    answer_type_match,
    asking_part,
    asks_two_things,
    canonical_numbers,
    meets,
    question_constraints,
)
from assistant.answering.durations import anchor_and_event, runs_from_anchor
from assistant.answering.populations import another_group, asked_groups, asked_scoped, covers
from assistant.answering.subject import defined_names, frame_terms
from assistant.answering.topics import speaker_terms
from assistant.results import Passage
from assistant.text.nhs_synonyms import said_otherwise
from assistant.text.number_words import NUMBER_STEMS, ONE
from assistant.text.sentences import is_lead_in
from assistant.text.terms import STOPWORDS, acronyms, expand, terms

Candidate = tuple[int, int, int, str]  # (passage_rank, doc_start, doc_end, text)
_TOKEN = re.compile(r"[\w£&'’/.-]*\w")
_LEAD_GAP = 4  # characters between a lead-in and the sentence it announces (a newline or two)
_NUMBERS = NUMBER_STEMS | {ONE}  # "within *four* hours": a measure the question states is not reworded
TOLD_BEFORE = 2  # sentences before a candidate in its passage that may tell the event its period leads to
_ACRONYM = re.compile(r"[A-Z&]{2,}s?")  # a name that is an abbreviation ("DNAs", "GPs", "A&E") may be written out
_NEAR = 2  # words either side of a figure that may name the document it dates ("the 2025 planning framework")


def doc_key(passage: Passage) -> str:
    return passage.path or passage.source


def names_document(question: str, figure: Constraint, passages: Sequence[Passage]) -> bool:
    """Whether ``figure`` (a figure constraint of ``question``) names a retrieved document: the figure is the
    document's date, period, version or reference, and a word right beside it in the question is in
    the document's title ("the *December 2024* Board paper") (pure)."""
    beside = words_beside(question, figure)
    if not beside:
        return False
    for p in passages:
        meta = " ".join(x or "" for x in (p.title, p.date, p.period, p.version, p.reference))
        if set(figure.values) & canonical_numbers(meta) and beside & set(terms(p.title)):
            return True
    return False


def words_beside(question: str, figure: Constraint) -> set[str]:
    """The terms of the content words right beside ``figure`` in ``question`` ("the December 2024 *Board paper*") (pure)."""
    tokens = [t.group(0) for t in _TOKEN.finditer(question)]
    beside: set[str] = set()
    for i, token in enumerate(tokens):
        if not set(figure.values) & canonical_numbers(token):
            continue
        for step in (-1, 1):  # adjacent content words only: "score in 2024" is not "the 2024 survey"
            j = i + step
            while 0 <= j < len(tokens) and abs(j - i) <= _NEAR and tokens[j].lower() not in STOPWORDS:
                beside.update(terms(tokens[j]) if not any(ch.isdigit() for ch in tokens[j]) else [])
                j += step
    return beside


_FIGURES = frozenset({"money", "duration", "age", "figure", "dose"})  # answer kinds that are a figure


def constrained(
    question: str, candidates: Sequence[Candidate], passages: Sequence[Passage], kin: frozenset[str] = frozenset(),
) -> list[bool]:
    """Which candidates meet what the question turns on: its labelled figures, names, qualifiers, the thing it
    counts or dates, each in the sentence or its passage (title and section included), acronyms by the long
    forms the passages define; figures in the sentence's own document unless they name a document (pure).
    ``kin``: kind words of names that answer a "which <N>" question nothing retrieved calls N (``asked_kin``).
    A focus or qualifier the sentence (a qualifier: or its passage) says in another standard NHS wording is met
    (``nhs_synonyms``: "missed appointments" / "did not attends")."""
    wanted = [replace(c, aliases=tuple(sorted(kin))) if c.kind == "asked" else c for c in question_constraints(question)]
    groups = asked_groups(question)  # "in pregnancy", "for children": the sentence's own document must cover that group
    # "a *flu jab*": a thing named in several words, one of which the sentence's document must use (``asked_things``);
    # one passage judged alone is too little of its document to say it never names the thing
    things = asked_things(asking_part(question), ASKING | GENERIC) if len(passages) > 1 else []
    # "What is the *term of office* of Y?": the sentence (or its list's lead-in) names the attribute asked
    two = asks_two_things(question)
    attribute = () if two else asked_attribute_stems(asking_part(question))
    event = () if two else asked_event_stems(asking_part(question))  # "deadline for *applying*": in the passage
    # the event is looked for once per passage, and only when one is asked
    event_named = {rank: names_attribute(event, f"{passages[rank].section or ''}\n{passages[rank].text}")
                   for rank in {c[0] for c in candidates}} if event else {}
    attribute_met = [a and event_named.get(rank, True)
                     for a, (rank, _, _, _) in zip(_names_attribute(attribute, candidates, passages), candidates)]
    scoped = asked_scoped(question)  # "in hospitals": not answered by a sentence about primary care
    if not wanted and not groups and not things and not scoped:
        return attribute_met
    known = acronyms([p.text for p in passages])
    named = {s for c in wanted if c.kind == "name" for s in c.stems}
    wanted += [c for c in defined_names(question, known) if not set(c.stems) <= named]  # "individual funding requests"
    contexts = [f"{p.title}\n{p.publisher}\n{p.section or ''}\n{p.text}" for p in passages]
    retrieved = "\n".join(contexts)
    by_doc: dict[str, list[str]] = {}
    for p, context in zip(passages, contexts):
        by_doc.setdefault(doc_key(p), []).append(context)
    own = ["\n".join(by_doc[doc_key(p)]) for p in passages]
    # a figure that names a retrieved document is met by retrieving it (its date may be only in the metadata)
    naming = [c for c in wanted if c.kind == "figure" and names_document(question, c, passages)]
    wanted = [c for c in wanted if c not in naming]
    # "what did <the Hewitt Review> say about ...": what another document says is not what it said
    speaker = speaker_terms(question)
    # a name the question is about (not who said it, nor which document): in the sentence's own document too
    frame = frame_terms(question, passages, known).union(*(words_beside(question, c) for c in naming))
    in_own = [c.kind in ("figure", "sector") or (c.kind in ("name", "quoted") and set(c.stems) <= speaker)
              or (c.kind == "name" and not set(c.stems) <= frame) for c in wanted]
    # a period from the anchor of "how long after A did B?" is quoted with the sentence before it that tells B
    # (``from_anchor``): the two meet the question together
    quoted = [f"{told_before(passages[rank], start)}\n{text}" if anchored else text
              for anchored, (rank, start, _, text) in zip(from_anchor(question, candidates, passages), candidates)]
    # a group described by a superlative is often named in the sentence before the one giving its size ("... people with
    # complex needs ... This cohort has been estimated at around 7% of the population")
    described = any(c.kind == "described" for c in wanted)
    previous = [f"{told_before(passages[rank], start, 1)}\n{text}" if described else text for rank, start, _, text in candidates]
    names_things = _names_things(question, things, passages, own, retrieved, known)
    asking = asking_part(question)
    figure = answer_kind(question) in _FIGURES  # "how many adults": the sentence's figure must be the adults'
    own_group = [not scoped or another_group(scoped, f"{told_before(passages[rank], start, 1)}\n{text}",
                                              f"{passages[rank].title}\n{passages[rank].section or ''}", own[rank],
                                              figure) is None
                 for rank, start, _, text in candidates]
    return [
        all(meets(c, before if c.kind == "described" else text, contexts[rank], known, retrieved, own[rank] if local else None)
            or reworded(asking, c, text, contexts[rank]) for c, local in zip(wanted, in_own))
        and covers(groups, own[rank]) and names_things[rank] and attribute_named and mine
        for (rank, _, _, _), text, before, attribute_named, mine in zip(candidates, quoted, previous, attribute_met, own_group)
    ]


def reworded(question: str, c: Constraint, text: str, context: str) -> bool:
    """Whether the focus, qualifier or abbreviated name ``c`` of ``question`` is said another standard way in ``text`` (a
    qualifier or a name: or in ``context``, its passage), ``nhs_synonyms``: "DNAs" / "did not attends", "GPs" / "general
    practice"; never a name's qualifier ("an *urgent* IFR") nor a number's ("within *four* hours": a measure the
    question states is not reworded) (pure)."""
    if c.kind not in ("focus", "qualifier", "name") or c.named or not c.stems or c.stems[0] in _NUMBERS:
        return False
    if c.kind == "name" and not _ACRONYM.fullmatch(c.text):
        return False  # "NHS Supply Chain", the "Drug" of "Drug Tariff": a proper name, not a standard wording
    word = c.text.split()[0]
    return said_otherwise(question, word, text if c.kind == "focus" else f"{text}\n{context}")


def _names_attribute(attribute: Sequence[str], candidates: Sequence[Candidate], passages: Sequence[Passage]) -> list[bool]:
    """For each candidate: whether it (with its list's lead-in) names the words of the asked ``attribute``
    (``asked_attributes``; a section heading may be "Glossary and definitions of terms"); all True when none is
    asked (pure)."""
    if not attribute:
        return [True] * len(candidates)
    texts = [c[3] for c in candidates]
    out = []
    for i, (rank, _, _, text) in enumerate(candidates):
        lead = lead_in_of(i, texts, [c[0] == rank for c in candidates])
        out.append(names_attribute(attribute, text, lead))
    return out


def _names_things(
    question: str, things: Sequence[tuple[str, tuple[str, ...]]], passages: Sequence[Passage], own: Sequence[str],
    retrieved: str, known: dict[str, list[str]],
) -> list[bool]:
    """For each passage: whether its document (what was retrieved of it) names each of ``things``; a question that spans
    documents (a preamble, two questions in one, a thing a retrieved title names) looks in everything retrieved (pure)."""
    if not things:
        return [True] * len(passages)
    titles = [set(terms(p.title)) for p in passages]
    if asking_part(question) != question or asks_two_things(question) or any(names_title(s, titles) for _, s in things):
        everything = set(expand(terms(retrieved), known))
        return [all(names_thing(s, everything) or _said_otherwise(question, words, retrieved) for words, s in things)] * len(passages)
    found: dict[str, bool] = {}
    for text in own:
        if text not in found:
            stems = set(expand(terms(text), known))
            found[text] = all(names_thing(s, stems) or _said_otherwise(question, words, text) for words, s in things)
    return [found[text] for text in own]


def _said_otherwise(question: str, words: str, text: str) -> bool:
    """Whether ``text`` says a thing the question names in ``words`` another standard NHS way (``nhs_synonyms``) (pure)."""
    return any(said_otherwise(question, word, text) for word in words.split())


def typed_candidates(question: str, candidates: Sequence[Candidate], passages: Sequence[Passage] = ()) -> list[bool] | None:
    """Which candidates hold the kind of thing the question asks for (a figure, date, name, ...); None when it asks
    for no particular kind. A lead-in ("Complaints should be sent to:") holds what the sentence right after it in
    its passage holds, since it is quoted with it. With ``passages``, a period running from the event a "how long
    after A did B?" question starts from holds one when the sentences before it tell B (``runs_from_anchor``) (pure)."""
    if answer_type_match(question, "") is None:
        return None
    own = [bool(answer_type_match(question, text)) for _, _, _, text in candidates]
    if passages:
        own = [o or a for o, a in zip(own, from_anchor(question, candidates, passages))]
    after = {(rank, start): i for i, (rank, start, _, _) in enumerate(candidates)}
    out = list(own)
    for i, (rank, _, end, text) in enumerate(candidates):
        if not own[i] and is_lead_in(text):
            nxt = min((j for (r, s), j in after.items() if r == rank and end <= s <= end + _LEAD_GAP), default=None,
                      key=lambda j: candidates[j][1])
            out[i] = nxt is not None and own[nxt]
    return out


def from_anchor(question: str, candidates: Sequence[Candidate], passages: Sequence[Passage]) -> list[bool]:
    """Which candidates give the interval a "how long after A did B?" question asks for by a period running from A,
    the sentences before them telling B (``durations.runs_from_anchor``); all False for another question (pure)."""
    if answer_kind(question) != "duration" or anchor_and_event(question) is None:
        return [False] * len(candidates)
    periods = ANSWER_TYPES[KINDS.index("duration")][1]
    return [runs_from_anchor(question, text, [m.span() for m in periods.finditer(text)], told_before(passages[rank], start))
            for rank, start, _, text in candidates]


def told_before(passage: Passage, start: int, sentences: int = TOLD_BEFORE) -> str:
    """The last ``sentences`` sentences of ``passage`` before document offset ``start`` (pure)."""
    before = passage.text[:max(0, start - passage.start)]
    parts = [p for p in re.split(r"(?<=[.!?])\s+", before.strip()) if p]
    return " ".join(parts[-sentences:])
