"""Pseudo-relevance feedback on the keyword side: the first fused search's top passages lend the
keyword query a few distinctive words, so a passage worded unlike the question but like its
neighbour is found.

Real parts: Chroma, the real embedding model, bm25s, the real ingestion of small text files of our own.
No stand-ins.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Assistant
from assistant.retrieval.feedback import Feedback, feedback_terms
from assistant.retrieval.hybrid import HybridRetriever

DF = {"marrowbi": 2, "quillon": 3, "pier": 3, "ferri": 40, "timet": 1, "hour": 30, "2025": 5, "may": 60}


# -- choosing the words (pure) -------------------------------------------------------------------------
def test_the_words_rarest_in_the_corpus_and_commonest_in_the_passages_come_first() -> None:
    passages = [["marrowbi", "ferri", "quillon", "pier", "hour"], ["marrowbi", "pier", "may"]]
    picked = feedback_terms(passages, DF.__getitem__, 100, exclude=set(), n_terms=3)
    assert picked == ["marrowbi", "pier", "quillon"]  # in both passages > in one; rarer > commoner


def test_the_questions_own_words_numbers_and_one_off_words_are_never_added() -> None:
    passages = [["ferri", "timet", "2025", "2025", "hour", "marrowbi"]]
    picked = feedback_terms(passages, DF.__getitem__, 100, exclude={"ferri"}, n_terms=10)
    assert "ferri" not in picked  # the question has it already
    assert "2025" not in picked  # a number names no topic
    assert "timet" not in picked  # in one chunk only (df 1 < 2)
    assert picked == ["marrowbi", "hour"]


def test_a_word_in_every_chunk_says_nothing_and_nothing_in_nothing_out() -> None:
    assert feedback_terms([["ferri"]], lambda t: 100, 100, exclude=(), n_terms=5) == []
    assert feedback_terms([[], []], DF.__getitem__, 100, exclude=(), n_terms=5) == []
    assert len(feedback_terms([list(DF)], DF.__getitem__, 100, exclude=(), n_terms=2)) == 2


def test_bad_parameters_are_refused() -> None:
    with pytest.raises((ValueError, ValidationError)):
        Feedback(passages=0)
    with pytest.raises((ValueError, ValidationError)):
        Feedback(weight=-0.1)


# -- through the real retriever ----------------------------------------------------------------------
DOCS = {
    # The question's words are here, and so are the place names the harbour notice shares.
    "ferry-timetable.txt": "Ferry timetable\n\nThe Marrowby ferry leaves Quillon pier every hour from May to September. "
                           "Tickets for the Marrowby ferry are sold at the Quillon pier kiosk.",
    # The answer, in none of the question's words.
    "harbour-works.txt": "Harbour works\n\nQuillon pier and the Marrowby slipway shut for resurfacing from November until March. "
                         "Sailings resume when the Quillon pier works end.",
    "bus-services.txt": "Bus services\n\nNight buses stop running at midnight on weekdays. Weekend buses run until two in the morning.",
    "train-services.txt": "Train services\n\nThe branch line stops running during engineering closures. Replacement coaches run instead.",
    "tram-services.txt": "Tram services\n\nTrams stop running when wind speeds are high. Services restart once the wind drops.",
    "ferry-fares.txt": "Ferry fares\n\nA return ferry ticket costs four pounds. Children under five travel free on every ferry.",
    "ferry-safety.txt": "Ferry safety\n\nLife jackets are stored under every seat on the ferry. The crew give a safety briefing before departure.",
}


@pytest.fixture(scope="module")
def ferries(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    docs = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    a = Assistant(index_dir=tmp_path_factory.mktemp("index"), feedback_passages=0)
    assert a.ingest([docs]).ok
    return a


def _sources(retriever: HybridRetriever, question: str, k: int) -> list[str]:
    return [Path(h.node.metadata["source"]).name for h in retriever.configured(top_k=k, filters=None).retrieve(question)]


@pytest.mark.parametrize("question", ["When does the ferry stop running?", "Is the ferry out of service in winter?"])
def test_a_paraphrased_question_finds_its_passage_through_its_neighbours_words(ferries: Assistant, question: str) -> None:
    plain = ferries.retriever
    assert isinstance(plain, HybridRetriever) and plain.feedback is None
    assert "harbour-works.txt" not in _sources(plain, question, 2)
    with_feedback = copy.copy(plain)
    with_feedback.feedback = Feedback(passages=1, terms=5, weight=0.5)
    found = _sources(with_feedback, question, 2)
    assert found[0] == "ferry-timetable.txt"  # the first search's best stays first
    assert found[1] == "harbour-works.txt"


def test_feedback_is_configured_from_the_settings(tmp_path: Path) -> None:
    on = Assistant(index_dir=tmp_path / "a", feedback_passages=2, feedback_terms=4, feedback_weight=0.2).retriever
    assert isinstance(on, HybridRetriever) and on.feedback == Feedback(2, 4, 0.2)
    assert on.configured(top_k=3, filters=None).feedback == on.feedback
    off = Assistant(index_dir=tmp_path / "b", feedback_weight=0).retriever
    assert isinstance(off, HybridRetriever) and off.feedback is None
