"""Which PDF library, measured: pypdfium2, pdfplumber and pypdf on the real PDFs and the fixtures.

    python benchmarks/pdf_libraries.py            # prints a table, writes benchmarks/results/pdf_libraries.json
    python benchmarks/pdf_libraries.py --repeats 5

For each library: pages per second (median of the repeats) for plain text and for characters with
positions (what layout analysis needs), and fidelity checks on its plain text that could fail:
two-column reading order, a ruled table's rows, list markers, ligatures, line-end hyphens, and
whether it offers a table finder, font sizes/weights and page rendering. Then pages per second of
``assistant.ingest.loaders.pdf.extract`` against today's pypdf ``_parse_pdf`` on the real PDFs, and the
milliseconds to render a page with a highlighted quote (what a citation click costs).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("ICS_SHARED_DIR") or ROOT.parent / "shared")
REAL = sorted((SHARED / "realdocs").glob("*.pdf"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
RESULTS = ROOT / "benchmarks" / "results"
LICENCES = {"pypdfium2": "Apache-2.0 / BSD-3-Clause (PDFium)", "pdfplumber": "MIT (pdfminer.six: MIT)", "pypdf": "BSD-3-Clause"}


def pypdf_text(raw: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(raw)).pages]


def pypdf_chars(raw: bytes) -> int:
    from pypdf import PdfReader

    count = 0

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        nonlocal count
        count += len(text)

    for page in PdfReader(io.BytesIO(raw)).pages:
        page.extract_text(visitor_text=visit)  # runs of text with their matrices: no per-character boxes
    return count


def plumber_text(raw: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def plumber_chars(raw: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return sum(len(p.chars) for p in pdf.pages)


def pdfium_text(raw: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(raw)
    try:
        out = []
        for page in doc:
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def pdfium_chars(raw: bytes) -> int:
    from assistant.ingest.loaders.pdf.pdfium_io import open_pdf, page_glyphs

    with open_pdf(raw) as doc:
        return sum(len(page_glyphs(doc[i])) for i in range(len(doc)))


LIBRARIES: dict[str, tuple[Callable[[bytes], list[str]], Callable[[bytes], int]]] = {
    "pypdfium2": (pdfium_text, pdfium_chars),
    "pdfplumber": (plumber_text, plumber_chars),
    "pypdf": (pypdf_text, pypdf_chars),
}
CAPABILITIES = {  # what each offers beyond text (from their APIs)
    "pypdfium2": {"char_boxes": True, "font_size_weight": True, "table_finder": False, "render": True},
    "pdfplumber": {"char_boxes": True, "font_size_weight": True, "table_finder": True, "render": "via pypdfium2"},
    "pypdf": {"char_boxes": False, "font_size_weight": "per text run", "table_finder": False, "render": False},
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def fidelity(pages: list[str]) -> dict[str, Any]:
    """Checks on a library's plain text of the dosing fixture (and counts over the real files elsewhere)."""
    text = squash("\n".join(pages))
    left = "Left column first paragraph. People starting"
    return {
        "two_columns_in_order": left in text and "Right column material follows. A person" in text
        and text.index(left) < text.index("Right column material follows"),
        "table_row_on_one_line": "Dapagliflozin Heart failure 10 mg once daily" in text,
        "bullet_glyph": "•" if "•" in text else ("U+F0B7" if "\uf0b7" in text else "none"),
        "numbered_items": all(f"{n}. " in text for n in range(1, 5)),
        "ligature_codepoints": len(re.findall("[\ufb00-\ufb06]", text)),
        "line_end_hyphens_marked": "\x02" in "".join(pages) or "\u00ad" in "".join(pages),
        "hyphenated_word_left_split": "re- start" in text or "re-start" in text,
    }


