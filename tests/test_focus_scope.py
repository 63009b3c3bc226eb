"""The counted or dated thing (a question's focus) must be in the sentence when any retrieved passage names it
(issue 14, fifteenth pass, w26-joint: kept, measured).

Scoping that look to the sentence's own document (as a passage judged alone is read, ``reading.promoted``) answered
x07 and b03 of the fresh questions, but also two unanswerable tune questions ("How many people are on the waiting
list?" with a count of contributions; a continuation request's deadline with a retrospective request's): another
document naming the thing is evidence that the sentence counts something else. Made-up texts; none is a dev question.
"""

from __future__ import annotations

from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.constraints import question_constraints

QUESTION = "How many patients are waiting for a check-up?"
NEAR_MISS = "The review heard from 40,000 members of the public."
OTHER = "Patients told us that waits for a check-up were long."


def test_the_question_counts_patients() -> None:
    assert [c.stems for c in question_constraints(QUESTION) if c.kind == "focus"] == [("patient",)]


def test_another_documents_word_bars_a_sentence_counting_something_else() -> None:
    passages = [make_passage(NEAR_MISS, "review.md", "Review report"), make_passage(OTHER, "survey.md", "Patient survey")]
    assert not constrained(QUESTION, whole_candidates(passages), passages)[0]


def test_a_sentence_naming_the_thing_is_met() -> None:
    said = "There are 40,000 patients waiting for a check-up."
    passages = [make_passage(said, "review.md", "Review report"), make_passage(OTHER, "survey.md", "Patient survey")]
    assert constrained(QUESTION, whole_candidates(passages), passages)[0]
