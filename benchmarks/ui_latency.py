"""Chat latency in a real browser: from pressing Enter to the answer's first words, and to its last.

Starts ``app.py`` on a free loopback port over a fresh index of the seed corpus (or uses ``--url``),
opens the chat in Debian's chromium (headless, driven by Playwright) and asks each question
``--repeats`` times, each time in a new page. Both times are taken inside the page
(``performance.now()`` at the Enter keydown, at the first DOM change that shows answer text, and at
the last change), so the browser's rendering counts and Playwright's polling does not.

    .venv/bin/python benchmarks/ui_latency.py                 # make bench-ui
    .venv/bin/python benchmarks/ui_latency.py --repeats 5 --url http://127.0.0.1:7860/

Prints a table and writes ``benchmarks/results/ui-latency.json`` (``--out``). The first question
after the app starts is asked once more beforehand and not counted (it loads the models).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the page helpers the browser tests use

from chat_page import CHROMIUM, CHROMIUM_ARGS, ask, open_chat  # noqa: E402
from load_app import browser_cli, in_app, run_facts, write_result  # noqa: E402

QUESTIONS = [
    "Who was asked to lead the independent review of integrated care systems?",
    "What did the Hewitt Review say about national targets?",
    "What will the review consider about the Care Quality Commission?",
    "When did Patricia Hewitt serve as health secretary?",
    "What does the Operating Framework set out?",
    "Who is the Chair of NHS England?",
]


def measure(url: str, questions: list[str], repeats: int) -> dict[str, list[dict[str, float]]]:
    """Per question, per repeat: seconds from Enter to the first answer words and to the finished answer."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict[str, float]]] = {q: [] for q in questions}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            warm = open_chat(browser, url)
            ask(warm, questions[0])  # loads the models in the app: not what a user waits for on later questions
            warm.close()
            for r in range(repeats):
                for q in questions:
                    page = open_chat(browser, url)
                    lat = ask(page, q)
                    page.close()
                    if lat["enter"] is None or lat["first"] is None:
                        raise RuntimeError(f"no timing recorded for {q!r}: {lat}")
                    runs[q].append({"first_s": (lat["first"] - lat["enter"]) / 1000, "done_s": (lat["last"] - lat["enter"]) / 1000})
                print(f"repeat {r + 1}/{repeats} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return runs


def summarise(runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    """Medians per question and over every run (pure)."""
    every = [run for rows in runs.values() for run in rows]
    return {
        "median_first_s": round(statistics.median(r["first_s"] for r in every), 3),
        "median_done_s": round(statistics.median(r["done_s"] for r in every), 3),
        "questions": [
            {"question": q, "median_first_s": round(statistics.median(r["first_s"] for r in rows), 3),
             "median_done_s": round(statistics.median(r["done_s"] for r in rows), 3),
             "runs_first_s": [round(r["first_s"], 3) for r in rows]}
            for q, rows in runs.items()
        ],
    }


def table(summary: dict[str, Any]) -> str:
    lines = ["| question | Enter → first words, median s | Enter → finished answer, median s |", "|---|---|---|"]
    for row in summary["questions"]:
        lines.append(f"| {row['question']} | {row['median_first_s']:.3f} | {row['median_done_s']:.3f} |")
    lines.append(f"| **all runs** | **{summary['median_first_s']:.3f}** | **{summary['median_done_s']:.3f}** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = browser_cli(__doc__, argv, url_help="a running chat (default: start app.py over the seed corpus on a free loopback port)",
                       repeats=3, repeats_help="times each question is asked",
                       out=ROOT / "benchmarks" / "results" / "ui-latency.json")
    if args is None:
        return 2

    load_at_start = os.getloadavg()
    started = time.monotonic()
    runs = in_app(args.url, lambda url: measure(url, QUESTIONS, args.repeats), [ROOT / "corpus"], "ics-ui-latency-")
    summary = summarise(runs)
    result = {
        "what": "seconds from pressing Enter to the first answer words, and to the finished answer, in headless "
                "chromium (in-page performance.now()); extractive backend, seed corpus",
        **run_facts(load_at_start), "minutes": round((time.monotonic() - started) / 60, 1),
        "repeats": args.repeats, "url": args.url or "app.py started by this script",
        **summary,
    }
    write_result(args.out, result)
    print(table(summary))
    print(f"\nload average at start {result['load_average_at_start']}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
