"""Which indexed document(s) a question names ("according to the IFR policy", "the medium term planning
framework", "NHS England's letter on the Hewitt Review") (pure).

A user who names a document means that document: "How many new community diagnostic centres does the medium
term planning framework commit to opening?" is not answered by another document's "170 community diagnostic
centres will be open by March 2025". The names come from each document's own metadata, never from a list of
titles: its title, file name, publisher and kind, and the acronyms their words spell ("IFR" for "individual
funding requests", "SOP" for "standard operating procedures").

A question names a document when a run of its words (small words such as "of", "and", "the" may join them)
are all words of that document's names, and

- the run is a document's name, not a topic: it holds a word that says "document" ("framework", "guidelines",
  "constitution", "letter", ...) or is followed by one ("the insulin pen needles *guidance*"); "neighbourhood
  health" alone is what a question is about, "the neighbourhood health guidelines" is where it is to be read;
- the run holds a word that is not generic ("NHS", "England", "guidance", "plan", "policy", "health" name
  nothing by themselves);
- at most ``MAX_SHARED`` documents have every word of the run among their names (a phrase many documents share
  names none of them).

Where the runs of two documents overlap, the longer wins ("the IFR *SOP*" names the procedures, not the
policy, which "IFR" alone would also name); runs of the same length name both ("the IFR documents").

Example::

    >>> docs = [DocName("mtpf.md", "Medium term planning framework – delivering change together 2026/27 to 2028/29"),
    ...         DocName("nh.md", "Neighbourhood health guidelines 2025/26")]
    >>> [n.key for n in named_documents("What does the medium term planning framework say about diagnostics?", docs)]
    ['mtpf.md']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.results import Passage
from assistant.text.nhs_acronyms import standard_long_form
from assistant.text.terms import initials_match, terms

MAX_SHARED = 2
"""A run of words whose terms are all in more documents' names than this names none of them."""

TITLE_SHARE = 0.75
"""A run of generic words names a document when it holds this share of its title's words."""

# Words that say "a document" (exact words, lower case): a run holding one, or followed by one, is a name.
KIND_WORDS = frozenset(
    """guidance guidelines guideline guide framework frameworks plan plans policy policies procedure procedures sop
    sops constitution manual paper papers letter article report review update strategy document publication summary
    protocol specification circular briefing statement charter bulletin handbook toolkit code formulary leaflet roadmap
    regulations contract""".split())
_KIND_TERMS = frozenset(terms(" ".join(KIND_WORDS)))
# Stems that name nothing by themselves: every document of the NHS corpus has them, or a kind of document
GENERIC = frozenset(terms(
    """nhs england english uk national guidance guidelines guide plan planning policy policies document paper report
    review update letter article publication summary executive version health care service services board
    framework procedures procedure manual year approved draft final""")) | {"v1", "v2", "v3"}
# Small words that may join the words of a name ("prescribing *of* insulin pen needles", "planning framework
# *for the* NHS *in* England", "letter *on the* Hewitt Review")
_JOINERS = frozenset("of and for the in on to &".split())
_MAX_GAP = 2
_TOKEN = re.compile(r"\d{4}/\d{2,4}|[A-Za-z0-9&]+(?:['’][A-Za-z]+)?")
_DATED = re.compile(r"^(?:19|20)\d\d(?:/\d{2,4})?$")  # a year or a period ("2025/26"): many documents are dated so
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")


@dataclass(frozen=True)
class DocName:
    """What an indexed document is called: ``key`` (its source), title, file name, publisher and kind."""

    key: str
    title: str
    source: str = ""
    publisher: str = ""
    kind: str = ""
    words: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)
    stems: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [self.title, _file_words(self.source or self.key), self.publisher, self.kind]
        words = tuple(tuple(re.findall(r"[A-Za-z0-9]+", n)) for n in names if n)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "stems", frozenset(t for w in words for t in terms(" ".join(w))))


@dataclass(frozen=True)
class Naming:
    """A document a question names, and the terms of the words that name it."""

    key: str
    terms: frozenset[str]
    said: frozenset[str]
    """The terms of the question's own words for it ("IFR policy": ``ifr``, ``polici``)."""
    start: int
    end: int
    """The question's words ``[start, end)`` (token positions) that name it."""


def _file_words(source: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.rsplit("/", 1)[-1])
    return " ".join(w for w in re.split(r"[\W_]+", stem) if w and not re.search(r"\d", w) or w.isdigit() and len(w) == 4)


def acronym_of(token: str) -> str | None:
    """The letters of an acronym written in capitals ("IFR", "ICBs"), or None."""
    bare = token[:-1] if len(token) > 2 and token.endswith("s") and token[:-1].isupper() else token
    return bare if _ACRONYM.match(bare) and not bare.isdigit() else None


