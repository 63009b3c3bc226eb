"""The first quote names what a "what/which <N>" question asks about (issue 14, tenth pass: quote order).

Pure functions, no model. The questions and sentences are made up; none is a dev-set question. The class of
failure: a sentence worded like the question's topic ("Before agreeing to fund a new therapy, the board will need
reassurance:") outscored the one about the asked thing ("The options open to the board are:") and was quoted first.
"""

from __future__ import annotations

import pytest

from assistant.answering.quote_order import asked_noun, lead_first, names_noun


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("What options does the trust have when a drug is unlicensed?", "options"),  # an auxiliary ends the run
        ("Which sectors do care partnerships bring together?", "sectors"),
        ("What planning horizon does the framework move councils towards?", "horizon"),  # the run's head
        ("Which five digital tools does the plan name?", "tools"),
        ("In which circumstances may a safety needle be prescribed?", "circumstances"),
        ("Which minister announced the workforce plan?", "minister"),  # a past-tense verb ends it
    ],
)
def test_asked_noun_is_the_head_after_what_or_which(question: str, word: str) -> None:
    found = asked_noun(question)
    assert found is not None and found[0] == word


@pytest.mark.parametrize(
    "question",
    [
        "What is the deadline for an appeal?",  # no noun run: "what is ..."
        "What percentage of staff left in 2023?",  # an answer kind: the figure is looked for by kind
        "Which year did the board first meet?",
        "What opening hours will the new clinics have?",  # a measure: the answer is a figure
        "Which needle length is safest for children?",
        "What annual productivity improvement is expected?",
        "In what form should the evidence be sent?",  # a manner: "the request form" is another sense
        "In which way are members appointed?",
        "Who chairs the panel?",  # no what/which
        "Which of these applies to dentists?",
    ],
)
def test_no_asked_noun(question: str) -> None:
    assert asked_noun(question) is None


def test_names_noun_by_stem() -> None:
    assert names_noun("sector", "It joins councils and the voluntary sector.")
    assert names_noun("option", "The options open to the board are:")
    assert not names_noun("option", "The board will need reassurance:")


QUESTION = "What options does the board have when it considers an unproven therapy?"


def test_the_quote_naming_the_asked_noun_goes_first() -> None:
    texts = {4: "Before agreeing to fund an unproven therapy, the board will need reassurance:",
             9: "This section explains how unproven therapies are judged.",
             2: "The options open to the board in these cases are: not to fund; fund a trial of treatment."}
    assert lead_first([4, 9, 2], texts, QUESTION) == [2, 4, 9]  # the rest keep their order


def test_order_kept_when_the_best_quote_names_it() -> None:
    texts = {1: "The board has two options: fund or decline.", 5: "Options are reviewed yearly."}
    assert lead_first([1, 5], texts, QUESTION) == [1, 5]


def test_order_kept_when_no_quote_names_it() -> None:
    # the documents may call the answer something else ("the pack holds ..."): then nothing moves
    texts = {1: "Members receive a pack with the request form.", 5: "The pack is sent a week before."}
    assert lead_first([1, 5], texts, "What papers do panel members get?") == [1, 5]


def test_order_kept_for_questions_without_an_asked_noun() -> None:
    texts = {1: "Appeals must be lodged within 20 days.", 5: "The deadline options are listed in annex B."}
    assert lead_first([1, 5], texts, "What is the deadline for an appeal?") == [1, 5]
    assert lead_first([5], texts, QUESTION) == [5]


def test_only_the_order_changes() -> None:
    texts = {i: f"Sentence {i} about options." if i == 7 else f"Sentence {i}." for i in range(10)}
    chosen = [3, 0, 7, 9]
    assert sorted(lead_first(chosen, texts, QUESTION)) == sorted(chosen)
