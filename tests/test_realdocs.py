"""Real NHS documents end to end (issue 12): the four files in ../shared/realdocs (two NHS England PDFs,
an ICB prescribing PDF, an ICB constitution in DOCX) and the LibreOffice-made PDFs in tests/fixtures/pdf.

- no chunk and no quote holds a running header, footer or page number (counted over every chunk);
- every citation's page holds its quote (checked against the PDF's own characters with ``quote_boxes``);
- lists come out as items with their markers and tables as rows under their headers, whole;
- titles, contents lines and bare headings are never quoted; a lead-in brings its whole list;
- a scanned page is OCRed when tesseract is there, and reported in one line when it is not.

Real parts throughout: the real embedding model, real Chroma, the real files (skipped when
../shared is absent; ``ICS_SHARED_DIR`` points a git worktree at it).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from assistant import Assistant
from assistant.answering.citations import quotable_sentences
from assistant.ingest.chunking import TokenSentenceChunker
from assistant.ingest.embedding import model_path
from assistant.ingest.layout import DocLayout
from assistant.ingest.loaders import LoadError, load_file
from assistant.ingest.loaders.pdf import quote_boxes
from assistant.retrieval.hybrid import node_to_passage
from assistant.settings import Settings

REALDOCS = Path(os.environ.get("ICS_SHARED_DIR") or REPO_ROOT.parent / "shared") / "realdocs"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
IFR = "Commissioning-policy-individual-funding-requests-v3.pdf"
SOP = "Standard-operating-procedures-individual-funding-requests-February-2023.pdf"
INSULIN = "Prescribing-of-Insulin-Needles.pdf"
CONSTITUTION = "NHS-Cambridgeshire-and-Peterborough-constitution-V1.6---Approved-NHS-England-October-2025.docx"
REAL = (IFR, SOP, INSULIN, CONSTITUTION)
FIXTURE_PDFS = ("dosing-guidance.pdf", "nhs-style-policy.pdf")
HAS_TESSERACT = shutil.which("tesseract") is not None

# What each file prints on every page (or in its Word header), found by reading the files, not by the code under test.
FURNITURE = {
    IFR: re.compile(r"\d+\s*\|\s*individual funding requests", re.IGNORECASE),
    SOP: re.compile(r"\d+\s*\|\s*Standard operating procedures: Individual funding requests", re.IGNORECASE),
    INSULIN: re.compile(r"Page \d+ of 4"),
    CONSTITUTION: re.compile(r"NHSCP ICB Constitution v1\.\d – Approved"),
    "dosing-guidance.pdf": re.compile(r"Page \d of 3|© Example ICB 2025\. All rights reserved\.|"
                                      r"SGLT2 inhibitors: prescribing guidance \| Example Integrated Care Board"),
    "nhs-style-policy.pdf": re.compile(r"\d \| individual treatment requests"),
}
PAGE_NUMBER_LINE = re.compile(r"(?m)^\s*\d{1,3}\s*$")
MARKER = re.compile(r"(?:[•▪◦–]|\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-z]{1,2}\))(?=\s)")


def _path(name: str) -> Path:
    path = FIXTURES / name if name in FIXTURE_PDFS else REALDOCS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (CI clones the repo with ../shared beside it)")
    return path


@pytest.fixture(scope="module")
def chunked() -> dict[str, tuple]:
    """Every file loaded and chunked as ingestion does it: name -> (document, nodes)."""
    settings = Settings.load()
    chunker = TokenSentenceChunker(model_path=model_path(settings.embed_model), chunk_tokens=settings.chunk_tokens,
                                   embed_metadata=settings.embed_metadata)
    out = {}
    for name in (*REAL, *FIXTURE_PDFS):
        path = FIXTURES / name if name in FIXTURE_PDFS else REALDOCS / name
        if path.is_file():
            doc = load_file(path)
            out[name] = (doc, chunker.get_nodes_from_documents([doc]))
    if len(out) < len(FIXTURE_PDFS) + len(REAL):
        pytest.skip(f"{REALDOCS} is absent (CI clones the repo with ../shared beside it)")
    return out


def _furniture_in(name: str, text: str) -> list[str]:
    found = [m.group(0) for m in FURNITURE[name].finditer(text)]
    return found + [m.group(0).strip() for m in PAGE_NUMBER_LINE.finditer(text)]


# --- furniture -----------------------------------------------------------------------------------------

def test_no_chunk_of_the_real_files_holds_a_running_header_footer_or_page_number(chunked) -> None:
    counts = {name: sum(len(_furniture_in(name, n.text)) for n in nodes) for name, (_, nodes) in chunked.items()}
    assert counts == dict.fromkeys(chunked, 0)
    assert sum(len(nodes) for _, nodes in chunked.values()) > 300  # every chunk of every file was counted


def test_the_furniture_count_can_fail_it_is_in_the_raw_pages() -> None:
    """pypdf's page text (the loader before the layout engine) and the Word header hold what the count looks for."""
    import docx
    from pypdf import PdfReader

    for name in (IFR, SOP, INSULIN, *FIXTURE_PDFS):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(_path(name).read_bytes())).pages)
        assert len(_furniture_in(name, text)) >= 2, name  # the 3-page fixture prints it on two
    parts = [part for s in docx.Document(str(_path(CONSTITUTION))).sections
             for part in (s.header, s.footer, s.first_page_header, s.first_page_footer, s.even_page_header, s.even_page_footer)]
    assert FURNITURE[CONSTITUTION].search(" ".join(p.text for part in parts for p in part.paragraphs))


