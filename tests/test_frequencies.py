"""A "how often" question is answered by a frequency (``answering.frequencies``, through ``constraints.answer_type_match``)."""

from __future__ import annotations

import pytest

from assistant.answering.constraints import answer_type_match
from assistant.answering.frequencies import frequency_spans


@pytest.mark.parametrize("sentence", [
    "The panel will normally meet three times a month.",
    "The terms of reference will be reviewed annually.",
    "We will run the process on a quarterly basis.",
    "Members attend refresher training every 2 years.",
    "The group meets twice each week.",
])
def test_a_frequency_answers_how_often(sentence: str) -> None:
    assert answer_type_match("How often does the panel meet?", sentence)


@pytest.mark.parametrize("sentence", [
    "c) One shall have specific knowledge of audit.",  # a number, but no times in a period
    "4.6.9 The following 3 committees will be maintained.",
    "The committee is accountable to the board.",
])
def test_a_number_that_counts_no_times_does_not(sentence: str) -> None:
    assert not answer_type_match("How often does the committee meet?", sentence)


def test_other_figure_questions_keep_any_number() -> None:
    assert answer_type_match("How many committees will be maintained?", "The following 3 committees will be maintained.")


def test_spans_are_the_counting_numbers_and_frequency_words() -> None:
    s = "Screening is held 4 times each week; 2 members attend."
    assert [s[a:b] for a, b in frequency_spans(s, [(18, 19), (37, 38)])] == ["4", "each week"]
