"""The evaluation runner: ask every question, score every answer, write the reports.

A run lives in one directory (default ``eval/reports/<timestamp>/``):

- ``results.jsonl``: one row per question, appended (flushed and fsynced) as soon as it is scored,
  so an interrupted run loses at most the questions in flight; re-running on the same directory
  skips the questions already answered (rows that failed are tried again; the last row of an id wins);
- ``meta.json``: the question file, its checksum and the settings (a resumed run must match);
- ``summary.json``, ``report.md``, ``report.html``: written when every question has a row.

A question that fails (an exception while asking or scoring) is recorded with its error and the
run goes on. Metrics are defined in ``assistant.evaluation`` (``METRICS``); none is ever NaN.

Example::

    >>> from assistant import Assistant
    >>> from assistant.eval_runner import run_eval
    >>> from assistant.questions import load_questions
    >>> run = run_eval(Assistant(index_dir="index"), load_questions("eval/questions.jsonl"), "eval/reports/demo")
    >>> run.summary["overall"]["hit_at_k"]["mean"], run.summary["latency_ms"]["p50"]
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answering.verification import FaithfulnessChecker, strip_citations
from assistant.evaluation.metrics import (
    aggregate,
    citation_scores,
    cited_sentences,
    first_relevant_rank,
    must_include_coverage,
    ndcg_at_k,
    token_f1,
)
from assistant.evaluation.questions import Question
from assistant.results import Answer, _Data

if TYPE_CHECKING:
    from assistant.api import Assistant

RESULTS = "results.jsonl"
META = "meta.json"
SUMMARY = "summary.json"


class EvalError(ValueError):
    """A run cannot start or resume (one-line message)."""


@dataclass
class EvalRun(_Data):
    """What a run did: where it wrote, how many questions it asked now and earlier, the summary."""

    out_dir: str
    questions: int
    asked: int
    resumed: int
    """Questions already answered by an earlier, interrupted run in the same directory."""
    failed: int
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        o = self.summary.get("overall", {})
        lat = self.summary.get("latency_ms", {})

        def fmt(name: str) -> str:
            m = o.get(name, {}).get("mean")
            return "n/a" if m is None else f"{m:.3f}"

        return (
            f"{self.questions} questions ({self.asked} asked, {self.resumed} from an earlier run, {self.failed} failed) "
            f"in {self.seconds:.0f}s\n"
            f"hit@k {fmt('hit_at_k')}  MRR {fmt('mrr')}  nDCG {fmt('ndcg_at_k')}  must_include {fmt('must_include')}  "
            f"F1 {fmt('token_f1')}  faithfulness {fmt('faithfulness')}  citation recall {fmt('citation_recall')} "
            f"precision {fmt('citation_precision')}\n"
            f"refusal rate (unanswerable) {fmt('refusal_rate')}  false refusals {fmt('false_refusal_rate')}  "
            f"latency p50 {lat.get('p50')} ms p95 {lat.get('p95')} ms\n"
            f"report: {Path(self.out_dir) / 'report.html'}"
        )

    def _repr_html_(self) -> str:
        return f"<pre>{escape(str(self))}</pre>"


# -- scoring one answer ---------------------------------------------------------------------------
def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return round(value, 4) if isinstance(value, float) else value


def score_answer(question: Question, answer: Answer, checker: FaithfulnessChecker, k: int) -> tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]:
    """Every metric of one answer: ``(metrics, unscored reasons, unsupported claims)``.

    Each metric is computed on its own; one that fails or does not apply is None with its reason.
    """
    metrics: dict[str, Any] = {}
    unscored: dict[str, str] = {}
    unsupported: list[dict[str, Any]] = []

    def put(name: str, compute: Callable[[], Any], skip: str | None = None) -> None:
        if skip:
            metrics[name], unscored[name] = None, skip
            return
        try:
            metrics[name] = _finite(compute())
        except Exception as exc:  # one metric failing must not lose the others
            metrics[name], unscored[name] = None, f"error: {type(exc).__name__}: {exc}"

    texts = [p.text for p in answer.passages]
    no_evidence = None if question.answerable else "unanswerable question (no evidence)"
    rank = first_relevant_rank(texts[:k], question) if question.answerable else None
    metrics["first_relevant_rank"] = rank
    put("hit_at_k", lambda: float(rank is not None), no_evidence)
    put("mrr", lambda: 1.0 / rank if rank else 0.0, no_evidence)
    put("ndcg_at_k", lambda: ndcg_at_k(texts, question, k), no_evidence)

    put("must_include", lambda: must_include_coverage(answer.text, question.must_include), no_evidence)
    put("token_f1", lambda: token_f1(answer.text, question.answer), no_evidence)

    def similarity() -> float:
        vecs = checker.embed([strip_citations(answer.text), question.answer])
        return max(0.0, float(vecs[0] @ vecs[1]))

    put("embedding_similarity", similarity, no_evidence)

    by_chunk = {p.chunk_id: p.text for p in answer.passages if p.chunk_id}
    cited = {c.n: by_chunk.get(c.chunk_id, c.quote) for c in answer.citations}
    sentences = cited_sentences(answer.text) if not answer.refused else []
    not_answered = "refused" if answer.refused else ("the answer has no sentences" if not sentences else None)
    scores = None
    if not not_answered:
        try:
            scores = citation_scores(sentences, cited, checker.supports)
        except Exception as exc:
            not_answered = f"error: {type(exc).__name__}: {exc}"
    put("citation_recall", lambda: scores.recall if scores else None, not_answered)
    precision_skip = not_answered or (None if scores is None or scores.precision is not None else "the answer cites nothing")
    put("citation_precision", lambda: scores.precision if scores else None, precision_skip)

    def faithfulness() -> float:
        context = list(cited.values()) or texts  # an answer without markers is held to every passage
        result = checker.check(answer.text, context)
        if result.score is None:
            raise ValueError(result.error or "not scored")
        unsupported.extend({"claim": c.claim, "score": c.score, "reasons": c.reasons} for c in result.unsupported)
        return result.score

    put("faithfulness", faithfulness, "refused" if answer.refused else None)
    if "faithfulness" in unscored and unscored["faithfulness"].startswith("error: ValueError: "):
        unscored["faithfulness"] = unscored["faithfulness"].removeprefix("error: ValueError: ")
    return metrics, unscored, unsupported


def evaluate_question(assistant: "Assistant", question: Question, checker: FaithfulnessChecker, k: int) -> dict[str, Any]:
    """Ask one question and score the answer; an exception becomes the row's ``error``, never raised."""
    row: dict[str, Any] = {
        "id": question.id, "type": question.type, "split": question.split, "question": question.question,
        "reference": question.answer, "must_include": list(question.must_include), "error": None,
    }
    started = time.perf_counter()
    try:
        answer = assistant.ask(question.question)
    except Exception as exc:  # recorded, not fatal: the run goes on
        row.update(latency_ms=round((time.perf_counter() - started) * 1000, 1), error=f"ask failed: {type(exc).__name__}: {exc}")
        return row
    row["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    row.update(
        answer=answer.text, refused=answer.refused, backend=answer.backend,
        citations=[{"n": c.n, "source": c.source, "quote": c.quote, "page": c.page, "section": c.section} for c in answer.citations],
        retrieved=[{"source": p.source, "chunk_id": p.chunk_id, "score": round(p.score, 4)} for p in answer.passages],
    )
    try:
        row["metrics"], row["unscored"], row["unsupported_claims"] = score_answer(question, answer, checker, k)
    except Exception as exc:
        row["error"] = f"scoring failed: {type(exc).__name__}: {exc}"
    return row


