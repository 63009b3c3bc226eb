"""Concurrency: one ingestion at a time per index; questions during an ingestion see a consistent index.

Real processes, real Chroma and the real model. ``test_readers_never_see_a_half_written_version``
interrupts a write between its steps by making the real Chroma collection's method raise (a
stand-in for a crash at that exact point, which a SIGKILL cannot hit deterministically); the
SIGKILL version of the same claim is in tests/test_crash.py.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_DOCS, CORPUS_NHS, INGEST_DRIVER, REPO_ROOT, line_queue, need_shared

from assistant import Assistant
from assistant.ingest.locking import IngestLockError, ingest_lock, lock_path
from assistant.ingest.store import ChunkStore

CLI = [sys.executable, "-m", "assistant"]
SUBSET = ("nhse_productivity_update.md", "nhse_oversight_framework_2025_26_methodology_manual.md",
          "nhse_planning_framework_for_the_nhs_in_england_v1.md")
QUESTIONS = (
    "What does the oversight framework say about segmentation?",
    "How will productivity be measured?",
    "What are the national priorities for 2025/26?",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_") or k == "ICS_TEST_NET_LOG"}
    env.update(extra)
    return env


def test_second_ingestion_exits_or_waits_with_a_clear_message(tmp_path: Path) -> None:
    index = tmp_path / "index"
    path = lock_path(ChunkStore(index))
    with ingest_lock(path) as held:
        assert held == path == index / "ingest.lock"
        # timeout 0: exit at once, status 2, one line naming the holder.
        refused = subprocess.run([*CLI, "ingest", "--index", str(index), str(CORPUS)], capture_output=True, text=True,
                                 timeout=300, env=_env(ICS_INGEST_LOCK_TIMEOUT_S="0"), cwd=REPO_ROOT)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr
        assert "another ingestion is running" in lines[0] and f"pid {os.getpid()}" in lines[0], lines[0]
        # A short timeout: says it waits, then gives up with one line.
        gave_up = subprocess.run([*CLI, "ingest", "--index", str(index), str(CORPUS)], capture_output=True, text=True,
                                 timeout=300, env=_env(ICS_INGEST_LOCK_TIMEOUT_S="1.5"), cwd=REPO_ROOT)
        assert gave_up.returncode == 2
        assert "waiting up to 1.5 s" in gave_up.stderr and "after waiting 1.5 s" in gave_up.stderr
        assert "Traceback" not in gave_up.stderr
        # A long timeout: waits, and runs as soon as the lock is released.
        waiter = subprocess.Popen([*CLI, "ingest", "--index", str(index), "--quiet", str(CORPUS)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=_env(ICS_INGEST_LOCK_TIMEOUT_S="300"), cwd=REPO_ROOT)
        errors = line_queue(waiter.stderr)
        deadline = time.monotonic() + 300
        while True:
            line = errors.get(timeout=max(1.0, deadline - time.monotonic()))
            assert line is not None, "the waiting ingestion exited without saying it waits"
            if "waiting" in line:
                assert f"another ingestion is running (pid {os.getpid()}" in line, line
                break
        assert waiter.poll() is None, "it must still be waiting while the lock is held"
        assert not Assistant(index_dir=index).store.documents(), "nothing may be written while the lock is held"
    out, _ = waiter.communicate(timeout=300)
    assert waiter.returncode == 0 and f"{CORPUS_DOCS} added" in out, out


def test_a_killed_holder_never_leaves_a_stale_lock(tmp_path: Path) -> None:
    index = tmp_path / "index"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom assistant.ingest.locking import ingest_lock\n"
         "with ingest_lock(Path(sys.argv[1]) / 'ingest.lock'):\n    print('held', flush=True)\n    time.sleep(600)\n", str(index)],
        stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT, env=_env(),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    path = index / "ingest.lock"
    with pytest.raises(IngestLockError, match=f"pid {holder.pid}"):
        with ingest_lock(path, timeout_s=0):
            pass
    holder.kill()
    holder.wait(timeout=30)
    with ingest_lock(path, timeout_s=5):  # the kernel dropped the flock with the process
        pass


def test_two_simultaneous_ingestions_never_interleave(tmp_path: Path) -> None:
    index = tmp_path / "index"
    procs = [subprocess.Popen([*CLI, "ingest", "--index", str(index), "--json", str(CORPUS)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=_env(), cwd=REPO_ROOT) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in results]
    summaries = sorted((json.loads(out) for out, _ in results), key=lambda s: len(s["added"]), reverse=True)
    # One did all the work; the other ran after it and found everything done.
    assert len(summaries[0]["added"]) == CORPUS_DOCS and not summaries[0]["unchanged"]
    assert not summaries[1]["added"] and len(summaries[1]["unchanged"]) == CORPUS_DOCS
    store = Assistant(index_dir=index).store
    assert store.remove_orphans() == 0 and store.count() == sum(r.chunks for r in store.documents().values())


# -- readers during writes ---------------------------------------------------------------------------

def _versions(store) -> dict[str, set[str]]:  # noqa: ANN001
    """path -> chunk ids readers see (BM25 corpus = committed chunks)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for node in store.all_nodes():
        seen[str(node.metadata["path"])].add(node.node_id)
    return seen


