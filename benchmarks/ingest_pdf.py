"""PDF ingestion speed in pages per second, before and after the layout engine (issue 12).

    python benchmarks/ingest_pdf.py [--repeats 3] [--shared DIR]

On the real PDFs in ../shared/realdocs (falling back to the PDFs in corpus/), for each of:
- before: the pypdf loader of commit e10cc73 (frozen in benchmarks/baseline_pypdf.py);
- after: today's loader (``assistant.ingest.loaders.pdf.parse``: pypdfium2 + layout analysis);
it times three stages, medians of ``--repeats`` runs in this process (the embedding model is
loaded once, beforehand):
- parse: PDF bytes to text with pages (the loader alone);
- load + chunk: ``load_file`` and the chunker (what ingestion does before embedding);
- ingest: the whole ``Assistant.ingest`` into a fresh embedded Chroma index, embedding included.
Prints a table and writes ``benchmarks/results/ingest_pdf.json``. Timings taken while other work
shares the cores are noisy: the ratios within one run are what to quote.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results"


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shared", default=os.environ.get("ICS_SHARED_DIR") or str(ROOT.parent / "shared"))
    args = parser.parse_args()

    import baseline_pypdf
    from pypdf import PdfReader

    from assistant import Assistant
    from assistant.api import embed_model_for
    from assistant.ingest.chunking import TokenSentenceChunker
    from assistant.ingest.embedding import model_path
    from assistant.ingest.loaders import PARSERS, load_file
    from assistant.ingest.loaders.pdf import parse as layout_parse
    from assistant.settings import Settings

    files = sorted((Path(args.shared) / "realdocs").glob("*.pdf")) or sorted((ROOT / "corpus").glob("*.pdf"))
    if not files:
        print("no PDFs found (../shared/realdocs or corpus/)", file=sys.stderr)
        return 1
    settings = Settings.load()
    embed_model_for(settings)  # loaded once, before any timing
    chunker = TokenSentenceChunker(model_path=model_path(settings.embed_model), chunk_tokens=settings.chunk_tokens,
                                   overlap_sentences=settings.chunk_overlap_sentences, embed_metadata=settings.embed_metadata)
    loaders = {"before (pypdf, e10cc73)": baseline_pypdf.parse, "after (pypdfium2 + layout)": layout_parse}
    original = PARSERS["pdf"]
    rows: list[dict[str, Any]] = []
    try:
        for path in files:
            raw = path.read_bytes()
            pages = len(PdfReader(path).pages)
            for name, parse in loaders.items():
                PARSERS["pdf"] = parse
                parse_s = median_seconds(lambda parse=parse, raw=raw: parse(raw), args.repeats)
                chunks = chunker.get_nodes_from_documents([load_file(path)])
                chunk_s = median_seconds(lambda path=path: chunker.get_nodes_from_documents([load_file(path)]), args.repeats)

                def ingest(path: Path = path) -> None:
                    with tempfile.TemporaryDirectory() as tmp:
                        docs = Path(tmp) / "docs"
                        docs.mkdir()
                        shutil.copy(path, docs / path.name)
                        summary = Assistant(index_dir=Path(tmp) / "index", settings=settings).ingest([docs])
                        assert summary.ok, str(summary)

                ingest_s = median_seconds(ingest, args.repeats)
                rows.append({"file": path.name, "pages": pages, "loader": name, "chunks": len(chunks),
                             "parse_pages_per_s": pages / parse_s, "load_chunk_pages_per_s": pages / chunk_s,
                             "ingest_pages_per_s": pages / ingest_s})
    finally:
        PARSERS["pdf"] = original

    total_pages = sum(len(PdfReader(p).pages) for p in files)
    totals = {}
    for name in loaders:
        mine = [r for r in rows if r["loader"] == name]
        totals[name] = {key: total_pages / sum(r["pages"] / r[key] for r in mine)
                        for key in ("parse_pages_per_s", "load_chunk_pages_per_s", "ingest_pages_per_s")}
    result = {
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(), "load_avg_at_start": os.getloadavg(),
                    "date": time.strftime("%Y-%m-%d %H:%M")},
        "command": "python benchmarks/ingest_pdf.py" + (f" --repeats {args.repeats}" if args.repeats != 3 else ""),
        "repeats": args.repeats, "files": rows, "all_files": totals,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest_pdf.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"{total_pages} pages in {len(files)} PDFs; medians of {args.repeats}; load average {os.getloadavg()[0]:.2f}\n")
    print("| file | pages | loader | chunks | parse pages/s | load + chunk pages/s | ingest pages/s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file'][:40]} | {r['pages']} | {r['loader']} | {r['chunks']} | {r['parse_pages_per_s']:.1f} | "
              f"{r['load_chunk_pages_per_s']:.1f} | {r['ingest_pages_per_s']:.1f} |")
    for name, t in totals.items():
        print(f"| all {len(files)} | {total_pages} | {name} | | {t['parse_pages_per_s']:.1f} | {t['load_chunk_pages_per_s']:.1f} | "
              f"{t['ingest_pages_per_s']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
