"""Issue 14, twelfth pass (w20-nearmiss): "What is the X of Y?" is not answered by a sentence that says something else
about Y. Made-up texts; no dev-set question."""

from __future__ import annotations

import pytest
from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.asked_attributes import asked_attribute_stems, asked_event_stems, lead_in_of, names_attribute


@pytest.mark.parametrize(
    ("question", "stems"),
    [
        ("What is the term of office of the Trust Treasurer?", ("term", "offic")),  # "of office" is part of what is asked
        ("What is the retirement age for hospice trustees?", ("age",)),  # the head: "retiring" is not an age
        ("What is the current porter absence rate in the Trust?", ("absenc",)),  # "rate": a figure answers it
        ("What is the deadline for registering for the staff lottery?", ()),  # an event: ``asked_event_stems``
        ("What was the probation period for the new Treasurer?", ("probat",)),
        # words a figure, duration or description stands in for ask nothing of the sentence
        ("What is the maximum time for the panel to decide a claim?", ()),
        ("What is the price limit for ward gloves?", ()),
        ("What was the productivity growth of the Riverside hub?", ("product",)),  # "growth": "grew by 3%" answers it
        ("What is the purpose of the Riverside hub?", ()),
        # a list's items do not repeat what they list; other forms of question are not read
        ("What are the duties of the Trust Treasurer?", ()),
        ("How long is the term of office of the Treasurer?", ("term", "offic")),  # a duration, of the term
        ("What’s the retirement age for hospice trustees?", ("age",)),
        ("How many trustees sit on the board of the hospice?", ()),
    ],
)
def test_asked_attribute_stems(question: str, stems: tuple[str, ...]) -> None:
    assert asked_attribute_stems(question) == stems


def test_names_attribute_needs_every_word_in_the_sentence_or_its_lead_in() -> None:
    assert names_attribute(("term", "offic"), "The term of office for the Treasurer is two years.")
    assert not names_attribute(("term", "offic"), "The Board may decide on what terms the Treasurer is replaced.")
    assert names_attribute(("notic",), "b) for trustees, three months.", "Notice periods:")
    assert names_attribute((), "Anything at all.")


def test_lead_in_of_a_list_item() -> None:
    texts = ["The Treasurer is appointed by the Board.", "Notice periods:", "a) for staff, one month;", "b) for trustees, three months."]
    same = [True] * 4
    assert lead_in_of(3, texts, same) == "Notice periods:"  # across a sibling item
    assert lead_in_of(0, texts, same) == ""  # not a list item
    assert lead_in_of(3, texts, [False, False, True, True]) == ""  # the lead-in is in another passage


def test_a_sentence_about_the_subject_but_not_the_attribute_is_unmet() -> None:
    question = "What is the term of office of the Trust Treasurer?"
    passages = [
        make_passage("Treasurer | The Treasurer of the Trust, appointed under part 4 of these rules.", "rules.md", "Trust rules"),
        make_passage("The term of office for the Chair will be three years.", "rules.md", "Trust rules"),
    ]
    assert constrained(question, whole_candidates(passages), passages) == [False, True]
    told = [make_passage("The term of office of the Treasurer is two years.", "rules.md", "Trust rules")]
    assert constrained(question, whole_candidates(told), told) == [True]


def test_one_word_in_two_forms_names_the_attribute() -> None:
    assert names_attribute(("regist",), "Registrations close on 31 March.")  # "registering": "registration"
    assert not names_attribute(("term", "offic"), "The Board may terminate the office holder's appointment.")


def test_the_event_a_deadline_times_must_be_in_the_sentence_s_passage() -> None:
    question = "What is the deadline for registering for the staff lottery?"
    assert asked_event_stems(question) == ("regist",)
    assert asked_event_stems("What is the term of office of the Treasurer?") == ()
    offered = [make_passage("Every porter will be offered a lottery ticket by 2028.", "plan.md", "Staff plan")]
    assert constrained(question, whole_candidates(offered), offered) == [False]
    # put another way in the sentence, named in its passage: met ("requests ... must be made" for "registering")
    told = [make_passage("Registration is by form. Requests must be made by 31 March.", "plan.md", "Staff plan")]
    assert constrained(question, [(0, 25, 58, "Requests must be made by 31 March.")], told) == [True]
