"""The evaluation runner: ask every question, score every answer, write the results and reports.

A run lives in one directory (default ``eval/reports/<timestamp>/``):

- ``results.jsonl``: one :class:`QuestionResult` per line, appended (flushed and fsynced) as soon as
  it is scored, so an interrupted run loses at most the questions in flight; re-running on the same
  directory skips the questions already answered (failed rows are tried again; the last row wins);
- ``meta.json``: the question files, their checksum and the settings (a resumed run must match);
- ``summary.json``, ``report.md``, ``report.html``: written when every question has a row.

A question that fails (an exception while asking or scoring) is recorded with its error and the
run goes on. Metrics: ``assistant.evaluation.metrics``; none is ever NaN.

Example::

    >>> from assistant import Assistant
    >>> from assistant.evaluation.questions import load_questions
    >>> from assistant.evaluation.runner import run_eval
    >>> run = run_eval(Assistant(index_dir="index"), load_questions("eval/questions.jsonl"), "eval/reports/demo")
    >>> run.mean("hit_at_k"), run.rows[0]
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answering.verification import FaithfulnessChecker
from assistant.evaluation.metrics import Sample, score
from assistant.evaluation.questions import Question
from assistant.evaluation.results import (
    META,
    RESULTS,
    SUMMARY,
    EvalError,
    EvalRun,
    QuestionResult,
    read_results,
    summarise,
)
from assistant.evaluation.splits import DocumentSplits

if TYPE_CHECKING:
    from assistant.api import Assistant

__all__ = ["EvalError", "EvalRun", "evaluate_question", "run_eval"]


def new_result(question: Question, splits: DocumentSplits | None = None) -> QuestionResult:
    """The row of ``question`` before it is asked."""
    return QuestionResult(
        id=question.id, question=question.question, type=question.type, split=question.split,
        half=splits.half(question) if splits else None, origin=question.origin, reference=question.answer,
        must_include=list(question.must_include), extra=dict(question.extra),
    )


def evaluate_question(assistant: Assistant, question: Question, checker: FaithfulnessChecker, k: int,
                      splits: DocumentSplits | None = None) -> QuestionResult:
    """Ask one question and score the answer; an exception becomes the row's ``error``, never raised."""
    row = new_result(question, splits)
    started = time.perf_counter()
    try:
        answer = assistant.ask(question.question)
    except Exception as exc:  # recorded, not fatal: the run goes on
        row.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        row.error = f"ask failed: {type(exc).__name__}: {exc}"
        return row
    row.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    row.answer, row.refused, row.backend = answer.text, answer.refused, answer.backend
    row.changes = list(answer.changes)
    row.citations = [{"n": c.n, "source": c.source, "quote": c.quote, "page": c.page, "section": c.section}
                     for c in answer.citations]
    row.retrieved = [{"source": p.source, "page": p.page, "chunk_id": p.chunk_id, "score": round(p.score, 4)}
                     for p in answer.passages]
    try:
        scored = score(Sample.from_answer(question, answer), checker, k)
    except Exception as exc:
        row.error = f"scoring failed: {type(exc).__name__}: {exc}"
        return row
    row.metrics, row.not_applicable, row.first_relevant_rank = scored.values, scored.not_applicable, scored.rank
    row.unsupported_claims, row.missing_facts = scored.unsupported_claims, scored.missing_facts
    return row


def _repair_tail(path: Path) -> None:
    """Cut a partial last line (a write interrupted mid-line) so appended rows start clean."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def questions_checksum(questions: Sequence[Question]) -> str:
    blob = json.dumps([q.to_dict() for q in questions], sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def default_out_dir(base: str | Path = "eval/reports") -> Path:
    return Path(base) / time.strftime("%Y%m%d-%H%M%S")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def _open_meta(out: Path, questions: Sequence[Question], assistant: Assistant, questions_file: str | None,
               splits: DocumentSplits | None) -> dict[str, Any]:
    checksum = questions_checksum(questions)
    meta_path = out / META
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise EvalError(f"{meta_path}: unreadable ({exc}); choose another --out") from None
        if meta.get("questions_checksum") != checksum:
            raise EvalError(f"{out} holds a run of a different question set; choose another --out")
        return dict(meta)
    meta = {
        "questions_file": questions_file, "questions_checksum": checksum, "questions": len(questions),
        "splits_file": splits.source if splits else None,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "settings": assistant.settings.to_dict(),
        "backend": assistant.settings.backend, "python": sys.version.split()[0],
    }
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def run_eval(
    assistant: Assistant,
    questions: Sequence[Question],
    out_dir: str | Path | None = None,
    *,
    workers: int = 1,
    checker: FaithfulnessChecker | None = None,
    progress: bool = False,
    questions_file: str | None = None,
    splits: DocumentSplits | None = None,
) -> EvalRun:
    """Ask and score every question, resuming ``out_dir`` if it holds an unfinished run.

    ``splits`` (a by-document split) adds the tune / confirm halves to the summary and reports.
    """
    if workers < 1:
        raise EvalError(f"workers must be 1 or more, got {workers}")
    if not questions:
        raise EvalError("no questions to evaluate")
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    out.mkdir(parents=True, exist_ok=True)
    meta = _open_meta(out, questions, assistant, questions_file, splits)

    results_path = out / RESULTS
    _repair_tail(results_path)
    done = {qid for qid, row in read_results(results_path).items() if row.ok}
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

        def record(row: QuestionResult) -> None:
            with lock:
                fh.write(_dump(row.to_dict()) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
                if bar is not None:
                    bar.update(1)

        if workers == 1:
            for q in todo:
                record(evaluate_question(assistant, q, checker, k, splits))
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(evaluate_question, assistant, q, checker, k, splits) for q in todo]
                for future in as_completed(futures):
                    record(future.result())
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - started

    latest = read_results(results_path)
    rows = [latest[q.id] for q in questions if q.id in latest]
    if splits:  # a resumed run's rows get the halves of the splits given now
        halves = {q.id: splits.half(q) for q in questions}
        for r in rows:
            r.half = halves[r.id]
    summary = summarise(rows)
    summary["run"] = {
        "out_dir": str(out), "questions_file": meta.get("questions_file"), "splits_file": meta.get("splits_file"),
        "backend": meta.get("backend"), "started": meta.get("started"), "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "seconds_this_session": round(seconds, 1), "workers": workers, "top_k": k, "resumed": resumed,
        "asked": len(todo), "faithfulness_threshold": checker.threshold,
    }
    (out / SUMMARY).write_text(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    run = EvalRun(str(out), len(questions), len(todo), resumed, len(summary["failed"]), round(seconds, 1), summary, rows)
    from assistant.evaluation.reports import write_reports

    write_reports(run)
    return run
