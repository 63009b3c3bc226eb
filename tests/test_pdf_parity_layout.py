"""Layouts the PDF parity check found read worse from a PDF than from the same text (issue 14): the PDF
fixture is made by tests/fixtures/make_layout_cases.py (Debian's chromium) and committed, so no browser is needed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.loaders.pdf.assemble import _FIELD_LABEL
from assistant.ingest.loaders.pdf.extract import extract

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pdf" / "layout-cases.pdf"


@pytest.fixture(scope="module")
def blocks() -> list[tuple[str, str]]:
    doc = extract(FIXTURE.read_bytes())
    return [(kind, doc.text[a:b]) for a, b, kind, _ in doc.blocks]


def test_a_field_label_is_a_capitalised_name_of_up_to_four_words_and_a_colon() -> None:
    assert _FIELD_LABEL.match("Report by: Jane Doe, Director of Estates")
    assert _FIELD_LABEL.match("Date last updated: 5 December, 2024")
    assert _FIELD_LABEL.match("Telephone: 0300 000 0000")
    assert not _FIELD_LABEL.match("of clinics: wards and theatres")  # lower case: a sentence carrying on
    assert not _FIELD_LABEL.match("The board agreed the following five priorities for the year: safety")  # a sentence
    assert not _FIELD_LABEL.match("Note:")  # nothing after the colon on the line


def test_stacked_fields_are_one_block_each(blocks) -> None:
    texts = [t for _, t in blocks]
    assert "Agenda item: 7 (public session)" in texts
    assert "Report by: Jane Doe, Director of Estates" in texts
    assert "Paper type: For decision" in texts
    assert "Telephone: 0300 000 0000" in texts  # a field under a hand-broken line


def test_a_mostly_bold_line_starting_in_lower_case_carries_on_its_numbered_paragraph(blocks) -> None:
    item = next(t for k, t in blocks if k == "list_item" and t.startswith("1. "))
    assert item.endswith("faster repairs to wards, preventing costly closures of theatres and unplanned moves of clinics and wards.")
    assert not any(k == "heading" and t.startswith("preventing") for k, t in blocks)


def test_items_of_a_list_with_drawn_bullets_are_one_block_each(blocks) -> None:
    texts = [t for _, t in blocks]
    lead = texts.index("Trusts are asked to do this by:")
    assert texts[lead + 1] == "surveying every ward block before the winter period begins"
    assert texts[lead + 2].startswith("bringing together the different maintenance contracts")
    assert texts[lead + 2].endswith("with a focus on sites with the oldest buildings")  # its wrapped line stays
    assert texts[lead + 3] == "rigorously evaluating the savings of these actions"


def test_ordinary_paragraphs_and_a_two_line_heading_stay_whole(blocks) -> None:
    assert ("heading", "Worked examples of how scoring using a standard method") in blocks
    assert ("heading", "Background") in blocks
    para = next(t for k, t in blocks if k == "paragraph" and t.startswith("The estates programme covers"))
    assert para.endswith("agreed with the clinical divisions and the capital committee.")