def time_it(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_count(raw: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(raw)
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    files = REAL + FIXTURES
    if not REAL:
        print(f"note: {SHARED / 'realdocs'} is absent; measuring the fixtures only", file=sys.stderr)
    raws = {f.name: f.read_bytes() for f in files}
    pages = {name: page_count(raw) for name, raw in raws.items()}
    real_pages = sum(pages[f.name] for f in REAL)
    dosing = (ROOT / "tests" / "fixtures" / "pdf" / "dosing-guidance.pdf").read_bytes()

    libraries: dict[str, Any] = {}
    for name, (text_fn, chars_fn) in LIBRARIES.items():
        text_s = time_it(lambda f=text_fn: [f(raws[r.name]) for r in REAL], args.repeats) if REAL else float("nan")
        chars_s = time_it(lambda f=chars_fn: [f(raws[r.name]) for r in REAL], args.repeats) if REAL else float("nan")
        real_text = "\n".join(t for r in REAL for t in text_fn(raws[r.name]))
        libraries[name] = {
            "licence": LICENCES[name],
            "text_pages_per_s": real_pages / text_s if REAL else None,
            "chars_pages_per_s": real_pages / chars_s if REAL else None,
            "fixture": fidelity(text_fn(dosing)),
            "real_ligature_codepoints": len(re.findall("[\ufb00-\ufb06]", real_text)),
            "real_private_use_bullets": real_text.count("\uf0b7"),
            **CAPABILITIES[name],
        }

    from baseline_pypdf import parse as _parse_pdf

    from assistant.ingest.loaders.pdf import extract, render_page

    ours: dict[str, Any] = {}
    for f in REAL:
        raw = raws[f.name]
        new_s = time_it(lambda raw=raw: extract(raw, ocr=False), args.repeats)
        old_s = time_it(lambda raw=raw: _parse_pdf(raw), args.repeats)
        doc = extract(raw, ocr=False)
        quote_at = doc.blocks[len(doc.blocks) // 2]
        quote = doc.text[quote_at[0]:quote_at[1]][:200]
        render_s = time_it(lambda raw=raw, q=quote, p=doc.page_at(quote_at[0]): render_page(raw, p, q, 1000), args.repeats)
        ours[f.name] = {"pages": pages[f.name], "extract_pages_per_s": pages[f.name] / new_s,
                        "pypdf_parse_pdf_pages_per_s": pages[f.name] / old_s,
                        "render_highlight_ms": render_s * 1000}

    result = {
        "machine": {"python": platform.python_version(), "cores": os.cpu_count(), "load_avg_at_start": os.getloadavg(),
                    "date": time.strftime("%Y-%m-%d %H:%M")},
        "command": "python benchmarks/pdf_libraries.py" + (f" --repeats {args.repeats}" if args.repeats != 3 else ""),
        "files": {name: pages[name] for name in raws}, "repeats": args.repeats,
        "libraries": libraries, "extract_vs_pypdf": ours,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pdf_libraries.json").write_text(json.dumps(result, indent=2, default=str) + "\n")

    print(f"{real_pages} pages in {len(REAL)} real PDFs; medians of {args.repeats}; load {os.getloadavg()[0]:.2f}\n")
    cols = ["licence", "text_pages_per_s", "chars_pages_per_s", "char_boxes", "font_size_weight", "table_finder", "render"]
    print("| library | " + " | ".join(cols) + " | two columns | table row | bullets | lig. (real) |")
    print("|" + "---|" * (len(cols) + 5))
    for name, row in libraries.items():
        cells = [f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in cols]
        fx = row["fixture"]
        print(f"| {name} | " + " | ".join(cells) + f" | {fx['two_columns_in_order']} | {fx['table_row_on_one_line']} | "
              f"{fx['bullet_glyph']} | {row['real_ligature_codepoints']} |")
    print("\n| file | pages | extract pages/s | pypdf _parse_pdf pages/s | render + highlight ms |\n|---|---|---|---|---|")
    for name, row in ours.items():
        print(f"| {name} | {row['pages']} | {row['extract_pages_per_s']:.1f} | {row['pypdf_parse_pdf_pages_per_s']:.1f} | "
              f"{row['render_highlight_ms']:.0f} |")
    print(f"\nwrote {RESULTS / 'pdf_libraries.json'}")


if __name__ == "__main__":
    main()
