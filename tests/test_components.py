"""Components take explicit, validated parameters; ``Assistant`` builds them from ``Settings`` or uses the ones given.

Real model, real Chroma (the seed index), nothing mocked. llama-index's own instrumentation (its
event dispatcher) is how these tests see that a question is embedded once and retrieved through
the retriever's public ``retrieve()``.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import llama_index.core.instrumentation as instrument
import pytest
from conftest import CORPUS_DOCS, LETTER, REPO_ROOT
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.embedding import EmbeddingEndEvent
from llama_index.core.instrumentation.events.retrieval import RetrievalEndEvent

from assistant import Assistant, Settings, SettingsError
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.generative import GenerativeAnswerer
from assistant.answering.llm import GGUFServer, OpenAICompatibleLLM, make_llm
from assistant.answering.reading import DEPTH
from assistant.ingest.chunking import TokenSentenceChunker
from assistant.ingest.embedding import get_embed_model, model_path
from assistant.ingest.locking import ingest_lock
from assistant.ingest.pipeline import ingest_paths
from assistant.ingest.store import ChunkStore
from assistant.retrieval import HybridRetriever, KeywordIndex

QUESTION = "Who was asked to lead the independent review of integrated care systems?"


class _Recorder(BaseEventHandler):
    events: list[BaseEvent] = []

    @classmethod
    def class_name(cls) -> str:
        return "Recorder"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self.events.append(event)


@pytest.fixture()
def events() -> Iterator[list[BaseEvent]]:
    """Every llama-index instrumentation event emitted during the test."""
    recorder = _Recorder(events=[])
    dispatcher = instrument.get_dispatcher()
    dispatcher.add_event_handler(recorder)
    yield recorder.events
    dispatcher.event_handlers.remove(recorder)


def _query_embeddings(events: list[BaseEvent], text: str) -> int:
    return sum(1 for e in events if isinstance(e, EmbeddingEndEvent) and e.chunks == [text])


def _hybrid_retrievals(events: list[BaseEvent]) -> list[RetrievalEndEvent]:
    return [e for e in events if isinstance(e, RetrievalEndEvent) and (e.span_id or "").startswith("HybridRetriever.retrieve")]


# -- one embedding, the public retrieve() -------------------------------------------------------------
def test_a_question_is_embedded_once_and_retrieved_through_retrieve(seed_assistant: Assistant, events: list[BaseEvent]) -> None:
    seed_assistant.ask(QUESTION)  # warm: models loaded, sentence vectors cached
    events.clear()
    answer = seed_assistant.ask(QUESTION, top_k=3)
    assert _query_embeddings(events, QUESTION) == 1
    [retrieval] = _hybrid_retrievals(events)
    # one retrieval of top_k + DEPTH: the answerer may bring up one of the DEPTH below (answering/reading.py)
    retrieved = [n.node.node_id for n in retrieval.nodes]
    assert len(retrieved) == 3 + DEPTH
    assert set(retrieved[:3]) <= {p.chunk_id for p in answer.passages} <= set(retrieved)
    assert 3 <= len(answer.passages) <= 3 + DEPTH and seed_assistant.retriever.top_k == seed_assistant.settings.top_k  # per call

    events.clear()
    passages = seed_assistant.retrieve(QUESTION, top_k=2, filters={"documents": [LETTER]})
    assert _query_embeddings(events, QUESTION) == 1 and len(_hybrid_retrievals(events)) == 1
    assert [p.source for p in passages] == [LETTER, LETTER]


def test_per_call_retrievers_do_not_disturb_each_other(seed_assistant: Assistant) -> None:
    """The chat answers concurrently: each call's top_k and filters are its own."""
    calls: list[tuple[int, dict[str, list[str]] | None]] = [(1, None), (4, None), (2, {"documents": [LETTER]}), (3, None)] * 3
    expected = {i: [p.chunk_id for p in seed_assistant.retrieve(QUESTION, top_k=k, filters=f)] for i, (k, f) in enumerate(calls)}
    got: dict[int, list[str]] = {}
    start = threading.Barrier(len(calls))

    def ask(i: int) -> None:
        k, f = calls[i]
        start.wait()
        got[i] = [p.chunk_id for p in seed_assistant.retrieve(QUESTION, top_k=k, filters=f)]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected
    assert all(len(got[i]) == k for i, (k, _) in enumerate(calls))


# -- injected parts -------------------------------------------------------------------------------------
def test_a_notebook_swaps_one_part_without_private_attributes(seed_assistant: Assistant) -> None:
    base = seed_assistant
    strict = Assistant(settings=base.settings, store=base.store, embed_model=base.embed_model,
                       answerer=ExtractiveAnswerer(base.embed_model, min_support=0.95))
    assert not base.ask(QUESTION).refused and strict.ask(QUESTION).refused
    assert strict.store is base.store and strict.embed_model is base.embed_model

    rrf = HybridRetriever(base.store, base.embed_model, base.keyword_index, top_k=2, fusion_mode="reciprocal_rerank")
    other = Assistant(settings=base.settings, retriever=rrf)
    assert other.keyword_index is base.keyword_index  # the retriever's own, for the answerer's term statistics
    assert [p.chunk_id for p in other.retrieve(QUESTION, top_k=2)] == [n.node.node_id for n in rrf.retrieve(QUESTION)]
    assert "Patricia Hewitt" in other.ask(QUESTION).text


