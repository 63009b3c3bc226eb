"""The evaluation runner over the seed corpus: real index, real model, real reports, resume and failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, REPO_ROOT

from assistant import Assistant
from assistant.evaluation.metrics import compare_summaries
from assistant.evaluation.questions import load_questions
from assistant.evaluation.reports import render_html
from assistant.evaluation.runner import EvalError, read_results, run_eval

SEED_FILES = {"000_e80050a0a2aa5b66.txt", "004_a28fd0cbddd6702a.txt"}
EXE = str(Path(sys.executable).with_name("ics-assistant"))


def seed_questions(n: int = 4) -> list:
    qs = load_questions(REPO_ROOT / "eval" / "questions.jsonl")
    answerable = [q for q in qs if q.source_file in SEED_FILES and q.type in ("factoid", "paraphrase")]
    unanswerable = [q for q in qs if q.id == "q003"]
    return answerable[: n - 1] + unanswerable


class Flaky(Assistant):
    """The real assistant, except that chosen questions raise (a failure, or an interruption)."""

    def __init__(self, base: Assistant, fail: dict[str, BaseException]) -> None:
        super().__init__(settings=base.settings, store=base.store, retriever=base.retriever)
        self.fail = fail

    def ask(self, question: str, *args: Any, **kwargs: Any):  # noqa: ANN201
        for text, exc in self.fail.items():
            if text == question:
                raise exc
        return super().ask(question, *args, **kwargs)


@pytest.fixture(scope="module")
def finished(seed_assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of four questions in which one question's ask fails."""
    out = tmp_path_factory.mktemp("run")
    qs = seed_questions()
    flaky = Flaky(seed_assistant, {qs[1].question: RuntimeError("backend down")})
    run = run_eval(flaky, qs, out, workers=2, questions_file="seed")
    assert run.asked == 4 and run.failed == 1
    return out


def test_run_writes_results_summary_and_reports(finished: Path) -> None:
    rows = read_results(finished / "results.jsonl")
    summary = json.loads((finished / "summary.json").read_text())
    assert len(rows) == 4 and summary["questions"] == 4 and summary["scored"] == 3
    failed = [r for r in rows.values() if r["error"]]
    assert len(failed) == 1 and failed[0]["error"] == "ask failed: RuntimeError: backend down"
    q001 = rows["q001"]
    assert q001["metrics"]["hit_at_k"] == 1.0 and q001["metrics"]["must_include"] == 1.0
    assert q001["metrics"]["faithfulness"] == 1.0 and q001["metrics"]["citation_recall"] == 1.0
    unanswerable = rows["q003"]
    assert unanswerable["metrics"]["hit_at_k"] is None and unanswerable["unscored"]["hit_at_k"].startswith("unanswerable")
    for block in (summary["overall"], *summary["by_type"].values()):
        for name, m in block.items():
            if isinstance(m, dict) and m["mean"] is not None:
                assert 0.0 <= m["mean"] <= 1.0, name
    assert summary["latency_ms"]["p50"] > 0 and summary["latency_ms"]["p95"] >= summary["latency_ms"]["p50"]
    html = (finished / "report.html").read_text()
    assert html.count("<svg") == 2 and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "backend down" in html and "hit@k" in (finished / "report.md").read_text()


def test_interrupted_run_resumes_and_retries_failures(seed_assistant: Assistant, finished: Path, tmp_path: Path) -> None:
    qs = seed_questions()
    interrupted = Flaky(seed_assistant, {qs[2].question: KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        run_eval(interrupted, qs, tmp_path)
    assert set(read_results(tmp_path / "results.jsonl")) == {qs[0].id, qs[1].id}
    with (tmp_path / "results.jsonl").open("a") as fh:
        fh.write('{"id": "q00')  # a write cut short by the interruption
    run = run_eval(seed_assistant, qs, tmp_path)
    assert (run.resumed, run.asked, run.failed) == (2, 2, 0)
    assert set(read_results(tmp_path / "results.jsonl")) == {q.id for q in qs}
    # the failed question of the first run is asked again on resume
    again = run_eval(seed_assistant, qs, finished)
    assert (again.resumed, again.asked, again.failed) == (3, 1, 0)


def test_resume_refuses_another_question_set(seed_assistant: Assistant, finished: Path) -> None:
    with pytest.raises(EvalError, match="different question set"):
        run_eval(seed_assistant, seed_questions(2), finished)


def test_compare_and_cli(finished: Path, tmp_path: Path) -> None:
    summary = json.loads((finished / "summary.json").read_text())
    worse = json.loads(json.dumps(summary))
    worse["overall"]["hit_at_k"]["mean"] = 0.25
    (tmp_path / "summary.json").write_text(json.dumps(worse))
    rows = {m: d for m, _, _, d in compare_summaries(summary, worse)}
    assert rows["overall.hit_at_k"] == pytest.approx(0.25 - summary["overall"]["hit_at_k"]["mean"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}
    done = subprocess.run([EXE, "eval", "compare", str(finished), str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| overall.hit_at_k |" in done.stdout and "-0.750" in done.stdout
    bad = subprocess.run([EXE, "eval", "compare", str(finished), str(tmp_path / "nope")], capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "no summary.json" in bad.stderr
    missing = subprocess.run([EXE, "eval", "--questions", str(tmp_path / "none.jsonl"), "--index", str(tmp_path / "idx")],
                             capture_output=True, text=True, env=env, timeout=300)
    assert missing.returncode == 2 and "cannot read question file" in missing.stderr


def test_cli_eval_builds_index_and_runs(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q.to_dict()) for q in seed_questions(2)) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}
    done = subprocess.run([EXE, "eval", "--questions", str(questions), "--corpus", str(CORPUS), "--index", str(tmp_path / "idx"),
                           "--out", str(tmp_path / "run")], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "2 questions (2 asked, 0 from an earlier run, 0 failed)" in done.stdout
    assert (tmp_path / "run" / "report.html").is_file()


def test_html_report_escapes_everything() -> None:
    row = {"id": "<q1>", "type": "factoid", "question": "<script>alert(1)</script>", "answer": "a & b <i>", "reference": "r",
           "refused": False, "latency_ms": 5.0, "error": None, "metrics": {"first_relevant_rank": 1, "must_include": 1.0},
           "unsupported_claims": [{"claim": "<b>claim</b>", "reasons": ["<x>"]}]}
    summary = {"questions": 1, "scored": 1, "failed": [{"id": "<f>", "error": "<err>"}], "overall": {},
               "by_type": {"<t>": {"n": 1}}, "latency_ms": {"p50": 5.0, "p95": 5.0}, "unscored_reasons": {"m": {"<why>": 1}}}
    html = render_html(summary, [row])
    for raw in ("<script>", "<q1>", "<b>claim</b>", "<x>", "<err>", "<why>", "<t>", "a & b <i>"):
        assert raw not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;claim&lt;/b&gt;" in html
