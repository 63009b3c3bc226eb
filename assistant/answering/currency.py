"""Answers that know which guidance is current: successors first, superseded text labelled, periods stated.

The passages arrive annotated with their documents' facts and standing (``ingest.lineage.annotate``:
period, version, ``superseded_by``). Around any answer writer (extractive or generative, through its
public ``stream``), this module decides how an answer uses them and lays out the result:

- **nothing to say about currency** (no superseded passage, at most one period among the passages):
  the answerer's answer, untouched;
- **tiers** (superseded documents or several periods): the answer over every passage decides
  whether the documents answer at all; the leading documents (current, of the period the question
  names or else the latest) are then answered on their own and go first, so a superseded version
  worded closer to the question never crowds out its successor's figure; every document's
  sentences are labelled with the document, its period and, when superseded, what replaced it;
- **"what changed" questions** (``answering.comparison``): each side is answered on its own
  passages and the cited statements are set out one line per document, in date order.

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
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answering.base import refusal, text_pieces
from assistant.answering.comparison import (
    Doc,
    comparison_sides,
    doc_key,
    documents,
    names_title,
    short_title,
    topic_question,
)
from assistant.answering.completion import widened
from assistant.results import Answer, Citation, Passage
from assistant.text.periods import find_periods, month_periods

if TYPE_CHECKING:
    from assistant.answering.base import Answerer
    from assistant.text.terms import TermStats

_UNIT = re.compile(r"(?P<body>.+?)\s*(?P<marks>(?:\[\d{1,3}\])+|\[unsupported\])(?=\s|$)", re.S)


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
    """The documents answered first: the current ones the question names by title; else those of the period it
    names (a financial year, or a month in one: "by March 2026" is 2025/26), else of the latest period among
    them, with current documents that cover no particular period (pure)."""
    current = [d for d in docs if not d.superseded]
    if not current:
        return list(docs)
    titled = [d for d in current if names_title(question, d.title)]
    if titled:  # "the purpose of the NHS Oversight Framework": the document it names, whatever its period
        return titled
    asked = find_periods(question) + month_periods(question)
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
    chunk_doc = {p.chunk_id: doc_key(p) for p in [*passages, *(q for a in answers for q in a.passages)] if p.chunk_id}
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
        base, text="\n".join(lines), citations=citations, passages=_widest(passages, answers), labels=labels,
        notes=_union(a.notes for a in answers), changes=_union(a.changes for a in answers),
        emphasis=_union(a.emphasis for a in answers),
        fallback=any(a.fallback for a in answers), draft=None,
    )
    return merged


def _widest(passages: Sequence[Passage], answers: Sequence[Answer]) -> list[Passage]:
    """``passages``, each as the answer that ran it on furthest holds it (a quote completed into the next chunk, or
    begun in the chunk before: ``completion.py``), then the chunks an answer read on into (a list's next chunk:
    ``completion.lists_run_on``), so that every citation is a slice of a passage (pure)."""
    longest: dict[str, Passage] = {}
    for answer in answers:
        for p in answer.passages:
            if p.chunk_id:
                longest[p.chunk_id] = _spanning(longest[p.chunk_id], p) if p.chunk_id in longest else p
    out = [_spanning(p, longest[p.chunk_id]) if p.chunk_id in longest else p for p in passages]
    given = {p.chunk_id for p in passages}
    return out + [p for key, p in longest.items() if key not in given]


def _spanning(p: Passage, other: Passage) -> Passage:
    """One chunk as two answers ran it on (``p`` and ``other``): what both hold, the one run back furthest carried on
    to where the other ends (``p`` itself when it holds all of ``other``) (pure)."""
    back, on = (p, other) if (p.start, -p.end) <= (other.start, -other.end) else (other, p)
    return back if back.end >= on.end else widened(back, on, on.end)


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
