"""Refusals on the answering side (issue 14, eleventh pass), on made-up texts: an interval between two events
("how long after A did B?") told by a period from A and a sentence before it telling B; a figure placed in another
sector by its own document; a part of a period that is no figure; what a "when" question dates."""

from __future__ import annotations

import pytest

from assistant.answering.answerability import constrained, told_before, typed_candidates
from assistant.answering.constraints import _focus, part_of_period, typed_matches
from assistant.answering.durations import anchor_and_event, runs_from_anchor
from assistant.answering.sectors import placed_elsewhere
from assistant.results import Passage

ANCHORED = "Roughly how long after the agencies were set up did the council publish its review of them?"
PERIOD = "Nearly two years on from their creation, trust in the agencies remains high."


def _spans(sentence: str, phrase: str) -> list[tuple[int, int]]:
    start = sentence.index(phrase)
    return [(start, start + len(phrase))]


def test_anchor_and_event_split_at_the_last_auxiliary() -> None:
    assert anchor_and_event(ANCHORED) == ("the agencies were set up", "did the council publish its review of them")
    assert anchor_and_event("How long does the council have to decide?") is None


def test_a_period_from_the_anchor_answers_when_the_sentence_before_tells_the_event() -> None:
    before = "The council has today published its review of the regional agencies."
    assert runs_from_anchor(ANCHORED, PERIOD, _spans(PERIOD, "two years"), before)


@pytest.mark.parametrize("before", [
    "The council has today announced a consultation on the agencies.",  # another event: nothing was published
    "The council has published its accounts.",  # the verb, but not what the question says was published
    "",
])
def test_without_the_event_told_before_a_period_answers_nothing(before: str) -> None:
    assert not runs_from_anchor(ANCHORED, PERIOD, _spans(PERIOD, "two years"), before)


def test_a_period_without_an_anchor_or_about_another_subject_answers_nothing() -> None:
    before = "The council has today published its review of the regional agencies."
    bare = "Within two years, trust in the agencies remains high."  # no "from ..." anchor
    other = "Nearly two years on from the merger, staff morale remains high."  # the anchor is not about the agencies
    assert not runs_from_anchor(ANCHORED, bare, _spans(bare, "two years"), before)
    assert not runs_from_anchor(ANCHORED, other, _spans(other, "two years"), before)


def test_typed_candidates_reads_the_sentences_before_in_the_passage() -> None:
    text = "The council has today published its review of the regional agencies. " + PERIOD
    passage = Passage(source="letter.txt", title="Letter", text=text, score=1.0, start=0, end=len(text))
    start = text.index(PERIOD)
    candidates = [(0, 0, start - 1, text[:start - 1]), (0, start, len(text), PERIOD)]
    assert typed_candidates(ANCHORED, candidates) == [False, False]  # alone, the period times no publication
    assert typed_candidates(ANCHORED, candidates, [passage]) == [False, True]
    assert told_before(passage, start) == text[:start - 1]


def test_a_sentence_naming_no_sector_is_placed_by_its_document() -> None:
    sentence = "Taken together, labour productivity rose over the year."
    assert placed_elsewhere(("mental health",), sentence, "Acute trusts delivered more activity. Acute productivity grew.")
    assert not placed_elsewhere(("mental health",), sentence, "Mental health trusts reported better data.")
    assert not placed_elsewhere(("mental health",), sentence, "Staff numbers grew.")  # no sector named: left open
    assert not placed_elsewhere(("mental health",), "Mental health productivity rose.", "Acute productivity grew.")


def test_constrained_reads_the_sector_in_the_sentence_s_own_document() -> None:
    question = "What was the productivity growth of mental health services in 2030/31?"
    acute = Passage(source="a.md", path="a.md", title="Board paper", text="Acute trusts grew activity by 5% in 2030/31. "
                    "Taken together, productivity rose by 2% in 2030/31.", score=1.0)
    other = Passage(source="b.md", path="b.md", title="Plan", text="Mental health services productivity grew by 3% in 2030/31.", score=0.5)
    sentence = "Taken together, productivity rose by 2% in 2030/31."
    start = acute.text.index(sentence)
    candidates = [(0, start, start + len(sentence), sentence), (1, 0, len(other.text), other.text)]
    assert constrained(question, candidates, [acute, other]) == [False, True]


@pytest.mark.parametrize(("sentence", "phrase", "part"), [
    ("Productivity rose over the first half of 2030/31.", "half", True),
    ("Spend fell in the second quarter of the year.", "quarter", True),
    ("Half of all trusts met the standard.", "Half", False),
    ("Waits fell by half in the first year.", "half", False),
])
def test_part_of_a_period_is_no_figure(sentence: str, phrase: str, part: bool) -> None:
    a = sentence.index(phrase)
    assert part_of_period(sentence, a, a + len(phrase)) is part


def test_a_period_part_does_not_answer_how_much() -> None:
    question = "What was the productivity growth of the agencies in 2030/31?"
    assert typed_matches(question, "Productivity rose over the first half of 2030/31.") == []
    assert typed_matches(question, "Productivity rose by 2.1% over the first half of 2030/31.") != []


@pytest.mark.parametrize(("question", "focus"), [
    ("When was the person leading the agency review in charge of the finance department?", None),  # a name, not "person"
    ("In which year will ICBs start being allocated to bands?", "ICBs"),  # what the passive dates
    ("When will the council publish the plan?", None),  # the last word may be the verb: unread
    ("When will the interim report be published?", "report"),
    ("How many people waiting for care are there?", "people"),  # a count of people is a count of people
    ("When will the funding be released?", "funding"),  # a noun in -ing is no clause
])
def test_what_a_when_question_dates(question: str, focus: str | None) -> None:
    found = _focus(question)
    assert (found.text if found else None) == focus


def test_an_adverb_before_the_verb_is_not_what_is_dated() -> None:
    found = _focus("In which year will ICBs first be segmented?")  # "first" says which time, not what is segmented
    assert found is not None and found.text == "ICBs"


def test_the_period_is_quoted_with_the_sentence_that_tells_the_event() -> None:
    from assistant.answering.extractive import teller

    texts = ["The council has today published its review of the agencies.", "We thank everyone who took part.", PERIOD]
    candidates = [(0, i * 100, i * 100 + len(t), t) for i, t in enumerate(texts)]
    before: list[int | None] = [None, 0, 1]
    assert teller(ANCHORED, 2, before, candidates) == 0  # past the thanks, to the publication
    assert teller(ANCHORED, 1, before, candidates) == 0
    assert teller(ANCHORED, 2, [None, None, 1], candidates) is None  # nothing before it tells the publication


def test_the_sentence_before_meets_the_question_with_the_period() -> None:
    question = "How long after the agencies were set up did the council publish its review of them?"
    text = "The council has today published its review of the regional agencies. " + PERIOD
    passage = Passage(source="letter.txt", title="Letter", text=text, score=1.0, start=0, end=len(text))
    start = text.index(PERIOD)
    candidates = [(0, start, len(text), PERIOD)]
    # "review", what is published, is only in the sentence before; quoted together, they meet the question
    assert constrained(question, candidates, [passage]) == [True]
    alone = Passage(source="other.txt", title="Other", text=PERIOD + " The review is due.", score=1.0, end=len(PERIOD) + 19)
    assert typed_candidates(question, [(0, 0, len(PERIOD), PERIOD)], [alone]) == [False]