# -- the run -------------------------------------------------------------------------------------
def read_results(path: Path) -> dict[str, dict[str, Any]]:
    """Rows of a results file by id (the last row of an id wins); a torn last line is dropped."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by an interruption; the question is asked again
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            rows[row["id"]] = row
    return rows


def _repair_tail(path: Path) -> None:
    """Cut a partial last line (a write interrupted mid-line) so appended rows start clean."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def questions_checksum(questions: Sequence[Question]) -> str:
    blob = json.dumps([q.to_dict() for q in questions], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def default_out_dir(base: str | Path = "eval/reports") -> Path:
    return Path(base) / time.strftime("%Y%m%d-%H%M%S")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def run_eval(
    assistant: "Assistant",
    questions: Sequence[Question],
    out_dir: str | Path | None = None,
    *,
    workers: int = 1,
    checker: FaithfulnessChecker | None = None,
    progress: bool = False,
    questions_file: str | None = None,
) -> EvalRun:
    """Ask and score every question, resuming ``out_dir`` if it holds an unfinished run."""
    if workers < 1:
        raise EvalError(f"workers must be 1 or more, got {workers}")
    if not questions:
        raise EvalError("no questions to evaluate")
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    out.mkdir(parents=True, exist_ok=True)
    checksum = questions_checksum(questions)
    meta_path = out / META
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise EvalError(f"{meta_path}: unreadable ({exc}); choose another --out") from None
        if meta.get("questions_checksum") != checksum:
            raise EvalError(f"{out} holds a run of a different question set; choose another --out")
    else:
        meta = {
            "questions_file": questions_file, "questions_checksum": checksum, "questions": len(questions),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "settings": assistant.settings.to_dict(),
            "backend": assistant.settings.backend, "python": sys.version.split()[0],
        }
        meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")

    results_path = out / RESULTS
    _repair_tail(results_path)
    done = {qid for qid, row in read_results(results_path).items() if not row.get("error")}
    todo = [q for q in questions if q.id not in done]
    resumed = len(questions) - len(todo)
    checker = checker or FaithfulnessChecker(settings=assistant.settings)
    k = assistant.settings.top_k
    lock = threading.Lock()
    started = time.perf_counter()
    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(questions), initial=resumed, desc="eval", unit="q", file=sys.stderr)
    with results_path.open("a", encoding="utf-8") as fh:

        def record(row: dict[str, Any]) -> None:
            with lock:
                fh.write(_dump(row) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
                if bar is not None:
                    bar.update(1)

        if workers == 1:
            for q in todo:
                record(evaluate_question(assistant, q, checker, k))
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(evaluate_question, assistant, q, checker, k) for q in todo]
                for future in as_completed(futures):
                    record(future.result())
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - started

    latest = read_results(results_path)
    rows = [latest[q.id] for q in questions if q.id in latest]
    summary = aggregate(rows)
    summary["run"] = {
        "out_dir": str(out), "questions_file": meta.get("questions_file"), "backend": meta.get("backend"),
        "started": meta.get("started"), "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "seconds_this_session": round(seconds, 1), "workers": workers, "top_k": k, "resumed": resumed,
        "asked": len(todo), "faithfulness_threshold": checker.threshold,
    }
    (out / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    from assistant.evaluation.reports import write_reports

    write_reports(summary, rows, out)
    return EvalRun(str(out), len(questions), len(todo), resumed, len(summary["failed"]), round(seconds, 1), summary)


def load_run(run_dir: str | Path) -> dict[str, Any]:
    """The summary of a finished run (``summary.json``)."""
    path = Path(run_dir) / SUMMARY
    if not path.is_file():
        raise EvalError(f"{run_dir}: no {SUMMARY} (not an evaluation run, or not finished)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalError(f"{path}: unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise EvalError(f"{path}: not a summary")
    return data


def format_comparison(rows: Sequence[tuple[str, float | None, float | None, float | None]], name_a: str, name_b: str) -> str:
    """A Markdown table of ``compare_summaries`` rows (pure)."""

    def f(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    lines = [f"| metric | {name_a} | {name_b} | delta |", "|---|---|---|---|"]
    for key, a, b, d in rows:
        delta = "n/a" if d is None else f"{d:+.3f}"
        lines.append(f"| {key} | {f(a)} | {f(b)} | {delta} |")
    return "\n".join(lines)
