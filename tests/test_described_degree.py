"""A value question's superlative describes its group; a price word is met by a price bound (issue 14, thirteenth pass).

Pure functions, no model. The questions and sentences are made up; none is a dev-set question. The class of
failure: "What percentage of people have *the most* complex needs?" was read as asking which group ranks top, so the
sentence giving the group's size ("people with complex needs ... around 7% of the population") was refused for
stating no ranking; "which year did X advise only *cheap* needles?" was refused because the documents say what is
cheap by a price bound ("needles that cost <£5").
"""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.answerability import constrained
from assistant.answering.constraints import unmet_constraints
from assistant.answering.price_words import price_word, states_price_bound
from assistant.answering.ranking import asked_ranking, described_degree


@pytest.mark.parametrize(
    "question",
    [
        "What percentage of residents have the most severe frailty?",
        "What share of bed days goes to the people with the highest needs?",
        "What proportion of carers look after the most dependent relatives?",
        "What number of wards hold the sickest patients?",  # not a superlative of the closed class: nothing either way
    ],
)
def test_a_value_question_asks_no_ranking_by_an_upward_superlative(question: str) -> None:
    assert asked_ranking(question) is None


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What percentage of residents have the least severe frailty?", ("least", "sever")),  # the low end: still checked
        ("Which ward has the highest bed occupancy?", ("highest", "")),  # picks one: a ranking
        ("What ward has the most severe staffing gaps?", ("most", "sever")),
    ],
)
def test_other_superlatives_still_ask_a_ranking(question: str, asked: tuple[str, str]) -> None:
    assert asked_ranking(question) == asked


def test_the_described_group_is_graded_words_and_plain_adjective() -> None:
    assert described_degree("What percentage of residents have the most severe frailty?") == (
        "the most severe frailty", ("sever", "frailti"), ())
    phrase, stems, graded = described_degree("What share of bed days goes to the people with the highest needs?") or ("", (), ())
    assert (phrase, stems) == ("the highest needs", ("need",)) and "high" in graded
    assert described_degree("Which ward has the highest bed occupancy?") is None
    assert described_degree("How many residents have the most severe frailty?") is None  # no ranking to replace


def test_the_sentence_giving_the_value_must_name_the_group() -> None:
    question = "What percentage of residents have the most severe frailty?"
    assert unmet_constraints(question, "Around 4% of residents live with severe frailty.") == []
    assert "the most severe frailty" in unmet_constraints(question, "Around 4% of residents live in care homes.")
    highest = "What share of bed days goes to the people with the highest needs?"
    assert unmet_constraints(highest, "People with high needs account for 30% of bed days.") == []
    # the head alone is not the group: "people who need a bed" are not the people with the highest needs
    assert "the highest needs" in unmet_constraints(highest, "Some 30% of bed days go to people who need a bed.")


def test_the_group_may_be_named_in_the_sentence_before_the_one_sizing_it() -> None:
    question = "What percentage of residents have the most severe frailty?"
    named = "Care should start with residents living with severe frailty."
    sized = "This group makes up around 4% of residents."
    other = "Around 9% of residents live alone."
    text = f"{named} {sized} {other}"
    candidates = [(0, 0, len(named), named), (0, len(named) + 1, len(named) + 1 + len(sized), sized),
                  (0, len(named) + len(sized) + 2, len(text), other)]
    # the sentence after the sizing one is about another group: the group's words are in neither it nor the one before
    assert constrained(question, candidates, [make_passage(text, "frailty.pdf", "Frailty")]) == [True, True, False]


@pytest.mark.parametrize(
    ("word", "text", "met"),
    [
        ("cheap", "dressings that cost <£2 per pack", True),
        ("cheaper", "a price of less than £3.00 per box", True),
        ("inexpensive", "any brand costing up to £4 a month", True),
        ("cheap", "dressings that cost more than £20 per pack", False),  # the other side
        ("cheap", "the first choice costs £2.49", False),  # a price, but no bound says what counts as cheap
        ("expensive", "dressings that cost over £20 per pack", True),
        ("expensive", "dressings that cost <£2 per pack", False),
        ("costly", "products above £50 a month need approval", True),
        ("new", "dressings that cost <£2 per pack", False),  # no price word
    ],
)
def test_a_price_word_is_met_by_a_bound_on_its_side(word: str, text: str, met: bool) -> None:
    assert states_price_bound(word, text) is met


def test_price_words_are_read_as_written() -> None:
    assert price_word("Cheap") == "low" and price_word("costly") == "high"
    assert price_word("cost") is None and price_word("economy") is None  # stems would collide with these


def test_a_cheap_qualifier_is_met_by_the_sentence_bounding_the_price() -> None:
    question = "In which year did the board advise only cheap wound dressings?"
    assert unmet_constraints(question, "In 2021 the board advised that only wound dressings that cost <£2 be used.") == []
    assert "cheap wound" in unmet_constraints(question, "In 2021 the board advised on wound dressings for leg ulcers.",
                                                  "Wound dressings for leg ulcers and burns.")
