"""Interleaved column lines of text converted from PDF read stream by stream (loaders/pdf_columns.py).

Synthetic documents: a few prose sentences that use the words of a table, then the table as a converter that
reads a page row by row writes it (one short line per column in turn, blank lines between)."""

from __future__ import annotations

from assistant.ingest.loaders import markdown, plaintext
from assistant.ingest.loaders.pdf_columns import JoinModel, is_fragment, untangle_columns

PROSE = [
    "Clinics will offer dental check-ups to children by the end of the year, with a high attendance rate.",
    "The number of dental check-ups for children rose by the end of March, and the attendance rate held.",
    "Regions report dental check-ups for children each quarter; the attendance rate and steady growth matter.",
    "By the end of 2027 every region with a clinic should publish its attendance rate and steady growth plan.",
    "Check-ups for children with 40% attendance are below the attendance rate and steady growth expected.",
    "Targets set for 2027 with the regions and for 2029 with the clinics are published.",
]


def _spaced(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += [line, ""]
    return out


TWO_COLUMNS = [
    "120,000 dental check-ups for",
    "150,000 dental check-ups for",
    "children by the end of 2027",
    "children by the end of 2029",
    "with 40% attendance rate and",
    "with 45% attendance rate and",
    "steady growth",
    "steady growth",
]


def test_two_interleaved_columns_are_read_one_after_the_other() -> None:
    lines = PROSE + [""] + _spaced(TWO_COLUMNS)
    out = untangle_columns(lines)
    kept = [line for line in out[len(PROSE):] if line]
    assert kept == [
        "120,000 dental check-ups for children by the end of 2027 with 40% attendance rate and steady growth",
        "150,000 dental check-ups for children by the end of 2029 with 45% attendance rate and steady growth",
    ]
    assert len(out) == len(lines)  # nothing after the table moves
    assert out[: len(PROSE)] == PROSE


def test_three_interleaved_columns_are_read_one_after_the_other() -> None:
    table = [
        "Offer dental check-ups",
        "120,000 dental check-ups for",
        "150,000 dental check-ups for",
        "for children by the end",
        "children by the end of 2027",
        "children by the end of 2029",
        "of the year",
        "with 40% attendance",
        "with 45% attendance",
    ]
    out = [line for line in untangle_columns(PROSE + [""] + _spaced(table))[len(PROSE):] if line]
    assert out == [
        "Offer dental check-ups for children by the end of the year",
        "120,000 dental check-ups for children by the end of 2027 with 40% attendance",
        "150,000 dental check-ups for children by the end of 2029 with 45% attendance",
    ]


def test_short_lines_that_read_well_in_order_are_left_alone() -> None:
    # A wrapped single column: each line goes on from the one before, so the written order is the fluent one.
    column = [
        "120,000 dental check-ups for",
        "children by the end of 2027",
        "with 40% attendance rate and",
        "steady growth",
        "150,000 dental check-ups for",
        "children by the end of 2029",
    ]
    lines = PROSE + [""] + _spaced(column)
    assert untangle_columns(lines) == lines


def test_a_list_of_labels_without_evidence_is_left_alone() -> None:
    months = ["July", "August", "September", "October", "November", "December", "January", "February"]
    lines = PROSE + [""] + _spaced(months)
    assert untangle_columns(lines) == lines


def test_prose_lines_headings_and_lists_are_no_fragments() -> None:
    assert is_fragment("children by the end of 2027")
    assert not is_fragment(PROSE[0])
    assert not is_fragment("## Success measure")
    assert not is_fragment("**2026/27 target**")
    assert not is_fragment("• steady growth")
    assert not is_fragment("   ")


def test_a_join_is_fluent_where_the_document_uses_the_word_pair() -> None:
    model = JoinModel.of(PROSE)
    assert model.join("dental check-ups for", "children by the end") > model.join("dental check-ups for", "150,000 dental")
    assert model.join("the attendance rate.", "steady growth") == 0.0  # a sentence ends: no evidence either way


def test_loaders_read_columns_in_order() -> None:
    raw = "\n".join(PROSE + [""] + _spaced(TWO_COLUMNS)).encode()
    for parse in (markdown.parse, plaintext.parse):
        text = parse(raw).text
        assert "150,000 dental check-ups for children by the end of 2029 with 45% attendance rate and steady growth" in text


def test_each_table_row_is_read_on_its_own() -> None:
    # Two rows of a two-column table: the streams of the first row do not run on into the second row's cells.
    rows = TWO_COLUMNS + [
        "Regions publish",
        "Clinics publish",
        "their attendance rate and",
        "their attendance rate and",
        "steady growth plan",
        "steady growth plan",
    ]
    out = [line for line in untangle_columns(PROSE + [""] + _spaced(rows))[len(PROSE):] if line]
    assert out[:2] == [
        "120,000 dental check-ups for children by the end of 2027 with 40% attendance rate and steady growth",
        "150,000 dental check-ups for children by the end of 2029 with 45% attendance rate and steady growth",
    ]
    assert "Regions publish" in out[2] and "Clinics publish" not in out[2]
