"""Context hit@k for question sets whose contexts are not verbatim quotes (LlamaIndex datasets' ``reference_contexts``).

    python eval/context_hits.py QUESTIONS.jsonl --index DIR [--k 5] [--window 40] [--asked]

Their contexts are the dataset authors' own extraction of the source (other spacing, words split:
"comprehe nsive"), so the evaluation's evidence matching does not apply (``docs/evaluation.md``).
Lenient match: both sides lower-cased with everything but letters and digits removed; a passage
holds a context when it contains any ``window``-character piece of it (pieces taken every
``window // 2`` characters). Prints hit@k and MRR over the questions that have contexts: of the
retriever's ranking, or with ``--asked`` of the passages an answer lists (``ask``: in reading order,
``answering/reading.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def holds(passage: str, context: str, window: int) -> bool:
    p, c = squash(passage), squash(context)
    if len(c) <= window:
        return bool(c) and c in p
    return any(c[i:i + window] in p for i in range(0, len(c) - window + 1, max(1, window // 2)))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("questions")
    parser.add_argument("--index", required=True)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--window", type=int, default=40)
    parser.add_argument("--asked", action="store_true", help="rank the passages ask() lists, not retrieve()'s")
    args = parser.parse_args()
    assistant = Assistant(index_dir=args.index)
    hits = rr = n = 0.0
    for line in Path(args.questions).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        contexts = row.get("reference_contexts") or []
        if not contexts:
            continue
        n += 1
        question = row.get("query") or row["question"]
        passages = assistant.ask(question, top_k=args.k).passages if args.asked else assistant.retrieve(question, top_k=args.k)
        rank = next((i for i, p in enumerate(passages, 1) if any(holds(p.text, c, args.window) for c in contexts)), None)
        hits += rank is not None
        rr += 1 / rank if rank else 0.0
    print(json.dumps({"questions": int(n), f"context_hit_at_{args.k}": round(hits / n, 3) if n else None,
                      "mrr": round(rr / n, 3) if n else None, "window": args.window,
                      "ranking": "ask" if args.asked else "retrieve"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
