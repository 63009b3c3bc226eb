"""Headings that answer a question picking one part of a document or one item of a set (pure functions).

Policy documents put some answers in headings only: "E. Integrated intermediate care with a 'Home First' approach"
is one of six lettered components, each heading followed by its own body text, which never repeats the heading's
words. A question picking one of them ("Which of the six core components ... takes a 'Home First' approach?",
"Which step of the segmentation process adjusts for financial deficit?", "Which section covers safety needles?")
is answered by that heading alone, and the extractive answerer quotes no heading (headings are not answers to most
questions: quoted as such they read as fragments). So a heading becomes a candidate quote when

- the question picks one of a set: "which (one) of the (N) X ..." or "which <part word> ..." (section, appendix,
  step, component, ...), with a predicate after the verb ("... covers Y", "... takes a Y approach");
- the heading holds the predicate: every word of a phrase the question quotes, and most of the predicate's
  content words by IDF weight (the linking verb, "covers", "is about", aside);
- the heading is one of the set: labelled as an item ("E.", "3.2", "Step 3:", "Appendix three –") or, for a
  "which appendix/annex/step ..." question, labelled with that word; a "which section/part/heading" question
  accepts any heading (sections are often unnumbered: "Safety Needle Devices").

The heading is quoted verbatim with its own offsets (its text in the document, surrounding blanks aside).

Example::

    >>> asked_part("Which step of the segmentation process adjusts for financial deficit?")
    AskedPart(kind='step', predicate=('adjust', 'financi', 'deficit'), phrases=(), labelled_by='step')
    >>> is_labelled("E. Integrated intermediate care with a 'Home First' approach")
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.results import Passage
from assistant.text.phrases import holds_phrase, quoted_phrases
from assistant.text.terms import terms

_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# "Which of the six core components ...", "Which one of its principles ...", "Which of the framework's phases ..."
_WHICH_OF = re.compile(
    rf"\bwhich\s+(?:one\s+)?of\s+(?:the\s+(?:[\w-]+\s+){{0,3}}[\w-]+['’]s|the|these|those|its|their|our|[\w-]+['’]s)\s+"
    rf"(?:{_NUMBER}\s+)?(?P<rest>.+)$", re.I)
_WHICH = re.compile(r"\bwhich\s+(?P<rest>.+)$", re.I)
# Parts of a document and items of a set it lists: a "which <word>" question picks one of them.
_LABELLED_PARTS = frozenset(terms("appendix appendices annex annexe annexes schedule chapter step phase stage"))
_ANY_HEADING = frozenset(terms("section sections part parts heading headings"))
_ITEM_WORDS = frozenset(terms("component components principle principles pillar pillars domain domains priority "
                              "priorities theme themes element elements objective objectives recommendation "
                              "recommendations criterion criteria standard standards shift shifts ambition ambitions"))
_AUX = frozenset("is are was were do does did has have had can could will would should shall must may might".split())
# Verbs that only link the part to its topic ("covers Y", "is about Y", "sets out Y"): not what the heading must hold.
_LINKING = frozenset(terms("cover covers covered concern concerns concerned contain contains describe describes deal "
                           "deals set sets address addresses include includes explain explains outline outlines list "
                           "lists take takes relate relates focus focuses hold holds give gives provide provides "
                           "discuss discusses mention mentions cover apply applies"))
_FOLLOWERS = frozenset("a an the this that these those its their his her our to for with on in by of out up about "
                       "from into at".split())
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
# An item's label at a heading's start: "E. ", "3.2 ", "1) ", "iv. ", "Step 3:", "Appendix three –", "Annex A:"
_ITEM_LABEL = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s|[A-Z][.)]\s|\(?[a-z][.)]\s|\(?[ivx]{1,5}[.)]\s)")
_WORD_LABEL = re.compile(rf"^\s*(?P<word>[A-Za-z]+)\s+(?:{_NUMBER}|[A-Z]|[ivxIVX]{{1,5}})(?:\.\d+)*\b\s*[:.–—-]?", re.I)
MAX_HEADING = 150  # characters: a heading, not a paragraph
MIN_COVER = 0.8  # IDF-weighted share of the predicate's words the heading must hold (one of four missing is too many)
_WHOLE = 1.0 - 1e-9  # a heading holding every word of the predicate
_BODY = 400  # characters under a heading read for a "This appendix describes ..." sentence


@dataclass(frozen=True)
class AskedPart:
    """What a question picking one part or item asks: the kind of part, the stems the heading must hold, the phrases
    it quotes, and the word a heading of that kind is labelled with ("appendix"), if one is required."""

    kind: str
    predicate: tuple[str, ...]
    phrases: tuple[str, ...]
    labelled_by: str | None


def asked_part(question: str) -> AskedPart | None:
    """The part a "which (of the N) X <verb> Y" question picks, or None (pure)."""
    of = _WHICH_OF.search(question)
    found = of or _WHICH.search(question)
    if not found:
        return None
    tokens = _TOKEN.findall(found.group("rest"))
    if not tokens or not re.match(r"\w", tokens[0]):
        return None
    verb = _verb_at(tokens)
    if verb is None:
        return None
    noun_run = terms(" ".join(tokens[:_of_index(tokens, verb)]))
    if not noun_run:
        return None
    head = noun_run[-1]
    if not of and head not in _LABELLED_PARTS | _ANY_HEADING | _ITEM_WORDS:
        return None  # "which minister ...": not a part of a document or an item of a set
    run = set(terms(" ".join(tokens[:verb])))
    predicate = tuple(dict.fromkeys(t for t in terms(" ".join(tokens[verb:])) if t not in _LINKING and t not in run))
    if not predicate:
        return None
    labelled_by = head if head in _LABELLED_PARTS else None
    return AskedPart(head, predicate, tuple(quoted_phrases(question)), labelled_by)


def _of_index(tokens: Sequence[str], verb: int) -> int:
    """Where the kind's noun run ends: at its first "of"/"in"/"for" ("steps *of* the process"), else at the verb."""
    return next((i for i in range(1, verb) if tokens[i].lower() in {"of", "in", "for", "within"}), verb)


