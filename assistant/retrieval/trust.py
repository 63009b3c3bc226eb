"""Per-question fusion weights: more weight on the dense side when BM25's best chunks miss the question's words.

EXPERIMENT (issue 14, twelfth pass, w20-fusion). On a paraphrase ("overseas hiring" for "international
recruitment") BM25's top chunks match few of the question's content words, so dense should count for more.
The signal is the IDF-weighted share of the question's terms that occur anywhere in BM25's top ``TOP`` chunks;
under ``CUT`` the dense side gets ``DENSE`` instead of its fixed weight. ``CUT`` and ``DENSE`` were fitted on
the tune half only (grid in docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.text.terms import TermStats, coverage, terms

TOP = 5
CUT = 0.73
DENSE = 0.5


def top_coverage(query_terms: Iterable[str], top_texts: Iterable[str], stats: TermStats) -> float:
    """IDF-weighted share of the query's terms that occur in any of ``top_texts`` (pure)."""
    present: set[str] = set()
    for text in top_texts:
        present.update(terms(text))
    return coverage(query_terms, present, stats)


def question_weights(weights: Sequence[float], covered: float, *, cut: float = CUT, dense: float = DENSE) -> list[float]:
    """(dense, keyword) weights for a question whose keyword side's top chunks cover ``covered`` of it (pure)."""
    if len(weights) < 2 or covered >= cut:
        return list(weights)
    return [dense, 1.0 - dense, *weights[2:]]