# --- pages and labels ---------------------------------------------------------------------------------

def test_chunks_know_the_pages_they_span_and_the_printed_labels(chunked) -> None:
    doc, nodes = chunked[IFR]
    layout = DocLayout.from_metadata(doc.text, doc.metadata)
    assert layout.label(10) == "9" and layout.label(1) == "1"  # NHS England prints one lower than the physical page
    spanning = [n for n in nodes if n.metadata["page_end"] > n.metadata["page"]]
    assert spanning, "some chunk runs over a page break"
    for node in nodes:
        meta = node.metadata
        assert meta["page"] == layout.page_at(node.start_char_idx)
        assert meta["page_end"] == layout.page_at(node.end_char_idx - 1)
        assert (meta["page_label"], meta["page_end_label"]) == (layout.label(meta["page"]), layout.label(meta["page_end"]))
        passage = node_to_passage(_scored(node))
        assert [p for p, _ in passage.pages_of(passage.start, passage.end)] == list(range(meta["page"], meta["page_end"] + 1))


def _scored(node):
    from llama_index.core.schema import NodeWithScore

    return NodeWithScore(node=node, score=1.0)


def test_citations_name_their_quote_pages_and_printed_labels(chunked) -> None:
    from assistant.answering.citations import CitedSentence, build_citations
    from assistant.results import Citation

    assert str(Citation(n=1, source="a.pdf", title="T", quote="q", start=0, end=1, page=10, page_end=10, page_label="9")).startswith(
        "[1] T (a.pdf, p. 10 (printed 9))")
    assert "pp. 11-12," in Citation(n=1, source="a.pdf", title="T", quote="q", start=0, end=1, page=11, page_end=12, section="S").line()
    assert "(a.txt):" in str(Citation(n=1, source="a.txt", title="T", quote="q", start=0, end=1))  # no page, no "p."
    doc, nodes = chunked[IFR]
    node = next(n for n in nodes if n.metadata["page_end"] > n.metadata["page"])
    passage = node_to_passage(_scored(node))
    first, last = node.metadata["page"], node.metadata["page_end"]
    [whole], _ = build_citations([CitedSentence(passage, passage.start, passage.end, "x")])
    assert (whole.page, whole.page_end) == (first, last)
    assert f"pp. {first}-{last} (printed {first - 1}-{last - 1})" in str(whole)  # physical pages, and what the page prints
    tail_start = next(o for o, p, _ in passage.page_map if p == last)
    [tail], _ = build_citations([CitedSentence(passage, tail_start, passage.end, "x")])
    assert (tail.page, tail.page_end, tail.page_label) == (last, last, str(last - 1))  # the quote's own page, not the chunk's first
    assert f"p. {last} (printed {last - 1})" in str(tail)


# --- lists and tables ------------------------------------------------------------------------------------

def _units(nodes, kind: str) -> set[str]:
    out = set()
    for node in nodes:
        passage = node_to_passage(_scored(node))
        out.update(" ".join(passage.text[a - passage.start:b - passage.start].split()) for a, b, k in passage.units if k == kind)
    return out


def test_lists_are_items_with_their_markers(chunked) -> None:
    docx_items = _units(chunked[CONSTITUTION][1], "list_item")
    assert {"a) improve outcomes in population health and healthcare",
            "b) tackle inequalities in outcomes, experience and access",
            "c) enhance productivity and value for money",
            "d) help the NHS support broader social and economic development.",
            "• improving the health of children and young people"} <= docx_items
    assert any(item.startswith("1.1.1 NHS England has set out the following as the four core purposes") for item in docx_items)
    ifr_items = _units(chunked[IFR][1], "list_item")
    assert "• there is a basis for considering that the requested treatment is likely to be clinically effective for this individual patient" in ifr_items
    assert any(item.startswith("7. There can be no exhaustive description") for item in ifr_items)


