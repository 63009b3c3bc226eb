"""Answers that know which guidance is current: successors first, superseded text labelled, periods stated.

The passages arrive annotated with their documents' facts (``ingest.lineage.Lineage.annotate``:
period, version, ``superseded_by``). This module decides how an answer uses them, around any
answer writer (extractive or generative, through its public ``stream``), and lays out the result:

- **nothing to say about currency** (no superseded passage, at most one period among the passages):
  the answerer's answer, untouched;
- **superseded documents or several periods**: the passages are answered in two tiers, the current
  documents of the latest period (or of the period the question names) first, the rest after, so a
  superseded version whose wording happens to be closer to the question can never crowd out its
  successor's figure; each document's sentences are labelled with the document, its period and,
  when superseded, what replaced it (``Answer.labels``);
- **"what changed" questions** (differ / change / compare / versus / since, naming documents,
  periods or versions): each side is answered on its own passages and the cited statements are set
  out side by side, one line per document, in date order.

Labels come from the catalogue, not from the passages; ``Answer.labels`` lists them so that
evaluation can tell attribution from quoted claims. All functions here are pure except
``answer_stream``, which calls the answerer. See docs/currency.md.

Example::

    >>> for part in answer_stream(answerer, question, passages, stats, qvec):
    ...     print(part if isinstance(part, str) else part.labels)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answering.base import refusal, text_pieces
from assistant.results import Answer, Citation, Passage
from assistant.text.dates import date_ordinal
from assistant.text.periods import Period, find_periods, parse_period, without_periods
from assistant.text.terms import STOPWORDS

if TYPE_CHECKING:
    from assistant.answering.base import Answerer
    from assistant.text.terms import TermStats

# "what changed" cues: a strong cue with one named side looks for the other among the passages;
# a weak one ("than", "since") needs both sides named.
_STRONG_CUE = re.compile(
    r"\b(?:differ\w*|compar\w*|versus|vs\.?|contrast\w*|chang(?:ed|ing)|what(?:'s|\s+is)\s+new|revis(?:ed|ions?))\b"
    r"|\bchanges?\s+(?:from|since|between|in|to)\b",
    re.I,
)
_WEAK_CUE = re.compile(r"\b(?:than|since|from|previous|earlier|before|and)\b", re.I)
_VERSION_NAMED = re.compile(r"\b(?:version|v)\s?(\d{1,3}(?:\.\d{1,3})?)\b", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")
_MIN_TITLE_RUN = 3
_REFERENCE_IN_TITLE = re.compile(r"\s*\((?:[A-Z]{2,5}\d{3,6}\w*)\)\s*")
_UNIT = re.compile(r"(?P<body>.+?)\s*(?P<marks>(?:\[\d{1,3}\])+|\[unsupported\])(?=\s|$)", re.S)


# -- the documents among the passages ----------------------------------------------------------------
@dataclass(frozen=True)
class Doc:
    """One document among the retrieved passages, with what currency needs of it."""

    key: str
    title: str
    source: str = ""
    date: str = ""
    version: str = ""
    period: Period | None = None
    superseded_by: str | None = None
    superseded_date: str = ""
    rank: int = 0
    """Rank of its best passage (0 = the top one)."""

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    def when(self) -> tuple[int, int]:
        """Date order: the period's first year, then the publication date."""
        start = self.period.start if self.period else date_ordinal(self.date) // 10000
        return start, date_ordinal(self.date)


def doc_key(item: Passage | Citation) -> str:
    return getattr(item, "path", "") or item.source


def documents(passages: Sequence[Passage]) -> list[Doc]:
    """The distinct documents of ``passages``, best-ranked first (pure)."""
    out: dict[str, Doc] = {}
    for rank, p in enumerate(passages):
        key = doc_key(p)
        if key not in out:
            out[key] = Doc(key, p.title or p.source, p.source, p.date, p.version, parse_period(p.period), p.superseded_by,
                           p.superseded_date, rank)
    return list(out.values())


