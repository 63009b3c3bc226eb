"""Pseudo-relevance feedback on the keyword side: the first search's best passages lend BM25 a few words.

A question worded unlike its passage ("Is NHS England being abolished?" against "the proposed
abolition of NHS England") may still find a neighbouring passage of the same document, whose
distinctive words the right one shares. ``feedback_terms`` picks the ``terms`` most distinctive
words of the first fused search's top ``passages`` (term frequency within each passage times
inverse document frequency in the corpus, RM3's expansion weight, summed over the passages), the
keyword side searches again with them added at a low ``weight``, and the two sides are fused again
(the dense side's list is reused, so the cost is one BM25 pass and one fusion). Our own few lines
rather than llama-index's query transforms, which rewrite queries with an LLM.

On the development set's by-document split (``docs/evaluation.md``, "Issue 14, fourth pass"),
three passages, five terms at weight 0.05: both halves gain a little (weight 0.1 gains more on tune
but lowers confirm MRR, so the lower one is kept).

Example::

    >>> feedback_terms([["abolit", "nhs", "england"], ["abolit", "merger"]], {"abolit": 2, "nhs": 50,
    ...     "england": 40, "merger": 3}.__getitem__, 100, exclude={"nhs"}, n_terms=2)
    ['abolit', 'merger']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle

from assistant.errors import checked

if TYPE_CHECKING:
    from assistant.retrieval.sparse import SparseIndex

_MIN_DF = 2  # a word in one chunk only is a typo, a name or a number's neighbour, not a topic


@dataclass(frozen=True)
class Feedback:
    """How much the first search lends the second: its top ``passages``, ``terms`` words, at ``weight``
    (times the question's own BM25 score)."""

    passages: int = 3
    terms: int = 5
    weight: float = 0.05

    def __post_init__(self) -> None:
        from pydantic import NonNegativeFloat, PositiveInt

        checked("feedback passages", self.passages, PositiveInt)
        checked("feedback terms", self.terms, PositiveInt)
        checked("feedback weight", self.weight, NonNegativeFloat)


def feedback_terms(passages: Sequence[Sequence[str]], df: Callable[[str], int], n_docs: int, *,
                   exclude: Collection[str], n_terms: int, min_df: int = _MIN_DF) -> list[str]:
    """The ``n_terms`` words (index terms: stemmed, no stopwords) most distinctive of ``passages``,
    best first: sum over passages of ``tf / len * log(n_docs / df)`` (pure). Words in ``exclude``
    (the question's own), numbers, and words in fewer than ``min_df`` chunks are never picked."""
    weights: dict[str, float] = {}
    for terms in passages:
        if not terms:
            continue
        for term, count in Counter(terms).items():
            if term in exclude or term.isdigit():
                continue
            freq = df(term)
            if freq < min_df or freq >= n_docs:
                continue
            weights[term] = weights.get(term, 0.0) + count / len(terms) * math.log(n_docs / freq)
    return [t for t, _ in sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))[:n_terms]]


def passage_terms(hits: Sequence[NodeWithScore]) -> list[list[str]]:
    """Each hit's index terms, tokenised as the keyword index tokenised it (text with its embedded metadata)."""
    import bm25s

    from assistant.retrieval.sparse import LANGUAGE, TOKEN_PATTERN, stemmer

    texts = [h.node.get_content(metadata_mode=MetadataMode.EMBED) for h in hits]
    if not texts:
        return []
    tokens = bm25s.tokenize(texts, stopwords=LANGUAGE, stemmer=stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False)
    inv = {i: t for t, i in tokens.vocab.items()}
    return [[inv[i] for i in doc] for doc in tokens.ids]


def index_df(index: "SparseIndex") -> Callable[[str], int]:
    """A term's document frequency in a saved keyword index (its column's length in the score matrix)."""
    vocab = index.bm25.vocab_dict
    indptr = index.bm25.scores["indptr"]

    def df(term: str) -> int:
        col = vocab.get(term)
        return 0 if col is None or col + 1 >= len(indptr) else int(indptr[col + 1] - indptr[col])

    return df


class FixedRetriever(BaseRetriever):
    """Returns the hits it was given: a side already searched, fused again without searching again."""

    def __init__(self, hits: Sequence[NodeWithScore]) -> None:
        self.hits = list(hits)
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return _copies(self.hits)


class RecordingRetriever(BaseRetriever):
    """Passes a search through to ``inner`` and keeps its hits (``hits``) for a second fusion."""

    def __init__(self, inner: BaseRetriever) -> None:
        self.inner = inner
        self.hits: list[NodeWithScore] = []
        super().__init__()

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        self.hits = self.inner.retrieve(query_bundle)
        return _copies(self.hits)


def _copies(hits: Sequence[NodeWithScore]) -> list[NodeWithScore]:
    """New score holders for the same nodes: fusion rescales the scores of what it is given in place."""
    return [NodeWithScore(node=h.node, score=h.score) for h in hits]