def _chunk_ids(store) -> dict[str, set[str]]:  # noqa: ANN001
    got = store.chunks.get(include=["metadatas"])
    out: dict[str, set[str]] = defaultdict(set)
    for cid, meta in zip(got["ids"], got["metadatas"]):
        out[str(meta["path"])].add(cid)
    return out


def _subset(dest: Path) -> Path:
    dest.mkdir()
    for name in (*SUBSET, "MANIFEST.csv"):
        shutil.copyfile(CORPUS_NHS / name, dest / name)
    return dest


def _revise(docs: Path) -> None:
    for name in SUBSET:
        path = docs / name
        path.write_text(path.read_text(encoding="utf-8") + "\n\nRevision two adds this closing sentence.\n", encoding="utf-8")


def _assert_whole(seen: dict[str, set[str]], old: dict[str, set[str]], new: dict[str, set[str]], where: str) -> str:
    states = []
    for path, ids in seen.items():
        if ids == old.get(path):
            states.append("old")
        elif ids == new.get(path):
            states.append("new")
        else:
            pytest.fail(f"{where}: {Path(path).name} is seen neither wholly old nor wholly new ({len(ids)} chunks)")
    return "".join(sorted(s[0] for s in states))


def _indexed_then_revised(tmp_path: Path) -> tuple[Path, Path, Assistant, dict[str, set[str]]]:
    """Three NHS documents indexed, then edited on disk: (docs, index, its Assistant, chunk ids before)."""
    need_shared()
    docs = _subset(tmp_path / "docs")
    index = tmp_path / "index"
    assistant = Assistant(index_dir=index)
    assert assistant.ingest([docs]).ok
    old = _chunk_ids(assistant.store)
    _revise(docs)
    return docs, index, assistant, old


