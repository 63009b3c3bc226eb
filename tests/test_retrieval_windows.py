"""Sentence windows: each chunk's windows of a few sentences embedded and kept in its record, the dense
side rescoring its candidates by the better of a chunk's own and its best window's similarity (max-sim).

Real parts: Chroma, the real embedding model, the real ingestion of the seed articles. No stand-ins.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS
from llama_index.core.schema import MetadataMode, QueryBundle, TextNode

from assistant import Assistant
from assistant.ingest.windows import (
    PARENT_KEY,
    WINDOWS_KEY,
    decode_vectors,
    encode_vectors,
    sentence_windows,
    window_spans,
)
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


def _windows_of(a: Assistant, where: dict | None = None) -> dict[str, np.ndarray]:
    got = a.store.chunks.get(where=where, include=["metadatas"])
    return {cid: decode_vectors(m.get(WINDOWS_KEY)) for cid, m in zip(got["ids"], got["metadatas"]) if WINDOWS_KEY in m}


def test_window_vectors_round_trip_at_unit_length() -> None:
    vectors = np.random.default_rng(0).normal(size=(3, 384))
    back = decode_vectors(encode_vectors(vectors.tolist()))
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert back.shape == (3, 384) and np.allclose(back, unit, atol=2e-3)
    assert decode_vectors("garbage").shape == (0, 0) and decode_vectors(None).shape == (0, 0)


def test_windows_are_stored_in_their_chunks_records_and_only_when_asked(windowed: Assistant, seeds: Path, tmp_path: Path) -> None:
    store = windowed.store
    windows = _windows_of(windowed)
    assert windows and sum(len(v) for v in windows.values()) > store.count()  # several per chunk
    assert all(v.shape[1] == 384 for v in windows.values())
    # Kept out of the node (and its _node_content copy): the answerers never see them.
    assert all(WINDOWS_KEY not in n.metadata for n in store.nodes_by_id(list(windows)).values())
    index = windowed.keyword_index.current()
    assert index is not None and WINDOWS_KEY not in (index.path / "columns.json").read_text(encoding="utf-8")  # no filter column
    plain = Assistant(index_dir=tmp_path / "plain", window_sentences=0)
    assert plain.ingest([seeds]).ok
    assert _windows_of(plain) == {} and plain.store.count() == store.count()


def test_a_new_version_brings_its_own_windows(seeds: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds, docs)
    a = Assistant(index_dir=tmp_path / "index", window_sentences=3)
    assert a.ingest([docs]).ok
    article = sorted(docs.glob("*.txt"))[0]
    where = {"path": str(article.resolve())}
    before = set(_windows_of(a, where))
    article.write_text(article.read_text(encoding="utf-8") + "\n\nA closing sentence was added. And one more for luck.\n",
                       encoding="utf-8")
    assert a.ingest([docs]).ok
    after = set(_windows_of(a, where))
    assert after and not after & before


def test_the_dense_side_rescores_a_chunk_by_its_best_window(windowed: Assistant) -> None:
    from assistant.retrieval.windows import MaxSimRetriever

    model = windowed.embed_model
    question = "Who chairs Norfolk and Waveney's integrated care board?"
    vector = np.asarray(model.get_query_embedding(question))
    bundle = QueryBundle(question, embedding=vector.tolist())
    plain = HybridRetriever(windowed.store, model, windowed.keyword_index)
    chunks = plain._dense_index.as_retriever(similarity_top_k=20)
    chunk_scores = {h.node.node_id: float(h.score or 0.0) for h in chunks.retrieve(bundle)}
    windows = _windows_of(windowed)
    best = {cid: math.exp(float((v @ (vector / np.linalg.norm(vector))).max()) - 1) for cid, v in windows.items()}
    hits = MaxSimRetriever(windowed.store, top_k=10, depth=20).retrieve(bundle)
    assert len(hits) == 10 and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        cid = h.node.node_id
        assert h.score == pytest.approx(max(chunk_scores[cid], best.get(cid, -1.0)), abs=2e-3)
    # The sentence that answers is nearer than the chunk around it: its window lifts the chunk.
    answer = next(h.node.node_id for h in hits if "Chair of Norfolk and Waveney" in h.node.get_content())
    assert best[answer] > chunk_scores[answer] + 0.02

    def rank(scores: dict[str, float]) -> int:
        return sorted(scores, key=lambda c: -scores[c]).index(answer)

    assert rank({h.node.node_id: float(h.score or 0.0) for h in hits}) < rank(chunk_scores)


def test_the_assistant_searches_with_windows_when_set(windowed: Assistant) -> None:
    assert windowed.retriever.windows is True  # type: ignore[attr-defined]
    question = "Who chairs Norfolk and Waveney's integrated care board?"
    sources = sorted({n.metadata["source"] for n in windowed.store.all_nodes()})
    hits = windowed.retrieve(question, top_k=3)
    assert "Norfolk and Waveney" in hits[0].text
    kept = next(s for s in sources if s != hits[0].source)
    filtered = HybridRetriever(windowed.store, windowed.embed_model, windowed.keyword_index, top_k=5, windows=True,
                               filters=SearchFilters(documents=(kept,))).retrieve(question)
    assert filtered and {h.node.metadata["source"] for h in filtered} == {kept}
