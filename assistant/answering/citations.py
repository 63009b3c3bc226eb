"""Citations: number the passages an answer quotes and render ``[n]`` after each sentence.

Numbers are dense (1, 2, 3 ...) in order of first use; one number per distinct passage. A
citation's ``quote`` is the exact text of the passage between the first and last sentence the
answer took from it, with its offsets in the document, so a reader can find it.

Example::

    >>> citations, numbers = build_citations(cited_sentences)
    >>> render_answer(cited_sentences, numbers)
    'Patricia Hewitt will lead the review. [1]'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.results import Citation, Passage
from assistant.text.sentences import split_sentences


@dataclass(frozen=True)
class CitedSentence:
    """A sentence of an answer and the passage (and document span) it comes from."""

    passage: Passage
    start: int
    end: int
    text: str


def quotable_sentences(passage: Passage) -> list[tuple[int, int]]:
    """Sentence spans of ``passage.text`` (relative offsets) an answer may quote (pure).

    Table rows are whole sentences and list items keep their markers (``passage.units``); nothing
    in the passage's ``unquotable`` spans (title, headings, contents and leader lines) is returned.
    """
    base = passage.start
    rows = [(a - base, b - base) for a, b, kind in passage.units if kind == "table_row"]
    edges = {x - base for a, b, _ in passage.units for x in (a, b)}
    edges.update(x - base for a, b in passage.unquotable for x in (a, b))
    return [(a, b) for a, b in split_sentences(passage.text, hard_breaks=sorted(edges), atomic=rows)
            if not any(x < base + b and base + a < y for x, y in passage.unquotable)]


def build_citations(sentences: Sequence[CitedSentence]) -> tuple[list[Citation], list[int]]:
    """Citations for the distinct passages, and each sentence's citation number (pure)."""
    number_of: dict[str, int] = {}
    spans: dict[str, list[int]] = {}
    passages: dict[str, Passage] = {}
    numbers: list[int] = []
    for s in sentences:
        key = s.passage.chunk_id or f"{s.passage.source}:{s.passage.start}"
        if key not in number_of:
            number_of[key] = len(number_of) + 1
            spans[key] = [s.start, s.end]
            passages[key] = s.passage
        else:
            spans[key] = [min(spans[key][0], s.start), max(spans[key][1], s.end)]
        numbers.append(number_of[key])
    citations = []
    for key, n in number_of.items():
        p, (start, end) = passages[key], spans[key]
        # The quote's own pages and printed labels, not the chunk's: "pp. 11-12" when it runs over a break.
        citations.append(Citation(n=n, quote=p.text[start - p.start:end - p.start], start=start, end=end, **p.span_fields(start, end)))
    return citations, numbers


def render_answer(sentences: Sequence[CitedSentence], numbers: Sequence[int]) -> str:
    """Sentences in order, each followed by its ``[n]``."""
    return " ".join(f"{s.text} [{n}]" for s, n in zip(sentences, numbers))
