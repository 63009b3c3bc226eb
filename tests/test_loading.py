"""Tests for assistant.ingest.loaders: every format, the metadata contract, manifests and bad files.

Fixture documents are generated here (PDFs by conftest's tiny hand-written PDF writer, DOCX by python-docx)
so no binary files live in the repository. Tests against the real seed and corpus in ``shared/``
(next to the repository) are skipped when it is absent.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import shutil
from pathlib import Path

import docx
import pytest
from conftest import make_pdf
from pypdf import PdfReader, PdfWriter

from assistant.ingest.loaders import (
    SUPPORTED_SUFFIXES,
    LoadError,
    LoadFailure,
    ManifestEntry,
    find_files,
    load_file,
    load_paths,
    read_manifest,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the clone; ICS_SHARED_DIR points a git worktree elsewhere at it.
SHARED = Path(os.environ.get("ICS_SHARED_DIR") or REPO_ROOT.parent / "shared")
SEED = SHARED / "seeds" / "000_e80050a0a2aa5b66.txt"
CORPUS = SHARED / "corpus-nhs"

METADATA_KEYS = {
    "source", "path", "format", "title", "publisher", "date", "kind", "version", "reference", "licence",
    "content_hash", "pages", "page_labels", "sections", "blocks", "exclude_spans", "warnings",
}  # fmt: skip

# The document facts (assistant/ingest/facts.py): the manifest's, else the document's own cover lines.
METADATA_KEYS |= {"version", "reference", "period", "supersedes", "superseded_by"}


# ------------------------------------------------------------------------------------------------
# Fixture builders
# ------------------------------------------------------------------------------------------------


def make_docx(path: Path, core_title: str = "") -> Path:
    document = docx.Document()
    document.core_properties.author = "NHS England"
    document.core_properties.title = core_title
    document.add_heading("Urgent care plan", 0)  # style "Title"
    document.add_paragraph("This plan sets out how systems will reduce waits in A&E.")
    document.add_heading("Introduction", 1)
    document.add_paragraph("Integrated care boards lead local delivery.")
    document.add_paragraph("")  # empty paragraphs are skipped
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Metric", "Target"
    table.cell(1, 0).text, table.cell(1, 1).text = "4-hour A&E", "78%"
    document.add_heading("Funding and finance", 2)
    document.add_paragraph("Systems must deliver a balanced position.")
    document.save(str(path))
    return path


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good document per format, written once per test session."""
    root = tmp_path_factory.mktemp("samples")
    (root / "plain_notes.txt").write_bytes(
        "Caf\u00e9 r\u00e9sum\u00e9 of the ICS review\r\nSecond line\rThird line\r\n".encode("cp1252")
    )
    (root / "guide.md").write_text(
        "# Planning guide\n\nIntro with **bold** text.\n\n## Waiting lists\n\nReduce waits.\n", encoding="utf-8"
    )
    (root / "page.html").write_text(
        "<html><head><title>ICS review page</title><style>p{color:red}</style></head><body>"
        "<header><a href='/'>Home</a> Site banner</header>"
        "<nav><ul><li>Menu item one</li></ul></nav>"
        "<main><h1>Review announced</h1><p>The review was announced today.</p>"
        "<p>It will report in March.</p><div>Leaders welcomed it</div>"
        "<ul><li>More autonomy</li><li>Fewer targets</li></ul>"
        "<h2>Reaction</h2><p>Line one<br>line two</p>"
        "<table><tr><th>Year</th><th>Value</th></tr><tr><td>2023</td><td>42</td></tr></table>"
        "<!-- a hidden comment --><script>alert(1)</script><noscript>Enable JS</noscript>"
        "<aside>Related stories</aside><form>Subscribe now</form></main>"
        "<footer>Copyright footer text</footer></body></html>",
        encoding="utf-8",
    )
    (root / "report.pdf").write_bytes(
        make_pdf(
            [
                ["Waiting times report", "Page one discusses elective recovery."],
                [],  # a blank page: no text, no page entry
                ["Page three covers (urgent) care and ambulance handovers."],
            ],
            title="Waiting times report 2025",
        )
    )
    make_docx(root / "plan.docx")
    return root


