"""The chat's PDF page view in a real browser: from clicking a PDF citation to its page image shown.

Starts ``app.py`` on a free loopback port over a fresh index of the default corpus (or uses ``--url``),
asks questions whose answers cite the NHS England PDFs in Debian's chromium (headless, Playwright),
then clicks each PDF citation ``--repeats`` times, going round the citations so that every click
changes the image. Times are taken inside the page: ``performance.now()`` at the click and when the
new image has loaded (``tests/page_view.py``). The first click on a citation renders its page
(cold: PDFium renders and highlights, the PNG is written to ``<index>/pages/``); later clicks read
the cached file (warm).

    .venv/bin/python benchmarks/page_view.py                 # make bench-ui
    .venv/bin/python benchmarks/page_view.py --repeats 5 --url http://127.0.0.1:7860/

Prints a table and writes ``benchmarks/results/page-view.json`` (``--out``).
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the page helpers the browser tests use

from chat_page import CHROMIUM, CHROMIUM_ARGS, ask, open_chat  # noqa: E402
from load_app import browser_cli, in_app, run_facts, write_result  # noqa: E402
from page_view import click_citation, pdf_citations  # noqa: E402

QUESTIONS = [
    "What is an individual funding request?",
    "How long does NHS England have to give a decision on an IFR?",
    "What does exceptional mean in IFR terms?",
]


def measure(url: str, questions: list[str], repeats: int) -> dict[str, list[float]]:
    """Milliseconds from the click to the page image, per citation (``"turn-n file"``), cold first."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = open_chat(browser, url, width=1400, height=1000)
            cited: list[tuple[int, int, str]] = []
            for turn, question in enumerate(questions):
                ask(page, question)
                cited += [(turn, n, name) for n, name in pdf_citations(page, turn)]
            if len(cited) < 2:
                raise SystemExit(f"the answers cite {len(cited)} PDF passages; need 2 to alternate between")
            for _ in range(repeats):
                for turn, n, name in cited:
                    runs.setdefault(f"{turn}-{n} {name}", []).append(click_citation(page, turn, n))
        finally:
            browser.close()
    return runs


def summarise(runs: dict[str, list[float]]) -> dict[str, Any]:
    cold = [r[0] for r in runs.values()]
    warm = [x for r in runs.values() for x in r[1:]]
    return {
        "clicks": sum(len(r) for r in runs.values()), "citations": len(runs),
        "median_cold_ms": round(statistics.median(cold), 1),
        "median_warm_ms": round(statistics.median(warm), 1) if warm else None,
        "median_all_ms": round(statistics.median(cold + warm), 1),
        "runs_ms": {k: [round(x, 1) for x in v] for k, v in runs.items()},
    }


def main(argv: list[str] | None = None) -> int:
    args = browser_cli(__doc__, argv, url_help="a running chat over the default corpus (default: start app.py on a free loopback port)",
                       repeats=4, repeats_help="clicks on each cited PDF passage",
                       out=ROOT / "benchmarks" / "results" / "page-view.json")
    if args is None:
        return 2
    load_at_start = os.getloadavg()
    runs = in_app(args.url, lambda url: measure(url, QUESTIONS, args.repeats), [ROOT / "corpus"], "ics-page-view-")
    summary = summarise(runs)
    result = {
        "what": "milliseconds from clicking a PDF citation to its page image loaded, in headless chromium "
                "(in-page performance.now()); cold = first click (render + highlight + cache), warm = cached",
        **run_facts(load_at_start),
        "repeats": args.repeats, **summary,
    }
    write_result(args.out, result)
    print("| citation | clicks | first (cold) ms | later (warm) median ms |\n|---|---|---|---|")
    for key, values in summary["runs_ms"].items():
        later = f"{statistics.median(values[1:]):.0f}" if len(values) > 1 else "-"
        print(f"| {key} | {len(values)} | {values[0]:.0f} | {later} |")
    print(f"| **all** | {summary['clicks']} | **{summary['median_cold_ms']:.0f}** (median) | **{summary['median_warm_ms']}** |")
    print(f"\nload average at start {result['load_average_at_start']}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
