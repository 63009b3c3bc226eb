"""Retrieval quality of the assistant vs LlamaIndex's defaults, in one run.

    python eval/compare_retrieval.py [--questions eval/questions.jsonl] [--corpus DIR ...] [--split dev|test|all]

Builds a fresh index of the corpus (default: corpus/ and ../shared/corpus-nhs/) in a temporary
directory, builds LlamaIndex's stock VectorStoreIndex over SentenceSplitter() chunks with the same
embedding model, scores both on hit@5 and MRR, prints a Markdown table and writes
eval/reports/retrieval-<timestamp>.json.
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
from assistant.evaluation.metrics import format_table, llamaindex_default_retriever, score_retriever  # noqa: E402
from assistant.evaluation.questions import load_questions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--corpus", nargs="+", default=[str(ROOT / "corpus"), str(ROOT.parent / "shared" / "corpus-nhs")])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports"))
    args = parser.parse_args()

    questions = [q for q in load_questions(args.questions) if args.split == "all" or q.split == args.split]
    with tempfile.TemporaryDirectory() as tmp:
        ours = Assistant(index_dir=tmp)
        started = time.perf_counter()
        summary = ours.ingest(args.corpus)
        print(f"ours: {summary}", file=sys.stderr)
        baseline = llamaindex_default_retriever(args.corpus, ours.embed_model)
        print(f"indexes built in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        results = [
            score_retriever("ics-assistant (hybrid)", lambda q, k: [p.text for p in ours.retrieve(q, top_k=k)], questions, args.k),
            score_retriever("LlamaIndex default", baseline, questions, args.k),
        ]
    table = format_table(results)
    print(f"split: {args.split}; corpus: {', '.join(args.corpus)}\n")
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"retrieval-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"split": args.split, "corpus": args.corpus, "settings": ours.settings.to_dict(),
                                "results": [r.to_dict() for r in results], "table": table}, indent=2))
    print(f"\nwritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
