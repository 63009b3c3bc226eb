"""Issue 14, eleventh pass (w19-nearmiss): a thing the question names in several words, none of which the
quoted sentence's document uses, is not what the sentence is about. Made-up texts; no dev-set question."""

from __future__ import annotations

import pytest
from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.asked_things import asked_things, content_runs, names_title
from assistant.answering.constraints import ASKING, GENERIC, unmet_constraints

SKIP = ASKING | GENERIC


def _things(question: str) -> list[str]:
    return [text for text, _ in asked_things(question, SKIP)]


@pytest.mark.parametrize(
    ("question", "things"),
    [
        # a common verb ends the run ("porters | got"): one paraphrased noun is no two-word thing (w25-support)
        ("What percentage of porters got a flu jab last winter?", ["flu jab"]),
        ("What starting salary will overseas midwives be paid?", ["starting salary", "overseas midwives"]),
        ("Which ward is a dental clinic placed in if it overspends?", ["dental clinic"]),  # "placed" ends the run
        ("What did the Riverside Hospital test with robotic surgery?", ["Riverside Hospital test", "robotic surgery"]),
        # one word is often a paraphrase ("payment" for "funding"): only runs of two or more words
        ("What payment do clinics get?", []),
        # counting and stand-in words name nothing ("four things", "someone"), nor order words ("a later report")
        ("What four things must clinics do?", []),
        ("How long can someone stay on the panel?", []),
        ("What figure did a later report give?", []),
        # a gerund after a preposition is a verb, and an adverb names nothing ("in bringing ... together")
        ("What does the review offer in bringing councils and charities together?", ["review offer"]),
        # a yes/no question has no asking word: its wording is the reader's own more often
        ("Will clinics face fewer data returns?", []),
        # "which <N>": the asked type is ``asked_type``'s, which allows its kin ("platform": "system")
        ("Which Trust platform hosts dashboards?", []),
    ],
)
def test_asked_things(question: str, things: list[str]) -> None:
    assert _things(question) == things


def test_content_runs_end_at_function_words_digits_and_possessives() -> None:
    assert content_runs("the Smith's review of 4mm needle sizes", frozenset()) == [["Smith"], ["review"], ["needle", "sizes"]]


def test_a_thing_none_of_whose_words_the_document_uses_is_unmet() -> None:
    question = "What did porters think of the flu jab?"
    passages = [
        make_passage("Porter numbers rose by 4% last winter.", "paper.md", "Workforce paper"),
        make_passage("Porter numbers are counted each winter.", "paper.md", "Workforce paper"),
    ]
    assert constrained(question, whole_candidates(passages), passages) == [False, False]
    # one word of it in the document is enough: "flu vaccination" may be what the question calls a flu jab
    named = [*passages, make_passage("Flu vaccination uptake among staff is reported.", "paper.md", "Workforce paper")]
    assert constrained(question, whole_candidates(named), named)[0]
    # the sentence-level check (``unmet_constraints``, the generative answerer's) does not look for things
    assert unmet_constraints(question, "Porter numbers rose by 4% last winter.") == []


def test_the_thing_must_be_named_in_the_sentence_s_own_document() -> None:
    question = "What did the Riverside Hospital trial with robotic surgery?"
    passages = [
        make_passage("The Riverside Hospital trialled automated letter drafting.", "paper.md", "Productivity paper"),
        make_passage("Surgical robots will be adopted more widely.", "plan.md", "Ten year plan"),
        make_passage("Staff time was freed for patients.", "paper.md", "Productivity paper"),
    ]
    met = constrained(question, whole_candidates(passages), passages)
    assert met[0] is False  # another document mentions robots; the paper quoted never does
    trialled = [*passages, make_passage("It also trialled robotic knee surgery.", "paper.md", "Productivity paper")]
    assert constrained(question, whole_candidates(trialled), trialled)[3]


def test_a_question_naming_a_document_looks_in_everything_retrieved() -> None:
    question = "What rota system do the wards use, as described in the Staffing Board paper?"
    passages = [
        make_passage("Wards book shifts through the e-rostering system.", "manual.md", "Workforce manual"),
        make_passage("Rota gaps fell by a fifth.", "board.md", "Staffing: Board paper"),
    ]
    assert names_title(("board", "paper"), [{"staf", "board", "paper"}])
    assert constrained(question, whole_candidates(passages), passages)[0]


def test_a_passage_judged_alone_is_not_refused_for_a_thing() -> None:
    # too little of its document to say the document never names the thing (``supports_alone``)
    question = "What did the Riverside Hospital trial with robotic surgery?"
    alone = [make_passage("The Riverside Hospital trialled automated letter drafting.", "paper.md", "Productivity paper")]
    assert constrained(question, whole_candidates(alone), alone) == [True]
