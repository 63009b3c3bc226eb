"""Lines that PDF-to-text conversion split apart, joined again (``assistant/answering/rows.py``).

A table converted from PDF comes out as short lines with blank lines between: a row label, the
value, the value's wrapped tail. The texts here are made up in that shape (not copied from the corpus).
"""

from __future__ import annotations

import pytest

from assistant.answering.extractive import ExtractiveAnswerer, candidate_sentences
from assistant.answering.rows import ends_open, is_row_label, join_lines, opens_lower
from assistant.answering.verification import evidence_units
from assistant.api import embed_model_for
from assistant.results import Passage
from assistant.settings import Settings
from assistant.text.sentences import split_sentences
from assistant.text.terms import TermStats

TABLE = (
    "**Measure**\n\n**2026/27 goal**\n\n"
    "Hip surgery waits \n\n"
    "Each hospital to cut median waits to 14 weeks Regional goal of 10 weeks as the \n\n"
    "by June 2027 \n\n"
    "median for the year\n\n"
    "Clinic letters \n\n"
    "More letters sent within 7 days, compared to \n\n"
    "that by the end of 2029/30 \n\n"
    "the rate rises again\n\n"
    "The board will review both measures each quarter. It will publish the results.\n"
)


def _lines(text: str) -> list[str]:
    return [text[a:b] for a, b in join_lines(text, split_sentences(text))]


def test_a_row_label_its_value_and_the_value_s_wrapped_tail_are_one_span() -> None:
    lines = _lines(TABLE)
    row = next(x for x in lines if x.startswith("Hip surgery waits"))
    assert row.split()[-4:] == ["median", "for", "the", "year"]  # label, value, "by June 2027", "median for the year"
    assert "14 weeks" in row and "by June 2027" in row
    assert not any(x.strip() == "by June 2027" for x in lines)  # the fragment is no longer a sentence of its own
    # a label over a value with a figure: one row; the value's lower-case tail goes with it
    second = next(x for x in lines if x.startswith("Clinic letters"))
    assert second.endswith("the rate rises again")
    # whole sentences are left as they were
    assert "The board will review both measures each quarter." in lines and "It will publish the results." in lines


def test_joined_spans_are_exact_substrings_with_the_blank_lines_between() -> None:
    spans = join_lines(TABLE, split_sentences(TABLE))
    assert all(TABLE[a:b] == TABLE[a:b].strip() and b > a for a, b in spans)
    assert any("\n\n" in TABLE[a:b] for a, b in spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hip surgery waits", True),
        ("4-hour A&E", True),  # a number inside a compound is part of the name
        ("Clinic letters", True),
        ("Category 2 response", False),  # a figure of its own: a value, or a label with its value on the line
        ("The board will meet.", False),  # a sentence
        ("Funding rises to 82%", False),
        ("• expand same day services", False),  # a list item
        ("by June 2027", False),  # lower-case: a tail, not a label
        ("Providers should plan their services for the coming years", False),  # too long for a label
    ],
)
def test_is_row_label(text: str, expected: bool) -> None:
    assert is_row_label(text) is expected


def test_open_ends_and_lower_case_openings() -> None:
    assert ends_open("Regional goal of 10 weeks as the") and not ends_open("It will publish the results.")
    assert not ends_open("The board will consider:") and not ends_open("(see section 3.)")
    assert opens_lower("by June 2027") and not opens_lower("By June 2027") and not opens_lower("a) the first item")


