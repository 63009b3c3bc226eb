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
import math
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answering.verification import strip_citations
from assistant.evaluation.questions import Question, contains_evidence, normalise
from assistant.ingest.chunking import split_sentences

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

    from assistant.ingest.loaders import load_paths

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


# ================================================================================================
# Answer-level metrics for the evaluation runner (``ics-assistant eval``). Each metric is defined
# once, here, and documented in ``METRICS`` (rendered into the reports and docs/evaluation.md).
# A metric that cannot be computed for a question is None, with the reason in ``unscored``.
# ================================================================================================

METRICS: dict[str, str] = {
    "hit_at_k": "1 if one of the top-k retrieved passages contains an evidence quote (whitespace-normalised), else 0; answerable questions.",
    "mrr": "Reciprocal rank of the first passage containing an evidence quote (0 when none in the top k); answerable questions.",
    "ndcg_at_k": "Binary-gain nDCG@k: a passage gains 1 when it holds an evidence quote not already found higher up; ideal = min(#evidence quotes, k) hits at the top.",
    "must_include": "Share of the question's key facts (must_include) found in the answer text, case-insensitive after normalisation; answerable questions.",
    "token_f1": "SQuAD-style token F1 between the answer (citation markers removed) and the reference answer; answerable questions.",
    "embedding_similarity": "Cosine similarity (all-MiniLM-L6-v2) between the answer and the reference answer; answerable questions.",
    "citation_recall": "ALCE: share of answer sentences entailed by the concatenation of the passages they cite (a sentence citing nothing counts 0); answered questions.",
    "citation_precision": "ALCE: share of citations that are needed: a citation is irrelevant when its passage alone does not entail the sentence and the other cited passages still do; answered questions.",
    "faithfulness": "Share of the answer's claims (sentences) supported by the cited passages, by the faithfulness checker (offline: embedding + lexical + number/date/name/negation consistency); answered questions.",
    "refused": "1 when the assistant said the documents don't say. Reported as refusal rate on unanswerable questions and false-refusal rate on answerable ones.",
    "latency_ms": "Wall time of Assistant.ask for the question, in milliseconds (p50 / p95 reported).",
}


def ndcg_at_k(passages: Sequence[str], question: Question, k: int) -> float:
    """Binary-gain nDCG@k against the question's evidence quotes (pure; answerable questions).

    A passage gains 1 when it holds an evidence quote not already found higher up, so repeated
    overlapping chunks of the same evidence do not inflate the score above 1.
    """
    quotes = [q for q in (question.evidence, question.evidence_2) if q]
    if not quotes:
        raise ValueError("nDCG needs a question with evidence")
    found: set[int] = set()
    dcg = 0.0
    for rank, text in enumerate(passages[:k], start=1):
        new = {i for i, q in enumerate(quotes) if i not in found and contains_evidence(text, q)}
        if new:
            found |= new
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(quotes), k) + 1))
    return dcg / ideal


def must_include_coverage(answer_text: str, must_include: Sequence[str]) -> float:
    """Share of key facts found in the answer, case-insensitive, normalised (pure)."""
    if not must_include:
        raise ValueError("must_include is empty")
    text = normalise(answer_text)
    return sum(normalise(m) in text for m in must_include) / len(must_include)


