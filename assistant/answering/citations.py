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


@dataclass(frozen=True)
class CitedSentence:
    """A sentence of an answer and the passage (and document span) it comes from."""

    passage: Passage
    start: int
    end: int
    text: str


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
        citations.append(
            Citation(n=n, quote=p.text[start - p.start:end - p.start], start=start, end=end, **p.source_fields())
        )
    return citations, numbers


def render_answer(sentences: Sequence[CitedSentence], numbers: Sequence[int]) -> str:
    """Sentences in order, each followed by its ``[n]``."""
    return " ".join(f"{s.text} [{n}]" for s, n in zip(sentences, numbers))
