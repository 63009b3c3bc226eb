"""The evaluation runner over the seed corpus: real index, real model, real reports, resume and failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, NEWS, REPO_ROOT

from assistant import Assistant
from assistant.evaluation.compare import compare_runs, compare_summaries
from assistant.evaluation.questions import Question, QuestionSetError, load_question_files, load_questions
from assistant.evaluation.reports import render_html
from assistant.evaluation.results import EvalRun, QuestionResult, read_results, summarise
from assistant.evaluation.runner import EvalError, run_eval
from assistant.evaluation.splits import DocumentSplits
from assistant.results import Answer

SEED_FILES = {"000_e80050a0a2aa5b66.txt", "004_a28fd0cbddd6702a.txt"}
EXE = str(Path(sys.executable).with_name("ics-assistant"))
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}


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
    assert run.asked == 4 and run.failed == 1 and len(run.rows) == 4
    return out


def test_run_writes_results_summary_and_reports(finished: Path) -> None:
    rows = read_results(finished / "results.jsonl")
    summary = json.loads((finished / "summary.json").read_text())
    assert len(rows) == 4 and summary["questions"] == 4 and summary["scored"] == 3
    failed = [r for r in rows.values() if r.error]
    assert len(failed) == 1 and failed[0].error == "ask failed: RuntimeError: backend down"
    q001 = rows["q001"]
    assert q001.first_relevant_rank is not None and q001.metrics["hit_at_k"] == 1.0
    assert q001.metrics["mrr"] == pytest.approx(1 / q001.first_relevant_rank, abs=1e-4)  # MRR from the one rank
    assert q001.metrics["must_include"] == 1.0 and q001.metrics["faithfulness"] == 1.0
    assert q001.metrics["citation_recall"] == 1.0 and q001.metrics["answer_relevance"] > 0.4
    unanswerable = rows["q003"]
    assert unanswerable.metrics["hit_at_k"] is None and unanswerable.not_applicable["hit_at_k"] == "unanswerable question"
    assert unanswerable.metrics["refusal_rate"] in (0.0, 1.0) and unanswerable.metrics["false_refusal_rate"] is None
    for block in (summary["overall"], *summary["by_type"].values()):
        for name, m in block.items():
            if isinstance(m, dict) and m["mean"] is not None:
                assert 0.0 <= m["mean"] <= 1.0, name
    assert summary["latency_ms"]["p50"] > 0 and summary["latency_ms"]["p95"] >= summary["latency_ms"]["p50"]
    assert set(summary["metrics"]["hit_at_k"]["needs"]) == {"evidence", "retrieved"}
    html = (finished / "report.html").read_text()
    assert html.count("<svg") == 2 and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "backend down" in html and "hit@k" in (finished / "report.md").read_text()


def test_results_round_trip_and_render(finished: Path) -> None:
    run = EvalRun.load(finished)
    row = next(r for r in run.rows if r.id == "q001")
    assert QuestionResult.from_dict(json.loads(row.to_json())) == row
    assert "q001" in row._repr_html_() and "hit@k" in run._repr_html_()
    assert run.mean("hit_at_k") == run.summary["overall"]["hit_at_k"]["mean"]
    again = summarise(run.rows)
    assert again["overall"] == run.summary["overall"]  # the summary is a function of the rows


def test_rows_of_the_older_shape_are_read() -> None:
    old = {"id": "q9", "type": "factoid", "question": "Q?", "error": None, "refused": False,
           "metrics": {"first_relevant_rank": 2, "hit_at_k": 1.0, "mrr": 0.5}, "unscored": {"faithfulness": "refused"}}
    row = QuestionResult.from_dict(old)
    assert row.first_relevant_rank == 2 and row.metrics == {"hit_at_k": 1.0, "mrr": 0.5}
    assert row.not_applicable == {"faithfulness": "refused"}


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
    (tmp_path / "results.jsonl").write_text((finished / "results.jsonl").read_text())
    rows = {r["metric"]: r["delta"] for r in compare_summaries(summary, worse)}
    assert rows["overall.hit_at_k"] == pytest.approx(0.25 - summary["overall"]["hit_at_k"]["mean"])
    assert compare_runs(EvalRun.load(finished), EvalRun.load(tmp_path)).questions == []  # same rows: no question changed
    done = subprocess.run([EXE, "eval", "compare", str(finished), str(tmp_path)], capture_output=True, text=True,
                          env=CLEAN_ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| overall.hit_at_k |" in done.stdout and "-0.750" in done.stdout
    bad = subprocess.run([EXE, "eval", "compare", str(finished), str(tmp_path / "nope")], capture_output=True, text=True,
                         env=CLEAN_ENV, timeout=300)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "no summary.json" in bad.stderr
    missing = subprocess.run([EXE, "eval", "--questions", str(tmp_path / "none.jsonl"), "--index", str(tmp_path / "idx")],
                             capture_output=True, text=True, env=CLEAN_ENV, timeout=300)
    assert missing.returncode == 2 and "cannot read question file" in missing.stderr


def test_cli_eval_builds_index_and_runs(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q.to_dict()) for q in seed_questions(2)) + "\n")
    done = subprocess.run([EXE, "eval", "--questions", str(questions), "--corpus", str(CORPUS), "--index", str(tmp_path / "idx"),
                           "--out", str(tmp_path / "run")], capture_output=True, text=True, env=CLEAN_ENV, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "2 questions (2 asked, 0 from an earlier run, 0 failed)" in done.stdout
    assert (tmp_path / "run" / "report.html").is_file()


def test_html_report_escapes_everything(tmp_path: Path) -> None:
    row = QuestionResult(id="<q1>", type="<t>", question="<script>alert(1)</script>", answer="a & b <i>", reference="r",
                         refused=False, latency_ms=5.0, first_relevant_rank=1, metrics={"must_include": 1.0},
                         unsupported_claims=[{"claim": "<b>claim</b>", "reasons": ["<x>"]}], extra={"<k>": "<v>"})
    failed = QuestionResult(id="<f>", type="factoid", question="q", error="<err>")
    summary = summarise([row, failed])
    summary["not_applicable"] = {"mrr": {"<why>": 1}}
    html = render_html(EvalRun(str(tmp_path), 2, 2, 0, 1, 1.0, summary, [row, failed]))
    for raw in ("<script>", "<q1>", "<b>claim</b>", "<x>", "<err>", "<why>", "<t>", "a & b <i>", "<k>", "<v>"):
        assert raw not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;claim&lt;/b&gt;" in html


# -- question sets written elsewhere, end to end -------------------------------------------------
def test_reference_only_questions_with_other_field_names_run_end_to_end(tmp_path: Path) -> None:
    """The "golden questions" style (LlamaIndex's field names, a long reference, nothing else), through the CLI."""
    golden = tmp_path / "golden.jsonl"
    golden.write_text("\n".join(json.dumps(r) for r in [
        {"id": 0, "query": "Who was asked to oversee the independent review of integrated care systems?",
         "reference_answer": "In his autumn statement Chancellor Jeremy Hunt said he had asked Patricia Hewitt, the former "
                             "health secretary, to oversee an independent review into how ICSs can best succeed.",
         "reference_contexts": ["Chancellor Jeremy Hunt announced ..."], "query_by": {"model_name": "gpt-3.5-turbo"}},
        {"id": 1, "query": "What did NHS England's letter on the Hewitt Review ask ICBs to do?",
         "reference_answer": "It asked ICB chief executives and chairs to note the Government's response."},
    ]) + "\n")
    done = subprocess.run([EXE, "eval", "--questions", str(golden), "--corpus", str(CORPUS), "--index", str(tmp_path / "idx"),
                           "--out", str(tmp_path / "run")], capture_output=True, text=True, env=CLEAN_ENV, timeout=600)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "unknown field" in line]
    assert len(warnings) == 1 and "query_by (1), reference_contexts (1)" in warnings[0]
    rows = [json.loads(line) for line in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    first = next(r for r in rows if r["id"] == "0")
    assert first["extra"] == {"reference_contexts": ["Chancellor Jeremy Hunt announced ..."],
                              "query_by": {"model_name": "gpt-3.5-turbo"}}
    for row in rows:
        m, why = row["metrics"], row["not_applicable"]
        assert m["hit_at_k"] is None and why["hit_at_k"] == "the question has no evidence quote"
        assert m["must_include"] is None and why["must_include"] == "the question lists no must_include facts"
        assert m["token_f1"] is not None and m["embedding_similarity"] is not None
        if not row["refused"]:
            assert m["faithfulness"] is not None and m["answer_relevance"] is not None
    assert first["metrics"]["key_fact_coverage"] > 0  # "Patricia Hewitt" is among the reference's key facts
    assert "the question has no evidence quote (2)" in (tmp_path / "run" / "report.md").read_text()


def test_markdown_evidence_and_pages_end_to_end(tmp_path: Path) -> None:
    """Evidence copied from a Markdown source (escapes, emphasis) is a hit in the rendered passages."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.md").write_text(
        "# Allocations\n\nIt is critical that organisations \\(ICBs\\) operate within their **ring-fenced** allocations "
        "and deliver the efﬁciency targets set for 2025/26.\n\n# Staffing\n\nAgency spend must fall by 30% this year.\n")
    a = Assistant(index_dir=tmp_path / "idx")
    assert a.ingest([corpus]).ok
    questions = [
        Question("m1", "What must organisations operate within?", "Their allocations.", ("allocations",), "plan.md",
                 r"organisations \(ICBs\) operate within their **ring-fenced** allocations and deliver the efficiency targets"),
        Question("m2", "By how much must agency spend fall?", "30%.", ("30%",), "plan.md", "Agency spend must fall by _30%_"),
    ]
    run = run_eval(a, questions, tmp_path / "run")
    assert [r.metrics["hit_at_k"] for r in run.rows] == [1.0, 1.0]
    assert all(r.metrics["must_include"] == 1.0 for r in run.rows)


def test_splits_and_several_files_in_one_run(seed_assistant: Assistant, tmp_path: Path) -> None:
    qs = seed_questions(4)
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(q.to_dict()) for q in qs[:2]) + "\n")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(q.to_dict()) for q in qs[2:]) + "\n")
    questions = load_question_files([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    splits = DocumentSplits.load(REPO_ROOT / "eval" / "splits.json")
    run = run_eval(seed_assistant, questions, tmp_path / "run", splits=splits)
    halves = {r.id: r.half for r in run.rows}
    assert halves == {q.id: ("tune" if q.documents == (NEWS,) else "confirm") for q in questions if q.answerable} | {"q003": "confirm"}
    by_half, by_file = run.summary["by_half"], run.summary["by_file"]
    assert set(by_file) == {"a.jsonl", "b.jsonl"} and sum(b["n"] for b in by_file.values()) == 4
    for half, block in by_half.items():
        rows = [r for r in run.rows if r.half == half]
        hits = [r.metrics["hit_at_k"] for r in rows if r.metrics["hit_at_k"] is not None]
        assert block["n"] == len(rows) and block["hit_at_k"]["mean"] == (round(sum(hits) / len(hits), 4) if hits else None)
    assert "tune" in (tmp_path / "run" / "report.md").read_text() and "<b>confirm</b>" in (tmp_path / "run" / "report.html").read_text()
    with pytest.raises(QuestionSetError, match="also used in"):
        load_question_files([tmp_path / "a.jsonl", tmp_path / "a.jsonl"])


class Refusing(Assistant):
    """The real assistant, except that it refuses one chosen question (a regression to be found by compare)."""

    def __init__(self, base: Assistant, refuse: str) -> None:
        super().__init__(settings=base.settings, store=base.store, retriever=base.retriever)
        self.refuse = refuse

    def ask(self, question: str, *args: Any, **kwargs: Any) -> Answer:
        answer = super().ask(question, *args, **kwargs)
        if question == self.refuse:
            return Answer(question=question, text="The documents don't say.", refused=True, passages=answer.passages)
        return answer


def test_compare_shows_per_question_changes(seed_assistant: Assistant, finished: Path, tmp_path: Path) -> None:
    qs = seed_questions()
    a = run_eval(seed_assistant, qs, tmp_path / "a")
    b = run_eval(Refusing(seed_assistant, qs[0].question), qs, tmp_path / "b")
    comparison = compare_runs(a, b, "a", "b")
    assert [c.id for c in comparison.worse] == [qs[0].id] and comparison.better == []
    change = comparison.worse[0]
    assert "now refused" in change.notes
    assert "false-refusal rate (answerable) 0→1" in change.describe()
    assert a.rows[0].metrics["must_include"] == 1.0 and "must_include 1→0" in change.describe()
    assert comparison.unchanged == len(qs) - 1
    html_path = tmp_path / "compare.html"
    done = subprocess.run([EXE, "eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--html", str(html_path)],
                          capture_output=True, text=True, env=CLEAN_ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"[worse] {qs[0].id} " in done.stdout and "now refused" in done.stdout
    html = html_path.read_text()
    assert f"<td>{qs[0].id}</td>" in html and 'class="tag worse"' in html and "now refused" in html


def test_cli_eval_ids_selects_in_the_files_order_and_names_unknown_ids(tmp_path: Path) -> None:
    from assistant.serving.cli import _read_ids

    ids = tmp_path / "ids.txt"
    ids.write_text("# a subset\nq005  # stratum\n\nq001\nq005\n", encoding="utf-8")
    assert _read_ids(ids) == ["q005", "q001"]
    (tmp_path / "empty.txt").write_text("# nothing\n", encoding="utf-8")
    ids.write_text("q001\nnot-an-id\n", encoding="utf-8")
    for path, message in ((ids, "no question has the id(s) not-an-id"), (tmp_path / "empty.txt", "lists no question id"),
                          (tmp_path / "none.txt", "cannot read")):
        done = subprocess.run([EXE, "eval", "--questions", str(REPO_ROOT / "eval" / "questions.jsonl"), "--ids", str(path),
                               "--index", str(tmp_path / "idx")], capture_output=True, text=True, env=CLEAN_ENV, timeout=300)
        assert done.returncode == 2 and message in done.stderr, done.stderr


class Revised(Assistant):
    """The real assistant, whose answers come back as a generative backend's would after verification
    changed the draft (stands in for an LLM, which CI does not run)."""

    def __init__(self, base: Assistant) -> None:
        super().__init__(settings=base.settings, store=base.store, retriever=base.retriever)

    def ask(self, question: str, *args: Any, **kwargs: Any):  # noqa: ANN201
        answer = super().ask(question, *args, **kwargs)
        answer.changes = ["removed citation [7]: there is no passage 7"]
        return answer


def test_a_row_records_what_verification_changed(seed_assistant: Assistant, tmp_path: Path) -> None:
    run = run_eval(Revised(seed_assistant), seed_questions(2), tmp_path, questions_file="seed")
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [r["changes"] for r in rows] == [["removed citation [7]: there is no passage 7"]] * 2
    assert run.rows[0].changes == rows[0]["changes"]  # read back as the same shape
