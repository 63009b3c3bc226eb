"""Passages in the order a reader would use them: the ones the answerer can answer from first.

Retrieval ranks a chunk by how much it resembles the question; the chunk that states the answer is often
its neighbour (same section, same words) one or two places lower. The extractive answerer already
judges, sentence by sentence, whether a passage answers the question and meets its constraints (the
asked year, kind, qualifier): that judgement is the evidence of relevance a cross-encoder would give,
and no such model is available offline. So the top passages are reordered by their retrieval score
(min-max over them) plus ``WEIGHT`` times the support of the best sentence the answerer would quote
from each (``ExtractiveAnswerer.supports``: alone or among the others; 0 where it would quote
nothing). Only the order changes: the same passages are shown and answered from.

On the dev set (``docs/evaluation.md``, eighth pass) this raised MRR on both document halves (+0.05), on
BlockchainSolana (+0.02) and on the seventh pass's paraphrase probes (+0.03); on a blind set written
afterwards it was nearly neutral (+0.006). The weight's effect is flat from 2 to 10.

``promoted`` looks below the top k: a passage ranked just under it (``DEPTH`` more) joins the passages when the
answerer would quote a better sentence from it, judged on its own at its rank, than from any of the top k
(issue 14, eleventh pass: the evidence was often at rank 6-10 under passages on the question's topic that do not
answer it). The top k are all kept; ``read_ranked`` then orders the lot.

``rescued`` is the same look when the top k answer nothing (the answer would be a refusal): the one passage below
the answerer would quote from, judged at its rank, joins only when its support clears the refusal floor by
``RESCUE_MARGIN`` (issue 14, fifteenth pass: the evidence of fresh questions the topical passages above it
crowded out; a higher bar than ``promoted``'s, because nothing above vouches that the question is answerable).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.results import Passage

WEIGHT = 3.0
"""Support (about 0.4-0.9 for a quoted sentence) against the retrieval score's 0-1 span over the passages."""
DEPTH = 5
"""How many passages below the top k ``promoted`` looks at (each costs the answerer one more passage to judge)."""
RESCUE_MARGIN = 0.20
"""How far above the answerer's refusal floor a passage below must be judged, at its rank, to answer a question the
top k leave unanswered. No dev refusal reaches even the floor this way; of the fresh ones, the one unanswerable
question that did reached 0.529 (another actor's 20-day limit) and the one answerable question answered right 0.715:
the bar (0.62 with the default floor) sits midway, not just above the near miss, so that a near miss on unseen
documents needs a clearly better sentence to be answered (docs/evaluation.md, fifteenth pass)."""


def read_ranked(passages: Sequence[Passage], supports: Sequence[float], weight: float = WEIGHT) -> list[Passage]:
    """``passages`` by retrieval score (min-max normalised) plus ``weight`` times each one's answer support;
    ties keep retrieval order (pure)."""
    if len(passages) != len(supports):
        raise ValueError("one support per passage")
    scores = [p.score for p in passages]
    low, high = min(scores, default=0.0), max(scores, default=0.0)

    def value(i: int) -> float:
        retrieval = (scores[i] - low) / (high - low) if high > low else 1.0
        return retrieval + weight * supports[i]

    return [passages[i] for i in sorted(range(len(passages)), key=lambda i: -value(i))]


def promoted(top_supports: Sequence[float], below_supports: Sequence[float]) -> list[int]:
    """Indices of the passages below the top k whose support beats every top passage's (pure): the answerer would
    quote its best sentence from them. None when the answerer would quote nothing from the top k: a better answer
    may come from below, not an answer to a question the top passages leave unanswered (that stays a refusal)."""
    best = max(top_supports, default=0.0)
    if best <= 0.0:
        return []
    return [i for i, support in enumerate(below_supports) if support > best]


def rescued(below_supports: Sequence[float], floor: float) -> list[int]:
    """When no top passage answers: the index of the passage below with the best support, if it reaches ``floor``
    (the answerer's refusal floor plus ``RESCUE_MARGIN``); else none (pure). One passage only: a question the top
    passages leave unanswered is answered from the single best passage below or not at all."""
    best = max(below_supports, default=0.0)
    if best <= 0.0 or best < floor:
        return []
    return [list(below_supports).index(best)]
