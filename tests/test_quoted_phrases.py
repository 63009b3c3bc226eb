"""A phrase the question quotes (text/phrases.py, retrieval/quoted.py, the ``quoted`` constraint): looked for where
the documents write it, and met only in the passage that writes it. Pure functions, no model."""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.constraints import question_constraints, unmet_constraints
from assistant.retrieval.quoted import with_quoted
from assistant.text.phrases import holds_phrase, quoted_phrases


@pytest.mark.parametrize(("question", "phrases"), [
    ("Which component takes a 'Home First' approach?", ["Home First"]),
    ("What is the “Ping and Book” service?", ["Ping and Book"]),
    ("What does ‘FDP First’ mean, and is 'FDP First' policy?", ["FDP First"]),
    ("What did Hewitt's review say about the centre's role?", []),  # apostrophes open no quotation
    ("Does 'the' matter?", []),  # no content word
    ('According to "A review on consensus algorithm of blockchain," what is the focus?',
     ["A review on consensus algorithm of blockchain"]),  # punctuation inside the quotes is the sentence's
])
def test_quoted_phrases(question: str, phrases: list[str]) -> None:
    assert quoted_phrases(question) == phrases


def test_a_phrase_is_held_whatever_its_quotes_case_and_spacing() -> None:
    assert holds_phrase("E. Integrated intermediate care with a ‘Home\n First’ approach", "home first")
    assert not holds_phrase("care at home first of all", "Home Last")
    assert holds_phrase("Mingxiao, D.: A review on consensus al-\ngorithm of blockchain.", "consensus algorithm of blockchain")


def passage(text: str, chunk: str):  # noqa: ANN201 - a Passage
    p = make_passage(text)
    p.chunk_id = chunk
    return p


def test_a_deeper_passage_that_writes_the_phrase_replaces_the_last_one() -> None:
    top = [passage("The six core components are listed below.", "a"), passage("Components of care.", "b")]
    deeper = [*top, passage("Other text.", "c"), passage("E. Intermediate care with a ‘Home First’ approach.", "d")]
    assert [p.chunk_id for p in with_quoted(top, deeper, ["Home First"])] == ["a", "d"]


def test_nothing_changes_when_a_top_passage_writes_it_or_no_candidate_does() -> None:
    top = [passage("A 'Home First' approach.", "a"), passage("Other.", "b")]
    deeper = [*top, passage("Also ‘Home First’.", "c")]
    assert with_quoted(top, deeper, ["Home First"]) == top
    plain = [passage("Care at home.", "a"), passage("First steps.", "b")]
    assert with_quoted(plain, plain, ["Home First"]) == plain


QUESTION = "What is the 'Right Care Right Place' initiative?"


def test_a_quoted_phrase_is_not_met_by_its_words_gathered_from_other_passages() -> None:
    assert any(c.kind == "quoted" for c in question_constraints(QUESTION))
    sentence = "Patients should get the right care in the right place at the right time."
    retrieved = "Care closer to home. The place of community services."
    # every word is somewhere in what was retrieved, and the sentence's own passage has all of them
    assert not unmet_constraints(QUESTION, sentence, sentence, retrieved=retrieved)
    # a sentence whose passage lacks "place" no longer borrows it from another passage
    assert unmet_constraints(QUESTION, "The right care for every patient.", "The right care for every patient.",
                             retrieved=retrieved)


def test_a_phrase_the_documents_write_must_be_in_the_sentences_own_passage() -> None:
    question = "What does a 'Home First' approach involve?"
    retrieved = "E. Integrated intermediate care with a ‘Home First’ approach. Systems deliver reablement."
    assert unmet_constraints(question, "The appendix describes 6 core components.",
                             "First, the appendix. Care at home.", retrieved=retrieved)
    assert not unmet_constraints(question, "Systems deliver reablement.", retrieved, retrieved=retrieved)