def comparison_passages(
    question: str, passages: Sequence[Passage], deeper: Sequence[Passage], search: Callable[[Doc, str], list[Passage]]
) -> list[Passage]:
    """For a "what changed" question, each side's own passages, side by side; other questions' ``passages`` unchanged.

    The sides are looked for among ``deeper`` (a deeper search's passages: a document the question
    names may rank below the top few); ``search(doc, query)`` searches one document for the question's
    topic (``topic_question``).
    """
    docs = documents([*passages, *deeper])
    sides = comparison_sides(question, docs)
    if len(sides) < 2:
        return list(passages)
    topic = topic_question(question, sides)
    found = [search(side, topic) or [p for p in passages if doc_key(p) == side.key] for side in sides]
    # interleaved by rank (each side's best first): the passages stay a ranking of the question's evidence
    return [p for rank in range(max(map(len, found))) for side in found if rank < len(side) for p in side[rank:rank + 1]]


def looks_like_comparison(question: str) -> bool:
    """Whether the question has the form of a "what changed" question at all (a cue, or two periods) (pure).

    Cheap and loose: it only decides whether to look deeper for the sides (``comparison_sides`` decides).
    """
    named = len(find_periods(question)) + len(_VERSION_NAMED.findall(question))
    return bool(_STRONG_CUE.search(question) or named >= 2 or (named and _WEAK_CUE.search(question)))


def short_title(title: str) -> str:
    """A title without its period or publication reference, for labels (pure).

    ``"2025/26 priorities and operational planning guidance (PRN01625)"`` -> ``"Priorities and
    operational planning guidance"``.
    """
    text = " ".join(without_periods(_REFERENCE_IN_TITLE.sub(" ", title)).split()).strip(" ,;:–—-")
    if not text:
        return title
    return text[0].upper() + text[1:]


