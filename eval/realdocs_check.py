"""Answer quality on the real documents (issue 12), by document split: the extractive answerer over
../shared/realdocs with eval/questions-realdocs.jsonl.

    python eval/realdocs_check.py [--shared DIR] [--index DIR] [--json OUT]

Per split (tune / confirm, from eval/splits.json) it reports:
- must_include coverage on answerable questions, false refusals, unanswerable questions refused;
- quotes holding page furniture (running headers/footers, page-number lines);
- PDF citations whose cited page holds the quote (the page's own text read by pypdf, compared as
  letters and digits only, so it judges any loader the same way);
- citations whose page is the page of the question's evidence.

Engine-independent on purpose, so it measures the loader before and after a change: run it with
another checkout first on PYTHONPATH. Builds the index at --index (default: a temporary directory).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: a checkout given there is the one measured

from assistant import Assistant  # noqa: E402

FURNITURE = re.compile(
    r"\d+\s*\|\s*individual funding requests|\d+\s*\|\s*Standard operating procedures: Individual funding requests"
    r"|Page \d+ of 4|NHSCP ICB Constitution v1\.\d – Approved|(?m:^\s*\d{1,3}\s*$)",
    re.IGNORECASE,
)


def squash(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def on_page(quote: str, page: str) -> bool:
    """The quote is on the page: whole, or (a quote over a page break) its first or last 40 letters;
    a table row ("Header: cell | ...", printed as a grid) cell by cell."""
    if " | " in quote:
        cells = [squash(part.split(": ", 1)[-1]) for line in quote.split("\n") for part in line.split(" | ")]
        return all(cell in page for cell in cells if cell)
    q = squash(quote)
    return bool(q) and (q in page or (len(q) > 40 and (q[:40] in page or q[-40:] in page)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("ICS_SHARED_DIR") or str(ROOT.parent / "shared"))
    parser.add_argument("--questions", default=str(ROOT / "eval" / "questions-realdocs.jsonl"))
    parser.add_argument("--index", default=None)
    parser.add_argument("--json", default=None, help="write the figures and every answer here")
    args = parser.parse_args()
    docs = Path(args.shared) / "realdocs"
    splits = json.loads((ROOT / "eval" / "splits.json").read_text(encoding="utf-8"))["documents"]
    questions = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()]
    pages = {p.name: page_texts(p) for p in docs.glob("*.pdf")}

    with tempfile.TemporaryDirectory() as tmp:
        a = Assistant(index_dir=args.index or tmp)
        if a.store.count() == 0:
            print(a.ingest([docs]), file=sys.stderr)
        rows: list[dict[str, Any]] = []
        for q in questions:
            answer = a.ask(q["question"])
            doc = q.get("source_file") or q.get("near_file")
            rows.append({"q": q, "split": "confirm" if "confirm" in {splits.get(doc), splits.get(q.get("source_file_2"))} else "tune",
                         "answer": answer.to_dict()})

    def figures(subset: list[dict[str, Any]]) -> dict[str, Any]:
        answerable = [r for r in subset if r["q"]["type"] != "unanswerable"]
        with_facts = [r for r in answerable if r["q"]["must_include"]]
        norm = lambda s: " ".join(s.casefold().split())  # noqa: E731
        coverage = sum(sum(norm(m) in norm(r["answer"]["text"]) for m in r["q"]["must_include"]) / len(r["q"]["must_include"])
                       for r in with_facts) / max(1, len(with_facts))
        cites = [c for r in subset for c in r["answer"]["citations"]]
        pdf = [c for c in cites if c["source"] in pages and c.get("page")]
        evidence_pages = [(c, r["q"]) for r in answerable for c in r["answer"]["citations"]
                          if c["source"] == r["q"].get("source_file") and r["q"].get("page") and c.get("page")]
        return {
            "questions": len(subset),
            "must_include_coverage": round(coverage, 3),
            "false_refusals": f"{sum(r['answer']['refused'] for r in answerable)}/{len(answerable)}",
            "unanswerable_refused": f"{sum(r['answer']['refused'] for r in subset if r['q']['type'] == 'unanswerable')}"
                                    f"/{sum(1 for r in subset if r['q']['type'] == 'unanswerable')}",
            "quotes_with_furniture": f"{sum(bool(FURNITURE.search(c['quote'])) for c in cites)}/{len(cites)}",
            "pdf_citation_page_holds_quote": f"{sum(on_page(c['quote'], pages[c['source']][c['page'] - 1]) for c in pdf)}/{len(pdf)}",
            "citation_on_evidence_page": f"{sum(c['page'] in (q['page'], q.get('page_2')) for c, q in evidence_pages)}/{len(evidence_pages)}",
        }

    result = {split: figures([r for r in rows if split == "all" or r["split"] == split]) for split in ("tune", "confirm", "all")}
    keys = list(result["all"])
    print("| split | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for split, fig in result.items():
        print(f"| {split} | " + " | ".join(str(fig[k]) for k in keys) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": result, "answers": rows}, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
