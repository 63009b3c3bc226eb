"""Check development question files against their documents and count them per split.

    python eval/split_summary.py [--splits eval/splits.json] [--shared ../shared] FILE.jsonl [...]

For every question file given, prints the number of questions per split ("tune"/"confirm",
from ``eval/splits.json``) and per type, and checks each question:

* every ``evidence``/``evidence_2`` string occurs in its document's text, after the same
  normalisation on both sides (NFKC, so ligatures such as "ﬁ" become "fi"; curly quotes
  straightened; dashes made "-"; markdown ``**`` and ``\\(``-style escapes removed; hyphenated
  line breaks joined; whitespace collapsed; case folded). The document text is
  - .md/.txt: the file;
  - .pdf: ``pdftotext`` text of the page named by ``page``/``page_2`` (physical, 1-based), in
    layout mode or in reading-order mode (a match in either counts), so evidence never spans
    a page break;
  - .docx: the text of its paragraphs and table cells, in document order;
* every ``must_include`` item occurs in the evidence (or evidence_2) text, for answerable
  questions;
* PDFs have a page; unanswerable questions have no
  evidence and name a ``near_file`` (or have one in the ``near`` map of splits.json);
* every document named has a split.

Evidence longer than 200 characters is reported as a warning (the older eval/questions.jsonl
predates that rule).

A question counts on the split of its document; a question with two documents in different
halves counts as "confirm". Exits 1 if any check fails. Development tooling: standard library
only (plus the ``pdftotext`` program from poppler-utils), not part of the package.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("factoid", "list", "table", "paraphrase", "multi_hop", "unanswerable")
MAX_EVIDENCE = 200

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "*": None,
    }
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n\s*")
_SPACE = re.compile(r"\s+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def normalise(text: str) -> str:
    """The one normalisation applied to documents and evidence alike."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _ESCAPE.sub(r"\1", text)
    text = _HYPHEN_BREAK.sub("-", text)  # "long-\n   term" -> "long-term"
    return _SPACE.sub(" ", text).strip().casefold()


def _pdftotext(path: Path, page: int, layout: bool) -> str:
    args = ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    result = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValueError(f"pdftotext failed on {path.name} page {page}: {result.stderr.strip()}")
    return result.stdout


@cache
def pdf_page_texts(path: Path, page: int) -> tuple[str, str]:
    """Normalised layout-mode and reading-order text of one physical page."""
    return normalise(_pdftotext(path, page, True)), normalise(_pdftotext(path, page, False))


