"""A phrase the question quotes is looked for where the documents write it.

"Which component takes a 'Home First' approach?": the quotation marks say the words are the documents'
own. Ranking weighs them like any other words, so a passage that only shares the question's other
words ("the six core components") can outrank every passage that writes the phrase. When none of the
top passages holds a quoted phrase, the best-ranked deeper candidate that does (the same search, looked
at further down) takes the place of the lowest-ranked passage. Nothing changes when a top passage holds
it, or when no candidate does (then the answerer's constraints decide, ``answering/constraints.py``).

Example::

    >>> with_quoted(top, deeper, quoted_phrases("Which component takes a 'Home First' approach?"))
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.results import Passage
from assistant.text.phrases import holds_phrase


def with_quoted(passages: Sequence[Passage], deeper: Sequence[Passage], phrases: Sequence[str]) -> list[Passage]:
    """``passages`` with, for each phrase none of them holds, the first of ``deeper`` (the same ranking, further
    down) that does in place of the lowest-ranked passage holding no phrase (pure)."""
    out = list(passages)
    for phrase in phrases:
        if any(holds_phrase(p.text, phrase) for p in out):
            continue
        ids = {p.chunk_id for p in out}
        found = next((p for p in deeper if p.chunk_id not in ids and holds_phrase(p.text, phrase)), None)
        free = [i for i, p in enumerate(out) if not any(holds_phrase(p.text, q) for q in phrases)]
        if found is None or not free:
            continue
        out[free[-1]] = found
    return out
