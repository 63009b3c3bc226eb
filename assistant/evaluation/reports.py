"""Evaluation reports: ``report.md`` and a self-contained ``report.html`` (inline CSS and SVG plots).

The HTML has no external assets (no scripts, fonts or images to fetch) so it opens offline and can
be mailed as one file; every piece of text from documents, questions or answers is escaped.

Example::

    >>> from assistant.reports import render_html
    >>> html = render_html(summary, rows)   # summary.json and results.jsonl rows of a run
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import METRICS

CHART_METRICS = ("hit_at_k", "mrr", "ndcg_at_k", "must_include", "token_f1", "citation_recall", "faithfulness",
                 "refusal_rate", "false_refusal_rate")
LABELS = {
    "hit_at_k": "hit@k", "mrr": "MRR", "ndcg_at_k": "nDCG@k", "must_include": "must_include", "token_f1": "token F1",
    "embedding_similarity": "embedding sim.", "citation_recall": "citation recall",
    "citation_precision": "citation precision", "faithfulness": "faithfulness", "refusal_rate": "refusal rate (unanswerable)",
    "false_refusal_rate": "false-refusal rate (answerable)",
}
SHORT = {"refusal_rate": "refusal (unans.)", "false_refusal_rate": "false refusal"}
COLOURS = ("#1d4ed8", "#0891b2", "#059669", "#ca8a04", "#ea580c", "#db2777", "#7c3aed", "#4b5563", "#b91c1c")
TABLE_METRICS = ("hit_at_k", "mrr", "ndcg_at_k", "must_include", "token_f1", "embedding_similarity",
                 "citation_recall", "citation_precision", "faithfulness", "refusal_rate", "false_refusal_rate")


def _fmt(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


# -- SVG plots ------------------------------------------------------------------------------------
def bar_chart_svg(groups: Sequence[str], series: Sequence[str], values: dict[tuple[str, str], float | None],
                  width: int = 860, height: int = 300) -> str:
    """Grouped bars in [0, 1]: one group per question type, one bar per metric (pure).

    A missing value (None) draws no bar and a small "n/a" mark, never a zero-height lie.
    """
    left, bottom, top = 40, 40, 12
    # Legend entries placed by label length, wrapping to a new row rather than running off the edge.
    legend: list[tuple[float, float, str]] = []
    lx, ly = float(left), 4.0
    for name in series:
        label = SHORT.get(name, LABELS.get(name, name))
        step = 30 + 7.0 * len(label)
        if lx + step > width and lx > left:
            lx, ly = float(left), ly + 16
        legend.append((lx, ly, label))
        lx += step
    legend_h = int(ly) + 18
    height += legend_h - 22
    plot_h = height - bottom - top - legend_h
    plot_w = width - left - 10
    group_w = plot_w / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(series))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="metrics by question type" font-family="sans-serif" font-size="11">']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top + legend_h + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#374151">{tick:.2f}</text>')
    for i, (lx, ly, label) in enumerate(legend):
        parts.append(f'<rect x="{lx:.1f}" y="{ly:.0f}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly + 9:.0f}" text-anchor="start" fill="#111827">{escape(label)}</text>')
    for g, group in enumerate(groups):
        gx = left + g * group_w + group_w * 0.1
        for s, name in enumerate(series):
            value = values.get((group, name))
            x = gx + s * bar_w
            if value is None:
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + legend_h + plot_h - 3:.1f}" text-anchor="middle" '
                             f'fill="#9ca3af" font-size="8">n/a</text>')
                continue
            h = plot_h * min(1.0, max(0.0, value))
            y = top + legend_h + plot_h - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(group)} {escape(LABELS.get(name, name))}: '
                         f'{value:.3f}</title></rect>')
        parts.append(f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                     f'fill="#111827">{escape(group)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(values: Sequence[float], marks: dict[str, float | None], width: int = 860, height: int = 240,
                  bins: int = 24, unit: str = "ms") -> str:
    """A histogram with labelled vertical marks (e.g. p50, p95) (pure)."""
    left, bottom, top = 40, 36, 14
    plot_w, plot_h = width - left - 10, height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="latency histogram" font-family="sans-serif" font-size="11">']
    if not values:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#6b7280">no latencies recorded</text></svg>')
        return "".join(parts)
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    peak = max(counts)
    bw = plot_w / bins
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        parts.append(f'<rect x="{left + i * bw:.1f}" y="{top + plot_h - h:.1f}" width="{bw * 0.9:.1f}" height="{h:.1f}" '
                     f'fill="#60a5fa"><title>{lo + i * span / bins:.0f}-{lo + (i + 1) * span / bins:.0f} {unit}: {c}</title></rect>')
    for tick in range(5):
        v = lo + span * tick / 4
        x = left + plot_w * tick / 4
        anchor = "end" if tick == 4 else "middle"  # the last label would run past the right edge
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" fill="#374151">{v:.0f} {unit}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" fill="#374151">{peak}</text>')
    parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#9ca3af"/>')
    for label, mark in marks.items():
        if mark is None or not math.isfinite(mark):
            continue
        x = left + plot_w * (mark - lo) / span
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#b91c1c" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{top + 10}" fill="#b91c1c">{escape(label)} {mark:.0f} {unit}</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 4}" text-anchor="middle" fill="#111827">latency per question</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- Markdown ----------------------------------------------------------------------------------
def render_markdown(summary: dict[str, Any], rows: Sequence[dict[str, Any]]) -> str:
    """report.md: overall and per-type tables, latency, failures, unsupported claims, definitions."""
    run = summary.get("run", {})
    types = list(summary.get("by_type", {}))
    lines = [
        "# Evaluation report", "",
        f"- questions: {summary['questions']} ({summary['scored']} scored, {len(summary['failed'])} failed)",
        f"- backend: {run.get('backend')}; top-k {run.get('top_k')}; workers {run.get('workers')}",
        f"- questions file: {run.get('questions_file')}; started {run.get('started')}, finished {run.get('finished')}",
        f"- latency: p50 {_fmt(summary['latency_ms']['p50'], 0)} ms, p95 {_fmt(summary['latency_ms']['p95'], 0)} ms", "",
        "| metric | all | " + " | ".join(f"{t} (n={summary['by_type'][t]['n']})" for t in types) + " |",
        "|---" * (len(types) + 2) + "|",
    ]
    for name in TABLE_METRICS:
        cells = [_cell(summary["overall"].get(name))] + [_cell(summary["by_type"][t].get(name)) for t in types]
        lines.append(f"| {LABELS.get(name, name)} | " + " | ".join(cells) + " |")
    if summary.get("unscored_reasons"):
        lines += ["", "## Not scored", ""]
        for name, reasons in summary["unscored_reasons"].items():
            lines.append(f"- {name}: " + "; ".join(f"{why} ({n})" for why, n in reasons.items()))
    if summary["failed"]:
        lines += ["", "## Failed questions", ""] + [f"- {f['id']}: {f['error']}" for f in summary["failed"]]
    claims = [(r["id"], c) for r in rows for c in r.get("unsupported_claims") or []]
    if claims:
        lines += ["", "## Unsupported claims", ""]
        lines += [f"- {qid}: \"{c['claim']}\" ({'; '.join(c['reasons'])})" for qid, c in claims[:50]]
    lines += ["", "## Metric definitions", ""] + [f"- **{name}**: {text}" for name, text in METRICS.items()]
    return "\n".join(lines) + "\n"


def _cell(m: dict[str, Any] | None) -> str:
    if not m or m.get("mean") is None:
        return "n/a"
    return f"{m['mean']:.3f}"


# -- HTML ------------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111827;padding:0 16px}
h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7280}
.bad{color:#b91c1c}.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.kpi{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px;min-width:120px}.kpi b{font-size:1.4em;display:block}
details{font-size:12px}dt{font-weight:600}dd{margin:0 0 6px 16px}
"""


