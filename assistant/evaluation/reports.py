"""Reports of a run (``report.md``, a self-contained ``report.html``) and of a comparison of two runs.

Rendered from the Jinja2 templates in ``assistant/evaluation/templates/`` (shipped as package data)
with autoescaping for HTML: text from documents, questions and answers is never trusted as markup.
The HTML has no external assets (no scripts, fonts or images to fetch; charts are inline SVG) so it
opens offline and can be mailed as one file. Chart geometry is computed here (pure functions), the
markup lives in the templates.

Example::

    >>> from assistant.evaluation.reports import render_html
    >>> html = render_html(run)          # an EvalRun (EvalRun.load("eval/reports/<run>"))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from assistant.evaluation.metrics import BY_NAME, METRICS, definitions

if TYPE_CHECKING:
    from assistant.evaluation.compare import RunComparison
    from assistant.evaluation.results import EvalRun, QuestionResult

CHART_METRICS = ("hit_at_k", "mrr", "ndcg_at_k", "must_include", "token_f1", "key_fact_coverage", "citation_recall",
                 "faithfulness", "answer_relevance", "refusal_rate", "false_refusal_rate")
KPI_METRICS = ("hit_at_k", "mrr", "must_include", "faithfulness", "answer_relevance", "citation_recall",
               "refusal_rate", "false_refusal_rate")
SHORT = {"refusal_rate": "refusal (unans.)", "false_refusal_rate": "false refusal", "answer_relevance": "relevance"}
COLOURS = ("#1d4ed8", "#0891b2", "#059669", "#ca8a04", "#ea580c", "#db2777", "#7c3aed", "#4b5563", "#b91c1c",
           "#65a30d", "#0f766e")
#: Answers scoring below this on answer_relevance are listed as possibly not addressing the question.
RELEVANCE_FLAG = 0.4


def fmt(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, one line)."""
    return " ".join(str(text).split()).replace("|", "\\|")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Not ``assistant.templating.environment``: reports are Markdown as well as HTML, and Markdown must not be
    # HTML-escaped, so escaping here follows the template's extension (HTML templates are autoescaped).
    env = Environment(
        loader=PackageLoader("assistant.evaluation", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(fmt=fmt, md_cell=md_cell)
    env.globals.update(label=label, BY_NAME=BY_NAME)
    return env


def label(name: str) -> str:
    metric = BY_NAME.get(name)
    return metric.label if metric else name


# -- chart geometry (pure) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    colour: str = "#111827"
    size: int = 11


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "#e5e7eb"
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    """An SVG drawing: bars (rects with a tooltip), texts and lines (``templates/_svg.html`` draws it)."""

    width: int
    height: int
    label: str
    bars: tuple[Bar, ...] = ()
    texts: tuple[Text, ...] = ()
    lines: tuple[Line, ...] = ()
    legend: tuple[tuple[float, float, str, str], ...] = ()
    """``(x, y, colour, label)`` of each legend entry."""


def bar_chart(groups: Sequence[str], series: Sequence[str], values: dict[tuple[str, str], float | None],
              width: int = 860, height: int = 300) -> Chart:
    """Grouped bars in [0, 1]: one group per question type, one bar per metric.

    A missing value (None) draws no bar and a small "n/a" mark, never a zero-height lie.
    """
    left, bottom, top = 40, 40, 12
    legend: list[tuple[float, float, str, str]] = []
    lx, ly = float(left), 4.0
    for i, name in enumerate(series):
        text = SHORT.get(name, label(name))
        step = 30 + 7.0 * len(text)
        if lx + step > width and lx > left:  # wrap the legend rather than run off the edge
            lx, ly = float(left), ly + 16
        legend.append((lx, ly, COLOURS[i % len(COLOURS)], text))
        lx += step
    legend_h = int(ly) + 18
    height += legend_h - 22
    plot_h = height - bottom - top - legend_h
    plot_w = width - left - 10
    group_w = plot_w / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(series))
    base = top + legend_h + plot_h
    lines = [Line(left, base - plot_h * t, width - 10, base - plot_h * t) for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    texts = [Text(left - 6, base - plot_h * t + 4, f"{t:.2f}", "end", "#374151") for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    bars = []
    for g, group in enumerate(groups):
        gx = left + g * group_w + group_w * 0.1
        for s, name in enumerate(series):
            value = values.get((group, name))
            x = gx + s * bar_w
            if value is None:
                texts.append(Text(x + bar_w / 2, base - 3, "n/a", "middle", "#9ca3af", 8))
                continue
            h = plot_h * min(1.0, max(0.0, value))
            bars.append(Bar(x, base - h, bar_w * 0.92, h, COLOURS[s % len(COLOURS)], f"{group} {label(name)}: {value:.3f}"))
        texts.append(Text(left + g * group_w + group_w / 2, height - bottom + 18, group))
    return Chart(width, height, "metrics by group", tuple(bars), tuple(texts), tuple(lines), tuple(legend))


def histogram(values: Sequence[float], marks: dict[str, float | None], width: int = 860, height: int = 240,
              bins: int = 24, unit: str = "ms") -> Chart:
    """A histogram with labelled vertical marks (e.g. p50, p95)."""
    left, bottom, top = 40, 36, 14
    plot_w, plot_h = width - left - 10, height - bottom - top
    if not values:
        return Chart(width, height, "latency histogram", texts=(Text(width / 2, height / 2, "no latencies recorded", colour="#6b7280"),))
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    peak = max(counts)
    bw = plot_w / bins
    bars = tuple(
        Bar(left + i * bw, top + plot_h - plot_h * c / peak, bw * 0.9, plot_h * c / peak, "#60a5fa",
            f"{lo + i * span / bins:.0f}-{lo + (i + 1) * span / bins:.0f} {unit}: {c}")
        for i, c in enumerate(counts)
    )
    texts = [Text(left + plot_w * t / 4, height - bottom + 16, f"{lo + span * t / 4:.0f} {unit}",
                  "end" if t == 4 else "middle", "#374151") for t in range(5)]
    texts.append(Text(left - 6, top + 8, str(peak), "end", "#374151"))
    texts.append(Text(width / 2, height - 4, "latency per question"))
    lines = [Line(left, top + plot_h, width - 10, top + plot_h, "#9ca3af")]
    for name, mark in marks.items():
        if mark is None or not math.isfinite(mark):
            continue
        x = left + plot_w * (mark - lo) / span
        lines.append(Line(x, top, x, top + plot_h, "#b91c1c", dashed=True))
        texts.append(Text(x + 4, top + 10, f"{name} {mark:.0f} {unit}", "start", "#b91c1c"))
    return Chart(width, height, "latency histogram", bars, tuple(texts), tuple(lines))


# -- a run ---------------------------------------------------------------------------------------
def _groups(summary: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(kind, name, block)`` columns of the metrics table: halves, files, then types."""
    cols = [("half", h, b) for h, b in summary.get("by_half", {}).items()]
    cols += [("file", f, b) for f, b in summary.get("by_file", {}).items()]
    cols += [("type", t, b) for t, b in summary.get("by_type", {}).items()]
    return cols


def _context(run: EvalRun) -> dict[str, Any]:
    summary = {"failed": [], "by_type": {}, "overall": {}, "latency_ms": {}, "metrics": definitions(),
               "not_applicable": run.summary.get("unscored_reasons", {}), **run.summary}  # older runs lack some keys
    summary["latency_ms"] = {"p50": None, "p95": None, **summary["latency_ms"]}
    types = list(summary.get("by_type", {}))
    chart_groups = list(summary.get("by_half", {})) + types
    blocks = {**summary.get("by_type", {}), **summary.get("by_half", {})}
    values = {(g, n): (blocks[g].get(n) or {}).get("mean") for g in chart_groups for n in CHART_METRICS}
    lat = summary.get("latency_ms", {})
    latencies = [r.latency_ms for r in run.rows if r.ok and r.latency_ms is not None]
    flagged = [r for r in run.rows if r.ok and (r.metrics.get("answer_relevance") is not None)
               and (r.metrics["answer_relevance"] or 0.0) < RELEVANCE_FLAG]
    metric_names = [m.name for m in METRICS if m.name in summary.get("overall", {})]
    return {
        "run": run, "summary": summary, "meta": summary.get("run", {}), "groups": _groups(summary),
        "metric_names": metric_names, "kpis": [n for n in KPI_METRICS if n in metric_names],
        "chart": bar_chart(chart_groups, CHART_METRICS, values),
        "histogram": histogram(latencies, {"p50": lat.get("p50"), "p95": lat.get("p95")}),
        "claims": [(r, c) for r in run.rows for c in r.unsupported_claims], "flagged": flagged,
        "relevance_flag": RELEVANCE_FLAG, "definitions": summary.get("metrics") or {},
    }


def render_markdown(run: EvalRun) -> str:
    """report.md: overall, half and per-type tables, failures, what was not scored, definitions."""
    return environment().get_template("report.md").render(**_context(run))


def render_html(run: EvalRun) -> str:
    """report.html: one self-contained page, everything escaped."""
    return environment().get_template("report.html").render(**_context(run))


def render_run_card(run: EvalRun) -> str:
    """A run's headline figures, for notebooks."""
    return environment().get_template("run_card.html").render(**_context(run))


def render_question(row: QuestionResult) -> str:
    """One question's result, for notebooks."""
    return environment().get_template("question.html").render(r=row)


def write_reports(run: EvalRun) -> tuple[Path, Path]:
    """Write report.md and report.html into the run's directory; returns their paths."""
    out = Path(run.out_dir)
    md, html = out / "report.md", out / "report.html"
    md.write_text(render_markdown(run), encoding="utf-8")
    html.write_text(render_html(run), encoding="utf-8")
    return md, html


# -- a comparison ----------------------------------------------------------------------------------
def _delta_class(metric_key: str, delta: float | None) -> str:
    """``good`` / ``bad`` / "" for colouring a delta by the metric's direction."""
    if delta is None or abs(delta) < 1e-9 or metric_key.startswith("latency") or metric_key == "failed":
        return "bad" if (delta or 0) > 0 and metric_key == "failed" else ""
    metric = BY_NAME.get(metric_key.rsplit(".", 1)[-1])
    higher = metric.higher_is_better if metric else True
    return "good" if (delta > 0) == higher else "bad"


def render_comparison_markdown(comparison: RunComparison) -> str:
    return environment().get_template("compare.md").render(c=comparison)


def render_comparison_html(comparison: RunComparison) -> str:
    return environment().get_template("compare.html").render(c=comparison, delta_class=_delta_class)


def write_comparison(comparison: RunComparison, out: str | Path) -> Path:
    """Write the comparison as HTML (``.html``) or Markdown (any other suffix) to ``out``."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    render = render_comparison_html if path.suffix.lower() in (".html", ".htm") else render_comparison_markdown
    path.write_text(render(comparison), encoding="utf-8")
    return path