# ------------------------------------------------------------------------------------------------
# The metadata contract
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("plain_notes.txt", "txt"), ("guide.md", "md"), ("page.html", "html"), ("report.pdf", "pdf"), ("plan.docx", "docx")],
)
def test_metadata_contract_for_every_format(samples: Path, name: str, fmt: str) -> None:
    import hashlib

    path = samples / name
    doc = load_file(path)
    meta = doc.metadata
    assert set(meta) == METADATA_KEYS
    json.dumps(meta)  # must be JSON-serialisable
    assert doc.id_ == str(path.resolve()) == meta["path"]
    assert meta["source"] == name
    assert meta["format"] == fmt
    assert meta["content_hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    for key in ("title", "publisher", "date", "kind"):
        assert isinstance(meta[key], str)
    assert meta["title"]
    assert meta["exclude_spans"] == []
    assert meta["sections"] == sorted(meta["sections"])
    for offset, heading, _level in meta["sections"]:
        assert doc.text[offset:].startswith(heading)
    hidden = set(METADATA_KEYS) - {"title", "publisher", "date"}
    assert set(doc.excluded_embed_metadata_keys) == hidden
    assert set(doc.excluded_llm_metadata_keys) == hidden
    assert "\r" not in doc.text
    assert doc.text.strip()


# ------------------------------------------------------------------------------------------------
# TXT
# ------------------------------------------------------------------------------------------------


def test_txt_cp1252_and_newlines(samples: Path) -> None:
    doc = load_file(samples / "plain_notes.txt")
    assert doc.text.startswith("Café résumé of the ICS review\nSecond line\nThird line")
    assert doc.metadata["title"] == "plain notes"  # file stem, underscores as spaces
    assert doc.metadata["sections"] == [] and doc.metadata["pages"] == []


@pytest.mark.parametrize(
    "data",
    ["Héllo NHS\n".encode("utf-16"), "\ufeffHéllo NHS\n".encode("utf-8"), "Héllo NHS\n".encode()],
    ids=["utf-16-bom", "utf-8-bom", "utf-8"],
)
def test_txt_encodings(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    assert load_file(path).text == "Héllo NHS\n"


def test_txt_binary_and_empty_and_undecodable(tmp_path: Path) -> None:
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"ABC\x00\x01\x02" * 100)
    with pytest.raises(LoadError, match="looks like a binary file, not text"):
        load_file(binary)
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n", encoding="utf-8")
    with pytest.raises(LoadError, match="empty file: no text to index"):
        load_file(blank)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xc3 \x81\x8d")  # invalid UTF-8, and 0x81 is undefined in cp1252
    with pytest.raises(LoadError, match="could not decode text as UTF-8, UTF-8-SIG, UTF-16 or cp1252"):
        load_file(bad)


def test_too_large_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    with pytest.raises(LoadError, match=r"file too large \(4\.9 KB > limit 1000 bytes\)"):
        load_file(path, max_bytes=1000)
    result = load_paths([path], max_bytes=1000)
    assert result.documents == [] and "file too large" in result.failures[0].reason
    assert load_file(path, max_bytes=5000).text == "x" * 5000


# ------------------------------------------------------------------------------------------------
# Markdown
# ------------------------------------------------------------------------------------------------

CORPUS_LIKE_MD = """Classification: Official

****

**2025/26 priorities and **

**operational planning **

## **p.3**

The National Health Service \\(NHS\\) must act. See [the guidance](http://x) and ![logo](img.png)here.

**Our history is one of progress** **and change. **But the NHS faces twin challenges. ** **

### 2

* first bullet with *emphasis* and _underscored_ words
- second bullet about file_names and snake_case_words
1\\. Not a list \\_literal\\_ \\*stars\\*

Setext heading
--------------

```
code \\(kept\\) **verbatim**
```
"""


def test_markdown_renders_corpus_style(tmp_path: Path) -> None:
    path = tmp_path / "snippet.md"
    path.write_text(CORPUS_LIKE_MD, encoding="utf-8")
    doc = load_file(path)
    text = doc.text
    body = text.split("code ")[0]  # everything before the verbatim code block
    assert "**" not in body and "\\" not in body
    assert "The National Health Service (NHS) must act." in text
    assert "See the guidance and here." in text
    assert "http://x" not in text and "logo" not in text and "img.png" not in text
    assert "Our history is one of progress and change. But the NHS faces twin challenges." in text
    assert "• first bullet with emphasis and underscored words" in text
    assert "• second bullet about file_names and snake_case_words" in text
    assert "1. Not a list _literal_ *stars*" in text
    assert "code \\(kept\\) **verbatim**" in text
    assert "\n\n\n" not in text

    sections = {heading: offset for offset, heading, _level in doc.metadata["sections"]}
    assert set(sections) == {"2025/26 priorities and", "operational planning", "p.3", "Setext heading"}
    for heading, offset in sections.items():
        assert text[offset:].startswith(heading)
        assert offset == 0 or text[offset - 1] == "\n"
    assert doc.metadata["title"] == "p.3"  # first '#' heading


def test_markdown_heading_and_title(samples: Path) -> None:
    doc = load_file(samples / "guide.md")
    assert doc.text == "Planning guide\n\nIntro with bold text.\n\nWaiting lists\n\nReduce waits."
    assert doc.metadata["title"] == "Planning guide"
    assert doc.metadata["sections"] == [[0, "Planning guide", 1], [39, "Waiting lists", 2]]


# ------------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------------


def test_html_drops_furniture_and_separates_blocks(samples: Path) -> None:
    doc = load_file(samples / "page.html")
    text = doc.text
    for furniture in ("alert(1)", "color:red", "Menu item", "Site banner", "Home", "Copyright footer",
                      "Related stories", "Subscribe", "Enable JS", "hidden comment"):  # fmt: skip
        assert furniture not in text
    assert doc.metadata["title"] == "ICS review page"
    assert "The review was announced today.\n\nIt will report in March.\n\nLeaders welcomed it" in text
    assert "• More autonomy\n\n• Fewer targets" in text
    assert "Line one\nline two" in text
    assert "Year | Value\n\nYear: 2023 | Value: 42" in text  # each cell under its column header
    assert [heading for _, heading, _ in doc.metadata["sections"]] == ["Review announced", "Reaction"]
    kinds = {text[a:b]: kind for a, b, kind in doc.metadata["blocks"]}
    assert kinds["• More autonomy"] == "list_item" and kinds["Year: 2023 | Value: 42"] == "table_row"
    assert kinds["Review announced"] == "heading" and kinds["It will report in March."] == "paragraph"
    assert text.startswith("Review announced")


def test_html_title_falls_back_to_h1_and_keeps_article_header(tmp_path: Path) -> None:
    path = tmp_path / "news.htm"
    path.write_text(
        "<body><nav>Skip</nav><article><header><h1>Hewitt review</h1></header><p>Body.</p></article></body>",
        encoding="utf-8",
    )
    doc = load_file(path)
    assert doc.metadata["title"] == "Hewitt review"
    assert doc.text == "Hewitt review\n\nBody."
    assert doc.metadata["format"] == "html"


# ------------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------------


def test_pdf_pages_and_title(samples: Path) -> None:
    doc = load_file(samples / "report.pdf")
    pages = doc.metadata["pages"]
    assert [number for _, number in pages] == [1, 3]  # page 2 is blank
    assert pages[0][0] == 0
    page3 = pages[1][0]
    assert doc.text[page3 - 2 : page3] == "\n\n"
    assert doc.text[page3:].startswith("Page three covers (urgent) care")
    assert doc.text.index("ambulance handovers") > page3
    assert doc.text.index("elective recovery") < page3
    assert doc.metadata["title"] == "Waiting times report 2025"


def test_pdf_two_pages_offsets(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(make_pdf([["Alpha page text."], ["Beta page mentions the Hewitt review."]]))
    doc = load_file(path)
    assert doc.metadata["pages"] == [[0, 1], [len("Alpha page text.") + 2, 2]]
    assert doc.text.index("Hewitt review") > doc.metadata["pages"][1][0]
    assert doc.metadata["title"] == "two"  # empty /Title falls back to the file stem


def test_pdf_outline_gives_sections(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Intro text."], ["Chapter two", "Body of two."]]))))
    writer.add_outline_item(title="Chapter two", page_number=1)
    writer.add_outline_item(title="Missing bookmark text", page_number=0)  # not on its page: no section
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "outline.pdf"
    path.write_bytes(buffer.getvalue())
    doc = load_file(path)
    page2 = doc.metadata["pages"][1][0]
    assert doc.metadata["sections"] == [[page2, "Chapter two", 1]]


def test_pdf_bad_inputs(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(random.Random(0).randbytes(4096))
    with pytest.raises(LoadError, match=r"^not a valid PDF \(.+\)$"):
        load_file(corrupt)

    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(make_pdf([[], []]))
    with pytest.raises(LoadError, match=r"no extractable text \(scanned PDF\?\)"):
        load_file(scanned)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Secret text."]]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(buffer.getvalue())
    with pytest.raises(LoadError, match="^encrypted PDF"):
        load_file(locked)


# ------------------------------------------------------------------------------------------------
# DOCX
# ------------------------------------------------------------------------------------------------


def test_docx_sections_tables_and_title(samples: Path) -> None:
    doc = load_file(samples / "plan.docx")
    text = doc.text
    headings = [heading for _, heading, _ in doc.metadata["sections"]]
    assert headings == ["Urgent care plan", "Introduction", "Funding and finance"]
    for offset, heading, _level in doc.metadata["sections"]:
        assert text[offset:].startswith(heading)
    assert doc.metadata["sections"][0][0] == 0
    assert "Integrated care boards lead local delivery.\n\nMetric | Target\n\n4-hour A&E | 78%" in text
    assert text.index("balanced position") > doc.metadata["sections"][2][0]
    assert doc.metadata["title"] == "Urgent care plan"  # no core title: the Title paragraph
    assert doc.metadata["publisher"] == "NHS England"  # core author as fallback
    assert doc.metadata["date"] == ""  # the python-docx template's creation date is ignored


def test_docx_core_title_and_invalid(tmp_path: Path) -> None:
    doc = load_file(make_docx(tmp_path / "x.docx", core_title="Core title"))
    assert doc.metadata["title"] == "Core title"
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(LoadError, match=r"not a valid DOCX \(not a zip archive\)"):
        load_file(bad)


# ------------------------------------------------------------------------------------------------
# Manifests
# ------------------------------------------------------------------------------------------------


def test_read_manifest_columns(tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.csv").write_text(
        "file,title,publisher,date,extra\n"
        "a.txt,Title A,NHS England,2025-01,ignored\n"
        "b.md,, ,,\n"
        ",orphan row,,,\n",
        encoding="utf-8",
    )
    manifest = read_manifest(tmp_path)
    assert set(manifest) == {"a.txt", "b.md"}
    assert manifest["a.txt"] == ManifestEntry(
        file="a.txt", title="Title A", publisher="NHS England", date="2025-01",
        kind=None, body_starts_at=None, body_ends_before=None,
    )  # fmt: skip
    assert manifest["b.md"] == ManifestEntry(file="b.md", title=None, publisher=None, date=None, kind=None,
                                             body_starts_at=None, body_ends_before=None)  # fmt: skip
    assert read_manifest(tmp_path / "nowhere") == {}
    assert read_manifest(tmp_path.parent) == {}


def test_manifest_applies_metadata_and_markers(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Cookie banner\nReal start of the body.\nMore body.\nShare this page\n")
    (tmp_path / "manifest.csv").write_text(
        "file,title,publisher,date,kind,body_starts_at,body_ends_before\n"
        "doc.txt,My Title,NHS England,26/06/2025,letter,Real start,Share this page\n",
        encoding="utf-8",
    )
    result = load_paths([tmp_path])
    assert result.failures == []
    (doc,) = result.documents
    meta = doc.metadata
    assert (meta["title"], meta["publisher"], meta["date"], meta["kind"]) == (
        "My Title", "NHS England", "2025-06-26", "letter",
    )  # fmt: skip
    start = doc.text.index("Real start")
    end = doc.text.index("Share this page")
    assert meta["exclude_spans"] == [[0, start], [end, len(doc.text)]]


def test_manifest_marker_not_found_is_ignored_with_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("Some text.\n")
    entry = ManifestEntry(file="doc.txt", title=None, publisher=None, date="March 2024", kind=None,
                          body_starts_at="not there", body_ends_before=None)  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="assistant.ingest.loaders"):
        doc = load_file(path, {"doc.txt": entry})
    assert doc.metadata["exclude_spans"] == []
    assert doc.metadata["date"] == "2024-03"
    assert doc.metadata["title"] == "doc"
    assert "not found" in caplog.text


@pytest.mark.skipif(not SEED.is_file(), reason="shared/seeds not available")
def test_real_seed_with_body_markers(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    with (tmp_path / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        import csv

        writer = csv.writer(fh)
        writer.writerow(["file", "title", "publisher", "date", "kind", "body_starts_at", "body_ends_before"])
        writer.writerow([SEED.name, "ICS review to give health leaders more autonomy and accountability",
                         "National Health Executive", "2022-11", "news", "ICS review to give health leaders",
                         "National Health Executive, Jan/Feb, Cover"])  # fmt: skip
    result = load_paths([tmp_path])
    assert result.failures == []
    (doc,) = result.documents
    text, spans = doc.text, doc.metadata["exclude_spans"]
    assert len(spans) == 2

    def excluded(phrase: str) -> bool:
        at = text.index(phrase)
        return any(start <= at and at + len(phrase) <= end for start, end in spans)

    assert excluded("Female doctor in a team meeting")
    assert excluded("Finger on the Pulse")
    assert not excluded("Patricia Hewitt")
    assert text[spans[0][1] :].startswith("ICS review to give health leaders")
    assert text[spans[1][0] :].startswith("National Health Executive, Jan/Feb, Cover")
    assert doc.metadata["publisher"] == "National Health Executive"
    assert doc.metadata["kind"] == "news"


# ------------------------------------------------------------------------------------------------
# Finding files and batch loading
# ------------------------------------------------------------------------------------------------


def test_find_files_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "A.TXT").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>c</p>")
    (tmp_path / "sub" / "Manifest.CSV").write_text("file\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("d")
    (tmp_path / ".e.txt").write_text("e")
    (tmp_path / "notes").write_text("no suffix")
    files, failures = find_files([tmp_path, tmp_path / "b.md", tmp_path / "missing.pdf"])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["A.TXT", "b.md", "sub/c.html"]
    assert [(Path(f.path).name, f.reason) for f in failures] == [
        ("notes", f"unsupported file type (no file extension) (supported: {' '.join(SUPPORTED_SUFFIXES)})"),
        ("missing.pdf", "no such file or directory"),
    ]
    assert find_files(str(tmp_path / "b.md"))[0] == [tmp_path / "b.md"]  # a lone string is one path


def test_load_paths_reports_each_bad_file_once(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("The NHS Oversight Framework explains segmentation.\n")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04 fake workbook")
    (tmp_path / "corrupt.pdf").write_bytes(random.Random(1).randbytes(2048))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "manifest.csv").write_text("file,title\ngood.txt,Good document\n")
    missing = tmp_path / "missing.md"
    seen: list[str] = []

    result = load_paths([tmp_path, missing], progress=lambda p: seen.append(p.name))

    assert [d.metadata["source"] for d in result.documents] == ["good.txt"]
    assert result.documents[0].metadata["title"] == "Good document"
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert set(reasons) == {"sheet.xlsx", "corrupt.pdf", "empty.txt", "binary.txt", "missing.md"}
    assert reasons["sheet.xlsx"].startswith("unsupported file type '.xlsx' (supported: .txt .md")
    assert reasons["corrupt.pdf"].startswith("not a valid PDF")
    assert reasons["empty.txt"] == "empty file: no text to index"
    assert reasons["binary.txt"] == "looks like a binary file, not text"
    assert reasons["missing.md"] == "no such file or directory"
    for failure in result.failures:
        assert "\n" not in str(failure)
        assert str(failure) == f"{failure.path}: {failure.reason}"
    assert sorted(seen) == ["binary.txt", "corrupt.pdf", "empty.txt", "good.txt"]


def test_load_paths_reports_a_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Text.\n")
    (tmp_path / "manifest.csv").write_text("title,publisher\nX,Y\n")  # no 'file' column
    result = load_paths([tmp_path])
    assert [d.metadata["title"] for d in result.documents] == ["doc"]
    assert [Path(f.path).name for f in result.failures] == ["manifest.csv"]
    assert "'file' column" in result.failures[0].reason


def test_load_failure_str() -> None:
    assert str(LoadFailure("a/b.pdf", "encrypted PDF")) == "a/b.pdf: encrypted PDF"
    assert issubclass(LoadError, ValueError)


# ------------------------------------------------------------------------------------------------
# The real corpus
# ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus-nhs not available")
def test_real_corpus_loads_with_manifest() -> None:
    import csv

    with (CORPUS / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        expected = {row["file"]: row for row in csv.DictReader(fh)}
    result = load_paths([CORPUS])
    assert result.failures == []
    assert len(result.documents) == 7
    for doc in result.documents:
        meta = doc.metadata
        row = expected[meta["source"]]
        assert (meta["title"], meta["publisher"], meta["date"]) == (row["title"], row["publisher"], row["date"])
        assert meta["format"] == "md"
        assert "**" not in doc.text
        assert "\\(" not in doc.text and "\\)" not in doc.text
        assert len(meta["sections"]) >= 3, meta["source"]
        for offset, heading, _level in meta["sections"]:
            assert doc.text[offset:].startswith(heading)
            assert len(heading) <= 200
        json.dumps(meta)
