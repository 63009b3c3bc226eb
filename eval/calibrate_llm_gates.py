"""Set the generative path's two thresholds on the tune half, and check them on the confirm half.

    python eval/calibrate_llm_gates.py --index DIR [--splits eval/splits.json] [--out FILE.json]

The index must hold the development documents (``make eval`` builds one: eval/reports/index).

1. **The retrieval gate** (``relevance.GATE_THRESHOLD``): for each development question, the best
   cosine between the question and a sentence of its retrieved passages. The gate should let the
   model see every answerable question (refusing in-domain unanswerable ones is the model's and
   the verifier's job: their passages are as close as the answerable ones'), and stop questions
   the documents are not about. Rule: the lowest score of an answerable tune question whose
   evidence is in its retrieved passages, less 0.05, rounded down to 0.05. (A question whose
   evidence was not retrieved cannot be answered from its passages whatever the gate says, and the
   minimum over all of them moved with every retrieval miss: 0.525, then 0.437.) Out of domain: LlamaIndex's BlockchainSolana questions against the same
   index (../shared/external), which must fall below it.
2. **Sentence relevance** (``relevance.RELEVANCE_THRESHOLD``): pairs of a question and a sentence of
   its retrieved passages. Positive: the sentence holding the question's gold evidence. Negative:
   sentences of the same retrieval sharing under 20% of the evidence's words and none of its
   ``must_include`` (on topic, often supported, but another fact). Rule: keep 90% of tune positives
   (the 10th percentile, rounded down to 0.05): dropping a right sentence costs a false refusal,
   keeping a wrong one is left to the constraint check.

Prints both tables by half and writes them as JSON. Development tooling, not part of the package.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import numpy as np

from assistant.answering.relevance import RelevanceChecker, no_constraints, passage_sentences
from assistant.answering.verification import FaithfulnessChecker
from assistant.api import Assistant
from assistant.evaluation.questions import load_question_files
from assistant.evaluation.scores import first_relevant_rank
from assistant.evaluation.splits import DocumentSplits
from assistant.text.terms import terms

FILES = ["eval/questions.jsonl", "eval/questions-realdocs.jsonl", "eval/questions-current.jsonl"]
SOLANA = Path("../shared/external/llama-dataset-blockchain-solana/blockchain_solana_rag_dataset.jsonl")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _floor(x: float, step: float = 0.05) -> float:
    return round(math.floor(x / step + 1e-9) * step, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--splits", default="eval/splits.json")
    ap.add_argument("--out", help="write the tables as JSON here")
    args = ap.parse_args()
    a = Assistant(index_dir=args.index)
    splits = DocumentSplits.load(args.splits)
    checker = FaithfulnessChecker(a.embed_model)
    relevance = RelevanceChecker(checker, constraints=no_constraints)
    stats = a.keyword_index.term_stats()

    gate: list[tuple[str, bool, float]] = []  # (half, answerable, score)
    found: list[tuple[str, float]] = []  # (half, score) of answerable questions whose evidence was retrieved
    pairs: list[tuple[str, int, float]] = []  # (half, positive, relevance)
    for q in load_question_files(FILES):
        half = splits.half(q)
        passages = a.retrieve(q.question)
        gate.append((half, q.answerable, relevance.passages_relevance(q.question, passages)))
        if q.answerable and first_relevant_rank(passages, q.quotes) is not None:
            found.append((half, gate[-1][2]))
        if not q.answerable or not q.evidence:
            continue
        evidence = set(terms(q.evidence))

        def overlap(s: str, evidence: set[str] = evidence) -> float:
            return len(evidence & set(terms(s))) / max(1, len(evidence))

        sentences = passage_sentences(passages)
        pos = [s for s in sentences if _norm(q.evidence)[:60] in _norm(s) or overlap(s) >= 0.7][:1]
        neg = [s for s in sentences if overlap(s) < 0.2 and not any(m.lower() in s.lower() for m in q.must_include)][:5]
        pairs += [(half, 1, relevance.check(q.question, s, stats=stats).score) for s in pos]
        pairs += [(half, 0, relevance.check(q.question, s, stats=stats).score) for s in neg]
    outside = []
    if SOLANA.is_file():
        for line in SOLANA.read_text(encoding="utf-8").splitlines()[:40]:
            question = json.loads(line)["query"]
            outside.append(relevance.passages_relevance(question, a.retrieve(question)))

    tune_found = [s for h, s in found if h == "tune"]
    gate_threshold = _floor(min(tune_found) - 0.05)
    tune_pos = [s for h, y, s in pairs if h == "tune" and y]
    rel_threshold = _floor(float(np.percentile(tune_pos, 10)))
    report: dict[str, object] = {"gate_threshold": gate_threshold, "relevance_threshold": rel_threshold, "halves": {}}
    print(f"gate threshold {gate_threshold:.2f} (lowest answerable tune question with its evidence retrieved "
          f"{min(tune_found):.3f}; {len(tune_found)} such questions)")
    print(f"relevance threshold {rel_threshold:.2f} (10th percentile of tune positives)")
    for half in ("tune", "confirm"):
        ans = [s for h, y, s in gate if h == half and y]
        unans = [s for h, y, s in gate if h == half and not y]
        pos = [s for h, y, s in pairs if h == half and y]
        neg = [s for h, y, s in pairs if h == half and not y]
        row = {
            "answerable_asked": float(np.mean([s >= gate_threshold for s in ans])), "answerable": len(ans),
            "unanswerable_stopped": float(np.mean([s < gate_threshold for s in unans])), "unanswerable": len(unans),
            "positives_kept": float(np.mean([s >= rel_threshold for s in pos])), "positives": len(pos),
            "negatives_dropped": float(np.mean([s < rel_threshold for s in neg])), "negatives": len(neg),
        }
        report["halves"][half] = row  # type: ignore[index]
        print(f"{half}: gate asks {row['answerable_asked']:.3f} of {len(ans)} answerable, stops "
              f"{row['unanswerable_stopped']:.3f} of {len(unans)} unanswerable; relevance keeps "
              f"{row['positives_kept']:.3f} of {len(pos)} evidence sentences, drops {row['negatives_dropped']:.3f} of {len(neg)} others")
    if outside:
        stopped = float(np.mean([s < gate_threshold for s in outside]))
        report["out_of_domain"] = {"questions": len(outside), "stopped": stopped, "max": max(outside)}
        print(f"out of domain (BlockchainSolana, {len(outside)} questions): gate stops {stopped:.3f}, highest {max(outside):.3f}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