# -- the question ----------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def title_span(question: str, title: str) -> tuple[int, int] | None:
    """Where the question names the document by a run of at least three words of its title (pure)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(question.casefold())]
    q, t = [question.casefold()[a:b] for a, b in spans], _words(short_title(title))
    for n in range(len(t), _MIN_TITLE_RUN - 1, -1):
        for i in range(len(t) - n + 1):
            run = t[i:i + n]
            if sum(w not in STOPWORDS for w in run) < 2:
                continue
            for j in range(len(q) - n + 1):
                if q[j:j + n] == run:
                    return spans[j][0], spans[j + n - 1][1]
    return None


def names_title(question: str, title: str) -> bool:
    """Whether the question names the document by a run of at least three words of its title (pure)."""
    return title_span(question, title) is not None


def _near_words(question: str, period_text: str) -> set[str]:
    """Content words right around a period in the question ("the 2025/26 *guidance*")."""
    words = _words(question)
    target = _words(period_text)[:1]
    out: set[str] = set()
    for i, w in enumerate(words):
        if target and w == target[0]:
            out.update(x for x in words[max(0, i - 2):i + 3] if x not in STOPWORDS and not x[:1].isdigit())
    return out


_PERIOD_IN_QUESTION = re.compile(r"20\d{2}\s*[/–-]\s*\d{2,4}(?:\s*(?:to|[–-])\s*20\d{2}\s*[/–-]\s*\d{2,4})?")
_CONNECTOR = re.compile(r"(?:\b(?:in|from|with|than|and|versus|vs\.?|to|for|under|set\s+(?:out\s+)?(?:in|for)|compared\s+(?:with|to))\s+)?(?:\bthe\s+)?$", re.I)


def topic_question(question: str, docs: Sequence[Doc]) -> str:
    """The question without the names of the documents, periods and versions it compares (pure).

    ``"How does the 4-hour A&E target in the Medium Term Planning Framework differ from the 2025/26
    guidance?"`` -> ``"How does the 4-hour A&E target differ?"``: what each side is asked about.
    """
    spans: list[tuple[int, int]] = []
    for doc in docs:
        span = title_span(question, doc.title)
        if span:
            spans.append(span)
    for m in _PERIOD_IN_QUESTION.finditer(question):
        end = m.end()
        following = re.match(r"\s+([A-Za-z]+)", question[end:])
        if following and any(following.group(1).casefold() in _words(d.title) for d in docs):
            end += following.end()  # "the 2025/26 *guidance*"
        spans.append((m.start(), end))
    spans += [(m.start(), m.end()) for m in _VERSION_NAMED.finditer(question)]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # a title may hold a period: overlapping names go as one
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    text = question
    for a, b in reversed(merged):
        head = _CONNECTOR.sub("", text[:a])
        text = head.rstrip() + " " + text[b:].lstrip()
    text = re.sub(r"\s+([?.,;:!])", r"\1", " ".join(text.split()))
    text = re.sub(r"(?:\s+\b(?:from|with|than|and|versus|vs\.?|to|in|for|between|of|the))+\s*([?.!]?)$", r"\1", text).strip()
    # "How does the target differ?" asks each side "What is the target?"
    text = _STRAY_CONNECTOR.sub("", text)
    form = _HOW_DIFFER.match(text) or _WHAT_DIFFERENCE.match(text) or _WHAT_CHANGED.match(text) or _COMPARE_ON.match(text)
    if form and _words(form.group("subject")):
        subject = form.group("subject").strip()
        subject = subject if _words(subject)[:1] == ["the"] else "the " + subject
        text = f"What {'are' if _plural(subject) else 'is'} {subject}?"
    return text if len(_words(text)) >= 2 else question


_HOW_DIFFER = re.compile(
    r"^how\s+(?:does|do|did|has|have|will|would|is|are)\s+(?P<subject>.+?)\s+(?:differ|compare|chang(?:e|ed)|vary|contrast|moved?|been\s+changed)\b.*$",
    re.I,
)
_STRAY_CONNECTOR = re.compile(r"\b(?:between|and|from|with|than|versus|vs\.?|since)\s+(?=(?:of|on|about|in|for|to)\b)", re.I)
_WHAT_CHANGED = re.compile(r"^what(?:'s|\s+has|\s+have)?\s+changed\s+(?:in|about|to|for|with|on|of)\s+(?P<subject>.+?)[?.!]?$", re.I)
_COMPARE_ON = re.compile(r"^compare\b.*?\b(?:on|for|about|in terms of|regarding)\s+(?P<subject>.+?)[?.!]?$", re.I)
_WHAT_DIFFERENCE = re.compile(r"^what(?:'s|\s+is|\s+are)\s+(?:the\s+)?differences?\s+(?:in|between|of|for)\s+(?P<subject>.+?)[?.!]?$", re.I)


def _plural(subject: str) -> bool:
    head = _words(subject)[-1:] or [""]
    return head[0].endswith("s") and not head[0].endswith(("ss", "us", "is"))


def named_documents(question: str, docs: Sequence[Doc]) -> list[Doc]:
    """The documents among ``docs`` that the question names, in the order it names them (pure).

    A document is named by a run of its title's words, by a period it covers (narrowed by the words
    next to the period, "the 2025/26 *guidance*", when several cover it) or by its version.
    """
    found: list[tuple[int, Doc]] = []
    folded = question.casefold()
    for doc in docs:
        if names_title(question, doc.title):
            words = _words(short_title(doc.title))
            pos = folded.find(words[0]) if words else 0
            found.append((pos if pos >= 0 else 0, doc))
    for m in _PERIOD_IN_QUESTION.finditer(question):
        period = parse_period(m.group(0))
        if period is None:
            continue
        covering = [d for d in docs if d.period is not None and d.period.overlaps(period)]
        near = _near_words(question, m.group(0))
        narrowed = [d for d in covering if near & set(_words(d.title))] or covering
        if narrowed:
            found.append((m.start(), narrowed[0]))
    for m in _VERSION_NAMED.finditer(question):
        found += [(m.start(), d) for d in docs if d.version and d.version == m.group(1)][:1]
    out: list[Doc] = []
    for _, doc in sorted(found, key=lambda item: item[0]):
        if doc not in out:
            out.append(doc)
    return out


def related(a: Doc, b: Doc) -> bool:
    """Two documents one may compare: different periods, or one replaces the other, or two versions."""
    if a.period and b.period and a.period != b.period:
        return True
    if _replaced_by(a, b) or _replaced_by(b, a):
        return True
    return bool(a.version and b.version and a.version != b.version and short_title(a.title) == short_title(b.title))


def _replaced_by(old: Doc, new: Doc) -> bool:
    # superseded_by holds the successor's title, with ", version N" when the two titles are the same
    return bool(old.superseded_by) and (old.superseded_by or "").casefold().startswith(new.title.casefold())


def comparison_sides(question: str, docs: Sequence[Doc]) -> list[Doc]:
    """The documents a "what changed" question sets side by side, in date order; [] when it is not one (pure).

    It is one when it names two related documents (by title, period or version) with a cue such as
    "than" or "since" (or none at all when it names two periods), or names one with a strong cue
    ("differ", "compare", "changed", "versus"): the other side is then the best-ranked related
    document among the passages.
    """
    named = named_documents(question, docs)
    strong = bool(_STRONG_CUE.search(question))
    periods = {str(p) for p in find_periods(question)}
    sides = [d for d in named if any(related(d, o) for o in named if o is not d)]
    if len(sides) >= 2 and (strong or _WEAK_CUE.search(question) or len(periods) >= 2):
        return sorted(sides[:3], key=Doc.when)
    if strong and named:
        other = next((d for d in docs if d not in named and related(d, named[0])), None)
        if other is not None:
            return sorted([named[0], other], key=Doc.when)
    return []


# -- the plan -----------------------------------------------------------------------------------------
@dataclass
class Plan:
    """How to answer: groups of passages answered one after another, and how to label them."""

    kind: str
    """``plain`` (the answerer alone), ``tiers`` (current/latest first) or ``comparison`` (side by side)."""
    groups: list[list[Passage]] = field(default_factory=list)
    """Comparison: each side's passages, in date order; tiers: the primary documents' passages, then the rest."""
    docs: list[Doc] = field(default_factory=list)
    primary: tuple[str, ...] = ()
    """Keys of the documents that lead: current, of the asked-for or latest period (``primary_documents``)."""
    show_period: bool = False
    show_version: bool = False


def plan_answer(question: str, passages: Sequence[Passage]) -> Plan:
    """What the question and the passages' standing call for (pure)."""
    docs = documents(passages)
    periods = {str(d.period) for d in docs if d.period}
    superseded = any(d.superseded for d in docs)
    titles = [short_title(d.title).casefold() for d in docs]
    show_version = superseded or len(titles) != len(set(titles))
    by_doc = {d.key: [p for p in passages if doc_key(p) == d.key] for d in docs}
    sides = comparison_sides(question, docs)
    if len(sides) >= 2:
        return Plan("comparison", [by_doc[d.key] for d in sides], docs, show_period=len(periods) >= 2, show_version=show_version)
    if not superseded and len(periods) < 2:
        return Plan("plain", [list(passages)], docs)
    first = primary_documents(question, docs)
    rest = [d for d in docs if d not in first]
    groups = [[p for d in first for p in by_doc[d.key]], [p for d in rest for p in by_doc[d.key]]]
    return Plan("tiers", groups, docs, tuple(d.key for d in first), show_period=len(periods) >= 2, show_version=show_version)


