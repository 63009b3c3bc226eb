"""Turn a LlamaIndex RAG dataset's source text into a corpus directory the assistant can ingest.

    python eval/convert_llama_dataset.py SOURCE.txt OUT_DIR [--title TITLE] [--publisher NAME] [--date YYYY]

LlamaIndex's downloadable datasets (``llama-datasets``, e.g. BlockchainSolana) ship the text of
their source document with ``=== page N ===`` markers. This writes ``OUT_DIR/<name>.md`` with one
``## Page N`` heading per page, so the chunker starts afresh at each page and every citation names
its page as the section ("§ Page 7"), and ``OUT_DIR/manifest.csv`` with the title (default: the
first line of page 1), publisher and date. Markdown characters in the text are escaped so the
Markdown loader gives back exactly the source's words.

The dataset's questions need no conversion: ``ics-assistant eval`` reads their field names
(``query`` -> question, ``reference_answer`` -> answer; ``reference_contexts`` and the rest are kept
and carried into the results). End to end (``make eval-llama-dataset``)::

    python eval/convert_llama_dataset.py ../shared/external/llama-dataset-blockchain-solana/blockchain_solana_source.txt \\
        eval/reports/solana/corpus
    ics-assistant eval --questions ../shared/external/llama-dataset-blockchain-solana/blockchain_solana_rag_dataset.jsonl \\
        --corpus eval/reports/solana/corpus --index eval/reports/solana/index
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

_PAGE = re.compile(r"^=== page (\d+) ===\s*$", re.M)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#<>|~])")
_LINE_START = re.compile(r"^(\s*)([-+=])", re.M)


def pages(text: str) -> list[tuple[int, str]]:
    """``(page number, text)`` for every ``=== page N ===`` section (the whole text as page 1 without markers)."""
    marks = list(_PAGE.finditer(text))
    if not marks:
        return [(1, text.strip())]
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [(int(m.group(1)), text[m.end(): end].strip()) for m, end in zip(marks, ends)]


def escape_markdown(text: str) -> str:
    """Backslash-escape what the Markdown loader would otherwise read as markup (it un-escapes them)."""
    return _LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def to_markdown(text: str) -> str:
    return "\n\n".join(f"## Page {n}\n\n{escape_markdown(body)}" for n, body in pages(text) if body) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", type=Path, help="the dataset's source text (with === page N === markers)")
    parser.add_argument("out", type=Path, help="corpus directory to write")
    parser.add_argument("--title", help="document title (default: the first line of page 1)")
    parser.add_argument("--publisher", default="")
    parser.add_argument("--date", default="")
    args = parser.parse_args()
    try:
        text = args.source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    found = pages(text)
    title = args.title or next((line.strip() for line in found[0][1].splitlines() if line.strip()), args.source.stem)
    name = args.source.stem.removesuffix("_source") + ".md"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / name).write_text(to_markdown(text), encoding="utf-8")
    with (args.out / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "title", "publisher", "date", "kind"])
        writer.writerow([name, title, args.publisher, args.date, "paper"])
    print(f"{args.out / name}: {len(found)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
