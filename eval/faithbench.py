"""Validate the offline faithfulness checker on FaithBench (human-labelled LLM summaries), by source.

    python eval/faithbench.py [--data ../shared/external/faithbench-dev.jsonl] [--seeds 5]

Each row's ``summary`` is checked against its ``source``; a summary with any unsupported claim is
predicted hallucinated and compared with ``hallucinated_strict`` (balanced accuracy, 0.5 = chance).
The data has 40 sources, 10 summaries each, 5 sources per batch. What counts is how a rule does on
sources it was not tuned on, so every rule is scored by cross-validation that keeps a source's
rows together:

- **leave one batch out** (8 folds of 50 rows: the closest thing to FaithBench's unreleased batches);
- **5-fold by source**, repeated with ``--seeds`` shuffles of the sources.

Each reports the pooled held-out balanced accuracy and the mean and spread (SD, min-max) across
folds. A rule with nothing tuned scores the same in and out of sample; a tuned rule picks its
parameters on the training folds only. Rules compared (claim features measured once):

- the shipped rule: contradiction (figure, date, name, negation) or support ``max(dense, lexical)``
  below 0.5; and the same with the threshold tuned;
- contradictions alone; support alone (threshold tuned);
- the previous weighted rule (``w*dense + (1-w)*lexical - penalties < threshold``, 5 weights tuned
  by grid search), and its former shipped weights.

Run against another checkout (``PYTHONPATH=/other/tree python eval/faithbench.py``) to measure
that tree's features with the same rules and folds. Writes ``eval/reports/faithbench-<timestamp>.json``.
FaithBench is CC BY-NC-SA: evaluation only, never shipped.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # appended: PYTHONPATH may point at another checkout to compare

PUBLISHED = {  # balanced accuracy on faithbench-dev.jsonl vs hallucinated_strict (shared/external/README.md)
    "HHEM-1": 0.566, "HHEM-2.1 (authors' hhem-2.1)": 0.542, "HHEM-2.1-English": 0.512, "TrueTeacher": 0.519,
    "TRUE-NLI": 0.508, "GPT-3.5-turbo": 0.452, "GPT-4-turbo": 0.587, "GPT-4o": 0.584,
}
THRESHOLDS = [round(float(x), 3) for x in np.arange(0.30, 0.951, 0.025)]
OLD_GRID = {  # the previous rule's grid (eval/faithbench.py before issue 13)
    "threshold": [round(float(x), 2) for x in np.arange(0.30, 0.96, 0.01)],
    "dense_weight": [0.2, 0.35, 0.5, 0.65, 0.8, 1.0],
    "number_penalty": [0.0, 0.2, 0.4, 1.0],
    "name_penalty": [0.0, 0.2, 0.4, 1.0],
    "negation_penalty": [0.0, 0.15, 0.3, 1.0],
}
OLD_DEFAULTS = {"threshold": 0.55, "dense_weight": 0.65, "number_penalty": 1.0, "name_penalty": 1.0, "negation_penalty": 1.0}


def load_rows(path: Path) -> list[dict] | None:
    """FaithBench rows from a JSONL file, or None when it is missing."""
    if not path.is_file():
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean of the recall on each class (hallucinated, faithful); 0.5 = chance."""
    pos, neg = y == 1, y == 0
    tpr = float((pred[pos] == 1).mean()) if pos.any() else 0.0
    tnr = float((pred[neg] == 0).mean()) if neg.any() else 0.0
    return (tpr + tnr) / 2


def balanced_accuracies(y: np.ndarray, preds: np.ndarray) -> np.ndarray:
    """Balanced accuracy of each row of ``preds`` (candidates x rows) at once."""
    pos, neg = y == 1, y == 0
    tpr = preds[:, pos].mean(axis=1) if pos.any() else np.zeros(len(preds))
    tnr = 1 - preds[:, neg].mean(axis=1) if neg.any() else np.zeros(len(preds))
    return (tpr + tnr) / 2


