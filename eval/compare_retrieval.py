"""Retrieval quality of the assistant vs LlamaIndex's defaults, in one run, with the evaluation's own metrics.

    python eval/compare_retrieval.py [--questions eval/questions.jsonl ...] [--corpus DIR ...]
                                     [--split dev|test|all] [--splits eval/splits.json]

Builds a fresh index of the corpus (default: corpus/ and ../shared/corpus-nhs/) in a temporary
directory, builds LlamaIndex's stock VectorStoreIndex over SentenceSplitter() chunks with the same
embedding model, scores both on hit@k, MRR and nDCG@k (``assistant.evaluation.metrics``, page-aware
where questions give a page; by tune/confirm half with ``--splits``), prints a Markdown table and
writes eval/reports/retrieval-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.questions import load_question_files  # noqa: E402
from assistant.evaluation.retrieval import (  # noqa: E402
    format_table,
    llamaindex_default_retriever,
    score_retriever,
    summarise_retrieval,
)
from assistant.evaluation.splits import DocumentSplits  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--questions", nargs="+", default=[str(ROOT / "eval" / "questions.jsonl")])
    parser.add_argument("--corpus", nargs="+", default=[str(ROOT / "corpus"), str(ROOT.parent / "shared" / "corpus-nhs")])
    parser.add_argument("--split", default="all", help="dev, test or all (the per-question split field)")
    parser.add_argument("--splits", help="by-document split file (eval/splits.json): adds tune / confirm rows")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports"))
    args = parser.parse_args()

    questions = [q for q in load_question_files(args.questions) if args.split == "all" or q.split == args.split]
    splits = DocumentSplits.load(args.splits) if args.splits else None
    with tempfile.TemporaryDirectory() as tmp:
        ours = Assistant(index_dir=tmp)
        started = time.perf_counter()
        print(f"ours: {ours.ingest(args.corpus)}", file=sys.stderr)
        baseline = llamaindex_default_retriever(args.corpus, ours.embed_model)
        print(f"indexes built in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        runs = {
            "ics-assistant (hybrid)": score_retriever(lambda q, k: ours.retrieve(q, top_k=k), questions, args.k, splits),
            "LlamaIndex default": score_retriever(baseline, questions, args.k, splits),
        }
    summaries = {name: summarise_retrieval(rows) for name, rows in runs.items()}
    table = format_table(summaries, args.k)
    print(f"split: {args.split}; corpus: {', '.join(args.corpus)}\n")
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"retrieval-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({
        "split": args.split, "corpus": args.corpus, "questions": args.questions, "splits": args.splits,
        "settings": ours.settings.to_dict(), "summaries": summaries, "table": table,
        "rows": {name: [r.to_dict() for r in rows] for name, rows in runs.items()},
    }, indent=2, allow_nan=False))
    print(f"\nwritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
