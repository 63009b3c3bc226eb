"""The BM25 keyword index is saved beside the store, so a new process doesn't rebuild it.

Real Chroma, the real embedding model and llama-index's BM25Retriever; the only stand-in is a
``ChunkStore.all_nodes`` that fails, to prove a process answered without reading the chunks back.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS

from assistant import Assistant

QUESTION = "Who was asked to lead the independent review of integrated care systems?"


def _saved(a: Assistant) -> list[str]:
    root = a.keyword_index.directory
    assert root == a.settings.index_dir / "bm25" / a.settings.collection
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


def _refuse_to_read_chunks(a: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("the BM25 index was rebuilt from the store instead of loaded")

    monkeypatch.setattr(a.store, "all_nodes", fail)


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("*.pdf"))  # the two seeds: quick to re-ingest
    return target


def test_ingest_saves_the_index_and_a_new_process_loads_it(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Assistant(index_dir=tmp_path / "index")
    assert first.ingest([docs]).ok
    assert _saved(first) == [first.store.fingerprint()]
    built = [(p.chunk_id, round(p.score, 6)) for p in first.retrieve(QUESTION, top_k=5)]

    second = Assistant(index_dir=tmp_path / "index")  # what a new process sees
    _refuse_to_read_chunks(second, monkeypatch)
    assert [(p.chunk_id, round(p.score, 6)) for p in second.retrieve(QUESTION, top_k=5)] == built
    assert second.keyword_index.term_stats().df == first.keyword_index.term_stats().df
    assert "Patricia Hewitt" in second.ask(QUESTION).text


def test_a_changed_corpus_replaces_the_saved_index(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    old = _saved(a)
    (docs / "extra.md").write_text("# Extra\n\nThe quokka programme starts in 2031.\n", encoding="utf-8")
    a.ingest([docs])
    assert _saved(a) == [a.store.fingerprint()] != old  # the old state's index is gone

    fresh = Assistant(index_dir=tmp_path / "index")
    _refuse_to_read_chunks(fresh, monkeypatch)
    assert fresh.keyword_index.term_stats().df["quokka"] == 1
    assert "quokka" in fresh.retrieve("quokka programme", top_k=3)[0].text


def test_re_ingesting_unchanged_files_does_not_rebuild(docs: Path, tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    saved = a.keyword_index.directory / a.store.fingerprint()
    stamp = saved.stat().st_mtime_ns
    again = Assistant(index_dir=tmp_path / "index").ingest([docs])
    assert len(again.unchanged) == 2 and saved.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("damage", ["truncated corpus", "garbage stats", "missing array"])
def test_a_damaged_saved_index_is_rebuilt(
    docs: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    saved = a.keyword_index.directory / a.store.fingerprint()
    if damage == "truncated corpus":
        (saved / "corpus.jsonl").write_text('{"node_id": ', encoding="utf-8")
    elif damage == "garbage stats":
        (saved / "termstats.json").write_text('{"documents": "many"}', encoding="utf-8")
    else:
        (saved / "data.csc.index.npy").unlink()
    fresh = Assistant(index_dir=tmp_path / "index")
    with caplog.at_level(logging.WARNING, logger="assistant.retrieval"):
        answer = fresh.ask(QUESTION)
    assert "Patricia Hewitt" in answer.text
    assert any("ignoring the saved BM25 index" in r.getMessage() for r in caplog.records)
    # The damaged copy was replaced by the rebuilt one, which the next process loads.
    later = Assistant(index_dir=tmp_path / "index")
    _refuse_to_read_chunks(later, monkeypatch)
    assert later.keyword_index.term_stats().df == a.keyword_index.term_stats().df


def test_an_unwritable_location_still_answers(docs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "bm25").write_text("not a directory", encoding="utf-8")  # mkdir under it fails, even as root
    a = Assistant(index_dir=index)
    with caplog.at_level(logging.WARNING, logger="assistant.retrieval"):
        assert a.ingest([docs]).ok
    assert "Patricia Hewitt" in a.ask(QUESTION).text
    assert any("could not save the BM25 index" in r.getMessage() for r in caplog.records)
