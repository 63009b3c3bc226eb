"""The keyword index: built once per store state at ingestion, published, memory-mapped by new processes.

Real Chroma, the real embedding model, bm25s and llama-index's BM25Retriever (the reference for
scores). Stand-ins: ``ChunkStore.iter_chunks``/``all_nodes`` replaced by functions that fail, to
prove a reader opened the saved index rather than reading the chunks back, and a wrapper recording
Chroma reads, to prove texts are read for the top candidates only.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, LETTER, NEWS

from assistant import Assistant
from assistant.ingest.store import ChunkStore
from assistant.retrieval import sparse
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.sparse import keyword_query
from assistant.text.terms import TermStats

QUESTION = "Who was asked to lead the independent review of integrated care systems?"
QUESTIONS = [QUESTION, "What is the publication reference of NHS England's letter?", "national targets autonomy",
             "accountability of integrated care boards", "the the of", "quokka",
             "What four areas would the review consider?"]


def _published(a: Assistant) -> list[str]:
    root = a.keyword_index.directory
    assert root == a.settings.index_dir / "keyword" / a.settings.collection
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def _current(a: Assistant) -> str:
    return json.loads((a.keyword_index.directory / "CURRENT").read_text())["name"]


def _refuse_to_read_chunks(a: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the keyword index was rebuilt from the store instead of opened")

    monkeypatch.setattr(a.store, "iter_chunks", fail)
    monkeypatch.setattr(a.store, "all_nodes", fail)


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("*.pdf"))  # the two seeds: quick to re-ingest
    return target


@pytest.fixture()
def ingested(docs: Path, tmp_path: Path) -> Assistant:
    a = Assistant(index_dir=tmp_path / "index")
    assert a.ingest([docs]).ok
    return a


_READER = r"""
import json, sys
from assistant import Assistant
from assistant.ingest.store import ChunkStore

def fail(*a, **k):
    raise AssertionError("read every chunk")
ChunkStore.iter_chunks = fail
ChunkStore.all_nodes = fail
reads = []
a = Assistant(index_dir=sys.argv[1])
real_get = a.store.chunks.get
def get(*args, **kwargs):
    reads.append({"ids": len(kwargs.get("ids") or []), "include": list(kwargs.get("include") or [])})
    return real_get(*args, **kwargs)
a.store.chunks.get = get
passages = a.retrieve(sys.argv[2], top_k=5)
maps = open("/proc/self/maps").read()
print(json.dumps({"passages": [[p.chunk_id, round(p.score, 6)] for p in passages], "reads": reads,
                  "mapped": sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps.splitlines() if "/keyword/" in line})}))
