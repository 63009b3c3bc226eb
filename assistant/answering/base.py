"""What every answer writer shares: the ``Answerer`` protocol, refusals, and streaming in pieces.

Example::

    >>> for part in answerer.stream(question, passages, stats):
    ...     print(part if isinstance(part, str) else part.citations)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from assistant.results import Answer, Passage
from assistant.text.terms import TermStats


class Answerer(Protocol):
    """What ``Assistant`` needs of an answer writer (extractive here; generative ones elsewhere)."""

    backend: str

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        stats: TermStats,
        question_vec: Sequence[float] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield pieces of the answer text as they are ready, then the final ``Answer``."""
        ...


def text_pieces(text: str, words: int = 3) -> Iterator[str]:
    """Split text into small pieces (a few words, whitespace kept) for progressive display (pure)."""
    tokens = re.findall(r"\S+\s*", text)
    for i in range(0, len(tokens), words):
        yield "".join(tokens[i : i + words])


def refusal(question: str, passages: Sequence[Passage], reason: str | None = None) -> Answer:
    """A plain "the documents don't say", naming what was searched."""
    titles = list(dict.fromkeys(p.title or p.source for p in passages))
    if reason:
        text = reason
    elif titles:
        shown = "; ".join(titles[:3]) + ("; ..." if len(titles) > 3 else "")
        text = (
            "The documents don't say. I searched the indexed documents and the closest passages "
            f"(from {shown}) do not answer this question."
        )
    else:
        text = "The documents don't say: nothing in the index matches this question."
    return Answer(question=question, text=text, refused=True, passages=list(passages))

