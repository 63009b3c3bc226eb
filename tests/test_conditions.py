"""A condition on what a "when" question asks answers it as a date does (answering/conditions.py)."""

import numpy as np

from assistant.answering.conditions import (
    asks_condition,
    condition_typed,
    main_clause,
    predicate_terms,
    states_under_condition,
)
from assistant.answering.extractive import ScoredSentence, select_sentences


def test_asks_condition_for_a_rule_not_for_a_date() -> None:
    assert asks_condition("When may a widget be considered obsolete?")
    assert asks_condition("When will a grant not be paid?")
    assert not asks_condition("When was the Widget Board established?")  # a past event: a date
    assert not asks_condition("By when must widgets be registered?")
    assert not asks_condition("On what date may a widget be registered?")
    assert not asks_condition("In which year will widgets be considered obsolete?")
    assert not asks_condition("What is a widget?")


def test_predicate_stops_at_a_phrase_placing_it() -> None:
    assert predicate_terms("When is a widget considered obsolete under the Widget Policy?") == ["widget", "consid", "obsolet"]


def test_main_clause_without_the_condition() -> None:
    assert main_clause("If the Chair is absent, the Deputy Chair shall preside.") == "the Deputy Chair shall preside."
    assert main_clause("A widget may be considered obsolete where any of these apply:") == "A widget may be considered obsolete"
    assert main_clause("The Board meets monthly.") is None
    # a question put in a form states nothing
    assert main_clause("If the widget is new: Is there enough evidence that it works?") is None


def test_states_the_predicate_under_a_condition() -> None:
    predicate = predicate_terms("When is a widget considered obsolete?")
    assert states_under_condition(predicate, "A widget may be considered obsolete where any of these points apply:")
    assert states_under_condition(predicate, "Unless it is repaired within a year, a widget is considered obsolete.")
    # the asked words in the condition: what a section covers, not when
    assert not states_under_condition(predicate, "This section sets out how the rules apply where a widget is considered obsolete.")
    # the condition of something else, naming the asked words out of their order
    assert not states_under_condition(predicate, "The Board will consider a request for an obsolete widget where there is evidence:")
    assert not states_under_condition(predicate, "A widget is considered obsolete.")  # no condition


def test_condition_typed_only_for_when_questions() -> None:
    sentences = ["A widget may be considered obsolete where any of these points apply:", "Widgets were first made in 1990."]
    assert condition_typed("When is a widget considered obsolete?", sentences) == [True, False]
    assert condition_typed("When was a widget first considered obsolete?", sentences) is None


def _scored(support: float, text: str) -> ScoredSentence:
    return ScoredSentence(0, 0, len(text), text, support, support, support)


def test_a_condition_typed_sentence_is_quoted_below_the_plain_bar() -> None:
    scored = [_scored(0.55, "A widget may be considered obsolete where any of these points apply:"),
              _scored(0.50, "Widgets are made of tin.")]
    vecs = np.eye(2)
    # without the condition typing, a "when" question quotes nothing under the plain bar
    assert select_sentences(scored, vecs, 3, 0.42, typed=[False, False], plain=0.65) == []
    assert select_sentences(scored, vecs, 3, 0.42, typed=[True, False], plain=0.65) == [0]
