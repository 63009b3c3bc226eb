"""Retrieval that generalises: abbreviations mined from the corpus, question words left out of the
keyword query, chunks embedded with their document title and section.

Real parts: Chroma, the real embedding model, bm25s. Stand-in: ``ChunkStore.iter_chunks``/``all_nodes``
replaced by a function that fails, to prove a new reader takes the acronym table from the saved index
instead of mining the chunks again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS

from assistant import Assistant
from assistant.retrieval.sparse import keyword_query
from assistant.text.acronyms import AcronymTable

DEFINING = [
    "Integrated care boards (ICBs) took on the commissioning duties of clinical commissioning groups (CCGs).",
    "The NHS Oversight Framework (NOF) places each trust in one of five segments.",
    "Each integrated care board (ICB) must publish a joint forward plan.",
]


# -- the acronym table (pure) ------------------------------------------------------------------------
def test_definitions_are_mined_with_their_long_forms() -> None:
    table = AcronymTable.from_texts(DEFINING)
    assert table.long_form("ICB") == "integrated care boards"  # once in the plural, once not: a tie, the first seen
    assert table.long_form("ICBs") == table.long_form("ICB")
    assert table.long_form("CCG") == "clinical commissioning groups"
    assert table.long_form("NOF") == "nhs oversight framework"
    assert table.long_form("GP") is None


def test_the_commonest_definition_wins() -> None:
    table = AcronymTable.from_texts(["a faecal immunochemical test (FIT) kit", "the faecal immunochemical test (FIT)",
                                     "a fixed interval timing (FIT) rule"])
    assert table.long_form("FIT") == "faecal immunochemical test"


@pytest.mark.parametrize("text", [
    "the Care Quality Commission (report) said",  # not an acronym
    "the quality of care (QOF) was",  # initials do not spell it
    "see the appendix (A)",  # one letter
    "Commission (C) and",
])
def test_what_is_not_a_definition_is_ignored(text: str) -> None:
    assert len(AcronymTable.from_texts([text])) == 0


def test_a_query_gets_the_other_form_of_each_abbreviation_it_uses() -> None:
    table = AcronymTable.from_texts(DEFINING)
    assert table.expand("When must ICBs publish their plan?") == "When must ICBs publish their plan? (integrated care boards)"
    assert table.expand("Which segment did the NHS Oversight Framework give?") == "Which segment did the NHS Oversight Framework give? (NOF)"
    assert table.expand("What do integrated care boards commission?") == "What do integrated care boards commission? (ICB)"
    assert table.expand("What does the ICB (integrated care board) do?") == "What does the ICB (integrated care board) do?"
    assert table.expand("How long is the waiting list?") == "How long is the waiting list?"
    assert AcronymTable().expand("What must ICBs publish?") == "What must ICBs publish?"


def test_the_table_round_trips_and_rejects_garbage() -> None:
    table = AcronymTable.from_texts(DEFINING)
    again = AcronymTable.from_dict(json.loads(json.dumps(table.to_dict())))
    assert again.to_dict() == table.to_dict() and again.expand("ICB duties") == table.expand("ICB duties")
    with pytest.raises(ValueError):
        AcronymTable.from_dict({"ICB": "integrated care board"})


# -- question words (pure) ---------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "query"), [
    ("What does the document say about the Hewitt Review?", "the about the Hewitt Review"),
    ("According to the letter, when was PR00557 sent?", "to the letter was PR00557 sent"),
    ("How many ICBs will there be after the mergers?", "many ICBs will there be after the mergers"),
    ("Who did what, and when?", "and"),
    ("Who, what, when?", "Who, what, when?"),  # nothing else: kept whole
])
def test_question_words_are_left_out_of_the_keyword_query(question: str, query: str) -> None:
    assert keyword_query(question) == query


# -- in the assistant (real Chroma and embedding model) ------------------------------------------------
@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    docs = tmp_path_factory.mktemp("docs")
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"), dirs_exist_ok=True)  # the two seeds
    a = Assistant(index_dir=tmp_path_factory.mktemp("index"))
    assert a.ingest([docs]).ok
    return a


def test_the_table_is_mined_at_ingestion_and_saved_with_the_keyword_index(ingested: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    index = ingested.keyword_index.current()
    assert index is not None
    saved = json.loads((index.path / "acronyms.json").read_text(encoding="utf-8"))
    assert {"ICB", "ICP", "ICS"} <= set(saved)
    # Another process's view: it opens the saved table and never reads the chunks back.
    fresh = Assistant(index_dir=ingested.settings.index_dir)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the acronym table was mined again instead of opened")

    monkeypatch.setattr(fresh.store, "iter_chunks", fail)
    monkeypatch.setattr(fresh.store, "all_nodes", fail)
    assert fresh.keyword_index.acronyms().to_dict() == saved
    assert "integrated care system" in fresh.retriever.dense_query("Who reviewed ICSs?")


def test_a_saved_index_without_a_table_is_rebuilt(ingested: Assistant, tmp_path: Path) -> None:
    index_dir = tmp_path / "copy"
    shutil.copytree(ingested.settings.index_dir, index_dir)
    current = json.loads((index_dir / "keyword" / ingested.settings.collection / "CURRENT").read_text())["name"]
    (index_dir / "keyword" / ingested.settings.collection / current / "acronyms.json").unlink()
    fresh = Assistant(index_dir=index_dir)
    assert "ICS" in fresh.keyword_index.acronyms().to_dict()


def test_chunks_are_embedded_with_their_title_and_section(ingested: Assistant) -> None:
    from llama_index.core.schema import MetadataMode

    node = ingested.store.all_nodes()[0]
    embedded = node.get_content(metadata_mode=MetadataMode.EMBED)
    assert embedded.startswith(f"title: {node.metadata['title']}\n") and embedded.endswith(node.get_content())


def test_the_expansion_brings_the_long_form_passage_closer_with_the_real_model(ingested: Assistant) -> None:
    model = ingested.embed_model
    table = AcronymTable.from_texts(DEFINING)
    passage = "Each integrated care board must publish a joint forward plan before the start of the financial year."
    others = ["Trusts must publish their annual accounts before the start of the financial year.",
              "Local authorities publish a joint strategic needs assessment.",
              "Clinical commissioning groups were abolished in July 2022."]
    question = "When must ICBs publish their plan?"
    vectors = np.array(model.get_text_embedding_batch([passage, *others]))

    def sims(text: str) -> np.ndarray:
        return vectors @ np.array(model.get_query_embedding(text))

    raw, expanded = sims(question), sims(table.expand(question))
    assert expanded[0] > raw[0] + 0.05
    assert int(np.argmax(expanded)) == 0



def test_the_dense_side_searches_with_the_mean_of_the_question_and_its_expansion(ingested: Assistant) -> None:
    retriever = ingested.retriever
    model = ingested.embed_model
    question = "Who reviewed ICSs?"
    raw = np.array(model.get_query_embedding(question))
    expanded = np.array(model.get_query_embedding(retriever.dense_query(question)))
    assert np.allclose(retriever.dense_vector(question), (raw + expanded) / 2, atol=1e-6)
    plain = "Who reviewed the targets?"
    assert retriever.dense_query(plain) == plain
    assert np.allclose(retriever.dense_vector(plain), model.get_query_embedding(plain), atol=1e-6)
