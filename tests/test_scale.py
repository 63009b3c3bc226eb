"""Memory that stays bounded as the library grows: the sentence cache in bytes, the catalogue read in
pages (and not at all per question), ingestion in batches, and the store's state token.

Real Chroma and the real embedding model; the Chroma reads are wrapped to count them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, CORPUS_DOCS

from assistant import Assistant
from assistant.answering.extractive import SentenceVectorCache
from assistant.ingest import pipeline
from assistant.ingest.store import ChunkStore

QUESTION = "Who was asked to lead the independent review of integrated care systems?"


def _embed(texts: list[str]) -> list[list[float]]:
    return [[float(len(t))] * 384 for t in texts]


def test_sentence_cache_is_bounded_in_bytes_whatever_the_sentences_length() -> None:
    budget = 200_000
    cache = SentenceVectorCache(max_bytes=budget)
    short = [f"s{i}" for i in range(1000)]
    cache.get(short, _embed)
    one = SentenceVectorCache.entry_bytes("s1", np.zeros(384, np.float32))
    assert cache.nbytes <= budget and len(cache) == budget // one  # short sentences: as many as fit
    long = [f"{i} " + "word " * 2000 for i in range(40)]  # ~10 kB strings: the vectors are not what fills it
    cache.get(long, _embed)
    assert cache.nbytes <= budget and len(cache) < 40 < budget // one
    assert cache.nbytes == sum(SentenceVectorCache.entry_bytes(t, v) for t, v in cache._items.items())
    assert sys.getsizeof(long[-1]) < budget  # the most recent are kept
    calls: list[list[str]] = []
    cache.get([long[-1]], lambda texts: calls.append(texts) or _embed(texts))  # type: ignore[func-returns-value]
    assert calls == []


def test_the_answerer_cache_follows_the_setting(tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index", sentence_cache_mb=1.5)
    assert a.answerer._vectors.max_bytes == int(1.5 * 2**20)  # type: ignore[attr-defined]


@pytest.fixture()
def many_docs(tmp_path: Path) -> Path:
    """Twelve small documents (the two seeds, each copied six times under other names, with their manifest rows;
    each copy one line longer than the last: the same bytes twice would be indexed once, ``ingest/copies.py``)."""
    target = tmp_path / "many"
    target.mkdir()
    with (CORPUS / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        rows = [row for row in csv.DictReader(fh) if row["file"].endswith(".txt")]  # the two seeds
    copies = []
    for i in range(6):
        for row in rows:
            text = (CORPUS / row["file"]).read_text(encoding="utf-8") + f"\n\nFiled as copy {i}.\n"
            (target / f"{i}_{row['file']}").write_text(text, encoding="utf-8")
            copies.append({**row, "file": f"{i}_{row['file']}"})
    with (target / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(copies)
    return target


def test_ingestion_streams_a_folder_larger_than_one_batch(many_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batches: list[int] = []
    in_memory = {"now": 0, "peak": 0}
    real_batch, real_load = pipeline._ingest_batch, pipeline.load_file

    def counting_batch(batch, *args, **kwargs):  # noqa: ANN001, ANN202
        batches.append(len(batch))
        result = real_batch(batch, *args, **kwargs)
        in_memory["now"] = 0  # written: the batch's documents are released
        return result

    def counting_load(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        in_memory["now"] += 1
        in_memory["peak"] = max(in_memory["peak"], in_memory["now"])
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_ingest_batch", counting_batch)
    monkeypatch.setattr(pipeline, "load_file", counting_load)
    size = max(p.stat().st_size for p in many_docs.glob("*.txt"))
    a = Assistant(index_dir=tmp_path / "index", ingest_batch_mb=2.5 * size / 2**20)  # two or three files a batch
    summary = a.ingest([many_docs])
    assert summary.ok and len(summary.added) == 12
    assert len(batches) >= 4 and sum(batches) == 12 and max(batches) <= 3
    assert in_memory["peak"] <= 3  # never more than one batch of documents loaded at once
    monkeypatch.undo()
    whole = Assistant(index_dir=tmp_path / "whole")  # the same folder in one batch: the same chunks
    assert whole.ingest([many_docs]).chunks_added == summary.chunks_added == a.store.count()
    assert sorted(whole.store.chunks.get(include=[])["ids"]) == sorted(a.store.chunks.get(include=[])["ids"])
    assert "Patricia Hewitt" in a.ask(QUESTION).text


class _CountingCollection:
    """A Chroma collection whose get() calls are recorded (what they asked for)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.calls: list[dict] = []

    def get(self, *args: object, **kwargs: object) -> dict:
        self.calls.append(kwargs)
        return self.inner.get(*args, **kwargs)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_the_catalogue_is_read_in_pages_and_never_whole_for_a_question(many_docs: Path, tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([many_docs])
    store = ChunkStore(tmp_path / "index")
    pages = list(store.iter_documents(page=5))
    assert [len(p) for p in pages] == [5, 5, 2]
    assert {r.path for p in pages for r in p} == set(store.documents())

    reader = Assistant(index_dir=tmp_path / "index")
    catalog = _CountingCollection(reader.store.catalog)
    reader.store.catalog = catalog  # type: ignore[assignment]
    for _ in range(3):
        assert "Patricia Hewitt" in reader.ask(QUESTION).text
    whole = [c for c in catalog.calls if not c.get("ids")]
    assert whole == [], whole  # only lookups by id: the documents the candidates come from
    looked_up = {i for c in catalog.calls for i in c["ids"]}
    assert looked_up  # (here the 30-deep candidates span all 12 documents)
    assert len(catalog.calls) <= 2  # cached until the store's state changes


def test_the_state_token_moves_with_every_commit_in_any_process(tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([CORPUS])
    other = ChunkStore(tmp_path / "index")  # another process's view
    first = other.state()
    assert first == a.store.state() and other.state() == first
    a.store.delete_document(next(iter(a.store.documents())))
    assert a.store.state() != first
    assert other.state(fresh=True) == a.store.state()
    assert len(other.versions([*a.store.documents(), "/not/indexed"])) == len(a.store.documents()) == CORPUS_DOCS - 1


def test_a_store_written_before_the_token_gets_one_from_its_catalogue_then_a_real_one(tmp_path: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([CORPUS])
    a.store.state_record.delete(ids=["state"])  # as an older version left it
    legacy = ChunkStore(tmp_path / "index").state()
    assert legacy == "catalogue-" + a.store.fingerprint()
    assert "Patricia Hewitt" in Assistant(index_dir=tmp_path / "index").ask(QUESTION).text
    again = Assistant(index_dir=tmp_path / "index").ingest([CORPUS])  # nothing changed, but the token is written
    assert again.unchanged and not ChunkStore(tmp_path / "index").state().startswith("catalogue-")