def test_tables_are_rows_under_their_headers(chunked) -> None:
    rows = _units(chunked[INSULIN][1], "table_row")
    assert ("Formulary choice: 1st | Insulin Pen Needle: Insupen Original | Price as per DT November 2024: £2.49 | "
            "4mm/32g: Yes | 5mm/31g: Yes | 6mm/31g: Yes") in rows
    docx_rows = _units(chunked[CONSTITUTION][1], "table_row")
    assert "Version | Date approved by the ICB | Effective date" in docx_rows
    assert any(r.startswith("2006 Act | National Health Service Act 2006") for r in docx_rows)
    assert "SGLT2 inhibitors: prescribing guidance" not in " ".join(_units(chunked["dosing-guidance.pdf"][1], "table_row"))


def test_a_table_row_is_one_sentence_and_a_list_item_keeps_its_marker(chunked) -> None:
    rows = items = 0
    for _, (_, nodes) in chunked.items():
        for node in nodes:
            passage = node_to_passage(_scored(node))
            sentences = {(passage.start + a, passage.start + b) for a, b in quotable_sentences(passage)}
            starts = {a for a, _ in sentences}
            for a, b, kind in passage.units:
                text = passage.text[a - passage.start:b - passage.start]
                if kind == "table_row" and (a, b) not in passage.unquotable:  # (a header row is not quoted)
                    assert (a, b) in sentences, text  # the whole row, never split at its full stops
                    rows += 1
                elif MARKER.match(text) and a > passage.start:
                    assert a in starts, text  # the item's first sentence starts at its marker
                    items += 1
            for a, b in sentences:  # and a marker is never a sentence of its own
                assert not re.fullmatch(rf"\s*{MARKER.pattern}\s*", passage.text[a - passage.start:b - passage.start])
    assert rows > 50 and items > 300


def test_nothing_unquotable_is_a_candidate_sentence(chunked) -> None:
    """Titles, contents lines and bare headings are in the chunks (they help retrieval) but never quotable."""
    for name, (doc, nodes) in chunked.items():
        kinds = {(a, b): kind for a, b, kind in doc.metadata["blocks"]}
        for node in nodes:
            passage = node_to_passage(_scored(node))
            for a, b in quotable_sentences(passage):
                start, end = passage.start + a, passage.start + b
                assert not any(kinds.get(span) in ("title", "heading", "toc") and span[0] < end and start < span[1]
                               for span in kinds), (name, passage.text[a:b])
    ifr, ifr_nodes = chunked[IFR]
    toc = [ifr.text[a:b] for a, b, kind in ifr.metadata["blocks"] if kind == "toc"]
    assert len(toc) > 10 and not any(line in n.text for n in ifr_nodes for line in toc if "....." in line)  # contents: not indexed
    assert any("Version 3, 8 February 2023" in n.text for n in ifr_nodes)  # what stands before the contents still is


# --- answers over the real files --------------------------------------------------------------------------

QUESTIONS = {
    "What criteria must a case meet for NHS England to fund an IFR?": IFR,
    "What does exceptional mean in IFR terms?": IFR,
    "How long does NHS England have to give a decision on an IFR?": SOP,
    "What happens if the requester does not send further information within 10 working days?": SOP,
    "What is the first choice insulin pen needle and what does it cost?": INSULIN,
    "How should used insulin needles be disposed of?": INSULIN,
    "What are the four core purposes of integrated care systems?": CONSTITUTION,
    "What is the term of office for the Chair of the ICB?": CONSTITUTION,
    "Commissioning policy: individual funding requests": IFR,  # a title typed as a question
    "Prescribing of insulin pen needles": INSULIN,
    "What safety issues should be considered when choosing pen needles for a patient?": INSULIN,
    "Which group ratified the pen needle guidance, and when will it be reviewed?": INSULIN,
}


@pytest.fixture(scope="module")
def real_answers(tmp_path_factory: pytest.TempPathFactory) -> dict:
    docs = tmp_path_factory.mktemp("realdocs")
    for name in REAL:
        shutil.copy(_path(name), docs / name)
    a = Assistant(index_dir=tmp_path_factory.mktemp("realdocs-index"))
    summary = a.ingest([docs])
    assert summary.ok and len(summary.added) == len(REAL), str(summary)
    loaded = {name: load_file(docs / name) for name in REAL}
    return {"answers": {q: a.ask(q) for q in QUESTIONS}, "docs": loaded, "dir": docs}


