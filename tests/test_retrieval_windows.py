"""Sentence windows: each chunk's windows of a few sentences embedded beside it, the dense side scoring a
chunk by the better of its own and its best window's similarity (multi-vector, max-sim).

Real parts: Chroma, the real embedding model, the real ingestion of the seed articles. No stand-ins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS
from llama_index.core.schema import MetadataMode, QueryBundle, TextNode

from assistant import Assistant
from assistant.ingest.windows import PARENT_KEY, sentence_windows, window_spans
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.hybrid import HybridRetriever

SIX = "One is here. Two is here. Three is here. Four is here. Five is here. Six is here."
SEVEN = SIX + " Seven is here."


# -- the windows (pure) ------------------------------------------------------------------------------
def test_windows_are_runs_of_sentences_without_overlap_and_the_last_is_whole() -> None:
    assert [SIX[a:b] for a, b in window_spans(SIX, [], 3)] == [
        "One is here. Two is here. Three is here.", "Four is here. Five is here. Six is here."]
    # Seven sentences: the last window is the last three, not a lone "Seven is here."
    assert [SEVEN[a:b] for a, b in window_spans(SEVEN, [], 3)][-1] == "Five is here. Six is here. Seven is here."


def test_a_chunk_of_a_window_or_less_has_none() -> None:
    assert window_spans("One is here. Two is here.", [], 3) == []
    assert window_spans(SIX, [], 0) == []


def test_a_table_row_is_never_cut() -> None:
    text = "Drug: Insulin. Dose: 4 units. Route: pen | Price: £2.49\nNext is here. Last is here. End is here."
    row = (0, text.index("\n"))
    spans = window_spans(text, [row], 2)
    assert all(not (a < row[1] < b) or (a <= row[0]) for a, b in spans)
    assert text[spans[0][0]:spans[0][1]].startswith(text[:row[1]])


def test_a_window_carries_its_chunk_id_and_is_embedded_with_the_chunk_title() -> None:
    chunk = TextNode(id_="c1", text=SIX, metadata={"title": "Six things", "section": "Numbers", "source": "a.txt",
                                                    "units": "[]", "page_map": "[]"},
                     excluded_embed_metadata_keys=["source", "units", "page_map"])
    windows = sentence_windows([chunk], 3)
    assert [w.node_id for w in windows] == ["c1-w0", "c1-w1"]
    assert all(w.metadata[PARENT_KEY] == "c1" and "units" not in w.metadata for w in windows)
    embedded = windows[1].get_content(metadata_mode=MetadataMode.EMBED)
    assert embedded.startswith("title: Six things\nsection: Numbers\n\n") and embedded.endswith("Six is here.")
    assert "c1" not in embedded and "a.txt" not in embedded


# -- stored and searched (real Chroma, real model) ---------------------------------------------------------
@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns("*.pdf"), dirs_exist_ok=True)  # the two seed articles
    return docs


@pytest.fixture(scope="module")
def windowed(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    a = Assistant(index_dir=tmp_path_factory.mktemp("index"), window_sentences=3)
    assert a.ingest([seeds]).ok
    return a


def test_windows_are_stored_with_their_chunks_and_only_when_asked(windowed: Assistant, seeds: Path, tmp_path: Path) -> None:
    store = windowed.store
    got = store.windows.get(include=["metadatas"])
    chunk_ids = set(store.chunks.get(include=[])["ids"])
    assert len(got["ids"]) > store.count()  # several per chunk
    assert {m[PARENT_KEY] for m in got["metadatas"]} <= chunk_ids
    plain = Assistant(index_dir=tmp_path / "plain", window_sentences=0)
    assert plain.ingest([seeds]).ok
    assert plain.store.windows.count() == 0 and plain.store.count() == store.count()


def test_windows_leave_with_their_document_and_its_old_versions(seeds: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    a = Assistant(index_dir=tmp_path / "index", window_sentences=3)
    assert a.ingest([docs]).ok
    article = sorted(docs.glob("*.txt"))[0]
    path = str(article.resolve())

    def windows_of(p: str) -> list[dict]:
        return a.store.windows.get(where={"path": p}, include=["metadatas"])["metadatas"]

    before = {m["content_hash"] for m in windows_of(path)}
    article.write_text(article.read_text(encoding="utf-8") + "\n\nA closing sentence was added. And one more for luck.\n",
                       encoding="utf-8")
    assert a.ingest([docs]).ok
    after = {m["content_hash"] for m in windows_of(path)}
    assert after and not after & before  # the old version's windows went with its chunks
    a.store.delete_document(path)
    assert windows_of(path) == []


def test_the_dense_side_scores_a_chunk_by_its_best_window(windowed: Assistant) -> None:
    model = windowed.embed_model
    question = "Who chairs Norfolk and Waveney's integrated care board?"
    vector = model.get_query_embedding(question)
    plain = HybridRetriever(windowed.store, model, windowed.keyword_index, candidate_k=50)
    multi = HybridRetriever(windowed.store, model, windowed.keyword_index, candidate_k=50, windows=True)
    bundle = QueryBundle(question, embedding=vector)
    chunk_scores = {h.node.node_id: h.score for h in plain._dense_index.as_retriever(similarity_top_k=50).retrieve(bundle)}
    window_hits = multi._window_index.as_retriever(similarity_top_k=500).retrieve(bundle)  # type: ignore[union-attr]
    best: dict[str, float] = {}
    for hit in window_hits:
        parent = hit.node.metadata[PARENT_KEY]
        best[parent] = max(best.get(parent, -1.0), float(hit.score or 0.0))
    from assistant.retrieval.windows import MaxSimRetriever

    dense = MaxSimRetriever(windowed.store, plain._dense_index.as_retriever(similarity_top_k=50),
                            multi._window_index.as_retriever(similarity_top_k=500), top_k=10)  # type: ignore[union-attr]
    hits = dense.retrieve(bundle)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        cid = h.node.node_id
        assert h.score == pytest.approx(max(chunk_scores.get(cid, -1.0), best.get(cid, -1.0)))
    # The sentence that answers is nearer than the chunk around it: its window lifts the chunk.
    top = hits[0]
    assert "Norfolk and Waveney" in top.node.get_content()
    assert best[top.node.node_id] > chunk_scores[top.node.node_id]
    assert np.isfinite(top.score)


def test_filters_apply_to_the_windows_too(windowed: Assistant) -> None:
    sources = sorted({n.metadata["source"] for n in windowed.store.all_nodes()})
    kept = sources[1]
    retriever = HybridRetriever(windowed.store, windowed.embed_model, windowed.keyword_index, top_k=10, windows=True,
                                filters=SearchFilters(documents=(kept,)))
    question = "Who chairs Norfolk and Waveney's integrated care board?"
    hits = retriever.retrieve(question)
    assert hits and {h.node.metadata["source"] for h in hits} == {kept}
    # The windows carry their chunk's metadata, so the filter narrows the window search itself.
    filters = SearchFilters(documents=(kept,)).to_metadata_filters([])
    windows = retriever._window_index.as_retriever(similarity_top_k=50, filters=filters)  # type: ignore[union-attr]
    found = windows.retrieve(QueryBundle(question, embedding=windowed.embed_model.get_query_embedding(question)))
    assert found and {h.node.metadata["source"] for h in found} == {kept}