def primary_documents(question: str, docs: Sequence[Doc]) -> list[Doc]:
    """The documents answered first: current ones of the period the question names (else the latest
    period among them), with current documents that cover no particular period (pure)."""
    current = [d for d in docs if not d.superseded]
    if not current:
        return list(docs)
    asked = find_periods(question)
    dated = [d for d in current if d.period is not None]
    if asked and any(d.period.overlaps(a) for d in dated for a in asked):  # type: ignore[union-attr]
        chosen = [d for d in dated if any(d.period.overlaps(a) for a in asked)]  # type: ignore[union-attr]
    elif dated:
        latest = max(d.period.start for d in dated)  # type: ignore[union-attr]
        chosen = [d for d in dated if d.period.start == latest]  # type: ignore[union-attr]
    else:
        chosen = []
    return [d for d in current if d in chosen or d.period is None]


# -- laying out the answer ------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """One sentence of an answer and the citations it carries."""

    text: str
    citations: tuple[Citation, ...]
    flagged: bool = False


def answer_units(answer: Answer) -> list[Unit] | None:
    """The answer's sentences with their citations; None when its text is not ``sentence [n]…`` throughout."""
    by_n = {c.n: c for c in answer.citations}
    units: list[Unit] = []
    pos = 0
    text = answer.text.strip()
    for m in _UNIT.finditer(text):
        if text[pos:m.start()].strip():
            return None
        marks = m.group("marks")
        numbers = [int(n) for n in re.findall(r"\d+", marks)] if marks != "[unsupported]" else []
        if any(n not in by_n for n in numbers):
            return None
        units.append(Unit(m.group("body").strip(), tuple(by_n[n] for n in numbers), marks == "[unsupported]"))
        pos = m.end()
    return units if not text[pos:].strip() else None


