""""Which <N> has the highest ...?" is answered only by a sentence that ranks (issue 14, sixth pass).

Pure functions, no model. The questions and sentences are made up; none is a dev-set question. The class of
failure: a sentence on the question's topic ("systems must keep reducing agency spend") was quoted for a
question asking which region, trust or board comes top on it, which nothing retrieved ranked.
"""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.answerability import constrained
from assistant.answering.constraints import unmet_constraints
from assistant.answering.ranking import asked_ranking, ranked_head, states_ranking
from assistant.results import Passage


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which region has the highest locum spend?", ("highest", "")),
        ("Which hospital has the longest ambulance handover delays?", ("longest", "")),
        ("Which board had the worst rating last year?", ("worst", "")),
        ("Which dressing is considered the safest?", ("safest", "")),  # predicative, at the end
        ("Which inhaler is the most popular with patients?", ("most", "popular")),
        ("Who is the least experienced member of the panel?", ("least", "experienc")),
        ("Where are the longest waits?", ("longest", "")),
        ("What region had the lowest vacancy rate?", ("lowest", "")),  # "what <noun>" picks as "which" does
    ],
)
def test_a_superlative_after_the_asks_for_a_ranking(question: str, asked: tuple[str, str]) -> None:
    assert asked_ranking(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "What's the most a surgery should pay for a box of 50 strips?",  # a maximum amount, not a ranking
        "What is the best practice for discharge planning?",  # a set phrase
        "Must a panel have at least three members?",  # a bound
        "Which board published the latest guidance?",  # a time superlative: a date, checked by kind elsewhere
        "Which hospital has the longer waits?",  # a comparative
        "What is the longest wait for a decision on an urgent request?",  # the value itself: a duration
        "What does the plan call the biggest risk?",  # "what" + auxiliary: asks what the plan says
    ],
)
def test_questions_that_ask_for_no_ranking(question: str) -> None:
    assert asked_ranking(question) is None


def test_a_question_in_two_parts_asks_no_ranking_of_every_sentence() -> None:
    # the sentence answering "what is the target?" need not rank
    question = "Which hospital has the longest waits, and what is the handover target?"
    assert "longest" not in unmet_constraints(question, "The handover target is 30 minutes.")
    assert "longest" in unmet_constraints("Which hospital has the longest waits?", "The handover target is 30 minutes.")


@pytest.mark.parametrize(
    ("asked", "sentence", "ranks"),
    [
        (("highest", ""), "The North West has the highest locum spend of all regions.", True),
        (("highest", ""), "Locum spend was lowest in the South West.", True),  # any superlative ranks
        (("highest", ""), "The trust ranked third nationally for locum spend.", True),
        (("highest", ""), "Regions must continue to reduce locum spend this year.", False),
        (("longest", ""), "Waits of 12 hours or more are growing.", False),  # a figure is no ranking
        (("most", "popular"), "The pen is the most popular choice among patients.", True),
        (("most", "popular"), "These inhalers are the most cost-effective to prescribe.", False),  # ranked by cost
        (("most", "popular"), "The 4mm needle is the safest for adults.", False),
    ],
)
def test_a_sentence_states_a_ranking(asked: tuple[str, str], sentence: str, ranks: bool) -> None:
    assert states_ranking(asked, sentence) is ranks


def _passage(text: str) -> Passage:
    return make_passage(text, "locums.pdf", "Locum spending")


def test_a_sentence_on_the_topic_that_ranks_nothing_does_not_answer_a_ranking_question() -> None:
    question = "Which region has the highest locum spend?"
    topical = "Regions must continue to reduce locum spend, which fell to £1.2 billion this year."
    ranked = "Locum spend is highest in the North West region."
    assert unmet_constraints(question, topical) == ["highest"]
    assert unmet_constraints(question, ranked) == []
    text = f"{topical} {ranked}"
    candidates = [(0, 0, len(topical), topical), (0, len(topical) + 1, len(text), ranked)]
    assert constrained(question, candidates, [_passage(text)]) == [False, True]


def test_what_is_the_superlative_noun_picks_one_unless_the_noun_measures() -> None:
    # "what is the most common cause" asks which cause, as "which" does; "the longest wait" asks for a value
    assert asked_ranking("What is the most common cause of crowding in emergency departments?") == ("most", "common")
    assert asked_ranking("What is the biggest risk to delivering the plan?") == ("biggest", "")
    assert asked_ranking("What is the longest wait for a decision?") is None
    assert asked_ranking("What is the lowest recorded national average level of job planned activity?") is None
    assert asked_ranking("What is the highest target for 2026/27?") is None
    assert asked_ranking("What is the most a practice should pay?") is None


def test_a_one_word_superlative_must_come_with_the_noun_it_ranks() -> None:
    question = "What is the largest neighbourhood health component by spend?"
    assert ranked_head(question) == "compon"
    assert ranked_head("Which trust has the longest A&E waits?") == "wait"
    assert unmet_constraints(question, "The initial focus is on people with the most complex health and care needs.") == ["largest"]
    assert unmet_constraints(question, "Intermediate care is the largest component by spend.") == []
    # the ranked noun before a predicative superlative, or a column's line between the two, still counts
    assert states_ranking(("highest", ""), "Locum spend is highest in the North West region.", "spend")
    assert states_ranking(("worst", ""), "areas with the worst additional support for children and young health outcomes",
                          "outcom")


@pytest.mark.parametrize(
    ("question", "bound", "unbounded"),
    [
        ("Which is the highest band a newly qualified nurse can be appointed to?",
         "Newly qualified nurses cannot be appointed to a band higher than 5.", "Band 6 nurses lead a team of staff."),
        ("Which is the largest grant a practice may receive?", "Grants are capped at £20,000 per practice.",
         "Larger grants went to practices in deprived areas."),
        ("Which is the longest period a loan device can be kept for?", "A loan device may be kept for a maximum of 6 weeks.",
         "Loan devices are kept in the ward store."),
        ("Which is the lowest age a child can be referred at?", "Children must be at least 5 years old to be referred.",
         "Older children are referred by their school."),
        ("Which is the highest number of members a panel can have?", "A panel shall have no more than 7 members.",
         "A panel has more members than a committee."),  # "more than" without a negation bounds nothing
    ],
)
def test_a_superlative_asked_of_what_can_be_is_answered_by_a_bound(question: str, bound: str, unbounded: str) -> None:
    # "the highest segment an organisation in deficit can be allocated to": "cannot be ... higher than 3" is the answer
    assert unmet_constraints(question, bound) == []
    assert unmet_constraints(question, unbounded) != []


def test_a_bound_does_not_answer_a_ranking_of_what_is() -> None:
    # no modal of possibility: "which region has the highest spend" asks which one ranks first, not a limit
    question = "Which region has the highest agency spend?"
    assert unmet_constraints(question, "No region may spend more than its agency cap.") != []
