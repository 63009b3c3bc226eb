"""A yes/no question about a thing's fate is settled only by a sentence that states one (issue 14, tenth pass).

The class of failure: "Is the regional dental fund being abolished?" was answered with the sentence most like the
whole question, one about the fund only ("The regional dental fund pays for extra evening sessions"); nothing
retrieved said the fund ends, so the answer should have been a refusal. The texts are made up; none is a dev-set
question.
"""

from __future__ import annotations

import pytest

from assistant.answering.constraints import unmet_constraints
from assistant.answering.fates import asked_fate, asked_predicates, states_fate, states_predicate
from assistant.answering.topics import topic_terms
from assistant.text.terms import without_future_going


@pytest.mark.parametrize(
    ("question", "fate"),
    [
        ("Is the regional dental fund being abolished?", "abolished"),
        ("Will the booking app be sold to a private firm?", "sold"),
        ("Are the two trusts going to merge next year?", "merge"),
        ("Will walk-in centres be replaced by urgent treatment centres?", "replaced"),
        ("Is the weekend clinic being closed down?", "closed"),
        ("Will nurse bursaries be frozen in 2027?", "frozen"),
        ("Our ward was reorganised. Will the night rota be scrapped?", "scrapped"),  # after a preamble
        ("Are the pens sold with needles included?", None),  # how it is supplied, not a fate
        ("When will the dental fund be abolished?", None),  # not yes/no: the fate is presupposed, its date asked
        ("Which services will be outsourced?", None),
        ("Are trusts expected to cut agency spending?", None),  # a quantity, settled by a figure
        ("Is the clinic close to the station?", None),  # "close" the adjective is no fate
        ("Can a trust end up in segment 1?", None),
    ],
)
def test_the_fate_word_of_a_yes_no_question(question: str, fate: str | None) -> None:
    assert asked_fate(question) == fate


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The proposed abolition of the dental fund was announced in May.", True),  # another form of the word
        ("The night rota will be replaced by on-call cover.", True),  # another fate answers too
        ("The fund is no longer required from April.", True),
        ("We will review the requirement for a night rota.", True),  # reconsidered: "not decided" settles it
        ("The fund will end in March 2027.", True),
        ("The case can be reconsidered by the screening group.", False),  # the case is reconsidered, not the group
        ("The rota is superseded by the on-call policy.", True),
        ("We will restrict junk food advertising targeted at children.", True),  # a limit settles "banned?"
        ("The regional dental fund pays for extra evening sessions.", False),  # about the fund, says nothing of its fate
        ("Practices should reduce rota gaps by the end of 2026/27.", False),  # "the end of": a date
        ("Patients should wait no longer than 18 weeks.", False),  # a bound, not an ending
        ("This guide supports reviewing and switching patients to cheaper needles.", False),  # a review of something else
    ],
)
def test_a_sentence_states_a_fate(sentence: str, expected: bool) -> None:
    assert states_fate(sentence) is expected


def test_a_fate_question_is_unmet_by_a_sentence_about_the_thing_only() -> None:
    question = "Is the regional dental fund being abolished?"
    assert unmet_constraints(question, "The regional dental fund pays for extra evening sessions.") == ["abolished"]
    assert unmet_constraints(question, "The regional dental fund will be abolished in April.") == []
    # a question that is not yes/no turns on no fate
    assert "abolished" not in unmet_constraints("When will the regional dental fund be abolished?",
                                                "The regional dental fund pays for extra evening sessions.")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Will the booking app charge patients a fee?", [("payment", "charge")]),
        ("Are practice nurses paid extra for evening clinics?", [("payment", "paid")]),
        ("Are repeat prescriptions free of charge for carers?", [("payment", "free of charge")]),
        ("Will nurse pay be frozen?", [("fate", "frozen")]),  # "pay" the noun asks no payment; "frozen" a fate
        ("Is the chair in charge of the meeting?", []),  # "in charge of" asks no money
        ("How much is the fee for a copy of the records?", []),  # not yes/no
        ("Does the regulator fine trusts that miss the target?", [("sanction", "fine")]),
        ("Will members be penalised for missing meetings?", [("sanction", "penalised")]),
        ("Are trusts fined for missing the target?", [("sanction", "fined")]),
        ("Is it fine to reuse a pen needle?", []),  # "fine" the adjective
    ],
)
def test_the_closed_class_predicates_of_a_yes_no_question(question: str, asked: list[tuple[str, str]]) -> None:
    assert asked_predicates(question) == asked


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Remuneration for members is set by the committee.", True),
        ("The needles have a price of less than £3.00 per pack.", True),
        ("Patients can book appointments through the app.", False),  # about the app only
        ("The app achieved benefits equivalent to £249 million.", False),  # a sum, no payment by or to anyone
        ("Plans should focus on reducing the cost of delivering services.", False),
    ],
)
def test_a_sentence_states_a_payment(sentence: str, expected: bool) -> None:
    assert states_predicate("payment", sentence) is expected


def test_a_sanction_is_stated_by_any_sanction_word() -> None:
    assert states_predicate("sanction", "Trusts in segment 5 receive intensive support and intervention.")
    assert not states_predicate("sanction", "Trusts in segment 5 are the most challenged providers.")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is the dental fund going to be abolished?", "Is the dental fund be abolished?"),  # a future tense, like "will"
        ("Are trusts going to have a new target?", "Are trusts have a new target?"),
        ("Does the case go to the panel before going to NHS England?",
         "Does the case go to the panel before going to NHS England?"),  # movement: kept
    ],
)
def test_a_future_going_to_is_no_word_of_the_question(question: str, expected: str) -> None:
    assert without_future_going(question) == expected
    assert "go" not in topic_terms(question) or "going to NHS" in question