def test_a_label_over_prose_without_a_figure_is_not_joined_nor_lines_parted_by_text_or_a_wide_gap() -> None:
    text = "Governance\n\nThe board sets the direction of the trust\n\nand holds leaders to account."
    assert _lines(text)[0] == "Governance"  # a heading over prose: no figure in the row
    assert _lines(text)[1].endswith("to account.")  # ...but the open line and its lower-case tail are one sentence
    wide = "The board sets the direction of the trust\n\n\n\n\n\nand holds leaders to account."
    assert len(_lines(wide)) == 2  # blank lines of a page break or a column: not one sentence
    closed = "The board sets the direction.\n\nand then a fragment"
    assert len(_lines(closed)) == 2  # the first line ended: the next is not its tail
    marked = "Waiting times\n\n• cut waits to 14 weeks by 2027"
    assert len(_lines(marked)) == 2  # a list item under a heading is the list's, not a row's
    greeting = "Dear colleague,\n\nToday we publish the 2026/27 plan for 42 systems."
    assert len(_lines(greeting)) == 2  # a whole sentence under a short line: not a row's value
    bold = "Hip surgery waits\n\n**Targets for 2026/27**"
    assert len(_lines(bold)) == 2  # a bold heading is not a value


def test_two_columns_of_list_items_interleaved_line_by_line_are_read_together() -> None:
    text = ("• make at least 80% of clinic slots \n\n• keep waiting lists short and \n\n"
            "bookable online after triage \n\nfair for every patient.\n\n• publish the results each year.")
    lines = _lines(text)
    assert lines[0].startswith("• make at least 80%") and lines[0].endswith("fair for every patient.")
    assert lines[1] == "• publish the results each year."
    # one column: an item that ends its sentence is not read with the next
    assert len(_lines("• make at least 80% of slots bookable.\n\n• keep lists short and\n\nfair for all.")) == 2


def test_real_table_rows_are_left_alone() -> None:
    text = "Metric | Target\n\nHip waits | 14 weeks\n\nby June 2027"
    assert _lines(text)[:2] == ["Metric | Target", "Hip waits | 14 weeks"]


def _passage(text: str) -> Passage:
    return Passage(source="targets.md", title="Targets", text=text, score=1.0, start=0, end=len(text), path="targets.md")


def test_candidates_are_rows_not_fragments() -> None:
    texts = [c[3] for c in candidate_sentences([_passage(TABLE)])]
    assert any(t.startswith("Hip surgery waits") and "by June 2027" in t for t in texts)
    assert "by June 2027" not in texts and "that by the end of 2029/30" not in texts


def test_the_value_is_quoted_with_its_row_label_from_a_flattened_table() -> None:
    # the real embedding model: the label holds the question's words, the value its figures
    passages = [_passage(TABLE)]
    answer = ExtractiveAnswerer(embed_model_for(Settings.load())).answer(
        "What are the hip surgery waiting time goals for June 2027?", passages, TermStats.from_texts([TABLE]))
    assert not answer.refused
    assert "14 weeks" in answer.text and "10 weeks" in answer.text
    assert answer.text.startswith("Hip surgery waits Each hospital")  # the row, read with its label, answers first
    assert "by June 2027 [1]" not in answer.text  # the fragment that echoes the question is not quoted alone
    assert all(TABLE[c.start:c.end] == c.quote for c in answer.citations)  # verbatim, blank lines and all


def test_the_faithfulness_checker_reads_joined_rows_as_evidence_units() -> None:
    # a quoted row (label, value and tail) must find itself among the evidence, not just its lines
    units = evidence_units([TABLE])
    assert any(u.startswith("Hip surgery waits Each hospital") and u.endswith("median for the year") for u in units)
    assert "by June 2027" in units  # the single lines stay units too


def test_a_link_address_on_its_own_line_goes_on_the_sentence_before_it() -> None:
    # a Markdown link converted from PDF: the text, then "(address)" and the rest of the sentence on new lines
    text = ("Read it alongside the regional planning guidance\n\n"
            "(https://example.org/planning-guidance/) and the county care fund policy\n\n"
            "framework (https://example.org/care-fund), so teams can start early.\n\n"
            "(a) The first item of a list.\n")
    lines = _lines(text)
    assert lines[0].startswith("Read it alongside") and lines[0].endswith("so teams can start early.")
    assert lines[1] == "(a) The first item of a list."  # a marker in brackets opens an item, not a continuation
    assert opens_lower("(https://example.org/) and") and not opens_lower("(b) item") and not opens_lower("(NHS England)")
