""""Which <N>" answered by a sentence naming an N under another kind word (issue 14, ninth pass).

The class of failure: "Through which online system are requests submitted?" refused although a passage says
"submitted through the online portal (Apollo)", because nothing retrieved uses the word "system". The
questions and passages are made up; none is a dev-set question.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from conftest import make_passage

from assistant.answering.answerability import constrained
from assistant.answering.asked_kin import MIN_SIMILARITY, kin_words, kind_nouns
from assistant.answering.asked_type import labels_instance


@pytest.mark.parametrize(
    ("sentence", "nouns"),
    [
        ("Claims are made through the online portal (Claimsnet).", ["portal"]),
        ("The Regional Appeals Board will hear the case again.", ["board"]),
        ("In 2023 we launched the Better Discharge programme across the region.", ["discharge", "programme"]),
        ("Send it with the cover sheet (Form B7) to the office.", ["sheet"]),
        ("Insupen needles cost less than other brands.", []),  # a one-word name: "needles" is not its kind
        ("NHS providers should report monthly.", []),  # an acronym used as an adjective
        ("Providers should report monthly to the board.", []),  # a capital that only starts the sentence
    ],
)
def test_kind_nouns_are_the_kind_words_of_names(sentence: str, nouns: list[str]) -> None:
    assert kind_nouns(sentence) == nouns


def _similarity(table: dict[tuple[str, str], float]):  # noqa: ANN202 - a test stand-in for the embedding model
    def similarity(word: str, words: Sequence[str]) -> list[float]:
        return [table.get((word, w), 0.1) for w in words]
    return similarity


def test_only_kind_words_the_model_finds_alike_are_kin() -> None:
    sims = _similarity({("system", "portal"): 0.35, ("system", "board"): 0.2})
    sentences = ["Claims go through the online portal (Claimsnet).", "The Regional Appeals Board decides."]
    assert kin_words("system", sentences, sims) == frozenset({"portal"})
    assert kin_words("system", ["Providers report monthly."], sims) == frozenset()


def test_a_kind_word_kin_to_the_asked_type_meets_the_which_question() -> None:
    question = "Through which online system do clinicians send claims?"
    passage = make_passage("Claims are sent through the online portal (Claimsnet) by the treating clinician.")
    candidate = [(0, 0, len(passage.text), passage.text)]
    assert constrained(question, candidate, [passage]) == [False]  # nothing retrieved says "system"
    assert constrained(question, candidate, [passage], frozenset({"portal"})) == [True]
    # the kin word must be in the sentence itself
    other = make_passage("Claims are checked by the treating clinician within a week.")
    assert constrained(question, [(0, 0, len(other.text), other.text)], [other], frozenset({"portal"})) == [False]
    # ... as the kind word of a name it gives: "the portal" alone names no particular one
    bare = make_passage("Claims are sent through the portal by the treating clinician.")
    assert constrained(question, [(0, 0, len(bare.text), bare.text)], [bare], frozenset({"portal"})) == [False]


def test_labelled_instance_of_the_asked_type() -> None:
    assert labels_instance("question", "If question 5 is no, the process stops here.")
    assert labels_instance("appendix", "Use the form in Appendix four.")
    assert not labels_instance("question", "There are 5 questions on the form.")
    assert not labels_instance("question", "Section 5 ends the process.")


# -- the real model: the threshold against kind-word pairs, related and not --------------------------------
@pytest.fixture(scope="module")
def cosine():  # noqa: ANN201 - a function of two words
    from assistant.ingest.embedding import get_embed_model

    model = get_embed_model()

    def cos(a: str, b: str) -> float:
        va, vb = (np.asarray(v) for v in model.get_text_embedding_batch([a, b]))
        return float(va @ vb / np.linalg.norm(va) / np.linalg.norm(vb))
    return cos


@pytest.mark.parametrize(("asked", "kind"), [("system", "portal"), ("committee", "panel"), ("initiative", "programme"),
                                             ("body", "group"), ("form", "document"), ("body", "board")])
def test_a_kind_word_for_the_same_kind_of_thing_is_kin(cosine, asked: str, kind: str) -> None:  # noqa: ANN001
    assert cosine(asked, kind) >= MIN_SIMILARITY


@pytest.mark.parametrize(("asked", "kind"), [("wholesaler", "needles"), ("wholesaler", "board"), ("minister", "plan"),
                                             ("committee", "england"), ("initiative", "england"), ("system", "review"),
                                             ("minister", "panel"), ("hospital", "panel"), ("drug", "programme")])
def test_a_kind_word_for_another_kind_of_thing_is_not(cosine, asked: str, kind: str) -> None:  # noqa: ANN001
    assert cosine(asked, kind) < MIN_SIMILARITY


# -- the answerer: a sentence met only through a kind word must say all else the question asks -----------------------
def test_the_answerer_quotes_a_named_kin_only_when_the_sentence_says_the_rest() -> None:
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.ingest.embedding import get_embed_model
    from assistant.text.terms import TermStats

    passages = [make_passage("Claims for the travel scheme are submitted by the treating clinician through the online "
                             "portal (Claimsnet). The Claims Team will record the outcome of each claim.")]
    answerer = ExtractiveAnswerer(get_embed_model())
    answer = answerer.answer("Through which online system do clinicians submit claims for the travel scheme?",
                             passages, TermStats())
    assert not answer.refused and "Claimsnet" in answer.text
    # "the Claims Team" is a name of a kind close to "system", but its sentence does not say who appeals
    near = answerer.answer("Through which system do patients appeal against a refused travel scheme claim?",
                           passages, TermStats())
    assert near.refused