def test_readers_never_see_a_half_written_version(tmp_path: Path) -> None:
    docs, index, writer, old = _indexed_then_revised(tmp_path)
    reader = Assistant(index_dir=index)  # a second client on the same files, as another process would be

    class Interrupted(Exception):
        pass

    def interrupt(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise Interrupted

    # 1. New chunks written, catalogue not yet: readers see the old version only.
    store = writer.store
    real_catalog_upsert = store.catalog.upsert
    store.catalog.upsert = interrupt  # type: ignore[method-assign]
    with pytest.raises(Interrupted):
        writer.ingest([docs])
    store.catalog.upsert = real_catalog_upsert  # type: ignore[method-assign]
    physical = _chunk_ids(store)
    assert any(len(physical[p]) > len(old[p]) for p in old), "the new chunks were written beside the old"
    assert _versions(reader.store) == old
    answer = reader.ask(QUESTIONS[0])
    assert all(c.quote for c in answer.citations) and not answer.notes

    # 2. Catalogue switched, old chunks not yet deleted: readers see the new version only.
    real_delete = store.chunks.delete
    calls = []

    def delete_then_interrupt(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:  # the first delete is the clean-up of step 1's orphans
            return real_delete(*args, **kwargs)
        raise Interrupted

    store.chunks.delete = delete_then_interrupt  # type: ignore[method-assign]
    with pytest.raises(Interrupted):
        writer.ingest([docs])
    store.chunks.delete = real_delete  # type: ignore[method-assign]
    seen = _versions(reader.store)
    switched = [p for p in seen if seen[p] != old[p]]
    assert len(switched) == 1, "exactly the first document was committed before the interruption"
    new_ids = {p: {c for c in _chunk_ids(store)[p] if c not in old[p]} for p in old}
    assert seen[switched[0]] == new_ids[switched[0]]
    dense = reader.retrieve("Revision two adds this closing sentence.", top_k=10)
    for passage in dense:
        expected = new_ids[passage.path] if passage.path in switched else old[passage.path]
        assert passage.chunk_id in expected, "a retrieved chunk is from an uncommitted version"

    # 3. The next ingestion finishes the job and removes every orphan.
    summary = writer.ingest([docs])
    assert summary.ok and summary.chunks_removed > 0
    final = _chunk_ids(store)
    assert _versions(reader.store) == final
    assert final[switched[0]] == new_ids[switched[0]]
    assert all(final[p] and not final[p] & old[p] for p in old), "every document is now wholly its new version"


def test_questions_during_a_real_ingestion_see_whole_versions(tmp_path: Path) -> None:
    """Questions asked while a real ingestion runs, one between every two of its Chroma writes.

    The ingestion (tests/ingest_driver.py, another process) reports each write with the system-wide
    monotonic clock and, gated, waits after each one until a question has been answered: so the
    timestamps prove that questions landed inside the write phase, not only before or after it.
    """
    docs, index, asker, old = _indexed_then_revised(tmp_path)
    reference = tmp_path / "reference"
    shutil.copytree(index, reference)
    ref = Assistant(index_dir=reference)
    assert ref.ingest([docs]).ok
    new = {p: ids for p, ids in _chunk_ids(ref.store).items()}
    assert all(new[p] != old[p] for p in old)

    log = tmp_path / "driver.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, str(INGEST_DRIVER), str(index), str(docs), "--gate"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=err, text=True, env=_env(), cwd=REPO_ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    lines = line_queue(proc.stdout)
    writes: dict[int, list[float]] = {}  # write number -> [started, returned]
    asked: list[tuple[float, float, str]] = []  # (asked at, answered at, index state seen)
    finished = False
    deadline = time.monotonic() + 600
    while not finished:
        assert time.monotonic() < deadline, f"the ingestion did not finish:\n{log.read_text()[-3000:]}"
        gate = False
        while True:  # what the ingestion has done since the last question
            try:
                line = lines.get_nowait()
            except queue.Empty:
                break
            if line is None or line.startswith("done "):
                finished = True
                break
            parts = line.split()
            if parts[0] == "event" and parts[2] == "write":
                writes[int(parts[1])] = [float(parts[4])]
            elif parts[0] == "wrote":
                writes[int(parts[1])].append(float(parts[2]))
                gate = True  # it waits for a question before its next write
        if finished:
            break
        started = time.monotonic()
        state = _assert_whole(_versions(asker.store), old, new, f"question {len(asked)}")
        answer = asker.ask(QUESTIONS[len(asked) % len(QUESTIONS)])
        assert answer.text.strip() and "Traceback" not in answer.text
        asked.append((started, time.monotonic(), state))
        if gate:
            proc.stdin.write("next\n")
            proc.stdin.flush()
    proc.stdin.close()
    assert proc.wait(timeout=120) == 0, log.read_text()[-3000:]
    assert _assert_whole(_versions(asker.store), old, new, "after") == "nnn"

    spans = [writes[k] for k in sorted(writes)]
    assert len(spans) >= 6 and all(len(s) == 2 for s in spans), spans  # 3 documents: chunks, catalogue, old chunks
    for (_, returned), (following, _) in zip(spans, spans[1:]):
        between = [a for a in asked if returned < a[0] and a[1] < following]
        assert between, f"no question was answered between the writes ending at {returned} and starting at {following}"
    inside = [a for a in asked if spans[0][0] < a[0] and a[1] < spans[-1][1]]
    states = sorted({state for *_, state in inside})
    print(f"{len(asked)} questions during the ingestion, {len(inside)} between its first and last of {len(spans)} "
          f"Chroma writes; index states seen by those: {states}")
    assert len(inside) >= len(spans) - 1
    assert set(states) - {"ooo", "nnn"}, "no question saw the index part-way through the ingestion (some documents new, some old)"


# -- a reader after another process's ingestion ------------------------------------------------------

def test_a_reader_sees_another_process_s_ingestion_on_the_dense_side(tmp_path: Path) -> None:
    """After another process re-ingests revised documents, a reader that was open all along searches the new
    chunks: filtered searches work and dense hits are current chunks.

    Chroma's embedded client keeps its vector index in memory and does not see another process's writes (its
    filtered search then failed with "Error finding id", and unfiltered dense hits were only removed chunks).
    """
    docs, index, reader, old = _indexed_then_revised(tmp_path)
    name = SUBSET[0]
    assert reader.retrieve(QUESTIONS[1], filters={"documents": [name]})  # the dense index is now loaded in memory
    done = subprocess.run([*CLI, "ingest", str(docs), "--index", str(index)], env=_env(), cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    time.sleep(1.0)  # past the store's state TTL: the next read sees the new token
    current = _chunk_ids(ChunkStore(index))
    new_ids = set().union(*current.values())
    assert not new_ids & set().union(*old.values())  # every chunk was rewritten

    for question in QUESTIONS:
        filtered = reader.retrieve(question, filters={"documents": [name]})
        assert filtered and all(p.path.endswith(name) for p in filtered)
        assert {p.chunk_id for p in filtered} <= new_ids
    vector_store = reader.store.vector_store
    from llama_index.core.vector_stores.types import VectorStoreQuery

    hits = vector_store.query(VectorStoreQuery(query_embedding=reader.embed_model.get_query_embedding(QUESTIONS[0]),
                                               similarity_top_k=10))
    assert hits.ids and set(hits.ids) <= new_ids
