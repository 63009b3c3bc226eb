"""A fixed, stratified sample of the development questions, for evaluations too slow for all of them.

    python eval/llm_subset.py [--n 24] [--seed 14] [--out eval/llm-subset.txt]

A 1.5B model answers in 15-20 s on 2 cores, so the generative path is measured on a subset
(``make eval-gguf`` passes it as ``ics-assistant eval --ids``). Strata: question file x by-document
half (eval/splits.json) x answerable/unanswerable; each non-empty stratum gets its share of ``n``
(largest remainder), at least two questions (three when unanswerable, so the refusal rate rests on
a dozen), drawn with a seeded generator. The ids are written
one a line with the stratum as a comment, so the file is the record of what was measured.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from pathlib import Path

from assistant.evaluation.questions import load_question_files
from assistant.evaluation.splits import DocumentSplits

FILES = ["eval/questions.jsonl", "eval/questions-realdocs.jsonl", "eval/questions-current.jsonl"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--splits", default="eval/splits.json")
    ap.add_argument("--out", default="eval/llm-subset.txt")
    args = ap.parse_args()
    splits = DocumentSplits.load(args.splits)
    strata: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for q in load_question_files(FILES):
        strata[(q.origin, splits.half(q), "answerable" if q.answerable else "unanswerable")].append(q.id)
    total = sum(len(v) for v in strata.values())
    shares = {k: args.n * len(v) / total for k, v in strata.items()}
    take = {k: min(len(strata[k]), max(3 if k[2] == "unanswerable" else 2, int(s))) for k, s in shares.items()}
    for k in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True):
        if sum(take.values()) >= args.n:
            break
        if take[k] < len(strata[k]):
            take[k] += 1
    rng = random.Random(args.seed)
    drawn = {key: rng.sample(sorted(strata[key]), take[key]) for key in sorted(strata)}
    lines = [f"# {sum(take.values())} of {total} development questions: eval/llm_subset.py --n {args.n} --seed {args.seed}",
             "# in round-robin order over the strata (eval --ids keeps it), so a run cut short has asked some of each"]
    lines += [f"# {' / '.join(key)}: {take[key]} of {len(strata[key])}" for key in sorted(strata)]
    for i in range(max(take.values())):
        lines += [f"{ids[i]}  # {' / '.join(key)}" for key, ids in drawn.items() if i < len(ids)]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {sum(take.values())} ids")


if __name__ == "__main__":
    main()
