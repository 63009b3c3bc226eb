"""A thing the question names in another standard NHS wording than the sentence (``text/nhs_synonyms``; issue 14,
twelfth pass, w20-bridge). Made-up questions and sentences; none is a dev-set question."""

from __future__ import annotations

import pytest
from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained, reworded
from assistant.answering.constraints import Constraint
from assistant.text.nhs_synonyms import said_otherwise


@pytest.mark.parametrize(
    ("question", "word", "text"),
    [
        ("How many missed appointments did the new text reminders avoid?", "appointments", "Reminders cut did not attends by 20,000."),
        ("How many no-shows did the clinic record?", "no-shows", "The clinic recorded 412 DNAs last year."),
        ("How many hours of family doctors' time were saved?", "family", "It saved 3,000 hours of GP time."),
        ("What share of hospital trusts report weekly?", "hospital", "Most acute trusts (81%) report weekly."),
        ("What share of hospital trusts report weekly?", "hospital", "81% of secondary care trusts report weekly."),
        ("How many planned operations were cancelled?", "planned", "Elective operations cancelled: 1,200."),
        ("What is the target for A&E waits?", "A&E", "Emergency departments should see 80% within four hours."),
        ("How much was spent on drugs?", "drugs", "Spending on medicines rose by 4%."),
        ("How many virtual wards beds are open?", "virtual", "Hospital at home now covers 12,000 beds."),
    ],
)
def test_another_standard_wording_of_the_same_thing_is_found(question: str, word: str, text: str) -> None:
    assert said_otherwise(question, word, text)


@pytest.mark.parametrize(
    ("question", "word", "text"),
    [
        # another thing of the same kind
        ("How many bank workers left?", "bank", "The number of agency staff fell by 33%."),
        ("How many missed vaccination appointments were there?", "appointments", "Portals prevented 9,000 did not attends."),
        ("What share of community trusts report weekly?", "community", "81% of secondary care trusts report weekly."),
        # "non-elective" is the other kind of admission, not a wording of "planned"
        ("How many planned admissions were there?", "planned", "Non-elective admissions rose by 3%."),
        # "planned" only as planned care: "planned allocations" are no elective anything
        ("What share of planned allocations was spent?", "planned", "Elective activity grew by 7%."),
        # "DNA" only as capitals: "dna" in lower case is no acronym
        ("How many no-shows were there?", "no-shows", "The dna sample was lost."),
        # the wording is in the question but the text says it the same way (or not at all)
        ("How many hours of family doctors' time were saved?", "family", "It saved 3,000 hours of staff time."),
        # a word of the question outside every listed wording
        ("How many drugs trials began?", "trials", "Medicines spending rose."),
    ],
)
def test_another_thing_or_no_listed_wording_is_not_found(question: str, word: str, text: str) -> None:
    assert not said_otherwise(question, word, text)


def test_a_reworded_focus_meets_the_question_and_another_thing_does_not() -> None:
    question = "How many missed appointments did text reminders avoid in 2024/25?"
    passages = [
        make_passage("Text reminders avoided 18,000 did not attends in 2024/25.", "reminders.md", "Reminders"),
        make_passage("Appointments rose by 4% in 2024/25 and 3,000 flu vaccinations were missed.", "activity.md", "Activity"),
    ]
    assert constrained(question, whole_candidates(passages), passages) == [True, False]


def test_a_reworded_qualifier_meets_the_question_where_another_kind_does_not() -> None:
    question = "What proportion of hospital trusts will have a new records system by 2027?"
    answer = make_passage("By 2027, 88% of acute trusts will have a new records system.", "records.md", "Records")
    other = make_passage("By 2027, 40% of mental health trusts will have a new records system.", "mh.md", "Mental health")
    passages = [answer, other]
    assert constrained(question, whole_candidates(passages), passages) == [True, False]


def test_a_name_s_qualifier_and_a_stated_measure_are_never_reworded() -> None:
    question = "How many planned operations were done within four hours?"
    plain = Constraint("qualifier", "planned operations", ("plan",), head="oper")
    named = Constraint("qualifier", "planned operations", ("plan",), head="oper", named=True)
    measure = Constraint("qualifier", "four hours", ("four",), head="hour")
    assert reworded(question, plain, "Elective operations were done.", "")
    assert not reworded(question, named, "Elective operations were done.", "")
    assert not reworded(question, measure, "Elective operations were done within 4 hours.", "")


def test_a_one_word_name_said_another_standard_way_meets_the_question() -> None:
    # issue 14, fifteenth pass (w25-support): "DNAs" is a name (an acronym) the documents write out as "did not attends"
    question = "How many DNAs have text reminders avoided so far?"
    passages = [
        make_passage("Text reminders have prevented 40,000 did not attends so far.", "reminders.md", "Reminders"),
        make_passage("Text reminders have prevented 40,000 late cancellations so far.", "other.md", "Cancellations"),
    ]
    assert constrained(question, whole_candidates(passages), passages) == [True, False]
    name = Constraint("name", "DNAs", ("dnas",))
    assert reworded(question, name, "Reminders prevented 40,000 did not attends.", "")
    assert not reworded(question, name, "Reminders prevented 40,000 cancellations.", "")
    # a name of several words, or a word of one ("the Drug Tariff"), is a proper name: never a standard wording
    several = Constraint("name", "GP Partners Network", ("gp", "partner", "network"))
    assert not reworded("What did the GP Partners Network say?", several, "General practice partners said no.", "")
    tariff = Constraint("name", "Drug", ("drug",))
    assert not reworded("What is the Drug Tariff price of pen needles?", tariff, "The medicines price list was cut.", "")
