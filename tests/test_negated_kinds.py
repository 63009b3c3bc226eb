"""A question about a "non-" kind is not answered by a sentence naming only the plain kind (issue 14, tenth pass).

"Can a non-clinical manager sign the form?" was answered by "Clinical managers may sign the form": the sentence
shares every word but is about the contrary group. The texts are made up; none is a dev-set question.
"""

from __future__ import annotations

import pytest

from assistant.answering.constraints import unmet_constraints
from assistant.answering.negated_kinds import asked_non_kinds, names_contrary


def test_the_kinds_a_question_negates() -> None:
    assert asked_non_kinds("Can a non-clinical manager sign the form?") == ["clinical"]
    assert asked_non_kinds("Are non-elective admissions and non-urgent calls counted?") == ["elective", "urgent"]
    assert asked_non_kinds("Can a clinical manager sign the form?") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Clinical managers may sign the form.", True),  # the contrary group only
        ("Non-clinical managers may not sign the form.", False),
        ("Clinical and non-clinical managers may both sign.", False),  # names the asked group too
        ("Non clinical staff are not eligible.", False),  # the hyphen lost in conversion
        ("Managers may sign the form.", False),  # names neither: the group is left open
    ],
)
def test_a_sentence_naming_only_the_plain_kind_is_about_the_others(sentence: str, expected: bool) -> None:
    assert names_contrary("clinical", sentence) is expected


def test_the_contrary_group_leaves_the_question_unmet() -> None:
    question = "Can a non-clinical manager sign the form?"
    assert unmet_constraints(question, "Clinical managers may sign the form.") == ["non-clinical"]
    assert unmet_constraints(question, "Non-clinical managers may not sign the form.") == []