def _spelt(acronym: str, doc: DocName) -> frozenset[str]:
    """The terms of the words of ``doc``'s names whose initials ``acronym`` spells ("IFR": individual funding
    requests), or, for an acronym with a standard NHS long form ("GP", "ICB"), that long form when all its terms are
    among the names; empty when neither."""
    long = frozenset(standard_long_form(acronym))
    if long:  # "GP" is a general practitioner, whatever a title's initials spell
        return long if long <= doc.stems else frozenset()
    letters = [ch.lower() for ch in acronym if ch.isalpha()]
    if len(letters) >= 2:
        for words in doc.words:
            plain = [w for w in words if w.isalpha()]  # not a reference ("PRN01625") or a date
            for end in range(len(plain), 0, -1):
                found = initials_match(plain[:end], letters)
                if found:
                    return frozenset(terms(" ".join(found)))
    return frozenset()


def name_matches(tokens: Sequence[str], doc: DocName) -> list[frozenset[str] | None]:
    """For each question token, the name terms of ``doc`` it stands for (None: not one of its words)."""
    out: list[frozenset[str] | None] = []
    for token in tokens:
        acronym = acronym_of(token)
        own = frozenset(terms(acronym or token))
        if own and own <= doc.stems:
            out.append(own)
        elif acronym and (spelt := _spelt(acronym, doc)):
            out.append(spelt)
        else:
            out.append(None)
    return out


def name_runs(tokens: Sequence[str], matched: Sequence[frozenset[str] | None]) -> Iterable[tuple[int, int, int, frozenset[str]]]:
    """Maximal runs of matched tokens joined by at most ``_MAX_GAP`` small words: ``(start, end, count, terms)``."""
    i = 0
    while i < len(tokens):
        if matched[i] is None:
            i += 1
            continue
        start, end, count, found = i, i + 1, 1, set(matched[i] or ())
        j = i + 1
        while j < len(tokens):
            k = j
            while k < len(tokens) and matched[k] is None and tokens[k].lower() in _JOINERS and k - j < _MAX_GAP:
                k += 1
            if k < len(tokens) and matched[k] is not None:
                found |= matched[k] or set()
                count += 1
                end = j = k + 1
            else:
                break
        yield start, end, count, frozenset(found)
        i = end


_SAME_KIND = {"guidelin": "guidanc", "guid": "guidanc", "sop": "procedur"}


def _kinds(stems: Iterable[str]) -> set[str]:
    return {_SAME_KIND.get(t, t) for t in stems if t in _KIND_TERMS}


def _same_kind(run: Sequence[str], doc: DocName) -> bool:
    """Whether the words for a document in a run (and the word right after it) fit the kind of document the
    catalogue says ``doc`` is (when it says): "the Hewitt Review" names a review, not the letter whose title is its
    subject; "NHS England's letter on the Hewitt Review" names the letter."""
    own = _kinds(terms(doc.kind))
    if not own:
        return True
    said: set[str] = set()
    for token in run:
        acronym = acronym_of(token)
        said |= _kinds(_spelt(acronym, doc) if acronym else terms(token) if is_kind(token, doc) else ())
    return not said or bool(said & own)


def _distinctive(run: Sequence[str], doc: DocName) -> bool:
    """Whether a run of question words holds one that is not generic: a word of the names that is neither generic
    nor a year or period, or an acronym spelling words of which one is not generic ("IFR")."""
    for token in run:
        if _DATED.match(token):
            continue
        acronym = acronym_of(token)
        own = set(terms(acronym or token))
        if own and own <= doc.stems and own - GENERIC:
            return True
        if acronym and _spelt(acronym, doc) - GENERIC:
            return True
    return False


def _quotes_title(run_terms: frozenset[str], doc: DocName) -> bool:
    """Whether the run holds nearly all the words of the title (bracketed parts and numbers aside): "the planning
    framework for the NHS in England" is that title whole, though each of its words is generic."""
    title = {t for t in terms(re.sub(r"\([^)]*\)", " ", doc.title)) if not t.isdigit()}
    return bool(title) and len(title & run_terms) >= TITLE_SHARE * len(title)


def is_kind(token: str, doc: DocName | None = None) -> bool:
    """Whether ``token`` is a word for a document, or an acronym of ``doc``'s names that spells one ("SAP":
    safeguarding adults policy)."""
    if token.lower() in KIND_WORDS or token.lower().rstrip("s") in KIND_WORDS:
        return True
    acronym = acronym_of(token)
    return bool(acronym and doc is not None and _spelt(acronym, doc) & _KIND_TERMS)


