"""Evaluation results: one :class:`QuestionResult` per question, one :class:`EvalRun` per run.

Both are dataclasses that serialise to JSON (``to_dict``/``from_dict``; a row is one line of
``results.jsonl``) and render in a notebook (``_repr_html_``, through the report templates).
:func:`summarise` turns rows into ``summary.json``: every metric's mean over the rows it applies
to, overall, by question type, by tune/confirm half and by question file; never NaN.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import METRICS, Metric, definitions
from assistant.evaluation.scores import percentile
from assistant.results import _Data

RESULTS = "results.jsonl"
META = "meta.json"
SUMMARY = "summary.json"


class EvalError(ValueError):
    """A run cannot start, resume or be read (one-line message)."""


@dataclass
class QuestionResult(_Data):
    """One question of a run: what was asked and answered, every metric, and why some do not apply."""

    id: str
    question: str
    type: str
    split: str = "dev"
    half: str | None = None
    """``tune`` / ``confirm`` / ``unassigned`` under a by-document split; None without one."""
    origin: str = ""
    """The question file."""
    reference: str | None = None
    must_include: list[str] = field(default_factory=list)
    answer: str | None = None
    refused: bool | None = None
    backend: str | None = None
    changes: list[str] = field(default_factory=list)
    """What verification changed in an LLM's draft, and why it fell back to quotes (``Answer.changes``)."""
    latency_ms: float | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    first_relevant_rank: int | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    not_applicable: dict[str, str] = field(default_factory=dict)
    """Metric -> why it has no value for this question."""
    unsupported_claims: list[dict[str, Any]] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    """Key facts of the reference that the answer lacks."""
    extra: dict[str, Any] = field(default_factory=dict)
    """The question's fields the loader did not know, carried through."""
    error: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionResult:
        """A row of ``results.jsonl`` (also rows written before this shape: ``unscored``, rank in ``metrics``)."""
        data = dict(data)
        metrics = dict(data.get("metrics") or {})
        if "first_relevant_rank" in metrics:
            data.setdefault("first_relevant_rank", metrics.pop("first_relevant_rank"))
        data["metrics"] = metrics
        if "unscored" in data:
            data.setdefault("not_applicable", data.pop("unscored"))
        known = {f.name for f in fields(cls)}
        data.setdefault("type", "unspecified")
        data.setdefault("question", "")
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def ok(self) -> bool:
        return not self.error

    def __str__(self) -> str:
        if self.error:
            return f"{self.id} ({self.type}): {self.error}"
        shown = ", ".join(f"{k} {v:.2f}" for k, v in self.metrics.items() if v is not None)
        return f"{self.id} ({self.type}){' refused' if self.refused else ''}: {shown}"

    def _repr_html_(self) -> str:
        from assistant.evaluation.reports import render_question

        return render_question(self)


