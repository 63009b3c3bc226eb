"""Retrieval evaluation: hit@k and MRR against the evidence passages of a question set.

A retrieved passage counts as relevant when it contains a question's ``evidence`` (or
``evidence_2``) quote, whitespace- and markup-normalised (``assistant.questions.normalise``).
Unanswerable questions have no evidence and are left out of retrieval metrics.

The reference point is LlamaIndex's default pipeline: ``VectorStoreIndex`` over
``SentenceSplitter()`` chunks, same embedding model, top-k 5.

Example::

    >>> from assistant.evaluation import compare_retrieval
    >>> table = compare_retrieval(questions, ["corpus", "../shared/corpus-nhs"], index_dir="/tmp/ev")
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .questions import Question, contains_evidence

Retrieve = Callable[[str, int], list[str]]  # question, k -> passage texts, best first


def first_relevant_rank(passages: Sequence[str], question: Question) -> int | None:
    """1-based rank of the first passage holding the question's evidence, or None (pure)."""
    quotes = [q for q in (question.evidence, question.evidence_2) if q]
    for rank, text in enumerate(passages, start=1):
        if any(contains_evidence(text, q) for q in quotes):
            return rank
    return None


@dataclass
class RetrievalScores:
    """hit@k and MRR for one retriever, overall and by question type."""

    name: str
    k: int
    questions: int = 0
    hit_at_k: float = 0.0
    mrr: float = 0.0
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    median_latency_ms: float = 0.0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def score_retriever(name: str, retrieve: Retrieve, questions: Iterable[Question], k: int = 5) -> RetrievalScores:
    """Run ``retrieve`` on every answerable question and compute hit@k and MRR."""
    ranks: dict[str, int | None] = {}
    types: dict[str, str] = {}
    latencies = []
    for q in questions:
        if not q.answerable:
            continue
        started = time.perf_counter()
        passages = retrieve(q.question, k)[:k]
        latencies.append((time.perf_counter() - started) * 1000)
        ranks[q.id] = first_relevant_rank(passages, q)
        types[q.id] = q.type
    scores = RetrievalScores(name=name, k=k, ranks=ranks)
    scores.questions = len(ranks)
    scores.hit_at_k, scores.mrr = hit_and_mrr(ranks.values())
    grouped: dict[str, list[int | None]] = defaultdict(list)
    for qid, rank in ranks.items():
        grouped[types[qid]].append(rank)
    for qtype, group in sorted(grouped.items()):
        hit, mrr = hit_and_mrr(group)
        scores.by_type[qtype] = {"n": len(group), "hit_at_k": hit, "mrr": mrr}
    scores.median_latency_ms = statistics.median(latencies) if latencies else 0.0
    return scores


def hit_and_mrr(ranks: Iterable[int | None]) -> tuple[float, float]:
    ranks = list(ranks)
    if not ranks:
        return 0.0, 0.0
    hits = sum(1 for r in ranks if r is not None)
    return hits / len(ranks), sum(1.0 / r for r in ranks if r is not None) / len(ranks)


def llamaindex_default_retriever(paths: Sequence[str | Path], embed_model) -> Retrieve:  # noqa: ANN001
    """LlamaIndex's stock pipeline over the same loaded documents: SentenceSplitter() + VectorStoreIndex."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from .loading import load_paths

    documents = load_paths(paths).documents
    index = VectorStoreIndex.from_documents(documents, embed_model=embed_model, transformations=[SentenceSplitter()])

    def retrieve(question: str, k: int) -> list[str]:
        return [n.node.get_content() for n in index.as_retriever(similarity_top_k=k).retrieve(question)]

    return retrieve


def format_table(results: Sequence[RetrievalScores]) -> str:
    """A Markdown table: overall and per-type hit@k / MRR, one column per retriever."""
    k = results[0].k
    header = "| | " + " | ".join(r.name for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    lines.append(f"| hit@{k} (all, n={results[0].questions}) | " + " | ".join(f"{r.hit_at_k:.3f}" for r in results) + " |")
    lines.append("| MRR (all) | " + " | ".join(f"{r.mrr:.3f}" for r in results) + " |")
    for qtype in sorted(results[0].by_type):
        n = results[0].by_type[qtype]["n"]
        lines.append(
            f"| hit@{k} {qtype} (n={n}) | "
            + " | ".join(f"{r.by_type.get(qtype, {}).get('hit_at_k', 0):.3f}" for r in results) + " |"
        )
    lines.append("| median latency ms | " + " | ".join(f"{r.median_latency_ms:.0f}" for r in results) + " |")
    return "\n".join(lines)