def named_documents(question: str, docs: Sequence[DocName], max_shared: int = MAX_SHARED) -> list[Naming]:
    """The documents among ``docs`` that ``question`` names, each with the words that name it; [] when it names
    none (pure)."""
    tokens = [re.sub(r"['’]s$", "", t.group(0)) for t in _TOKEN.finditer(question)]
    best: list[tuple[int, Naming]] = []
    for doc in docs:
        found: tuple[int, Naming] | None = None
        for start, end, count, run_terms in name_runs(tokens, name_matches(tokens, doc)):
            # a name, not a topic: a word for a document in it or right after it
            if not (any(is_kind(t, doc) for t in tokens[start:end]) or (end < len(tokens) and is_kind(tokens[end], doc))):
                continue
            if not _same_kind(tokens[start:end + 1], doc):  # "the Hewitt *review*" is not the letter about it
                continue
            if not (_distinctive(tokens[start:end], doc) or _quotes_title(run_terms, doc)) or sum(run_terms <= d.stems for d in docs) > max_shared:
                continue
            if found is None or count > found[0]:
                found = (count, Naming(doc.key, run_terms, frozenset(terms(" ".join(tokens[start:end]))), start, end))
        if found is not None:
            best.append(found)
    best.sort(key=lambda x: -x[0])
    kept: list[tuple[int, Naming]] = []
    # a name within a longer one is part of it ("the IFR SOP" is the procedures, not the policy "IFR" also names);
    # one with a word of its own is not ("the IFR policy and the IFR SOP" names both)
    for count, naming in best:
        if all(not (n.start <= naming.start and naming.end <= n.end) or c == count for c, n in kept):
            kept.append((count, naming))
    return [n for _, n in kept]


def named_in_asking(question: str, asked: str, docs: Sequence[DocName]) -> list[Naming]:
    """The documents the asking part of ``question`` (``asked``, ``constraints.asking_part``) names; none when a
    preamble names another one, or speaks of a document ("paper", "letter") it does not name as an asked one:
    "The December 2024 paper said X. What does the framework say?" relates the two, and both are needed (pure)."""
    namings = named_documents(asked, docs)
    if not namings or asked == question:
        return namings
    keys = {n.key for n in namings}
    preamble = question.replace(asked, " ")
    if {n.key for n in named_documents(question, docs)} - keys:
        return []
    # a preamble about a document none of the asked ones ("NHS England's Hewitt-response letter promised X.", "The
    # September 2025 planning framework expected medium-term plans in December."): a word for a document outside
    # the preamble's names of the asked ones
    tokens = [t.group(0) for t in _TOKEN.finditer(preamble)]
    ours = [n for n in named_documents(preamble, docs) if n.key in keys]
    if any(is_kind(t) and not any(n.start <= i < n.end for n in ours) for i, t in enumerate(tokens)):
        return []
    return namings


def mentions(text: str, naming: Naming) -> bool:
    """Whether ``text`` names the document itself (all the terms of its name, or of the question's words for it): a passage of another document
    quoting it ("the 10 Year Health Plan sets out ...") (pure)."""
    held = set(terms(text))
    return naming.terms <= held or naming.said <= held


def doc_names_of(rows: Iterable[Mapping[str, Any]]) -> list[DocName]:
    """The names of the indexed documents from their chunks' metadata (``source``, ``title``, ``publisher``,
    ``kind``; ``Columns.distinct``), one per source (pure)."""
    seen: dict[str, DocName] = {}
    for r in rows:
        source = str(r.get("source") or "")
        if source and source not in seen:
            seen[source] = DocName(source, str(r.get("title") or ""), source, str(r.get("publisher") or ""),
                                   str(r.get("kind") or ""))
    return list(seen.values())


def from_named(passages: Sequence[Passage], own: Sequence[Passage], namings: Sequence[Naming], k: int
               ) -> tuple[list[Passage], list[Passage]]:
    """The passages to answer a question that names documents from, at most ``k`` in all: the named documents' own
    (the retrieved ones, then their best ones searched for on their own, ``own``), and the retrieved passages of
    other documents that quote one of them by name ("as the 10 Year Health Plan sets out ..."), to be read after
    them; no other document's (pure)."""
    keys = {n.key for n in namings}
    quoting = [p for p in passages
               if p.source not in keys and any(mentions(f"{p.title}\n{p.text}", n) for n in namings)][:max(k - 1, 0)]
    named = [p for p in passages if p.source in keys]
    seen = {(p.source, p.start, p.text) for p in named}
    named += [p for p in own if (p.source, p.start, p.text) not in seen]
    return named[:k - len(quoting)], quoting
