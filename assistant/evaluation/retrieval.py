"""Retrieval alone, for comparing retrievers: ours against LlamaIndex's default pipeline, scored by the same metrics.

The reference point is LlamaIndex's stock pipeline: ``VectorStoreIndex`` over ``SentenceSplitter()``
chunks of the same loaded documents, same embedding model. Its chunks may run over page breaks, so
each passage records the first and last page it covers (from the loader's page offsets), and the
page-aware hit rule applies to both retrievers alike.

Example::

    >>> rows = score_retriever(lambda q, k: assistant.retrieve(q, top_k=k), questions, k=5)
    >>> summarise(rows)["overall"]["mrr"]["mean"]
"""

from __future__ import annotations

import bisect
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import METRICS, Sample, score
from assistant.evaluation.questions import Question
from assistant.evaluation.results import QuestionResult, summarise
from assistant.evaluation.runner import new_result
from assistant.evaluation.splits import DocumentSplits
from assistant.results import Passage

Retrieve = Callable[[str, int], Sequence[Passage]]  # question, k -> passages, best first
RETRIEVAL_METRICS = tuple(m for m in METRICS if m.name in ("hit_at_k", "mrr", "ndcg_at_k"))


def score_retriever(retrieve: Retrieve, questions: Sequence[Question], k: int = 5,
                    splits: DocumentSplits | None = None) -> list[QuestionResult]:
    """Retrieve for every question with evidence and score hit@k, MRR and nDCG@k (rows as in ``results.jsonl``)."""
    rows = []
    for q in questions:
        if not q.quotes:
            continue
        row = new_result(q, splits)
        started = time.perf_counter()
        passages = tuple(retrieve(q.question, k))[:k]
        row.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        row.retrieved = [{"source": p.source, "page": p.page, "score": round(p.score, 4)} for p in passages]
        scored = score(Sample(q, passages), None, k, RETRIEVAL_METRICS)
        row.metrics, row.not_applicable, row.first_relevant_rank = scored.values, scored.not_applicable, scored.rank
        rows.append(row)
    return rows


def summarise_retrieval(rows: Sequence[QuestionResult]) -> dict[str, Any]:
    summary = summarise(rows, RETRIEVAL_METRICS)
    latencies = [r.latency_ms for r in rows if r.latency_ms is not None]
    summary["latency_ms"]["median"] = round(statistics.median(latencies), 1) if latencies else None
    return summary


def _pages_of(meta: dict[str, Any], start: int | None, end: int | None) -> tuple[int | None, int | None]:
    """First and last page of ``[start, end)`` from a document's ``pages`` offsets (None without pages)."""
    pages = sorted((int(o), int(p)) for o, p in meta.get("pages") or [])
    if not pages or start is None or end is None:
        return None, None
    offsets = [o for o, _ in pages]

    def at(pos: int) -> int:
        return pages[max(0, bisect.bisect_right(offsets, pos) - 1)][1]

    return at(start), at(max(start, end - 1))


def llamaindex_default_retriever(paths: Sequence[str | Path], embed_model: Any) -> Retrieve:
    """LlamaIndex's stock pipeline over the same loaded documents: SentenceSplitter() + VectorStoreIndex."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from assistant.ingest.loaders import load_paths

    documents = load_paths(paths).documents
    by_id = {d.doc_id: d.metadata for d in documents}
    index = VectorStoreIndex.from_documents(documents, embed_model=embed_model, transformations=[SentenceSplitter()])

    def retrieve(question: str, k: int) -> list[Passage]:
        out = []
        for hit in index.as_retriever(similarity_top_k=k).retrieve(question):
            node = hit.node
            meta = by_id.get(node.ref_doc_id or "", node.metadata)
            first, last = _pages_of(meta, getattr(node, "start_char_idx", None), getattr(node, "end_char_idx", None))
            out.append(Passage(source=str(meta.get("source", "")), title=str(meta.get("title", "")),
                               text=node.get_content(), score=float(hit.score or 0.0), page=first, page_end=last))
        return out

    return retrieve


def format_table(summaries: dict[str, dict[str, Any]], k: int) -> str:
    """A Markdown table: overall, per-half and per-type hit@k / MRR / nDCG, one column per retriever."""
    names = list(summaries)
    first = summaries[names[0]]
    lines = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]

    def row(title: str, path: tuple[str, ...], metric: str) -> None:
        cells = []
        for name in names:
            block: Any = summaries[name]
            for key in path:
                block = block.get(key, {})
            mean = (block.get(metric) or {}).get("mean")
            cells.append("n/a" if mean is None else f"{mean:.3f}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")

    n = first["overall"]["hit_at_k"]["n"]
    row(f"hit@{k} (all, n={n})", ("overall",), "hit_at_k")
    row("MRR (all)", ("overall",), "mrr")
    row(f"nDCG@{k} (all)", ("overall",), "ndcg_at_k")
    for half, block in first.get("by_half", {}).items():
        row(f"hit@{k} {half} (n={block['hit_at_k']['n']})", ("by_half", half), "hit_at_k")
        row(f"MRR {half}", ("by_half", half), "mrr")
    for qtype, block in first.get("by_type", {}).items():
        if block["hit_at_k"]["n"]:
            row(f"hit@{k} {qtype} (n={block['hit_at_k']['n']})", ("by_type", qtype), "hit_at_k")
    lines.append("| median latency ms | " + " | ".join(
        f"{summaries[name]['latency_ms'].get('median') or 0:.0f}" for name in names) + " |")
    return "\n".join(lines)
