"""A "by how much" question needs a figure said as a change (``answering.changes``); "at what age" needs an age
(``answering.ages``); both through ``constraints.answer_type_match``."""

from __future__ import annotations

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.answerability import typed_candidates
from assistant.answering.changes import asks_change
from assistant.answering.citations import quotable_sentences
from assistant.answering.constraints import answer_type_match
from assistant.answering.extractive import _list_typed
from assistant.results import Passage


@pytest.mark.parametrize("sentence", [
    "Trusts using the tool saw on average a 12% decrease in courier use.",
    "Courier use has decreased by 4.5% in the first half of the year.",
    "All boards are expected to deliver a minimum 20% reduction in courier spend.",
    "We now see around 9% fewer courier trips than last year.",
    "Courier trips have fallen from 2.5 million in 2022/23 to 2.1 million.",
    "The board aims to halve the gap between the two areas.",
    "The plan brings a reduction of 12,000 courier trips a year.",
])
def test_a_change_answers_by_how_much(sentence: str) -> None:
    assert answer_type_match("By how much will courier use fall?", sentence)


@pytest.mark.parametrize("sentence", [
    "Each region will have a single (one per region) office for courier services.",
    "Couriers currently make 2.4% of all trips.",
    "The courier framework was agreed in 2023 with 14 suppliers.",
    "The government has made difficult choices about courier funding.",
])
def test_a_figure_that_is_no_change_does_not(sentence: str) -> None:
    assert not answer_type_match("By how much will courier use fall?", sentence)


def test_how_much_more_asks_a_change_and_how_many_does_not() -> None:
    assert asks_change("How much more income did providers get for the extra work?")
    assert not asks_change("How many couriers does the board employ?")
    # a count is still answered by any count
    assert answer_type_match("How many suppliers are on the framework?", "The framework was agreed with 14 suppliers.")


@pytest.mark.parametrize("question", [
    "At what age should children move to longer needles?",
    "From what age can people book a health check?",
    "How old must a board member be?",
    "Above what age are patients offered the jab?",  # "above what <age>" was a figure question
])
def test_age_questions_are_typed_as_age(question: str) -> None:
    assert answer_kind(question) == "age"


def test_which_age_group_is_not_an_age_question() -> None:
    assert answer_kind("Which age group gains most from the plan?") != "age"


@pytest.mark.parametrize("sentence", [
    "Support is offered to young people aged 0 to 25.",
    "The sale of energy drinks to under 16-year-olds will be banned.",
    "Checks are offered to people over 40 years of age.",
    "The service is open to the over-65s.",
    "Vaccines are offered to children under 5 in every area.",
    "Consent is needed from patients over the age of 16.",
])
def test_an_age_answers_at_what_age(sentence: str) -> None:
    assert answer_type_match("At what age can people use the service?", sentence)


@pytest.mark.parametrize("sentence", [
    "For children there is no clinical reason to use needles longer than 6mm.",
    "The service helps people of all ages stay well for 10 years longer.",
    "Children and young people should be referred within 4 weeks.",
    "Fewer children are waiting over 52 weeks for care.",  # a wait, not an age
    "Under 5% of children use the service.",
    "Children with doses above 50 units may need longer needles.",  # a dose, not an age
])
def test_no_age_does_not(sentence: str) -> None:
    assert not answer_type_match("At what age should children use the service?", sentence)


LIST = ("1. Cut spend on couriers and storage by:\n"
        "• achieving close to 100% use of the main depot before renting any other space\n"
        "• reducing courier trips, with all boards expected to deliver a minimum 15% reduction.\n"
        "• reviewing storage contracts each year\n")


def test_a_lead_in_holds_the_change_a_later_item_states() -> None:
    passage = Passage(source="plan.md", title="Plan", text=LIST, score=1.0, start=0, end=len(LIST), chunk_id="p-0", path="/docs/plan.md")
    candidates = [(0, a, b, LIST[a:b]) for a, b in quotable_sentences(passage)]
    question = "By how much should boards cut courier trips?"
    typed = typed_candidates(question, candidates, [passage])
    assert typed is not None and not typed[0]  # its first item's "100%" is no change
    assert _list_typed(question, candidates, [passage], typed)[0]
    # an item that states no change does not make its lead-in hold one
    without = LIST.replace("a minimum 15% reduction", "fewer trips")
    passage = Passage(source="plan.md", title="Plan", text=without, score=1.0, start=0, end=len(without), chunk_id="p-0",
                      path="/docs/plan.md")
    candidates = [(0, a, b, without[a:b]) for a, b in quotable_sentences(passage)]
    assert not _list_typed(question, candidates, [passage], [False] * len(candidates))[0]