class FeatureTable:
    """Claim features as arrays, so every candidate rule is scored with numpy, not the model."""

    def __init__(self, rows_features: list[list[Any]]) -> None:
        self.row_of = np.array([i for i, fs in enumerate(rows_features) for _ in fs], dtype=int)
        flat = [f for fs in rows_features for f in fs]
        self.n_rows = len(rows_features)
        self.dense = np.array([f.dense for f in flat])
        self.lexical = np.array([f.lexical for f in flat])
        self.figure = np.array([bool(f.missing_numbers or f.missing_dates) for f in flat])
        self.name = np.array([bool(f.missing_names) for f in flat])
        self.negation = np.array([bool(f.negation_mismatch) for f in flat])
        self.contradiction = self.figure | self.name | self.negation

    def rows(self, unsupported_claims: np.ndarray) -> np.ndarray:
        """1 = hallucinated (some claim unsupported), per row."""
        pred = np.zeros(self.n_rows, dtype=np.int8)
        np.maximum.at(pred, self.row_of, unsupported_claims.astype(np.int8))
        return pred

    def shipped(self, threshold: float) -> np.ndarray:
        return self.rows(self.contradiction | (np.maximum(self.dense, self.lexical) < threshold))

    def support_only(self, threshold: float) -> np.ndarray:
        return self.rows(np.maximum(self.dense, self.lexical) < threshold)

    def old_rule(self, p: dict[str, float]) -> np.ndarray:
        score = p["dense_weight"] * self.dense + (1 - p["dense_weight"]) * self.lexical
        score = score - p["number_penalty"] * self.figure - p["name_penalty"] * self.name - p["negation_penalty"] * self.negation
        return self.rows(np.clip(score, 0, 1) < p["threshold"])


def grouped_folds(groups: list[str], k: int, seed: int = 0) -> np.ndarray:
    """Fold number per row; rows with the same group share a fold."""
    unique = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[j]: i % k for i, j in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


def cross_validate(y: np.ndarray, preds: np.ndarray, folds: np.ndarray) -> dict[str, Any]:
    """Tune on all folds but one (the candidate with the best training balanced accuracy), score the
    held-out fold; ``preds`` is candidates x rows (one candidate: nothing is tuned)."""
    pooled = np.zeros(len(y), dtype=np.int8)
    per_fold, chosen = [], []
    for k in sorted(set(folds.tolist())):
        train, test = folds != k, folds == k
        best = int(np.argmax(balanced_accuracies(y[train], preds[:, train])))
        pooled[test] = preds[best, test]
        per_fold.append(balanced_accuracy(y[test], preds[best, test]))
        chosen.append(best)
    folds_ba = np.array(per_fold)
    return {"pooled": balanced_accuracy(y, pooled), "fold_mean": float(folds_ba.mean()), "fold_sd": float(folds_ba.std(ddof=1)),
            "fold_min": float(folds_ba.min()), "fold_max": float(folds_ba.max()), "folds": [round(x, 4) for x in per_fold],
            "chosen": chosen}