def _verb_at(tokens: Sequence[str]) -> int | None:
    """Index of the verb after the noun run ("... process *adjusts* for", "... health *takes* a", "... *is* about")."""
    for i in range(1, len(tokens)):
        low = tokens[i].lower()
        if not re.match(r"\w", low):
            if low in "?,;:.!":
                return None  # the clause ended with no verb
            continue  # "2025/26", "A&E"
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower()
        if _plural(prev) and _plural(low):
            return i  # "principles *requires* plans": a plural noun is followed by its verb, not by another noun
        if low in _AUX or (terms(low)[:1] and terms(low)[0] in _LINKING and tokens[i - 1].lower() not in {"the", "a", "an"}):
            return i
        if (_plural(low) and (nxt in _FOLLOWERS or nxt[:1] in "'‘“\"") and nxt != "of"
                and prev not in {"the", "a", "an"}):
            return i
        if low.endswith("ed") and len(low) > 4 and prev not in {"the", "a", "an"}:
            return i
    return None


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def is_labelled(heading: str) -> bool:
    """Whether ``heading`` opens with an item's label: "E. ", "3.2 ", "Step 3:", "Appendix three –" (pure)."""
    return bool(_ITEM_LABEL.match(heading) or _WORD_LABEL.match(heading))


def held_share(asked: AskedPart, text: str, idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the predicate's words ``text`` holds; 0.0 unless it writes every quoted phrase (pure)."""
    if not all(holds_phrase(text, p) for p in asked.phrases):
        return 0.0
    held = set(terms(text))
    total = sum(idf(t) for t in asked.predicate)
    return sum(idf(t) for t in asked.predicate if t in held) / total if total > 0 else 0.0


def is_asked_part(asked: AskedPart, heading: str) -> bool:
    """Whether ``heading`` is one of the set ``asked`` picks from: labelled with the asked word ("Appendix three –")
    when that kind of part is always labelled, any heading for a section, else labelled as an item (pure)."""
    if not heading or len(heading) > MAX_HEADING or heading.rstrip().endswith((".", ";", ",")):
        return False
    if asked.labelled_by is not None:
        word = _WORD_LABEL.match(heading)
        return word is not None and terms(word.group("word"))[:1] == [asked.labelled_by]
    return asked.kind in _ANY_HEADING or is_labelled(heading)


def answers_part(asked: AskedPart, heading: str, idf: Callable[[str], float]) -> bool:
    """Whether ``heading`` is the part ``asked`` picks: one of the set, holding the quoted phrases and most of the
    predicate (pure)."""
    return is_asked_part(asked, heading) and held_share(asked, heading, idf) >= MIN_COVER


def introduces_part(asked: AskedPart, heading: str, body: str, idf: Callable[[str], float]) -> bool:
    """Whether the text under ``heading`` says what the part is about in its own name ("Appendix 1" / "This appendix
    describes 6 core components"): the heading is one of the set, the body refers to "this <kind>" and holds most of
    the predicate (pure)."""
    return (is_asked_part(asked, heading) and bool(re.search(rf"\b(?:this|the\s+present)\s+{re.escape(asked.kind)}",
                                                                 body, re.I))
            and held_share(asked, body, idf) >= MIN_COVER)


def heading_candidates(question: str, passages: Sequence[Passage],
                       idf: Callable[[str], float]) -> list[tuple[int, int, int, str]]:
    """``(passage_rank, doc_start, doc_end, text)`` of each heading in ``passages`` that answers a question picking one
    part or item (``answers_part``), its offsets those of its text without surrounding blanks; [] for other
    questions (pure)."""
    asked = asked_part(question)
    if asked is None:
        return []
    found: list[tuple[float, tuple[int, int, int, str]]] = []
    seen: set[tuple[str, int]] = set()
    for rank, passage in enumerate(passages):
        for share, (start, end, text) in _answering_headings(asked, passage, idf):
            key = (passage.path or passage.source, start)
            if key not in seen:
                seen.add(key)
                found.append((share, (rank, start, end, text)))
    # of two headings holding the predicate, the one holding more of it ("Appendix six – Terms of reference IFR
    # Panel", not "Appendix two – Terms of reference IFR Screening Group", for the IFR Panel's terms of reference)
    best = max((share for share, _ in found), default=0.0)
    return [candidate for share, candidate in found if share >= best - 1e-9]


def _answering_headings(asked: AskedPart, passage: Passage,
                        idf: Callable[[str], float]) -> list[tuple[float, tuple[int, int, str]]]:
    """``(share, (doc_start, doc_end, text))`` of each heading of ``passage`` answering ``asked``."""
    out = []
    spans = sorted(passage.unquotable)
    for index, (a, b) in enumerate(spans):
        if a < passage.start or b > passage.end:
            continue
        raw = passage.text[a - passage.start:b - passage.start]
        text = raw.strip()
        if "\n\n" in text or re.search(r"\.{4,}|…{2,}", text) or text.casefold() == passage.title.casefold():
            continue  # a block of several lines, a contents line or the document's title
        start = a + (len(raw) - len(raw.lstrip()))
        next_heading = spans[index + 1][0] if index + 1 < len(spans) else passage.end
        body = passage.text[b - passage.start:min(next_heading, b + _BODY) - passage.start]
        if answers_part(asked, text, idf):
            share = held_share(asked, text, idf)
        elif introduces_part(asked, text, body, idf):
            share = MIN_COVER  # named by its body, less surely than by its own words
        else:
            continue
        out.append((share, (start, start + len(text), text)))
    return out


def with_part_heading(question: str, passages: Sequence[Passage], deeper: Sequence[Passage],
                      idf: Callable[[str], float]) -> list[Passage]:
    """``passages`` with the first of ``deeper`` (the same ranking, further down) whose heading answers the part
    ``question`` picks better than any of theirs, in place of the lowest-ranked passage with no such heading; unchanged
    when one of theirs holds the whole predicate or no deeper one does better (pure). The six components are six
    chunks, and a search ranks the appendix's overview above the one component asked about."""
    asked = asked_part(question)
    if asked is None:
        return list(passages)
    shares = [max((share for share, _ in _answering_headings(asked, p, idf)), default=0.0) for p in passages]
    have = max(shares, default=0.0)
    if have >= _WHOLE:
        return list(passages)
    ids = {p.chunk_id for p in passages}
    better = [(share, i) for i, p in enumerate(deeper) if p.chunk_id not in ids
              for share in [max((s for s, _ in _answering_headings(asked, p, idf)), default=0.0)] if share > have]
    free = [i for i, share in enumerate(shares) if share == 0.0]
    if not better or not free:
        return list(passages)
    _, found = max(better, key=lambda b: (b[0], -b[1]))
    out = list(passages)
    out[free[-1]] = deeper[found]
    return out


def heading_held_whole(question: str, passages: Sequence[Passage], idf: Callable[[str], float]) -> bool:
    """Whether a heading among ``passages`` holds all the predicate of the part ``question`` picks (pure): no deeper
    search can then do better (``with_part_heading``)."""
    asked = asked_part(question)
    return asked is not None and any(share >= _WHOLE for p in passages for share, _ in _answering_headings(asked, p, idf))
