"""A question's words in the corpus's words (retrieval/synonyms.py): made-up thesauri, then a real index.

The pure parts take the thesaurus as a callable; the last tests ingest three small texts and check that a
synonym lifts the passage that says it the other way, on the keyword side, at its own weight.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from conftest import indexed_assistant

from assistant import Assistant
from assistant.retrieval.synonyms import (
    PHRASE_WEIGHT,
    WEIGHT,
    Synonym,
    question_synonyms,
    question_terms,
    weighted_stems,
)

STOP = frozenset("when was the up has to of for a in what how will".split())
THESAURUS = {
    "set up": ["establish", "found"],
    "set": ["place"],
    "hiring": ["employ", "engage"],
    "believable": ["credible"],
    "plan": ["programme"],
    "has": ["hold"],
}


def _words(query: str, known: Sequence[str], rare: Sequence[str] | None = None) -> list[str]:
    found = question_synonyms(query, THESAURUS.get, lambda s: s in known, STOP,
                              (lambda s: s in rare) if rare is not None else (lambda _s: True))
    return [s.word for s in found]


def test_terms_are_content_words_and_two_word_runs_holding_one() -> None:
    assert question_terms("When was the board set up?", STOP) == ["board", "set", "the board", "board set", "set up"]
    assert question_terms("Is it 2025?", STOP) == ["is", "it", "is it"]  # digits are never looked up


def test_a_phrase_is_read_as_a_phrase_not_as_its_words() -> None:
    assert _words("When was the board set up?", ["establish", "found", "place"]) == ["establish"]  # one per term


def test_only_synonyms_the_corpus_uses_and_the_question_does_not() -> None:
    assert _words("Is hiring believable?", ["credibl"]) == ["credible"]  # "employ" is in no chunk
    assert _words("Is hiring employment?", ["employ", "engag"]) == ["engage"]  # "employ" is the question's own stem


def test_a_word_the_corpus_uses_often_is_not_expanded() -> None:
    assert _words("Is the plan believable?", ["programm", "credibl"], rare=["believ"]) == ["credible"]
    assert _words("Is the plan believable?", ["programm", "credibl"], rare=[]) == []


def test_stopwords_are_never_expanded_but_may_start_a_phrase() -> None:
    assert _words("What has the board done?", ["hold"]) == []
    assert _words("set up", ["establish"]) == ["establish"]


def test_a_phrase_synonym_weighs_more_than_a_word_synonym() -> None:
    found = [Synonym("set up", "establish", "establish"), Synonym("hiring", "employ", "employ")]
    assert weighted_stems(found) == {"establish": PHRASE_WEIGHT, "employ": WEIGHT}
    assert WEIGHT < PHRASE_WEIGHT <= 1.0


# -- the real retriever ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return indexed_assistant(tmp_path_factory.mktemp("synonyms"), {
        "status.txt": ("Status of this constitution.\n\nThe regional board was established on 1 July 2022 by an order of the "
        "minister.\n"),
        "members.txt": ("Members of the regional board.\n\nThe regional board has twelve members, and the regional board meets "
        "monthly; the regional board publishes its papers.\n"),
        "finance.txt": ("Finance.\n\nThe regional board reports its spending to the minister each quarter.\n"),
    })


def test_a_phrasal_verb_finds_the_passage_written_with_its_synonym(assistant: Assistant) -> None:
    pytest.importorskip("assistant.text.thesaurus")
    from assistant.text.thesaurus import open_wordnet

    if open_wordnet() is None:
        pytest.skip("WordNet (Debian package wordnet-base) is not installed")
    question = "When was the regional board set up?"
    assert [s.word for s in assistant.retriever.synonyms(question)] == ["establish"]
    with_synonyms = assistant.keyword_index.retriever(3, synonym_terms={"establish": PHRASE_WEIGHT})
    plain = assistant.keyword_index.retriever(3)
    assert with_synonyms is not None and plain is not None
    assert "established" in with_synonyms.retrieve(question)[0].node.get_content()
    assert "established" not in plain.retrieve(question)[0].node.get_content()


def test_a_synonym_the_index_lacks_is_ignored(assistant: Assistant) -> None:
    sparse = assistant.keyword_index.retriever(3, synonym_terms={"zzzunknown": 1.0})
    assert sparse is not None and sparse.synonym_terms == {}
