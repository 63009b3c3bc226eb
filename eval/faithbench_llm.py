"""The LLM faithfulness judge on FaithBench (human-labelled LLM summaries): slow, resumable.

    python eval/faithbench_llm.py [--gguf PATH | --backend openai --llm-base-url URL] [--limit N]

Each row's ``summary`` is judged against its ``source`` by ``LLMFaithfulnessJudge`` (the judge of
``--judge llm``), with no offline fallback, so an unreadable reply is counted, not hidden. A summary
with any claim judged unsupported is predicted hallucinated and compared with
``hallucinated_strict``. Every verdict is appended (fsync) to ``--out`` (default
``eval/reports/faithbench-llm-<model>.jsonl``) as it comes: a stopped run continues where it stopped
when started again. Prints balanced accuracy on the rows done, by batch, beside the published
detectors and the offline checker on the same rows. Default model: Qwen2.5-Coder-1.5B-Instruct from
``../shared/models/assemble_gguf.py`` (about 5-15 s a row on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from faithbench import PUBLISHED, balanced_accuracy, load_rows  # noqa: E402

DEFAULT_GGUF = Path.home() / ".cache" / "ics-assistant" / "qwen2.5-coder-1.5b-instruct.gguf"


def row_key(row: dict[str, Any]) -> str:
    return f"{row['batch_id']}-{row['sample_id']}"


def read_done(path: Path) -> dict[str, dict[str, Any]]:
    """Verdicts already written (a torn last line, from a kill mid-write, is dropped)."""
    done: dict[str, dict[str, Any]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "key" in rec:
                done[rec["key"]] = rec
    return done


def summarise(records: list[dict[str, Any]], offline: dict[str, int] | None = None) -> list[str]:
    """The figures on the rows done, as Markdown lines (pure)."""
    judged = [r for r in records if r["predicted"] is not None]
    lines = [f"{len(records)} rows judged, {len(records) - len(judged)} unreadable (no verdict)"]
    if not judged:
        return lines
    y = np.array([r["label"] for r in judged])
    pred = np.array([r["predicted"] for r in judged])
    ba = balanced_accuracy(y, pred)
    lines += ["", "| detector | rows | balanced accuracy |", "|---|---|---|",
              f"| **LLM judge** | {len(judged)} | **{ba:.3f}** |"]
    if offline:
        off = np.array([offline[r["key"]] for r in judged])
        lines.append(f"| offline checker, same rows | {len(judged)} | {balanced_accuracy(y, off):.3f} |")
    lines += [f"| {name} (published, all 400 rows) | 400 | {value:.3f} |" for name, value in PUBLISHED.items()]
    per_batch = []
    for b in sorted({r["batch"] for r in judged}):
        sel = np.array([r["batch"] == b for r in judged])
        per_batch.append(f"{b}: {balanced_accuracy(y[sel], pred[sel]):.3f} (n={int(sel.sum())})")
    lines += ["", "by batch: " + ", ".join(per_batch),
              f"predicted hallucinated: {pred.mean():.2f} of rows (truth {y.mean():.2f}); "
              f"median {np.median([r['seconds'] for r in judged]):.1f} s a row"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "external" / "faithbench-dev.jsonl"))
    parser.add_argument("--gguf", default=str(DEFAULT_GGUF), help="GGUF model file (backend gguf)")
    parser.add_argument("--backend", choices=("gguf", "openai"), default="gguf")
    parser.add_argument("--llm-base-url", help="OpenAI-compatible server (backend openai)")
    parser.add_argument("--llm-model", help="model name sent to the server (backend openai)")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads (backend gguf)")
    parser.add_argument("--limit", type=int, help="judge at most N more rows this session")
    parser.add_argument("--out", help="verdicts file (JSONL, appended; default eval/reports/faithbench-llm-<model>.jsonl)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args()

    from assistant.evaluation.judge import LLMFaithfulnessJudge, judge_llm
    from assistant.settings import Settings

    rows = load_rows(Path(args.data))
    if rows is None:
        print(f"faithbench-llm: no data at {args.data}", file=sys.stderr)
        return 2
    if args.backend == "gguf":
        gguf = Path(args.gguf)
        if not gguf.is_file():
            print(f"faithbench-llm: no model at {gguf}; build it with\n  python3 ../shared/models/assemble_gguf.py "
                  f"qwen2.5-coder-1.5b-instruct {gguf}", file=sys.stderr)
            return 2
        settings = Settings.load(backend="gguf", gguf_path=gguf, gguf_threads=args.threads, gguf_context=4096,
                                 llm_timeout_s=600.0, llm_max_tokens=800)
        model = gguf.stem
    else:
        if not args.llm_base_url:
            print("faithbench-llm: --backend openai needs --llm-base-url", file=sys.stderr)
            return 2
        settings = Settings.load(backend="openai", llm_base_url=args.llm_base_url, llm_model=args.llm_model,
                                 llm_timeout_s=600.0, llm_max_tokens=800)
        model = (args.llm_model or "openai").replace("/", "_")
    out = Path(args.out or ROOT / "eval" / "reports" / f"faithbench-llm-{model}.jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = read_done(out)
    todo = [r for r in rows if row_key(r) not in done][: args.limit]
    print(f"faithbench-llm: {len(done)} of {len(rows)} rows already judged in {out}; {len(todo)} to go", file=sys.stderr)

    if todo:
        judge = LLMFaithfulnessJudge(judge_llm(settings), offline_fallback=False, grammar=args.backend == "gguf",
                                     retries=1, settings=settings)
        bar = None
        if not args.quiet:
            from tqdm import tqdm

            bar = tqdm(total=len(rows), initial=len(done), desc="faithbench-llm", unit="row", file=sys.stderr)
        with out.open("a", encoding="utf-8") as fh:
            for r in todo:
                started = time.perf_counter()
                result = judge.check(r["summary"], r["source"])
                predicted = None if result.score is None else int(not result.supported)
                rec = {"key": row_key(r), "batch": r["batch_id"], "label": int(r["hallucinated_strict"]),
                       "predicted": predicted, "seconds": round(time.perf_counter() - started, 2), "error": result.error,
                       "claims": [{"claim": c.claim, "supported": c.supported, "reason": "; ".join(c.reasons)} for c in result.claims]}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
                done[rec["key"]] = rec
                if bar is not None:
                    bar.update(1)
                    judged = [d for d in done.values() if d["predicted"] is not None]
                    if judged:
                        bar.set_postfix(ba=f"{balanced_accuracy(np.array([d['label'] for d in judged]), np.array([d['predicted'] for d in judged])):.3f}")
        if bar is not None:
            bar.close()

    records = [done[row_key(r)] for r in rows if row_key(r) in done]
    offline = _offline_predictions(rows, {r["key"] for r in records})
    lines = summarise(records, offline)
    print("\n".join(lines))
    summary_path = out.with_suffix(".summary.json")
    summary_path.write_text(json.dumps({"model": model, "data": args.data, "rows_total": len(rows), "rows_done": len(records),
                                        "verdicts": str(out), "table": "\n".join(lines)}, indent=2))
    print(f"written: {summary_path}", file=sys.stderr)
    return 0


def _offline_predictions(rows: list[dict[str, Any]], keys: set[str]) -> dict[str, int]:
    """The shipped offline checker's prediction on the same rows (hallucinated = 1)."""
    from assistant.answering.verification import FaithfulnessChecker

    checker = FaithfulnessChecker()
    return {row_key(r): int(not checker.check(r["summary"], r["source"]).supported) for r in rows if row_key(r) in keys}


if __name__ == "__main__":
    sys.exit(main())