def evaluate(y: np.ndarray, preds: np.ndarray, batches: np.ndarray, sources: list[str], seeds: int) -> dict[str, Any]:
    lobo = cross_validate(y, preds, batches)
    by_source = [cross_validate(y, preds, grouped_folds(sources, 5, seed)) for seed in range(seeds)]
    all_folds = np.array([x for r in by_source for x in r["folds"]])
    return {
        "lobo": lobo,
        "by_source": {"pooled_mean": float(np.mean([r["pooled"] for r in by_source])),
                      "pooled_min": float(min(r["pooled"] for r in by_source)),
                      "pooled_max": float(max(r["pooled"] for r in by_source)),
                      "fold_mean": float(all_folds.mean()), "fold_sd": float(all_folds.std(ddof=1))},
        "in_sample": float(balanced_accuracies(y, preds).max()),
        "tuned": len(preds) > 1,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "external" / "faithbench-dev.jsonl"))
    parser.add_argument("--seeds", type=int, default=5, help="shuffles of the 5-fold by-source split")
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports"))
    args = parser.parse_args()
    rows = load_rows(Path(args.data))
    if rows is None:
        print(f"faithbench: no data at {args.data}", file=sys.stderr)
        return 2

    import assistant
    from assistant.answering.verification import FaithfulnessChecker, split_claims

    y = np.array([int(r["hallucinated_strict"]) for r in rows])
    batches = np.array([int(r["batch_id"]) for r in rows])
    sources = [r["source"] for r in rows]
    checker = FaithfulnessChecker()
    started = time.perf_counter()
    table = FeatureTable([checker.features(split_claims(r["summary"]), [r["source"]]) for r in rows])
    seconds = time.perf_counter() - started

    keys = list(OLD_GRID)
    old_grid = [dict(zip(keys, values)) for values in itertools.product(*(OLD_GRID[k] for k in keys))]
    candidates = {
        "shipped: contradiction or support < 0.5 (nothing tuned)": np.array([table.shipped(0.5)]),
        "same, support threshold tuned": np.array([table.shipped(t) for t in THRESHOLDS]),
        "contradictions only (nothing tuned)": np.array([table.rows(table.contradiction)]),
        "support only, threshold tuned": np.array([table.support_only(t) for t in THRESHOLDS]),
        "previous weighted rule, 5 weights tuned (grid)": np.array([table.old_rule(p) for p in old_grid]),
        "previous weighted rule, its shipped weights": np.array([table.old_rule(OLD_DEFAULTS)]),
    }
    results = {name: evaluate(y, preds, batches, sources, args.seeds) for name, preds in candidates.items()}

    lines = [
        f"FaithBench dev: {len(rows)} summaries ({int(y.sum())} hallucinated, strict), {len(set(sources))} sources in "
        f"{len(set(batches.tolist()))} batches; checker from {Path(assistant.__file__).parent.parent}; features in {seconds:.0f}s",
        "",
        "| rule | leave-one-batch-out: pooled | fold mean ± SD [min, max] | 5-fold by source: pooled (seeds) | fold mean ± SD | in-sample |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lo, bs = r["lobo"], r["by_source"]
        lines.append(f"| {name} | {lo['pooled']:.3f} | {lo['fold_mean']:.3f} ± {lo['fold_sd']:.3f} [{lo['fold_min']:.2f}, {lo['fold_max']:.2f}] "
                     f"| {bs['pooled_mean']:.3f} ({bs['pooled_min']:.3f}-{bs['pooled_max']:.3f}) | {bs['fold_mean']:.3f} ± {bs['fold_sd']:.3f} "
                     f"| {r['in_sample']:.3f}{'' if r['tuned'] else ' (= held out)'} |")
    lines += ["", "| published detector (all 400 rows) | balanced accuracy |", "|---|---|"]
    lines += [f"| {name} | {ba:.3f} |" for name, ba in PUBLISHED.items()]
    lines.append(f"| always 'hallucinated' | {balanced_accuracy(y, np.ones(len(rows), dtype=int)):.3f} |")
    shipped = candidates["shipped: contradiction or support < 0.5 (nothing tuned)"][0]
    per_batch = {int(b): round(balanced_accuracy(y[batches == b], shipped[batches == b]), 3) for b in sorted(set(batches.tolist()))}
    lines.append(f"\nshipped rule by batch: {per_batch}")
    print("\n".join(lines))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = out / f"faithbench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    chosen_names = {"same, support threshold tuned": THRESHOLDS, "support only, threshold tuned": THRESHOLDS,
                    "previous weighted rule, 5 weights tuned (grid)": old_grid}
    for name, options in chosen_names.items():
        results[name]["lobo"]["chosen"] = [options[i] for i in results[name]["lobo"]["chosen"]]
    report.write_text(json.dumps({
        "data": args.data, "rows": len(rows), "hallucinated": int(y.sum()), "feature_seconds": seconds,
        "checker": str(Path(assistant.__file__).parent), "seeds": args.seeds, "rules": results,
        "shipped_by_batch": per_batch, "published": PUBLISHED, "table": "\n".join(lines),
    }, indent=2, default=str))
    print(f"written: {report.relative_to(ROOT) if report.is_relative_to(ROOT) else report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