"""


def test_a_new_process_memory_maps_the_saved_index_and_reads_only_the_top_texts(ingested: Assistant) -> None:
    assert _published(ingested) == [_current(ingested)]
    built = [[p.chunk_id, round(p.score, 6)] for p in ingested.retrieve(QUESTION, top_k=5)]
    done = subprocess.run([sys.executable, "-c", _READER, str(ingested.settings.index_dir), QUESTION],
                          capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["passages"] == built
    assert {"data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy", "ids.npy"} <= set(seen["mapped"])
    text_reads = [r for r in seen["reads"] if "documents" in r["include"]]
    assert text_reads and all(0 < r["ids"] <= 30 for r in text_reads), seen["reads"]  # by id, candidates only


def test_scores_and_order_are_those_of_llama_index_bm25retriever(ingested: Assistant) -> None:
    import bm25s
    from llama_index.core.schema import MetadataMode
    from llama_index.retrievers.bm25 import BM25Retriever

    nodes = ingested.store.all_nodes()
    reference = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=1)
    # The same tokens (small numbers spelt out, as ours index them), ranked by a bm25s.BM25 with our
    # parameters (from_defaults takes bm25s's own).
    tokens = bm25s.tokenize([sparse.spell_small_numbers(n.get_content(metadata_mode=MetadataMode.EMBED)) for n in nodes], stopwords=sparse.LANGUAGE,
                            stemmer=reference.stemmer, token_pattern=sparse.TOKEN_PATTERN, show_progress=False)
    reference.bm25 = bm25s.BM25(k1=sparse.K1, b=sparse.B)
    reference.bm25.index(tokens, show_progress=False)
    reference.bm25.corpus = reference.corpus
    keywords = ingested.keyword_index
    index = keywords.current()
    assert index is not None and index.stats == TermStats.from_texts(n.get_content() for n in nodes)
    k = min(30, len(nodes))
    for question in QUESTIONS:
        ours = keywords.retriever(k).retrieve(question)
        # The same scores for the same query: ours leaves the question words out first.
        theirs = BM25Retriever(existing_bm25=reference.bm25, stemmer=reference.stemmer, similarity_top_k=k).retrieve(keyword_query(question))
        assert [(n.node.node_id, n.score, n.node.hash) for n in ours] == [(n.node.node_id, n.score, n.node.hash) for n in theirs]


@pytest.mark.parametrize("filters", [
    SearchFilters(documents=(LETTER,)),
    SearchFilters(publishers=("NHS England",)),
    SearchFilters(date_from="2023-01"),
    SearchFilters(documents=(NEWS, LETTER), date_to="2022-12"),
])
def test_filters_apply_before_ranking(ingested: Assistant, filters: SearchFilters) -> None:
    keywords = ingested.keyword_index
    metadata_filters = filters.to_metadata_filters()
    assert metadata_filters is not None
    allowed = {n.node_id for n in ingested.store.all_nodes() if _matches(n.metadata, filters)}
    retriever = keywords.retriever(30, metadata_filters)
    assert retriever is not None
    hits = retriever.retrieve(QUESTION)
    assert hits and {h.node.node_id for h in hits} <= allowed
    assert len(hits) == min(30, len(allowed))  # filtered first: the whole depth comes from the allowed chunks


def _matches(meta: dict, f: SearchFilters) -> bool:
    from assistant.text.dates import date_ordinal

    ok = (not f.documents or meta["source"] in f.documents) and (not f.publishers or meta["publisher"] in f.publishers)
    if f.date_from:
        ok = ok and meta.get("date_ord", 0) >= date_ordinal(f.date_from)
    if f.date_to:
        ok = ok and 0 < meta.get("date_ord", 0) <= date_ordinal(f.date_to) + 99
    return ok


def test_a_filter_on_a_key_without_a_column_is_resolved_by_chroma(ingested: Assistant) -> None:
    """Keys kept out of the columns (or added after the index was built) still filter, through Chroma's ``where``."""
    from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters

    path = next(r.path for r in ingested.store.documents().values() if r.source == LETTER)
    by_column = ingested.keyword_index.retriever(30, MetadataFilters(filters=[MetadataFilter(key="path", value=path)]))
    by_chroma = ingested.keyword_index.retriever(30, MetadataFilters(filters=[MetadataFilter(key="doc_id", value=path)]))
    assert by_column is not None and by_chroma is not None
    assert not np.array_equal(by_column.mask, np.ones_like(by_column.mask))
    assert np.array_equal(by_column.mask, by_chroma.mask)
    nothing = ingested.keyword_index.retriever(30, MetadataFilters(filters=[MetadataFilter(key="doc_id", value="/nowhere")]))
    assert nothing is None