def test_every_citation_page_holds_its_quote_and_no_quote_holds_furniture(real_answers) -> None:
    checked = 0
    for question, answer in real_answers["answers"].items():
        for c in answer.citations:
            assert not _furniture_in(c.source, c.quote), (question, c.quote)
            if c.source.endswith(".pdf"):
                raw = (real_answers["dir"] / c.source).read_bytes()
                assert quote_boxes(raw, c.page, c.quote), f"{question}: p. {c.page} does not hold {c.quote[:80]!r}"
                checked += 1
    assert checked >= 6


def test_no_answer_quotes_a_title_contents_line_or_bare_heading(real_answers) -> None:
    """No answer sentence is one, and no quote starts or ends in one (a quote running from one quoted
    sentence to another may show a heading or a table's header row between them, as the page does)."""
    for question, answer in real_answers["answers"].items():
        by_n = {c.n: c for c in answer.citations}
        for c in answer.citations:
            doc = real_answers["docs"][c.source]
            layout = DocLayout.from_metadata(doc.text, doc.metadata)
            assert doc.text[c.start:c.end] == c.quote
            assert not any(a <= c.start < b or a < c.end <= b for a, b in layout.unquotable), (question, c.quote)
            unquotable = {" ".join(doc.text[a:b].split()) for a, b in layout.unquotable}
            for sentence, n in re.findall(r"(.+?) \[(\d+)\]", answer.text):
                if by_n[int(n)].source == c.source:
                    assert " ".join(sentence.split()) not in unquotable, (question, sentence)
            assert c.quote.strip() != doc.metadata["title"]


def test_a_lead_in_brings_its_whole_list_and_a_table_row_is_quoted_whole(real_answers) -> None:
    purposes = real_answers["answers"]["What are the four core purposes of integrated care systems?"]
    for item in ("a) improve outcomes in population health and healthcare", "b) tackle inequalities",
                 "c) enhance productivity and value for money", "d) help the NHS support broader social and economic development."):
        assert item in purposes.text, purposes.text
    needle = real_answers["answers"]["What is the first choice insulin pen needle and what does it cost?"]
    assert any("Insulin Pen Needle: Insupen Original | Price as per DT November 2024: £2.49" in c.quote for c in needle.citations), str(needle)


def test_reference_list_entries_are_no_answer_and_document_control_rows_are(real_answers) -> None:
    safety = real_answers["answers"]["What safety issues should be considered when choosing pen needles for a patient?"]
    doc = real_answers["docs"][INSULIN].text
    references = doc.index("References")
    after = doc.index("Document ratification details")
    assert not safety.refused
    assert not any(references < c.start < after for c in safety.citations), str(safety)
    control = real_answers["answers"]["Which group ratified the pen needle guidance, and when will it be reviewed?"]
    assert "Joint Prescribing Group" in control.text and "December 2027" in control.text, str(control)


# --- scanned pages -----------------------------------------------------------------------------------------

def _scan(pages: int, with_text_page: bool) -> bytes:
    from test_pdflayout import _scanned_pdf

    return _scanned_pdf((FIXTURES / "dosing-guidance.pdf").read_bytes(), pages, with_text_page=with_text_page)


def test_without_tesseract_a_scan_fails_in_one_line_and_a_mixed_file_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tesseract's absence is simulated by a PATH without it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scanned.pdf").write_bytes(_scan(2, with_text_page=False))
    (docs / "mixed.pdf").write_bytes(_scan(2, with_text_page=True))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LoadError, match=r"^no extractable text \(scanned PDF\?\).*OCR needed, install tesseract-ocr$"):
        load_file(docs / "scanned.pdf")
    summary = Assistant(index_dir=tmp_path / "index").ingest([docs])
    assert [Path(p).name for p in summary.added] == ["mixed.pdf"]
    assert len(summary.failed) == 1 and "OCR needed, install tesseract-ocr" in summary.failed[0]["reason"]
    assert "\n" not in summary.failed[0]["reason"]
    assert [(Path(w["path"]).name, w["warning"]) for w in summary.warnings] == [
        ("mixed.pdf", "page 2 of 2 has no text layer and was skipped (OCR needed: install tesseract-ocr)")]
    assert "warning: " in str(summary) and "mixed.pdf: page 2 of 2 has no text layer" in str(summary)  # what the CLI prints


@pytest.mark.skipif(not HAS_TESSERACT, reason="needs Debian's tesseract-ocr (.ci/run installs it)")
def test_with_tesseract_a_scanned_page_is_read_and_cited_on_its_page(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_scan(2, with_text_page=True))
    doc = load_file(path)
    assert doc.metadata["warnings"] == ["page 2 had no text layer and was read by OCR (tesseract)"]
    page2 = next(o for o, p in doc.metadata["pages"] if p == 2)
    assert "10 mg once daily" in doc.text[page2:]
    assert not FURNITURE["dosing-guidance.pdf"].search(doc.text)