def label(doc: Doc, plan: Plan) -> str:
    """``Medium term planning framework (for 2026/27 to 2028/29):`` (pure).

    The period when the passages cover several; the version when versions matter; "superseded by
    …" for a replaced document, "current" for its successor.
    """
    name = short_title(doc.title)
    if plan.show_version and doc.version and doc.version.casefold() not in name.casefold():
        name += f", version {doc.version}"
    details = []
    if plan.show_period and doc.period is not None:
        details.append(f"for {doc.period}")
    if doc.superseded:
        details.append(f"superseded by {doc.superseded_by}" + (f", {doc.superseded_date}" if doc.superseded_date else ""))
    elif any(d.superseded for d in plan.docs):
        details.append("current")
    return f"{name} ({'; '.join(details)}):" if details else f"{name}:"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def merge(
    question: str, plan: Plan, answers: Sequence[Answer], passages: Sequence[Passage],
    scopes: Sequence[Collection[str] | None] | None = None,
) -> Answer:
    """One answer from the groups' answers: by document, labelled, ordered, renumbered (pure).

    ``scopes[i]``: the documents (keys) whose sentences ``answers[i]`` contributes (None: all).
    """
    answered = [a for a in answers if not a.refused]
    base = answered[0] if answered else (answers[0] if answers else refusal(question, passages))
    if not answered:
        out = refusal(question, passages)
        out.backend, out.notes, out.changes = base.backend, _union(a.notes for a in answers), _union(a.changes for a in answers)
        return out
    docs = {d.key: d for d in plan.docs}
    chunk_doc = {p.chunk_id: doc_key(p) for p in passages if p.chunk_id}
    blocks: dict[str, list[Unit]] = {}
    order: list[tuple[int, str]] = []
    seen: set[str] = set()
    parsed = [[] if a.refused else answer_units(a) for a in answers]
    if any(units is None for units in parsed):  # a text we cannot take apart: the first tier's answer as it is
        return answered[0]
    for i, units in enumerate(parsed):
        scope = scopes[i] if scopes is not None else None
        for unit in units or []:
            first = unit.citations[0] if unit.citations else None
            key = (chunk_doc.get(first.chunk_id) or first.source) if first else ""
            if _norm(unit.text) in seen or (scope is not None and key not in scope):
                continue  # the same sentence in two versions: said once, by the current one
            seen.add(_norm(unit.text))
            if key not in blocks:
                blocks[key] = []
                order.append((len(order), key))
            blocks[key].append(unit)
    if plan.kind == "comparison":
        order.sort(key=lambda item: docs[item[1]].when() if item[1] in docs else (0, 0))
    else:
        order.sort(key=lambda item: _lead_key(docs.get(item[1]), plan) + (item[0],))
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    labels: list[str] = []
    for _, key in order:
        doc = docs.get(key)
        head = label(doc, plan) if doc is not None else ""
        parts = [head] if head else []
        if head:
            labels.append(head)
        for unit in blocks[key]:
            marks = []
            for c in unit.citations:
                ident = (c.chunk_id or c.source, c.start, c.end)
                if ident not in numbers:
                    numbers[ident] = len(numbers) + 1
                    citations.append(dataclasses.replace(c, n=numbers[ident]))
                marks.append(f"[{numbers[ident]}]")
            parts.append(f"{unit.text} {''.join(marks) or '[unsupported]'}")
        lines.append(" ".join(parts))
    merged = dataclasses.replace(
        base, text="\n".join(lines), citations=citations, passages=list(passages), labels=labels,
        notes=_union(a.notes for a in answers), changes=_union(a.changes for a in answers),
        fallback=any(a.fallback for a in answers), draft=None,
    )
    return merged


