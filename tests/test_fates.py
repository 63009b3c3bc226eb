"""A yes/no question about a thing's fate is settled only by a sentence that states one (issue 14, tenth pass).

The class of failure: "Is the regional dental fund being abolished?" was answered with the sentence most like the
whole question, one about the fund only ("The regional dental fund pays for extra evening sessions"); nothing
retrieved said the fund ends, so the answer should have been a refusal. The texts are made up; none is a dev-set
question.
"""

from __future__ import annotations

import pytest

from assistant.answering.constraints import unmet_constraints
from assistant.answering.fates import asked_fate, states_fate


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
        ("The regional dental fund pays for extra evening sessions.", False),  # about the fund, says nothing of its fate
        ("Practices should reduce rota gaps by the end of 2026/27.", False),  # "the end of": a date
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