def test_a_changed_corpus_publishes_a_new_index_that_another_reader_notices(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    reader = Assistant(index_dir=tmp_path / "index")  # another process's view, already answering
    assert "quokka" not in reader.retrieve("quokka programme", top_k=3)[0].text
    old = _current(a)
    (docs / "extra.md").write_text("# Extra\n\nThe quokka programme starts in 2031.\n", encoding="utf-8")
    a.ingest([docs])
    assert _current(a) != old and _published(a) == sorted([old, _current(a)])  # the previous one is kept for readers mid-switch
    _refuse_to_read_chunks(reader, monkeypatch)
    reader.store.state(fresh=True)
    assert reader.keyword_index.term_stats().df["quokka"] == 1
    assert "quokka" in reader.retrieve("quokka programme", top_k=3)[0].text
    (docs / "extra.md").unlink()
    a.ingest([docs])
    assert old not in _published(a) and len(_published(a)) == 2  # older ones go


def test_re_ingesting_unchanged_files_does_not_rebuild(ingested: Assistant, docs: Path) -> None:
    saved = ingested.keyword_index.directory / _current(ingested)
    stamp = saved.stat().st_mtime_ns
    again = Assistant(index_dir=ingested.settings.index_dir).ingest([docs])
    assert len(again.unchanged) == 2 and saved.stat().st_mtime_ns == stamp


def test_a_reader_does_not_build_while_an_ingestion_holds_the_lock(ingested: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mid-ingestion the store's state moves with every document: readers keep the published index meanwhile."""
    reader = Assistant(index_dir=ingested.settings.index_dir)
    before = reader.keyword_index.current()
    assert before is not None
    with ingested.keyword_index.exclusive():
        ingested.store.delete_document(next(iter(ingested.store.documents())))
        _refuse_to_read_chunks(reader, monkeypatch)
        reader.store.state(fresh=True)
        assert reader.keyword_index.current() is before
        assert reader.retrieve(QUESTION, top_k=3)  # answered from the published index plus the dense one
    monkeypatch.undo()
    after = reader.keyword_index.current()  # the lock is free: the reader builds what nobody published
    assert after is not None and after is not before and after.chunks < before.chunks


@pytest.mark.parametrize("damage", ["truncated matrix", "garbage stats", "garbage acronyms", "missing ids", "garbage pointer",
                                    "older format"])
def test_a_damaged_saved_index_is_rebuilt(
    ingested: Assistant, damage: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ingested.keyword_index.directory
    saved = root / _current(ingested)
    if damage == "truncated matrix":
        (saved / "data.csc.index.npy").write_bytes((saved / "data.csc.index.npy").read_bytes()[:100])
    elif damage == "garbage stats":
        (saved / "termstats.json").write_text('{"documents": "many"}', encoding="utf-8")
    elif damage == "garbage acronyms":
        (saved / "acronyms.json").write_text('{"ICB": "integrated care board"}', encoding="utf-8")
    elif damage == "missing ids":
        (saved / "ids.npy").unlink()
    elif damage == "older format":  # scored with other BM25 parameters: not to be mixed with today's
        manifest = json.loads((saved / "keyword.json").read_text(encoding="utf-8"))
        (saved / "keyword.json").write_text(json.dumps({**manifest, "format": sparse.FORMAT - 1}), encoding="utf-8")
    else:
        (root / "CURRENT").write_text("{not json", encoding="utf-8")
    fresh = Assistant(index_dir=ingested.settings.index_dir)
    with caplog.at_level(logging.WARNING, logger="assistant.retrieval"):
        answer = fresh.ask(QUESTION)
    assert "Patricia Hewitt" in answer.text
    assert any("ignoring" in r.getMessage() for r in caplog.records)
    # The damaged copy was replaced by the rebuilt one, which the next process opens.
    later = Assistant(index_dir=ingested.settings.index_dir)
    _refuse_to_read_chunks(later, monkeypatch)
    assert later.keyword_index.term_stats() == ingested.keyword_index.term_stats()


def _bm25_order(texts: dict[str, str], question: str, directory: Path) -> list[str]:
    """Chunk ids by the saved index's BM25 score for ``question``, best first (an index of ``texts`` built in ``directory``)."""
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    nodes = [TextNode(id_=key, text=text) for key, text in texts.items()]
    builder = sparse.SparseBuilder()
    builder.add([n.node_id for n in nodes], [n.get_content() for n in nodes], [node_to_metadata_dict(n) for n in nodes])
    directory.mkdir()
    builder.save(directory, state="s")
    index = sparse.SparseIndex.load(directory)
    rows, _ = index.bm25.retrieve(sparse.tokenize_query(keyword_query(question)), k=2, show_progress=False)
    return [index.chunk_id(int(r)) for r in rows[0]]


def test_a_passage_holding_more_of_the_question_outranks_a_short_header_repeating_its_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The class of miss K1 0.9 / B 0.3 fixes: a document's short header chunk, its title words repeated,
    # ranked above the passage that answers (with bm25s's 1.5 / 0.75 it is, checked below).
    filler = " ".join(f"word{i}" for i in range(40))
    texts = {
        "header": "Individual funding requests. Individual funding requests policy. Individual funding requests.",
        "answer": "An individual funding request is decided within thirty working days of the form arriving. " + filler,
        **{f"other{i}": f"Unrelated text number {i} about something else entirely. " + filler for i in range(8)},
    }
    question = "How many working days does an individual funding request take?"
    assert _bm25_order(texts, question, tmp_path / "ours") == ["answer", "header"]
    monkeypatch.setattr(sparse, "K1", 1.5)
    monkeypatch.setattr(sparse, "B", 0.75)
    assert _bm25_order(texts, question, tmp_path / "bm25s-defaults") == ["header", "answer"]


def test_an_unwritable_location_still_answers(docs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "keyword").write_text("not a directory", encoding="utf-8")  # mkdir under it fails, even as root
    a = Assistant(index_dir=index)
    with caplog.at_level(logging.WARNING, logger="assistant.retrieval"):
        assert a.ingest([docs]).ok
    assert "Patricia Hewitt" in a.ask(QUESTION).text
    assert any("could not save the keyword index" in r.getMessage() for r in caplog.records)


def test_the_keyword_dir_setting_moves_the_index(docs: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-keyword"
    a = Assistant(index_dir=tmp_path / "index", keyword_dir=shared)
    a.ingest([docs])
    assert a.keyword_index.directory == shared / a.settings.collection
    assert (shared / a.settings.collection / "CURRENT").is_file() and not (tmp_path / "index" / "keyword").exists()


def test_an_in_memory_index_follows_the_store(tmp_path: Path, docs: Path) -> None:
    a = Assistant(index_dir=tmp_path / "index")
    a.ingest([docs])
    keywords = KeywordIndex(ChunkStore(tmp_path / "index"))  # no directory: this process's own
    first = keywords.current()
    assert first is not None and first.chunks == a.keyword_index.current().chunks  # type: ignore[union-attr]
    (docs / "extra.md").write_text("# Extra\n\nThe quokka programme starts in 2031.\n", encoding="utf-8")
    a.ingest([docs])
    keywords.store.state(fresh=True)
    assert keywords.term_stats().df["quokka"] == 1


@pytest.mark.parametrize(("text", "spelt"), [
    ("We will reinvent the NHS through 3 radical shifts", "We will reinvent the NHS through three radical shifts"),
    ("the 6 core components; Category 2; 10 Year Health Plan", "the six core components; Category two; ten Year Health Plan"),
    ("4.5% of 2025/26 spend, £6 billion, 5%, 1st, 13 weeks, 5-10 years, 1:1",
     "4.5% of 2025/26 spend, £6 billion, 5%, 1st, 13 weeks, 5-10 years, 1:1"),
])
def test_small_numbers_are_spelt_out_and_nothing_else(text: str, spelt: str) -> None:
    assert sparse.spell_small_numbers(text) == spelt


def test_a_number_word_finds_the_chunk_that_writes_the_digit(ingested: Assistant) -> None:
    # The seed article lists the review's areas as "1. ... 4. The general relationship ..."; the question says "four".
    tokens = sparse.tokenize_query(keyword_query("What four areas would the review consider?"))
    assert "four" in tokens.vocab
    index = ingested.keyword_index.current()
    assert index is not None and index.has_term("four")


def test_the_columns_give_each_documents_names_without_the_catalogue(ingested: Assistant) -> None:
    index = ingested.keyword_index.current()
    assert index is not None
    rows = index.columns.distinct(("source", "title", "no_such_key"))
    docs = ingested.store.documents().values()
    assert sorted((r["source"], r["title"]) for r in rows) == sorted((d.source, d.title) for d in docs)
    assert all(r["no_such_key"] == "" for r in rows)
