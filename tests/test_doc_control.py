"""Document-control lines answer "who wrote / signed / approved it?" and "when is it due for review?".

A policy's "Ratified by:" row, a board paper's "Report by:" line and a letter's signature state these once,
in none of the question's words; ``answering/doc_control.py`` scores such a line as well as the best
sentence of its own document when the question asks for that role.
"""

from __future__ import annotations

import pytest

from assistant.answering.doc_control import asked_roles, lifted, line_roles


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("Who approved the prescribing policy?", {"approver"}),
        ("Which committee ratified this guideline?", {"approver"}),
        ("Who wrote the letter to system leaders?", {"author", "signature"}),
        ("Who is the author of the board paper?", {"author", "signature"}),
        ("Who signed the letter?", {"signature", "approver", "author"}),
        ("When is the policy next due for review?", {"review"}),
        ("When was the constitution approved?", {"approval_date"}),
        ("Who signed off the formulary guidance, and when will it be reviewed?", {"approver", "review"}),
    ],
)
def test_questions_that_ask_for_a_document_control_role(question: str, roles: set[str]) -> None:
    assert asked_roles(question) == roles


@pytest.mark.parametrize(
    "question",
    [
        "Who approves individual funding requests?",  # a process, not a document's approval
        "Who can approve funding for an unlisted treatment?",
        "Who was asked to lead the review?",  # a review, but not a document's review date
        "When could we expect first findings from the review?",
        "Who is responsible for discussing the outcome with the patient?",
        "What does the policy say about reviews of panel decisions?",
    ],
)
def test_other_questions_ask_for_none(question: str) -> None:
    assert asked_roles(question) == frozenset()


@pytest.mark.parametrize(
    ("line", "before", "roles"),
    [
        ("Document control: Approved by: | Details: Medicines Optimisation Committee", "", {"approver"}),
        ("Review date: June 2028", "", {"review"}),
        ("Next review: 2027", "", {"review"}),
        ("Date approved: 4 March 2025", "", {"approval_date"}),
        ("Report by: Jane Smith, Chief Financial Officer", "", {"author"}),
        ("Author(s): Medicines Optimisation Team", "", {"author"}),
        ("Policy owner: Director of Nursing", "", {"owner"}),
        ("Jane Smith, Chief Executive, NHS Example ICB.", "We look forward to it.\n\nYours sincerely,\n\n", {"signature"}),
        ("Jane Smith, Chief Executive, NHS Example ICB.", "We look forward to it.\n\n", set()),
        ("The IFR review panel will meet monthly.", "", set()),  # "review" as a word, not a label
        ("Decisions are approved by the panel chair.", "", set()),  # "approved by" in a sentence, not a label
    ],
)
def test_lines_that_state_a_role(line: str, before: str, roles: set[str]) -> None:
    assert line_roles(line, before) == roles


def test_a_role_line_scores_as_its_document_s_best_sentence_plus_the_credit() -> None:
    supports = [0.6, 0.2, 0.7, 0.1]
    roles = [frozenset(), frozenset({"approver"}), frozenset(), frozenset({"approver"})]
    docs = ["policy", "policy", "other", "lonely"]
    lifted_supports = lifted(supports, roles, docs, frozenset({"approver"}), credit=0.05)
    # lifted by its own document's best (0.6), not by the other document's better sentence (0.7);
    # a document with no other sentence retrieved lends it nothing
    assert lifted_supports == pytest.approx([0.6, 0.65, 0.7, 0.1])
    assert lifted(supports, roles, docs, frozenset({"review"}), credit=0.05) == supports


def test_the_signature_answers_who_signed_the_letter(seed_assistant) -> None:  # noqa: ANN001
    answer = seed_assistant.ask("Who signed the NHS England letter about the government's Hewitt Review response?")
    assert not answer.refused
    assert answer.citations[0].quote.startswith("Steve Russell")
