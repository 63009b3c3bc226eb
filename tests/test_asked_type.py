""""Which <N> ...?" is answered only where something retrieved names an N (issue 14, sixth pass).

Pure functions, no model. The questions and passages are made up; none is a dev-set question. The class of
failure: a passage about the question's subject ("Insupen needles cost £2.49") was quoted for a question
asking for a thing of a type the documents never name ("which wholesaler supplies them?").
"""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.answerability import constrained
from assistant.answering.asked_type import asked_type
from assistant.answering.constraints import unmet_constraints
from assistant.results import Passage


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Which minister announced the workforce plan?", "minister"),  # a past-tense verb ends the run
        ("Which sectors do care partnerships bring together?", "sectors"),  # an auxiliary ends it
        ("Which pharmacy wholesaler supplies Glide needles to the board?", "wholesaler"),  # "supplies": its verb
        ("On the form, which question ends the process if the answer is no?", "question"),
        ("In which circumstances may a safety needle be prescribed?", "circumstances"),
        ("Which five digital tools does the plan name?", "tools"),
        ("Which newspaper first reported the merger?", "newspaper"),  # an adverb before the verb
        ("Which trusts have recently merged?", "trusts"),
    ],
)
def test_the_type_a_which_question_asks_for(question: str, word: str) -> None:
    found = asked_type(question)
    assert found is not None and found[0] == word


@pytest.mark.parametrize(
    "question",
    [
        "Which of these services is free?",  # no type named
        "Which one should be prescribed first?",  # a shell noun: "one", "way", "steps" name no type
        "In which year was the board set up?",  # a kind of answer, checked as a date elsewhere
        "What papers do panel members get?",  # "what N" is often put in other words ("the documents ...")
        "Which NHS England director chairs it?",  # a name in the run: not guessed at
    ],
)
def test_questions_that_ask_for_no_type_of_their_own(question: str) -> None:
    assert asked_type(question) is None


def _passage(text: str, source: str = "needles.pdf") -> Passage:
    return make_passage(text, source, "Prescribing pen needles")


def test_a_passage_about_the_subject_that_names_no_thing_of_the_asked_type_does_not_answer() -> None:
    question = "Which pharmacy wholesaler supplies Glide needles to the board?"
    sentence = "Glide needles cost £2.49 per pack of 100 and are the first formulary choice."
    assert unmet_constraints(question, sentence) == ["wholesaler"]
    passages = [_passage(sentence), _passage("Safety needles should not be prescribed routinely.", "other.pdf")]
    assert constrained(question, [(0, 0, len(sentence), sentence)], passages) == [False]


def test_the_type_named_anywhere_retrieved_is_enough() -> None:
    """Lenient on purpose: the sentence may answer in other words ("supplied by Acme") while another retrieved
    passage says what Acme is, so only a type nothing retrieved names refuses."""
    question = "Which pharmacy wholesaler supplies Glide needles to the board?"
    sentence = "Glide needles are supplied to practices by Acme Healthcare."
    elsewhere = "Acme Healthcare is the board's contracted wholesaler."
    assert unmet_constraints(question, sentence) == ["wholesaler"]
    assert unmet_constraints(question, sentence, retrieved=elsewhere) == []
    assert unmet_constraints(question, "The board's wholesalers supply Glide needles.") == []  # by stem
