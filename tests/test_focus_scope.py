"""The counted or dated thing (a question's focus) is looked for in the sentence's own document (issue 14, fifteenth pass,
w26-joint): another retrieved document's wording says nothing of how this one words the thing.

Before, the focus had to be in the sentence whenever any retrieved passage named it, while a passage judged alone (the
passages below the top k, ``reading.promoted`` / ``rescued``) was excused when it never named it: the same sentence was
quotable alone and refused among the others. Made-up texts; none is a dev question.
"""

from __future__ import annotations

from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.constraints import meets, question_constraints

QUESTION = "What share of outpatient bookings should patients be able to change online?"
ANSWER = "At least 60% of outpatient appointments should be available for patients to change online by 2027."
OTHER = "Patients told us that bookings by phone took too long."


def _focus():
    return next(c for c in question_constraints(QUESTION) if c.kind == "focus")


def test_the_question_counts_bookings() -> None:
    assert _focus().stems == ("book",)


def test_another_documents_word_does_not_bar_the_sentence() -> None:
    passages = [make_passage(ANSWER, "plan.md", "Outpatient plan"), make_passage(OTHER, "survey.md", "Patient survey")]
    met = constrained(QUESTION, whole_candidates(passages), passages)
    assert met[0]
    # the same sentence judged alone was already met: the two judgements agree
    assert constrained(QUESTION, whole_candidates(passages[:1]), passages[:1])[0]


def test_its_own_documents_word_still_does() -> None:
    # the sentence's own document says "bookings" elsewhere: "appointments" there are another count
    passages = [make_passage(ANSWER, "plan.md", "Outpatient plan"), make_passage(OTHER, "plan.md", "Outpatient plan")]
    assert not constrained(QUESTION, whole_candidates(passages), passages)[0]


def test_without_a_document_every_retrieved_passage_counts() -> None:
    # the generative path's check (no document given) keeps the wide reading
    focus = _focus()
    assert not meets(focus, ANSWER, "", None, OTHER)
    assert meets(focus, ANSWER, "", None, OTHER, document=ANSWER)
    assert meets(focus, "Bookings changed online rose to 60%.", "", None, OTHER, document="")
