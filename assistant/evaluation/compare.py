"""Comparing two runs: the aggregate deltas and, question by question, what got better or worse and how.

Example::

    >>> comparison = compare_runs(EvalRun.load("eval/reports/A"), EvalRun.load("eval/reports/B"))
    >>> print(comparison)                    # Markdown: changed questions, then every metric's delta
    >>> [c.describe() for c in comparison.worse]
    ['q011 hit@5 1→0, MRR 0.20→0, must_include 1→0; evidence rank 5→-', ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.evaluation.metrics import BY_NAME
from assistant.evaluation.results import EvalRun, QuestionResult
from assistant.results import _Data

#: Per-question changes smaller than this (or the metric's own ``noise``) are not listed; aggregate deltas always are.
MIN_CHANGE = 0.01


@dataclass
class MetricChange(_Data):
    metric: str
    label: str
    a: float | None
    b: float | None
    better: bool | None
    """None when the change cannot be ranked (the metric applies in one run only)."""

    def describe(self) -> str:
        def f(x: float | None) -> str:
            if x is None:
                return "n/a"
            return f"{x:.0f}" if x in (0.0, 1.0) else f"{x:.2f}"

        return f"{self.label} {f(self.a)}→{f(self.b)}"


@dataclass
class QuestionChange(_Data):
    """How one question's result changed from run A to run B."""

    id: str
    question: str
    type: str
    verdict: str
    """``better``, ``worse``, ``mixed`` or ``changed`` (only unranked changes, e.g. a new answer text)."""
    changes: list[MetricChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    answer_a: str | None = None
    answer_b: str | None = None

    def describe(self) -> str:
        """One line, e.g. ``q105 refusal rate (unanswerable) 1→0; no longer refused``."""
        parts = ", ".join(c.describe() for c in self.changes)
        notes = "; ".join(self.notes)
        return f"{self.id} " + "; ".join(p for p in (parts, notes) if p)


@dataclass
class RunComparison(_Data):
    """Run B against run A: per-question changes (changed questions only) and every aggregate delta."""

    name_a: str
    name_b: str
    questions: list[QuestionChange] = field(default_factory=list)
    aggregate: list[dict[str, Any]] = field(default_factory=list)
    """``{"metric", "a", "b", "delta"}`` per metric and group (delta = B - A)."""
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def better(self) -> list[QuestionChange]:
        return [q for q in self.questions if q.verdict == "better"]

    @property
    def worse(self) -> list[QuestionChange]:
        return [q for q in self.questions if q.verdict == "worse"]

    def __str__(self) -> str:
        from assistant.evaluation.reports import render_comparison_markdown

        return render_comparison_markdown(self)

    def _repr_html_(self) -> str:
        from assistant.evaluation.reports import render_comparison_html

        return render_comparison_html(self)


def _label(metric: str, k: int | None) -> str:
    m = BY_NAME.get(metric)
    label = m.label if m else metric
    return label.replace("@k", f"@{k}") if k else label


def question_change(a: QuestionResult, b: QuestionResult, k: int | None = None, min_change: float = MIN_CHANGE) -> QuestionChange | None:
    """What changed for one question (None when nothing did beyond ``min_change``)."""
    changes: list[MetricChange] = []
    for name in [n for n in a.metrics if n in b.metrics]:  # a metric one run did not have is not a change
        va, vb = a.metrics.get(name), b.metrics.get(name)
        if va is None and vb is None:
            continue
        metric = BY_NAME.get(name)
        if va is not None and vb is not None and abs(vb - va) < max(min_change, metric.noise if metric else 0.0):
            continue
        better = None if va is None or vb is None else (vb > va) == (metric.higher_is_better if metric else True)
        changes.append(MetricChange(name, _label(name, k), va, vb, better))
    notes: list[str] = []
    if bool(a.error) != bool(b.error):
        notes.append(f"now fails ({b.error})" if b.error else "no longer fails")
    if a.refused is not None and b.refused is not None and a.refused != b.refused:
        notes.append("now refused" if b.refused else "no longer refused")
    if a.first_relevant_rank != b.first_relevant_rank and (a.first_relevant_rank or b.first_relevant_rank):
        notes.append(f"evidence rank {a.first_relevant_rank or '-'}→{b.first_relevant_rank or '-'}")
    answer_changed = (a.answer or "") != (b.answer or "")
    if not changes and not notes and not answer_changed:
        return None
    if answer_changed and not changes:
        notes.append("answer text changed")
    ranked = {c.better for c in changes if c.better is not None}
    if a.error != b.error and (a.error is None or b.error is None):
        ranked.add(bool(a.error))
    verdict = "mixed" if ranked == {True, False} else "better" if ranked == {True} else "worse" if ranked == {False} else "changed"
    return QuestionChange(b.id, b.question or a.question, b.type, verdict, changes, notes, a.answer, b.answer)


def _metric_order(names: list[str]) -> list[str]:
    known = [m for m in BY_NAME if m in names]
    return known + sorted(n for n in names if n not in BY_NAME)


def flat_metrics(summary: dict[str, Any]) -> dict[str, float | None]:
    """``{"overall.hit_at_k": 0.9, "half:tune.mrr": ..., "factoid.mrr": ..., "latency_ms.p50": ...}``, in report order."""
    flat: dict[str, float | None] = {}
    groups: list[tuple[str, dict[str, Any]]] = [("overall", summary.get("overall", {}))]
    for key, prefix in (("by_half", "half:"), ("by_file", "file:"), ("by_type", "")):
        groups += [(f"{prefix}{group}", block) for group, block in summary.get(key, {}).items()]
    for group, block in groups:
        for name in _metric_order([n for n, m in block.items() if isinstance(m, dict)]):
            flat[f"{group}.{name}"] = block[name].get("mean")
    for key in ("p50", "p95"):
        flat[f"latency_ms.{key}"] = summary.get("latency_ms", {}).get(key)
    flat["failed"] = float(len(summary.get("failed", [])))
    return flat


def compare_summaries(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Every metric of either summary: ``{"metric", "a", "b", "delta"}`` (delta = B - A, None if either is)."""
    fa, fb = flat_metrics(a), flat_metrics(b)
    out = []
    for key in dict.fromkeys([*fa, *fb]):
        va, vb = fa.get(key), fb.get(key)
        out.append({"metric": key, "a": va, "b": vb, "delta": None if va is None or vb is None else round(vb - va, 4)})
    return out


def compare_runs(a: EvalRun, b: EvalRun, name_a: str | None = None, name_b: str | None = None,
                 min_change: float = MIN_CHANGE) -> RunComparison:
    """Run B against run A (pure given the runs)."""
    rows_a, rows_b = {r.id: r for r in a.rows}, {r.id: r for r in b.rows}
    k = b.summary.get("run", {}).get("top_k")
    changes = []
    unchanged = 0
    for qid, row_b in rows_b.items():
        if qid not in rows_a:
            continue
        change = question_change(rows_a[qid], row_b, k, min_change)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    rank = {"worse": 0, "mixed": 1, "changed": 2, "better": 3}

    def size(c: QuestionChange) -> float:
        return sum(abs((m.b or 0.0) - (m.a or 0.0)) for m in c.changes if m.better is not None)

    changes.sort(key=lambda c: (rank[c.verdict], -size(c), c.id))  # the biggest moves first within each verdict
    return RunComparison(
        name_a or a.out_dir, name_b or b.out_dir, changes, compare_summaries(a.summary, b.summary),
        sorted(set(rows_a) - set(rows_b)), sorted(set(rows_b) - set(rows_a)), unchanged,
    )