def _f1_tokens(text: str) -> list[str]:
    text = re.sub(r"\b(a|an|the)\b", " ", normalise(strip_citations(text)))
    return re.findall(r"\w+", text)


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token F1 (lower-cased, punctuation and articles dropped) (pure)."""
    pred, ref = _f1_tokens(prediction), _f1_tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def cited_sentences(text: str) -> list[tuple[str, list[int]]]:
    """An answer's sentences with the citation numbers each carries (pure).

    Handles markers after the full stop ("... ends. [1] Next ...", the extractive style) and
    before it ("... ends [1][2]."): a sentence owns the markers inside it and those that open
    the next span.
    """
    marker = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
    leading = re.compile(r"^(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")
    out: list[tuple[str, list[int]]] = []
    for a, b in split_sentences(text):
        span = text[a:b]
        lead = leading.match(span)
        if lead and out:
            out[-1][1].extend(int(n) for g in marker.findall(lead.group(0)) for n in re.split(r"\s*[,;]\s*", g))
            span = span[lead.end():]
        numbers = [int(n) for g in marker.findall(span) for n in re.split(r"\s*[,;]\s*", g)]
        sentence = strip_citations(" ".join(span.split()))
        if re.search(r"\w", sentence):
            out.append((sentence, numbers))
    return [(s, list(dict.fromkeys(ns))) for s, ns in out]


Entails = Callable[[str, Sequence[str]], bool]  # sentence, evidence texts -> entailed?


@dataclass
class CitationScores:
    """ALCE citation recall and precision of one answer."""

    recall: float
    precision: float | None
    """None when the answer cites nothing."""
    sentences: int
    citations: int


def citation_scores(sentences: Sequence[tuple[str, Sequence[int]]], passages: dict[int, str], entails: Entails) -> CitationScores:
    """ALCE citation recall / precision with ``entails`` as the judge (pure given the judge).

    Recall: a sentence counts when the concatenation of its cited passages entails it. Precision:
    a citation is irrelevant when its passage alone does not entail the sentence and the sentence
    stays entailed without it; a sentence that is not entailed makes all its citations imprecise
    (as in ALCE's reference implementation).
    """
    if not sentences:
        raise ValueError("no sentences to score")
    supported = 0
    precise = 0
    total = 0
    for sentence, numbers in sentences:
        cited = [n for n in numbers if n in passages]
        total += len(cited)
        if not cited:
            continue
        joint = entails(sentence, ["\n".join(passages[n] for n in cited)])
        supported += joint
        if not joint:
            continue
        if len(cited) == 1:
            precise += 1
            continue
        for n in cited:
            if entails(sentence, [passages[n]]):
                precise += 1
            elif not entails(sentence, ["\n".join(passages[m] for m in cited if m != n)]):
                precise += 1  # needed: without it the rest no longer entail the sentence
    return CitationScores(
        recall=supported / len(sentences), precision=(precise / total) if total else None,
        sentences=len(sentences), citations=total,
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100, linear interpolation); None for no values (pure)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


SCORED_METRICS = ("hit_at_k", "mrr", "ndcg_at_k", "must_include", "token_f1", "embedding_similarity",
                  "citation_recall", "citation_precision", "faithfulness")


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def aggregate(rows: Sequence[dict]) -> dict:
    """Summary of per-question result rows (as written to results.jsonl): means overall and by type.

    Every metric is ``{"mean": x | None, "n": scored, "unscored": count}``; a mean is None (with n
    = 0) when no question could be scored, never NaN.
    """
    ok = [r for r in rows if not r.get("error")]

    def block(subset: Sequence[dict]) -> dict:
        out: dict[str, dict] = {}
        for name in SCORED_METRICS:
            values = [r["metrics"][name] for r in subset if r["metrics"].get(name) is not None]
            out[name] = {"mean": _mean(values), "n": len(values), "unscored": len(subset) - len(values)}
        answerable = [r for r in subset if r["type"] != "unanswerable"]
        unanswerable = [r for r in subset if r["type"] == "unanswerable"]
        out["false_refusal_rate"] = {"mean": _mean([float(r["refused"]) for r in answerable]), "n": len(answerable), "unscored": 0}
        out["refusal_rate"] = {"mean": _mean([float(r["refused"]) for r in unanswerable]), "n": len(unanswerable), "unscored": 0}
        return out

    latencies = [r["latency_ms"] for r in ok if r.get("latency_ms") is not None]
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in ok:
        by_type[r["type"]].append(r)
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in ok:
        for name, why in r.get("unscored", {}).items():
            reasons[name][why] += 1
    return {
        "questions": len(rows),
        "scored": len(ok),
        "failed": [{"id": r["id"], "error": r["error"]} for r in rows if r.get("error")],
        "overall": block(ok),
        "by_type": {t: {"n": len(group), **block(group)} for t, group in sorted(by_type.items())},
        "latency_ms": {
            "p50": _round(percentile(latencies, 50)), "p95": _round(percentile(latencies, 95)),
            "mean": _mean(latencies), "max": _round(max(latencies)) if latencies else None, "n": len(latencies),
        },
        "unscored_reasons": {k: dict(v) for k, v in reasons.items()},
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def flat_metrics(summary: dict) -> dict[str, float | None]:
    """``{"overall.hit_at_k": 0.9, "factoid.mrr": ..., "latency.p50": ...}`` for comparing runs (pure)."""
    flat: dict[str, float | None] = {}
    for name, m in summary.get("overall", {}).items():
        flat[f"overall.{name}"] = m.get("mean")
    for qtype, block in summary.get("by_type", {}).items():
        for name, m in block.items():
            if isinstance(m, dict):
                flat[f"{qtype}.{name}"] = m.get("mean")
    for key in ("p50", "p95"):
        flat[f"latency_ms.{key}"] = summary.get("latency_ms", {}).get(key)
    flat["failed"] = float(len(summary.get("failed", [])))
    return flat


def compare_summaries(a: dict, b: dict) -> list[tuple[str, float | None, float | None, float | None]]:
    """``(metric, run A, run B, B - A)`` for every metric of either run (pure)."""
    fa, fb = flat_metrics(a), flat_metrics(b)
    out = []
    for key in sorted(set(fa) | set(fb), key=lambda k: (not k.startswith("overall"), k)):
        va, vb = fa.get(key), fb.get(key)
        out.append((key, va, vb, None if va is None or vb is None else round(vb - va, 4)))
    return out
