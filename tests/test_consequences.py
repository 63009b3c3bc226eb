""""What penalty ...?" and "what happens if it fails to ...?" are answered only by a sentence that says so.

Issue 14, sixth pass. Pure functions, no model. The questions and sentences are made up; none is a dev-set
question. The class of failure: the sentence setting a target or a duty ("every trust to reach 85%", "the
board will publish its plan") was quoted for a question asking what follows missing the target or
neglecting the duty, which nothing retrieved said.
"""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.answerability import constrained
from assistant.answering.consequences import asked_consequence, states_consequence
from assistant.answering.constraints import unmet_constraints
from assistant.results import Passage


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What penalty do hospitals face for missing the handover target?", ("sanction", "penalty")),
        ("Are there any sanctions for late returns?", ("sanction", "sanctions")),
        ("What fine can a pharmacy get for over-ordering?", ("sanction", "fine")),
        ("What happens to a board that fails to publish its annual report?", ("failure", "publish")),
        ("What are the consequences of missing the deadline?", ("failure", "deadlin")),
        ("What happens if a provider breaches its licence?", ("failure", "licenc")),
    ],
)
def test_questions_asking_what_follows(question: str, asked: tuple[str, str]) -> None:
    assert asked_consequence(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "Is it fine to prescribe 8mm needles?",  # "fine": an adjective
        "What happens after the panel meets?",  # no failure
        "What happens if the clinicians cannot agree?",  # a negation, not a named failure: too common to key on
        "Which targets did trusts miss?",  # asks which, not what follows
    ],
)
def test_questions_asking_nothing_of_the_kind(question: str) -> None:
    assert asked_consequence(question) is None


@pytest.mark.parametrize(
    ("asked", "sentence", "says"),
    [
        (("sanction", "penalty"), "Every hospital should hand over 95% of patients within 30 minutes.", False),
        (("sanction", "penalty"), "Hospitals missing the target will face financial penalties.", True),
        (("sanction", "penalty"), "Payment for late handovers will be withheld.", True),
        (("sanction", "fine"), "Pharmacies should not over-order stock.", False),  # a negation sets no fine
        (("failure", "publish"), "The board will publish its annual report each July.", False),  # the duty only
        (("failure", "publish"), "A board that does not publish its report will be directed to do so.", True),
        (("failure", "publish"), "If the funding condition is not met, the trust may appeal.", False),  # another failure
        (("failure", "attend"), "Members shall be removed from office if any of the following occurs:", True),  # a lead-in
        (("failure", "attend"), "Members shall attend the following meetings:", False),
    ],
)
def test_a_sentence_says_what_follows(asked: tuple[str, str], sentence: str, says: bool) -> None:
    assert states_consequence(asked, sentence) is says


def _passage(text: str) -> Passage:
    return make_passage(text, "handover.pdf", "Ambulance handover")


def test_the_target_does_not_answer_what_follows_missing_it() -> None:
    question = "What penalty do hospitals face for missing the handover target?"
    target = "Every hospital should hand over 95% of patients within 30 minutes, the handover target."
    penalty = "Hospitals missing the handover target will face financial penalties."
    assert unmet_constraints(question, target) == ["sanction: penalty"]
    assert unmet_constraints(question, penalty) == []
    text = f"{target} {penalty}"
    candidates = [(0, 0, len(target), target), (0, len(target) + 1, len(text), penalty)]
    assert constrained(question, candidates, [_passage(text)]) == [False, True]