def _lead_key(doc: Doc | None, plan: Plan) -> tuple[int, int, int]:
    """Who leads: current before superseded, the primary documents (in the answer's order), then later periods first."""
    if doc is None:
        return (0, 0, 0)
    if doc.key in plan.primary:
        return (int(doc.superseded), 0, 0)
    return (int(doc.superseded), 1, -(doc.period.start if doc.period else 0))


def _union(lists: object) -> list[str]:
    out: list[str] = []
    for items in lists:  # type: ignore[attr-defined]
        out += [i for i in items if i not in out]
    return out


# -- the hook -----------------------------------------------------------------------------------------
def answer_stream(
    answerer: "Answerer",
    question: str,
    passages: Sequence[Passage],
    stats: "TermStats",
    question_vec: Sequence[float] | None = None,
) -> Iterator[str | Answer]:
    """``answerer.stream`` with currency: the answer as ``plan_answer`` lays it out.

    Tiers: the answerer first answers from every passage, as it would alone, so whether the
    documents answer at all is decided as before. Then the leading documents (current, latest or
    asked-for period) are answered on their own and go first, so that a superseded version worded
    closer to the question cannot crowd its successor out; the other documents keep the sentences
    the answer over every passage chose for them, labelled. With an LLM the second call is made only
    when the first answer quoted none of the leading documents. Comparisons: each side is answered
    on its own passages, asked the question's topic. An LLM's drafts stream as they are written and
    the laid-out answer ends the stream; an extractive answer is released in pieces once whole.
    """
    plan = plan_answer(question, passages)
    if plan.kind == "plain":
        yield from answerer.stream(question, passages, stats, question_vec)
        return
    live = answerer.backend != "extractive"
    answers: list[Answer] = []

    def run(asked: str, group: Sequence[Passage], vec: Sequence[float] | None) -> Iterator[str]:
        if live and answers:
            yield "\n\n"
        for part in answerer.stream(asked, group, stats, vec):
            if isinstance(part, Answer):
                answers.append(part)
            elif live:
                yield part

    scopes: list[Collection[str] | None] | None = None
    if plan.kind == "comparison":  # each side is asked what it says on the topic, not how it differs
        asked = topic_question(question, [d for d in plan.docs if any(doc_key(g[0]) == d.key for g in plan.groups if g)])
        for group in plan.groups:
            yield from run(asked, group, question_vec if asked == question else None)
    else:
        yield from run(question, passages, question_vec)
        plain = answers[0]
        if plain.refused:  # the documents don't answer it: said as the answerer says it
            if not live:
                yield from text_pieces(plain.text)
            yield plain
            return
        quoted = {c.chunk_id for c in plain.citations}
        crowded_out = not any(doc_key(p) in plan.primary for p in passages if p.chunk_id in quoted)
        if plan.groups[0] and (crowded_out or not live):
            yield from run(question, plan.groups[0], question_vec)
            lead = answers.pop()
            if not lead.refused:
                answers.insert(0, lead)
                others = {d.key for d in plan.docs if d.key not in plan.primary}
                scopes = [None, others]  # the rest as the answer over every passage chose it
    answer = dataclasses.replace(merge(question, plan, answers, passages, scopes), question=question)
    if not live:
        yield from text_pieces(answer.text)
    yield answer
