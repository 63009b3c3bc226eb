"""Quick answer-quality check of the extractive answerer on eval/questions.jsonl (per split).

    python eval/answer_check.py [--index DIR]

Reports must_include coverage (share of key facts present in the answer), false refusals on
answerable questions and refusals on unanswerable ones. Builds the index of corpus/ and
../shared/corpus-nhs/ at --index (default: a temporary directory) if it is empty. The full
evaluation runner (citations, faithfulness, reports) is `ics-assistant eval` (evaluation issue).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.questions import load_questions, normalise  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--index", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        a = Assistant(index_dir=args.index or tmp)
        if a.store.count() == 0:
            a.ingest([ROOT / "corpus", ROOT.parent / "shared" / "corpus-nhs"])
        questions = load_questions(args.questions)
        print("| split | must_include coverage | false refusals | unanswerable refused |")
        print("|---|---|---|---|")
        for split in ("dev", "test", "all"):
            rows = [(q, a.ask(q.question)) for q in questions if split == "all" or q.split == split]
            answerable = [(q, x) for q, x in rows if q.answerable]
            unanswerable = [(q, x) for q, x in rows if not q.answerable]
            coverage = sum(
                sum(normalise(m) in normalise(x.text) for m in q.must_include) / len(q.must_include)
                for q, x in answerable if q.must_include
            ) / max(1, sum(1 for q, _ in answerable if q.must_include))
            false_refusals = sum(x.refused for _, x in answerable)
            refused = sum(x.refused for _, x in unanswerable)
            print(f"| {split} | {coverage:.3f} | {false_refusals}/{len(answerable)} | {refused}/{len(unanswerable)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
