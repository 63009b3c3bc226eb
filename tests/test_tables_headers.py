"""Tables read with the right header, on real files: a title row merged across a form table is its caption
(a heading), not the header of its columns; a header row (also repeated over a page break, or typed again)
is never quotable; cells merged across columns or down rows read once, whole, under the right header.

tests/fixtures/pdf/form-tables.docx is made by python-docx and converted to form-tables.pdf by LibreOffice
(tests/fixtures/make_pdf_fixtures.py); both loaders must read its tables the same way. The real files are
in ../shared/realdocs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.ingest.layout import header_rows, unquotable_spans
from assistant.ingest.loaders import docx, pdf
from assistant.ingest.loaders.pdf.pdfium_io import box_edges

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
REALDOCS = Path(os.environ.get("ICS_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared") / "realdocs"
SOP = "Standard-operating-procedures-individual-funding-requests-February-2023.pdf"
CONSTITUTION = "NHS-Cambridgeshire-and-Peterborough-constitution-V1.6---Approved-NHS-England-October-2025.docx"


def _blocks(path: Path) -> list[tuple[str, str, bool]]:
    """``(kind, text, unquotable)`` of every block the loader gives."""
    parsed = (pdf.parse if path.suffix == ".pdf" else docx.parse)(path.read_bytes())
    unquotable = set(unquotable_spans(parsed.text, parsed.sections, parsed.blocks))
    return [(kind, parsed.text[a:b], (a, b) in unquotable) for a, b, kind in parsed.blocks]


def _real(name: str) -> Path:
    path = REALDOCS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (CI clones the repo with ../shared beside it)")
    return path


@pytest.fixture(scope="module", params=["form-tables.pdf", "form-tables.docx"])
def form(request: pytest.FixtureRequest) -> list[tuple[str, str, bool]]:
    return _blocks(FIXTURES / request.param)


def test_a_merged_title_row_is_a_heading_and_the_row_under_it_the_header(form) -> None:
    title = "PRE-ASSESSMENT CHECKLIST COMPLETED BY THE WARD NURSE"
    assert ("heading", title, True) in form
    assert ("table_row", "Item | Response | Notes", True) in form  # the header: never an answer
    rows = [text for kind, text, _ in form if kind == "table_row"]
    assert "Item: 1. Has the patient fasted since midnight? | Response: Yes / No" in rows
    assert "Item: 4. Who escorts the patient to theatre? | Notes: Named nurse" in rows  # the empty cell is left out
    assert not any(title in row for row in rows)


def test_stacked_title_rows_are_headings_in_order(form) -> None:
    texts = [text for _, text, _ in form]
    at = texts.index("SECTION B")
    assert form[at][0] == form[at + 1][0] == "heading" and texts[at + 1] == "Discharge planning"
    assert texts[at + 2] == "Task | Owner | Deadline" and form[at + 2][2]
    assert texts[at + 3] == "Task: Book transport home | Owner: Ward clerk | Deadline: Day before discharge"


def test_a_cell_merged_across_columns_is_prose_under_none_and_a_cell_merged_down_reads_in_each_row(form) -> None:
    rows = [text for kind, text, _ in form if kind == "table_row"]
    assert ("paragraph", "If item 2 is “no” stop the assessment here", False) in form  # prose, not a row
    assert "Item: 3. Which allergies are recorded? | Response: a) Drug allergies" in rows
    assert "Item: 3. Which allergies are recorded? | Response: b) Food allergies" in rows


def test_a_header_repeated_over_a_page_break_or_typed_again_is_never_quotable(form) -> None:
    medicines = [(text, unquotable) for kind, text, unquotable in form if "edicine" in text]
    headers = [u for text, u in medicines if text == "Medicine | Dose | Frequency"]
    assert headers and all(headers)  # on the next page the PDF's repeat is dropped: said once
    assert ("Medicine: Study medicine 50 | Dose: 250 mg | Frequency: once daily", False) in medicines  # page 2
    assert sum(text.startswith("Medicine: ") for text, _ in medicines) == 50
    stages = [(text, unquotable) for kind, text, unquotable in form if text.startswith("Stage")]
    assert stages == [("Stage | Who decides | Time limit", True),
                      ("Stage: Screening | Who decides: Case manager | Time limit: 5 working days", False),
                      ("Stage | Who decides | Time limit", True),
                      ("Stage: Panel | Who decides: IFR panel | Time limit: 20 working days", False)]


def test_a_one_column_table_keeps_its_first_row() -> None:
    blocks = _blocks(FIXTURES / "form-tables.docx")
    rows = [text for kind, text, _ in blocks if kind == "table_row"]
    assert rows[-3:] == ["Ward contacts", "Ward sister: extension 4021", "Pharmacy: extension 4100"]


def test_header_rows_look_past_a_note_under_the_header() -> None:
    text = "Question | Answer | Comments\n\nComments: (give detail)\n\nQuestion: 3. Is it funded? | Answer: Yes"
    blocks = [(0, 28, "table_row"), (30, 53, "table_row"), (55, len(text), "table_row")]
    assert header_rows(text, blocks) == [(0, 28)]
    assert header_rows(text, [(0, 28, "table_row"), (30, 53, "paragraph"), (55, len(text), "table_row")]) == [(0, 28)]
    assert header_rows(text, [(0, 28, "table_row"), (30, 53, "heading"), (55, len(text), "table_row")]) == []


def test_shading_drawn_line_by_line_draws_no_border_between_the_lines() -> None:
    # Three strips of one cell's shading, one under the other, and a box beside them.
    strips = [(50.0, 100.0, 250.0, 112.0), (50.0, 112.0, 250.0, 124.0), (50.0, 124.0, 250.0, 136.0)]
    rules = box_edges(strips + [(260.0, 100.0, 400.0, 136.0)])
    horizontal = sorted(r.top for r in rules if r.top == r.bottom and r.x0 == 50.0)
    assert horizontal == [100.0, 136.0]
    assert sorted(r.top for r in rules if r.top == r.bottom and r.x0 == 260.0) == [100.0, 136.0]


def test_the_real_sop_form_reads_its_questions_under_question_not_under_its_title() -> None:
    blocks = _blocks(_real(SOP))
    title = "PRE-SCREENING CHECKLIST COMPLETED BY IFR CASE MANAGER"
    assert ("heading", title, True) in blocks
    assert ("table_row", "Question | Answer | Comments (Please provide as much detail as possible)", True) in blocks
    rows = [text for kind, text, _ in blocks if kind == "table_row"]
    assert not any(row.startswith(f"{title}:") for row in rows)
    assert "Question: 5. Is this within the NHS England commissioning responsibility?" in rows
    assert "Question: 1. Standardised terms to describe the case are: | Answer: b) The intervention type" in rows
    assert ("paragraph", "If question 5 is “no” the process stops here", False) in blocks
    # Word shaded these cells line by line: each question is one row, not one row per line.
    assert any(row.startswith("6a) There is an NHS England clinical commissioning policy, NICE Technology Appraisal")
               for row in rows)


def test_the_real_constitution_schedule_of_changes_has_its_title_and_header() -> None:
    blocks = _blocks(_real(CONSTITUTION))
    assert ("heading", "Version 1.6 – Schedule of Changes", True) in blocks
    assert ("table_row", "Section No. | Section Title | Change | Date approved by ICB | Effective Date", True) in blocks
    rows = [text for kind, text, _ in blocks if kind == "table_row"]
    assert ("Section No.: 3.12 | Section Title: Non-Executive Members | Change: Amended to five NEMs from four | "
            "Date approved by ICB: 19.09.25") in rows


def test_a_header_of_two_rows_names_each_column_by_both(form) -> None:
    rows = [(text, unquotable) for kind, text, unquotable in form if kind == "table_row"]
    assert ("Drug | Dose", True) in rows and ("Drug | Adult | Child", True) in rows
    assert ("Drug: Clarithromycin | Dose – Adult: 500 mg twice a day | Dose – Child: 7.5 mg/kg twice a day", False) in rows


def test_after_a_titled_table_the_text_is_in_the_enclosing_section_again() -> None:
    """A table's title names its own rows: the next table (untitled) or paragraph is back in the section around it."""
    from assistant.ingest.layout import DocLayout
    from assistant.ingest.loaders.registry import load_file

    doc = load_file(_real(SOP))
    layout = DocLayout.from_metadata(doc.text, doc.metadata)
    checklist = doc.text.index("CHECKLIST – SCREENING TO BE COMPLETED BY SCREENING GROUP MEMBERS")
    outcome = doc.text.index("Insufficient information", checklist)
    assert layout.section_at(checklist + 10)[0].startswith("CHECKLIST – SCREENING")
    assert layout.section_at(outcome)[0] == "Appendix three – pre-panel screening document"
    # a section taken up again starts at no heading line: the line it starts on is not cut as a heading's would be
    resumed = [o for o, h, _ in layout.sections if not doc.text.startswith(h[:10], o)]
    breaks = set(layout.hard_breaks(doc.text))
    blocks_edges = {x for a, b, _ in layout.blocks for x in (a, b)}
    assert resumed and all(doc.text.find("\n", o) not in breaks - blocks_edges for o in resumed)