@cache
def docx_text(path: Path) -> str:
    """Normalised text of every paragraph (body and table cells) of a .docx, in order."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for para in root.iter(f"{_W}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}tab", f"{_W}br"):
                parts.append(" ")
        paragraphs.append("".join(parts))
    return normalise("\n".join(paragraphs))


@cache
def plain_text(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8"))


def find_document(name: str, dirs: Iterable[Path]) -> Path | None:
    for directory in dirs:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def evidence_found(path: Path, evidence: str, page: object) -> str | None:
    """None if ``evidence`` is in the document (on ``page`` for PDFs), else the problem."""
    needle = normalise(evidence)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if not isinstance(page, int) or page < 1:
            return f"needs a physical page number for {path.name}"
        layout, reading = pdf_page_texts(path, page)
        return None if needle in layout or needle in reading else f"not on page {page} of {path.name}"
    if suffix == ".docx":
        return None if needle in docx_text(path) else f"not in {path.name}"
    if suffix in (".md", ".txt"):
        return None if needle in plain_text(path) else f"not in {path.name}"
    return f"unsupported document type {path.name}"


def warnings_for(q: dict) -> list[str]:
    """Style rules that the older eval/questions.jsonl predates: reported, not fatal."""
    return [
        f"{key} longer than {MAX_EVIDENCE} characters ({len(q[key])})"
        for key in ("evidence", "evidence_2")
        if isinstance(q.get(key), str) and len(q[key]) > MAX_EVIDENCE
    ]


def check_question(q: dict, dirs: list[Path], near: dict[str, str]) -> list[str]:
    """All problems with one question record (empty list if none)."""
    problems: list[str] = []
    qtype = q.get("type")
    if qtype not in TYPES:
        problems.append(f"type {qtype!r} not one of {', '.join(TYPES)}")
    for key in ("question", "answer"):
        if not isinstance(q.get(key), str) or not q[key].strip():
            problems.append(f"missing {key}")
    if qtype == "unanswerable":
        if q.get("source_file") or q.get("evidence") or q.get("must_include"):
            problems.append("unanswerable question with evidence or must_include")
        near_file = q.get("near_file") or near.get(q.get("id", ""))
        if not near_file:
            problems.append("unanswerable question without near_file (or an entry in splits.json 'near')")
        elif find_document(near_file, dirs) is None:
            problems.append(f"near_file {near_file!r} not found")
        return problems
    pairs = [(q.get("source_file"), q.get("evidence"), q.get("page"))]
    if q.get("source_file_2") or q.get("evidence_2"):
        pairs.append((q.get("source_file_2"), q.get("evidence_2"), q.get("page_2")))
    elif qtype == "multi_hop":
        problems.append("multi_hop question without source_file_2/evidence_2")
    texts = []
    for name, evidence, page in pairs:
        if not name or not evidence:
            problems.append("answerable question without source_file/evidence")
            continue
        path = find_document(name, dirs)
        if path is None:
            problems.append(f"document {name!r} not found")
            continue
        problem = evidence_found(path, evidence, page)
        if problem:
            problems.append(f"evidence {evidence[:60]!r}... {problem}")
        texts.append(normalise(evidence))
    must = q.get("must_include")
    if not isinstance(must, list) or not 1 <= len(must) <= 4:
        problems.append("must_include must list 1-4 items")
    else:
        for item in must:
            if not any(normalise(item) in text for text in texts):
                problems.append(f"must_include item {item!r} is not in the evidence")
    return problems


def split_of(q: dict, documents: dict[str, str], near: dict[str, str]) -> str:
    if q.get("type") == "unanswerable":
        names = [q.get("near_file") or near.get(q["id"], "")]
    else:
        names = [name for name in (q.get("source_file"), q.get("source_file_2")) if name]
    halves = {documents.get(name, "?") for name in names}
    if len(halves) == 1:
        return halves.pop()
    return "?" if "?" in halves else "confirm"


def table(rows: list[tuple[str, Counter[str]]], columns: list[str]) -> str:
    width = max(len(label) for label, _ in rows)
    lines = [f"{'':<{width}}  " + " ".join(f"{c:>10}" for c in columns) + f" {'total':>6}"]
    for label, counts in rows:
        cells = " ".join(f"{counts.get(c, 0):>10}" for c in columns)
        lines.append(f"{label:<{width}}  {cells} {sum(counts.values()):>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="question files (.jsonl)")
    parser.add_argument("--splits", type=Path, default=ROOT / "eval" / "splits.json")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared folder holding seeds/, corpus-nhs/ and realdocs/ (default: ../shared)")
    args = parser.parse_args(argv)
    if shutil.which("pdftotext") is None:
        print("error: pdftotext not found (apt-get install poppler-utils)", file=sys.stderr)
        return 2
    if not args.shared.is_dir():
        print(f"error: shared folder {args.shared} not found (use --shared)", file=sys.stderr)
        return 2
    dirs = [ROOT / "corpus", args.shared / "seeds", args.shared / "corpus-nhs", args.shared / "realdocs"]
    splits = json.loads(args.splits.read_text(encoding="utf-8"))
    documents: dict[str, str] = splits["documents"]
    near: dict[str, str] = splits.get("near", {})
    status = 0
    for name, half in documents.items():
        if half not in ("tune", "confirm") or find_document(name, dirs) is None:
            print(f"error: splits.json: {name!r}: unknown document or split {half!r}")
            status = 1
    overall: Counter[str] = Counter()
    for path in args.files:
        questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        ids = Counter(q.get("id") for q in questions)
        for qid, count in ids.items():
            if count > 1:
                print(f"error: {path}: id {qid!r} used {count} times")
                status = 1
        per_split: dict[str, Counter[str]] = {}
        for q in questions:
            for problem in check_question(q, dirs, near):
                print(f"error: {path}: {q.get('id')}: {problem}")
                status = 1
            for warning in warnings_for(q):
                print(f"warning: {path}: {q.get('id')}: {warning}")
            half = split_of(q, documents, near)
            if half == "?":
                print(f"error: {path}: {q.get('id')}: a document has no split in {args.splits.name}")
                status = 1
            per_split.setdefault(half, Counter())[q.get("type", "?")] += 1
            overall[half] += 1
        print(f"\n{path} ({len(questions)} questions)")
        rows = [(half, per_split[half]) for half in sorted(per_split)]
        total: Counter[str] = Counter()
        for _, counts in rows:
            total.update(counts)
        print(table([*rows, ("all", total)], [t for t in TYPES if total.get(t)]))
    if overall:
        share = {half: f"{100 * n / sum(overall.values()):.0f}%" for half, n in sorted(overall.items())}
        print(f"\nall files: {dict(sorted(overall.items()))} {share}")
    print("\nevidence check: " + ("OK" if status == 0 else "FAILED"))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
