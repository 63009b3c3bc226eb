"""The ONNX embedding runtime gives the torch model's vectors; the answerer's sentence-vector cache.

Real model, both runtimes (sentence-transformers on torch is the reference). Nothing is mocked
except the embedding function handed to the cache in the cache test (to count calls).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.extractive import SentenceVectorCache
from assistant.api import embed_model_for
from assistant.ingest.embedding import OnnxEmbedding, ensure_onnx, get_embed_model, length_batches, model_path
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "Who was asked to lead the independent review of integrated care systems?",
    "NHS",
    "section: Oversight\n\nIntegrated care boards (ICBs) will be assessed quarterly against the oversight framework; "
    "segments 1 to 4 describe the level of support an organisation needs.",
    "£1.2 billion, 2025/26, ICB-level: 12% of spend (see p. 14).",
    # longer than the model's 256 word pieces: both runtimes must truncate the same way
    " ".join(["The neighbourhood health service brings together general practice, community and mental health teams."] * 30),
]


@pytest.fixture(scope="module")
def models() -> tuple:
    return get_embed_model(backend="torch"), get_embed_model()


def test_onnx_runtime_is_used_by_default(models: tuple, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What a default ``Settings`` gives, whatever the caller's environment or working directory holds."""
    import os

    import onnxruntime

    for name in [n for n in os.environ if n.startswith("ICS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ICS_EMBED_BACKEND", "")  # an empty variable means "not set"
    monkeypatch.chdir(tmp_path)  # no ics-assistant.toml here
    settings = Settings.load()
    assert settings.embed_backend == "onnx"
    default = embed_model_for(settings)
    assert isinstance(default, OnnxEmbedding)  # not the torch fallback it takes when the export fails
    assert isinstance(default.runtime.session, onnxruntime.InferenceSession)
    torch_model, onnx_model = models
    assert type(torch_model).__name__ == "HuggingFaceEmbedding" and type(onnx_model).__name__ == "OnnxEmbedding"


def test_llama_index_batching_gives_the_runtime_s_own_vectors(models: tuple) -> None:
    """Through llama-index's public batch call the hooks get the whole list, sorted and batched by the runtime."""
    _, onnx_model = models
    texts = TEXTS * 20  # more than one runtime batch (32 rows)
    assert np.array_equal(np.asarray(onnx_model.get_text_embedding_batch(texts), np.float32), onnx_model.embed(texts))


def test_ingestion_shows_progress_as_the_model_works(
    models: tuple, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tqdm.auto
    from llama_index.core.schema import TextNode

    class EveryUpdate(tqdm.auto.tqdm):  # draw every update, however fast the machine (TQDM_* env is read at import)
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **{**kwargs, "mininterval": 0})  # type: ignore[arg-type]

    monkeypatch.setattr(tqdm.auto, "tqdm", EveryUpdate)
    _, onnx_model = models
    nodes = onnx_model([TextNode(text=t) for t in TEXTS * 10], show_progress=True)
    assert all(len(n.embedding) == 384 for n in nodes)
    counts = [int(n) for n in re.findall(r"Embedding:.*?(\d+)/50", capsys.readouterr().err)]
    assert counts[-1] == 50
    assert any(0 < n < 50 for n in counts), counts  # updated per runtime batch, not once the slice was queued


def test_onnx_vectors_match_torch(models: tuple) -> None:
    torch_model, onnx_model = models
    corpus = sorted((ROOT / "corpus").glob("*.txt"))
    texts = TEXTS + [p.read_text()[:1500] for p in corpus]
    ref = np.asarray(torch_model.get_text_embedding_batch(texts))
    got = np.asarray(onnx_model.get_text_embedding_batch(texts))
    assert got.shape == ref.shape == (len(texts), 384)
    cosines = (ref * got).sum(axis=1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(got, axis=1))
    assert cosines.min() >= 0.999, cosines
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


def test_query_and_order_independence(models: tuple) -> None:
    """A text's vector does not depend on its batch neighbours (length sorting, padding)."""
    torch_model, onnx_model = models
    q = TEXTS[0]
    alone = np.asarray(onnx_model.get_query_embedding(q))
    in_batch = np.asarray(onnx_model.get_text_embedding_batch(list(reversed(TEXTS)))[-1])
    assert float(alone @ in_batch) >= 0.9999
    assert float(alone @ np.asarray(torch_model.get_query_embedding(q))) >= 0.999


def test_export_is_cached(models: tuple) -> None:
    path = model_path()
    cache = Path(models[1].onnx_path).parent
    first = ensure_onnx(path, cache)
    mtime = first.stat().st_mtime_ns
    assert ensure_onnx(path, cache) == first and first.stat().st_mtime_ns == mtime


def test_the_same_model_in_another_place_shares_its_export(tmp_path: Path) -> None:
    """Every virtualenv holds its own copy of the model package: one export serves them all."""
    import shutil

    from assistant.ingest.embedding import export_key

    copy = tmp_path / "copy"
    shutil.copytree(model_path(), copy)
    assert export_key(str(copy)) == export_key(model_path())
    config = copy / "config.json"
    config.write_text(config.read_text().replace("}", ', "x": 1}', 1))  # another model: another export
    assert export_key(str(copy)) != export_key(model_path())


def test_sentence_cache_embeds_only_new_sentences() -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> list[list[float]]:
        calls.append(list(texts))
        return [[float(len(t)), 1.0] for t in texts]

    cache = SentenceVectorCache(max_items=3)
    first = cache.get(["a", "bb", "a"], embed)
    assert calls == [["a", "bb"]] and first.shape == (3, 2) and first[2][0] == 1.0
    cache.get(["bb", "ccc"], embed)
    assert calls[-1] == ["ccc"]
    cache.get(["dddd"], embed)  # over capacity: the least recently used ("a") goes
    assert len(cache) == 3
    cache.get(["a"], embed)
    assert calls[-1] == ["a"]


def test_length_batches_cover_every_text_once_with_little_padding() -> None:
    lengths = [5, 100, 7, 30, 31, 8, 6, 250, 40] + [200] * 70
    batches = length_batches(lengths, max_rows=32)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert all(len(b) <= 32 for b in batches)
    for b in batches:
        width = max(lengths[i] for i in b)
        assert len(b) == 1 or width * len(b) <= 1.25 * sum(lengths[i] for i in b)


def test_sentence_cache_embeds_each_text_once_across_threads() -> None:
    """Concurrent askers retrieving the same passages wait for one another instead of re-embedding."""
    import threading
    import time

    embedded: list[str] = []

    def slow_embed(texts: list[str]) -> list[list[float]]:
        embedded.extend(texts)
        time.sleep(0.05)  # long enough for the other threads to arrive while this one embeds
        return [[float(len(t)), 1.0] for t in texts]

    cache = SentenceVectorCache()
    texts = [f"sentence {i}" for i in range(10)]
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda k=k: results.append(cache.get(texts[k:] + texts[:k], slow_embed))) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(embedded) == sorted(texts)
    assert len(results) == 8 and all(r.shape == (10, 2) for r in results)