def test_components_built_by_hand_ingest_and_answer(tmp_path: Path) -> None:
    """The pipeline without Settings or Assistant: what the guide's "components" means."""
    store = ChunkStore(tmp_path / "index", collection="by_hand")
    embed = get_embed_model()
    chunker = TokenSentenceChunker(model_path=model_path(), chunk_tokens=120)
    summary = ingest_paths([REPO_ROOT / "corpus"], store, embed, chunker=chunker)
    assert summary.ok and len(summary.added) == CORPUS_DOCS
    keywords = KeywordIndex(store)  # in memory only
    retriever = HybridRetriever(store, embed, keywords, top_k=3)
    nodes = retriever.retrieve(QUESTION)
    assert len(nodes) == 3 and all(len(n.node.get_content()) < 1200 for n in nodes)  # 120-token chunks
    assert keywords.directory is None and keywords.term_stats().documents > 0


# -- every component checks its arguments, in one line ------------------------------------------------------
def _bad_constructions(embed: Any, store: ChunkStore, tmp: Path) -> list[tuple[Callable[[], Any], str]]:
    llm = OpenAICompatibleLLM(base_url="http://127.0.0.1:9/v1")
    return [
        (lambda: ExtractiveAnswerer(embed, max_sentences=0), "max_sentences: input should be greater than 0, got 0"),
        (lambda: HybridRetriever(store, embed, fusion_mode="magic"), "fusion_mode: input should be 'reciprocal_rerank'"),
        (lambda: HybridRetriever(store, embed, fusion_weights=(1.0,)), "fusion_weights must be two non-negative numbers"),
        (lambda: HybridRetriever(store, embed, candidate_k=-3), "candidate_k: input should be greater than 0"),
        (lambda: HybridRetriever(store, embed, KeywordIndex(ChunkStore(tmp / "other"))), "keyword_index must index"),
        (lambda: ChunkStore(tmp / "x", collection="two words"), "collection must be letters, digits"),
        (lambda: ChunkStore(chroma_host="127.0.0.1", chroma_port=70000), "chroma_port: input should be less than or equal to 65535"),
        (lambda: ChunkStore(), "ChunkStore needs index_dir"),
        (lambda: TokenSentenceChunker(model_path=model_path(), chunk_tokens=400), "chunk_tokens must be between 32 and 254"),
        (lambda: TokenSentenceChunker(model_path=model_path(), embed_metadata=["author"]), "embed_metadata[0]: input should be"),
        (lambda: get_embed_model(backend="tensorflow"), "backend: input should be 'onnx' or 'torch'"),
        (lambda: get_embed_model(batch_size=0), "batch_size: input should be greater than 0"),
        (lambda: ingest_paths([], store, embed, max_file_mb=0), "max_file_mb: input should be greater than 0"),
        (lambda: ingest_lock(tmp / "ingest.lock", timeout_s=-1).__enter__(), "timeout_s: input should be greater than or equal to 0"),
        (lambda: GenerativeAnswerer(embed, llm, unsupported="keep"), "unsupported: input should be 'drop' or 'flag'"),
        (lambda: GenerativeAnswerer(embed, llm, max_prompt_tokens=10), "max_prompt_tokens: input should be greater than or equal to 256"),
        (lambda: make_llm("azure"), "backend: input should be 'openai' or 'gguf'"),
        (lambda: OpenAICompatibleLLM(base_url="ftp://example.org"), "base_url: must start with http:// or https://"),
        (lambda: OpenAICompatibleLLM(base_url="http://127.0.0.1:9/v1", timeout_s=0), "timeout_s: input should be greater than 0"),
        (lambda: GGUFServer(tmp / "model.gguf", n_ctx=100), "n_ctx: input should be greater than or equal to 512"),
    ]


def test_components_refuse_bad_arguments_in_one_line_naming_them(seed_assistant: Assistant, tmp_path: Path) -> None:
    for make, message in _bad_constructions(seed_assistant.embed_model, seed_assistant.store, tmp_path):
        with pytest.raises(ValueError) as caught:
            make()
        text = str(caught.value)
        assert text.startswith(message) and "\n" not in text, text


def test_a_bound_is_the_same_rule_in_settings_and_in_the_component() -> None:
    with pytest.raises(SettingsError) as from_settings:
        Settings(chunk_tokens=400)
    with pytest.raises(ValueError) as from_component:
        TokenSentenceChunker(model_path=model_path(), chunk_tokens=400)
    assert str(from_settings.value) == str(from_component.value)
    with pytest.raises(SettingsError, match="fusion_weights must be two"):
        Settings.load(env={"ICS_FUSION_WEIGHTS": "0.5:0.2:0.3"})


def test_components_do_not_import_settings() -> None:
    """Settings reach components only through ``Assistant`` (and the serving/evaluation edges)."""
    components = [*sorted((REPO_ROOT / "assistant" / "ingest").rglob("*.py")), *sorted((REPO_ROOT / "assistant" / "retrieval").glob("*.py")),
                  *(REPO_ROOT / "assistant" / "answering" / name for name in ("extractive.py", "generative.py", "llm.py"))]
    for path in components:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "assistant.settings" not in imported, path