@dataclass
class EvalRun(_Data):
    """What a run did: where it wrote, how many questions it asked now and earlier, the summary and rows."""

    out_dir: str
    questions: int
    asked: int
    resumed: int
    """Questions already answered by an earlier, interrupted run in the same directory."""
    failed: int
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)
    rows: list[QuestionResult] = field(default_factory=list, repr=False)

    @classmethod
    def load(cls, run_dir: str | Path) -> EvalRun:
        """A finished run from its directory (``summary.json`` and ``results.jsonl``)."""
        path = Path(run_dir) / SUMMARY
        if not path.is_file():
            raise EvalError(f"{run_dir}: no {SUMMARY} (not an evaluation run, or not finished)")
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvalError(f"{path}: unreadable ({exc})") from None
        if not isinstance(summary, dict):
            raise EvalError(f"{path}: not a summary")
        rows = list(read_results(Path(run_dir) / RESULTS).values())
        run = summary.get("run", {})
        return cls(str(run_dir), int(summary.get("questions", len(rows))), int(run.get("asked", 0)),
                   int(run.get("resumed", 0)), len(summary.get("failed", [])),
                   float(run.get("seconds_this_session", 0.0)), summary, rows)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("out_dir", "questions", "asked", "resumed", "failed", "seconds", "summary")}
        out["rows"] = [r.to_dict() for r in self.rows]
        return out

    def mean(self, metric: str, group: str = "overall") -> float | None:
        """A metric's mean overall (``group="overall"``) or in a type, half or file group."""
        if group == "overall":
            return (self.summary.get("overall", {}).get(metric) or {}).get("mean")
        for key in ("by_type", "by_half", "by_file"):
            block = self.summary.get(key, {}).get(group)
            if block is not None:
                return (block.get(metric) or {}).get("mean")
        return None

    def __str__(self) -> str:
        def fmt(name: str) -> str:
            m = self.mean(name)
            return "n/a" if m is None else f"{m:.3f}"

        lat = self.summary.get("latency_ms", {})
        lines = [
            f"{self.questions} questions ({self.asked} asked, {self.resumed} from an earlier run, {self.failed} failed) "
            f"in {self.seconds:.0f}s",
            f"hit@k {fmt('hit_at_k')}  MRR {fmt('mrr')}  nDCG {fmt('ndcg_at_k')}  must_include {fmt('must_include')}  "
            f"F1 {fmt('token_f1')}  key facts {fmt('key_fact_coverage')}  faithfulness {fmt('faithfulness')}  "
            f"relevance {fmt('answer_relevance')}",
            f"citation recall {fmt('citation_recall')} precision {fmt('citation_precision')}  "
            f"refusal rate (unanswerable) {fmt('refusal_rate')}  false refusals {fmt('false_refusal_rate')}  "
            f"latency p50 {lat.get('p50')} ms p95 {lat.get('p95')} ms",
        ]
        for half, block in self.summary.get("by_half", {}).items():
            parts = [f"{name} {_fmt(block.get(name, {}).get('mean'))}"
                     for name in ("hit_at_k", "mrr", "must_include", "faithfulness", "refusal_rate", "false_refusal_rate")]
            lines.append(f"  {half} (n={block.get('n')}): " + "  ".join(parts))
        lines.append(f"report: {Path(self.out_dir) / 'report.html'}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from assistant.evaluation.reports import render_run_card

        return render_run_card(self)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def read_results(path: Path) -> dict[str, QuestionResult]:
    """Rows of a results file by id (the last row of an id wins); a torn last line is dropped."""
    rows: dict[str, QuestionResult] = {}
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by an interruption; the question is asked again
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            rows[data["id"]] = QuestionResult.from_dict(data)
    return rows


# -- the summary -----------------------------------------------------------------------------------
def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _block(rows: Sequence[QuestionResult], metrics: Sequence[Metric]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(rows)}
    for m in metrics:
        values = [v for r in rows if (v := r.metrics.get(m.name)) is not None]
        out[m.name] = {"mean": _mean(values), "n": len(values), "not_applicable": len(rows) - len(values)}
    return out


def _grouped(rows: Sequence[QuestionResult], key: str, metrics: Sequence[Metric]) -> dict[str, Any]:
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in rows:
        value = getattr(r, key)
        if value is not None:
            groups[value].append(r)
    return {g: _block(groups[g], metrics) for g in sorted(groups)}


def summarise(rows: Sequence[QuestionResult], metrics: Sequence[Metric] = METRICS) -> dict[str, Any]:
    """``summary.json``: every metric as ``{"mean", "n", "not_applicable"}`` overall and per group.

    Groups: ``by_type``; ``by_half`` (tune / confirm, when the run used a by-document split);
    ``by_file`` (when the questions came from several files). A mean is None, never NaN, when no
    row could be scored. Failed rows (``error``) are listed and left out of every mean.
    """
    ok = [r for r in rows if r.ok]
    latencies = [r.latency_ms for r in ok if r.latency_ms is not None]
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in ok:
        for name, why in r.not_applicable.items():
            reasons[name][why] += 1
    summary: dict[str, Any] = {
        "questions": len(rows),
        "scored": len(ok),
        "failed": [{"id": r.id, "error": r.error} for r in rows if r.error],
        "overall": _block(ok, metrics),
        "by_type": _grouped(ok, "type", metrics),
    }
    if any(r.half is not None for r in ok):
        summary["by_half"] = _grouped(ok, "half", metrics)
    if len({r.origin for r in ok}) > 1:
        summary["by_file"] = _grouped(ok, "origin", metrics)
    summary["latency_ms"] = {
        "p50": _round(percentile(latencies, 50)), "p95": _round(percentile(latencies, 95)),
        "mean": _mean(latencies), "max": _round(max(latencies)) if latencies else None, "n": len(latencies),
    }
    summary["not_applicable"] = {m.name: dict(reasons[m.name]) for m in metrics if m.name in reasons}
    summary["metrics"] = definitions(metrics)
    return summary


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
