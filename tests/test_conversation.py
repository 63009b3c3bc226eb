"""Follow-up questions are rewritten into stand-alone search queries (pure rules, no model)."""

from __future__ import annotations

import pytest

from assistant.answering.conversation import condense_question, content_words, is_follow_up

FIRST = "What did the Hewitt Review say about national targets?"


def test_no_history_means_the_question_itself() -> None:
    assert condense_question("And what about the CQC?", []) == "And what about the CQC?"


def test_and_what_about_carries_the_previous_topic() -> None:
    query = condense_question("And what about the CQC?", [(FIRST, "The review ... [1]")])
    assert query == "what about the CQC? Hewitt Review national targets"


@pytest.mark.parametrize(
    "follow_up",
    ["Who leads it?", "When did she serve as health secretary?", "Why?", "what about their budgets", "Also the timeline?"],
)
def test_pronouns_connectives_and_short_questions_are_follow_ups(follow_up: str) -> None:
    assert is_follow_up(follow_up)
    query = condense_question(follow_up, [(FIRST, "answer")])
    assert query.startswith(follow_up.removeprefix("Also ").rstrip()) or query.startswith(follow_up)
    assert "Hewitt" in query and "targets" in query


@pytest.mark.parametrize(
    "standalone",
    ["Who chairs NHS England?", "What does the operating framework say about oversight?", "How many integrated care systems exist?"],
)
def test_stand_alone_questions_are_left_alone(standalone: str) -> None:
    assert not is_follow_up(standalone)
    assert condense_question(standalone, [(FIRST, "answer")]) == standalone


def test_a_chain_of_follow_ups_keeps_the_original_topic() -> None:
    history = [(FIRST, "a1"), ("And who leads it?", "a2")]
    query = condense_question("When did she start?", history)
    assert "Hewitt" in query and "national" in query and "leads" in query


def test_words_already_asked_are_not_repeated() -> None:
    query = condense_question("And the Hewitt Review timeline?", [(FIRST, "a")])
    assert query.count("Hewitt") == 1 and query.startswith("the Hewitt Review timeline?")


def test_content_words_drop_stopwords_and_pronouns() -> None:
    assert content_words("What did she say about the Care Quality Commission's role?") == ["Care", "Quality", "Commission's", "role"]


def test_assistant_condense_uses_the_rules(seed_assistant) -> None:  # noqa: ANN001
    """The real pipeline: the rewritten query is recorded on the answer and finds an answer."""
    first = seed_assistant.ask("Who was asked to lead the independent review of integrated care systems?")
    follow = seed_assistant.ask("What is her current role?", history=[(first.question, first.text)])
    assert follow.search_query is not None and "independent review" in follow.search_query
    assert not follow.refused
    alone = seed_assistant.ask("What is her current role?")
    assert alone.search_query is None