def render_html(summary: dict[str, Any], rows: Sequence[dict[str, Any]]) -> str:
    """report.html: one self-contained page (pure; all text escaped)."""
    run = summary.get("run", {})
    overall = summary["overall"]
    types = list(summary.get("by_type", {}))
    e = escape
    kpis = "".join(
        f'<div class="kpi"><span class="muted">{e(LABELS.get(n, n))}</span><b>{_cell(overall.get(n))}</b></div>'
        for n in ("hit_at_k", "mrr", "must_include", "faithfulness", "citation_recall", "refusal_rate", "false_refusal_rate")
    )
    lat = summary["latency_ms"]
    kpis += f'<div class="kpi"><span class="muted">latency p50 / p95</span><b>{_fmt(lat["p50"], 0)} / {_fmt(lat["p95"], 0)} ms</b></div>'
    head = "".join(f"<th>{e(t)} (n={summary['by_type'][t]['n']})</th>" for t in types)
    body = "".join(
        f"<tr><td>{e(LABELS.get(n, n))}</td><td class='num'>{_cell(overall.get(n))}</td>"
        + "".join(f"<td class='num'>{_cell(summary['by_type'][t].get(n))}</td>" for t in types) + "</tr>"
        for n in TABLE_METRICS
    )
    values = {(t, n): summary["by_type"][t].get(n, {}).get("mean") for t in types for n in CHART_METRICS}
    chart = bar_chart_svg(types, CHART_METRICS, values)
    latencies = [r["latency_ms"] for r in rows if not r.get("error") and r.get("latency_ms") is not None]
    hist = histogram_svg(latencies, {"p50": lat["p50"], "p95": lat["p95"]})
    failed = "".join(f"<li>{e(f['id'])}: {e(f['error'])}</li>" for f in summary["failed"]) or "<li class='muted'>none</li>"
    unscored = "".join(
        f"<li>{e(name)}: " + "; ".join(f"{e(why)} ({n})" for why, n in reasons.items()) + "</li>"
        for name, reasons in summary.get("unscored_reasons", {}).items()
    ) or "<li class='muted'>none</li>"
    claims = "".join(
        f"<tr><td>{e(r['id'])}</td><td>{e(c['claim'])}</td><td>{e('; '.join(c['reasons']))}</td></tr>"
        for r in rows for c in (r.get("unsupported_claims") or [])
    ) or "<tr><td colspan='3' class='muted'>none</td></tr>"
    per_q = "".join(_question_row(r) for r in rows)
    definitions = "".join(f"<dt>{e(n)}</dt><dd>{e(t)}</dd>" for n, t in METRICS.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body>
<h1>Evaluation report</h1>
<p class="muted">{summary['questions']} questions ({summary['scored']} scored, {len(summary['failed'])} failed) ·
backend {e(str(run.get('backend')))} · top-k {e(str(run.get('top_k')))} · {e(str(run.get('questions_file')))} ·
finished {e(str(run.get('finished')))}</p>
<div class="kpis">{kpis}</div>
<h2>Metrics by question type</h2>
{chart}
<table><tr><th>metric</th><th>all</th>{head}</tr>{body}</table>
<h2>Latency</h2>
{hist}
<h2>Failed questions</h2><ul>{failed}</ul>
<h2>Not scored (and why)</h2><ul>{unscored}</ul>
<h2>Unsupported claims</h2>
<table><tr><th>id</th><th>claim</th><th>why</th></tr>{claims}</table>
<h2>Questions</h2>
<table><tr><th>id</th><th>type</th><th>rank</th><th>must_include</th><th>faithfulness</th><th>refused</th><th>ms</th><th>question and answer</th></tr>
{per_q}</table>
<h2>Metric definitions</h2><dl>{definitions}</dl>
</body></html>
"""


def _question_row(r: dict[str, Any]) -> str:
    e = escape
    m = r.get("metrics") or {}
    if r.get("error"):
        return (f"<tr><td>{e(r['id'])}</td><td>{e(r['type'])}</td><td colspan='5' class='bad'>{e(r['error'])}</td>"
                f"<td>{e(r['question'])}</td></tr>")
    rank = m.get("first_relevant_rank")
    refused = "yes" if r.get("refused") else "no"
    flag = " class='bad'" if (r.get("refused") and r["type"] != "unanswerable") or (not r.get("refused") and r["type"] == "unanswerable") else ""
    return (
        f"<tr><td>{e(r['id'])}</td><td>{e(r['type'])}</td><td class='num'>{e(str(rank) if rank else '-')}</td>"
        f"<td class='num'>{_fmt(m.get('must_include'), 2)}</td><td class='num'>{_fmt(m.get('faithfulness'), 2)}</td>"
        f"<td{flag}>{refused}</td><td class='num'>{_fmt(r.get('latency_ms'), 0)}</td>"
        f"<td><details><summary>{e(r['question'])}</summary><p>{e(r.get('answer') or '')}</p>"
        f"<p class='muted'>reference: {e(r.get('reference') or '')}</p></details></td></tr>"
    )


def write_reports(summary: dict[str, Any], rows: Sequence[dict[str, Any]], out_dir: str | Path) -> tuple[Path, Path]:
    """Write report.md and report.html into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    md, html = out / "report.md", out / "report.html"
    md.write_text(render_markdown(summary, rows), encoding="utf-8")
    html.write_text(render_html(summary, rows), encoding="utf-8")
    return md, html
