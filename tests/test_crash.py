"""Crash safety: ingestion and feedback recording SIGKILLed at random points, then checked.

Real processes, real Chroma, the real model, the real NHS corpus; nothing is mocked. The ingestion
(tests/ingest_driver.py) only *reports* its progress: a marker as each file is parsed, each batch of
chunks is embedded and before each Chroma write. Every kill is placed by that progress, never by a
clock: a random marker, then a few milliseconds, then SIGKILL. Half of the kills follow a marker
anywhere in the run (reading, embedding, writing); the other half follow a write marker, so they
land between or inside a document's chunk upsert, its catalogue record and the deletion of its old
version. The feedback store is killed after a random number of acknowledged records.

After each kill the index must answer a question, hold every document wholly in its old or wholly
in its new version (the exact chunk-id sets of two reference ingestions), show readers no
duplicate or orphan chunks, and a re-run must finish the work with no orphans left at all.
"""

from __future__ import annotations

import json
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import CORPUS_NHS, INGEST_DRIVER, REPO_ROOT, line_queue, need_shared

from assistant import Assistant
from assistant.ingest.store import ChunkStore, is_committed

SEED = 20250607
TRIALS = 10  # ingestion kills (each restarts Python and the model: ~10 s a trial)
FEEDBACK_TRIALS = 12
QUESTION = "What does the oversight framework say about segmentation of providers?"

CHANGED = "nhse_productivity_update.md"
PREPENDED = "nhse_oversight_framework_2025_26_methodology_manual.md"
REMOVED = "nhse_neighbourhood_health_guidelines_2025_26.md"
ADDED = "zz_new_briefing.md"

JITTER_S = 0.05  # after the chosen marker: lands the kill inside the step that follows it


def _copy_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for item in CORPUS_NHS.iterdir():
        shutil.copyfile(item, dest / item.name)  # copyfile: the shared copies are read-only
    return dest


def _make_v2(docs: Path) -> None:
    """The second version of the corpus: one file edited, one prepended, one removed, one added."""
    changed = docs / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8").replace("productivity", "efficiency", 3)
                       + "\n\nA new closing paragraph about productivity was added in this revision.\n", encoding="utf-8")
    prepended = docs / PREPENDED
    prepended.write_text("# Revision note\n\nThis edition replaces the earlier methodology manual.\n\n"
                         + prepended.read_text(encoding="utf-8"), encoding="utf-8")
    (docs / REMOVED).unlink()
    (docs / ADDED).write_text("# New briefing\n\nIntegrated care boards will publish a joint forward plan "
                              "each year, setting out how they meet their population's health needs.\n", encoding="utf-8")


def _snapshot(index: Path) -> dict:
    """What the index holds: catalogue, committed chunk ids per document, orphans, duplicates."""
    assistant = Assistant(index_dir=index)
    store: ChunkStore = assistant.store
    catalogue = store.documents()
    current = {p: r.fingerprint for p, r in catalogue.items()}
    got = store.chunks.get(include=["metadatas", "documents"])
    committed: dict[str, set[str]] = defaultdict(set)
    keys: Counter = Counter()
    orphans = 0
    for cid, meta, text in zip(got["ids"], got["metadatas"], got["documents"]):
        if is_committed(meta, current):
            committed[str(meta["path"])].add(cid)
            keys[(meta["path"], meta["content_hash"], text)] += 1
        else:
            orphans += 1
    # What readers see must be exactly the committed chunks (BM25's corpus and dense results).
    seen_by_readers = Counter(n.node_id for n in store.all_nodes())
    return {
        "assistant": assistant,
        "fingerprints": current,
        "catalogue_chunks": {p: r.chunks for p, r in catalogue.items()},
        "chunks": {p: frozenset(ids) for p, ids in committed.items()},
        "orphans": orphans,
        "duplicate_texts": sum(n - 1 for n in keys.values() if n > 1),
        "duplicate_ids": len(got["ids"]) - len(set(got["ids"])),
        "reader_ids": seen_by_readers,
    }


def _check_consistent(snap: dict, old: dict, new: dict, where: str) -> str:
    """Each document wholly old or wholly new (or absent in that version); returns a state summary."""
    states = []
    assert snap["duplicate_ids"] == 0 and snap["duplicate_texts"] == 0, where
    assert not [i for i, n in snap["reader_ids"].items() if n > 1], f"{where}: readers see duplicate chunks"
    committed_ids = set().union(*snap["chunks"].values()) if snap["chunks"] else set()
    assert set(snap["reader_ids"]) == committed_ids, f"{where}: readers see uncommitted chunks"
    for path in sorted(set(old["fingerprints"]) | set(new["fingerprints"])):
        fp = snap["fingerprints"].get(path)
        ids = snap["chunks"].get(path, frozenset())
        name = Path(path).name
        if fp is None:
            assert not ids, f"{where}: {name} has chunks but no catalogue record"
            assert path not in old["fingerprints"] or path not in new["fingerprints"], f"{where}: {name} lost"
            states.append(f"{name}=absent")
            continue
        assert snap["catalogue_chunks"][path] == len(ids), f"{where}: {name} catalogue count != chunks"
        if fp == old["fingerprints"].get(path) and ids == old["chunks"].get(path):
            states.append(f"{name}=old")
        elif fp == new["fingerprints"].get(path) and ids == new["chunks"].get(path):
            states.append(f"{name}=new")
        else:
            pytest.fail(f"{where}: {name} is neither wholly its old nor wholly its new version")
    unknown = set(snap["fingerprints"]) - set(old["fingerprints"]) - set(new["fingerprints"])
    assert not unknown, f"{where}: unexpected documents {unknown}"
    return ", ".join(s for s in states if s.split("=")[0] in (CHANGED, PREPENDED, REMOVED, ADDED))


def _run_driver(index: Path, docs: Path, kill_after: int | None = None, jitter: float = 0.0) -> dict:
    """Run the ingestion; with ``kill_after`` = k, SIGKILL it ``jitter`` seconds after its k-th marker (0: "ready")."""
    proc = subprocess.Popen(
        [sys.executable, str(INGEST_DRIVER), str(index), str(docs)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO_ROOT,
    )
    assert proc.stdout is not None
    lines = line_queue(proc.stdout)
    result: dict = {"killed": False, "events_seen": 0, "writes_seen": 0, "kinds": []}
    try:
        while True:
            line = lines.get(timeout=300)
            if line is None:  # the driver closed its output: it finished (or died)
                break
            if line == "ready":
                seen = 0
            elif line.startswith("event "):
                _, k, kind, *_ = line.split()
                seen = int(k)
                result["kinds"].append(kind)
                result["writes_seen"] += kind == "write"
            elif line.startswith("done "):
                result.update(json.loads(line[5:]))
                continue
            else:
                continue
            result["events_seen"] = seen
            if seen == kill_after:
                time.sleep(jitter)
                proc.send_signal(signal.SIGKILL)
                break
    except queue.Empty:
        pytest.fail("the ingestion driver printed nothing for 300 s")
    finally:
        if proc.poll() is None and kill_after is None:
            proc.kill()
        code = proc.wait(timeout=60)
    result["killed"] = code == -signal.SIGKILL and "seconds" not in result
    if kill_after is None:
        assert code == 0, f"driver exited {code}"
    return result


@pytest.mark.slow
def test_ingestion_survives_sigkill_at_random_points(tmp_path: Path) -> None:
    need_shared()
    rng = random.Random(SEED)
    docs = _copy_corpus(tmp_path / "docs")
    base = tmp_path / "base-index"
    assert Assistant(index_dir=base).ingest([docs]).ok  # version 1, complete
    old = _snapshot(base)
    assert len(old["fingerprints"]) == 7 and old["orphans"] == 0

    _make_v2(docs)
    reference = tmp_path / "reference-v2"
    shutil.copytree(base, reference)
    full = _run_driver(reference, docs)  # version 2, complete: its markers, in order
    new = _snapshot(reference)
    kinds = full["kinds"]
    assert full["events"] == len(kinds) and {"load", "embed", "write"} <= set(kinds), kinds
    assert kinds.count("write") >= 7 and new["orphans"] == 0
    assert {Path(p).name for p in new["fingerprints"]} == {Path(p).name for p in old["fingerprints"]} - {REMOVED} | {ADDED}
    writes = [k for k, kind in enumerate(kinds, 1) if kind == "write"]

    log = []
    for trial in range(TRIALS):
        index = tmp_path / f"trial-{trial}"
        shutil.copytree(base, index)
        # The markers of one version's ingestion are the same every run (same files, same batches).
        after = rng.randint(0, len(kinds)) if trial % 2 == 0 else rng.choice(writes)
        outcome = _run_driver(index, docs, kill_after=after, jitter=rng.uniform(0.0, JITTER_S))
        where = f"trial {trial} killed after marker {after} ({kinds[after - 1] if after else 'ready'})"
        assert outcome["events_seen"] == after, where
        after_kill = _snapshot(index)
        states = _check_consistent(after_kill, old, new, where)
        answer = after_kill["assistant"].ask(QUESTION)
        assert answer.text.strip() and (answer.refused or answer.citations), where
        for c in answer.citations:  # the answer quotes committed text only
            assert c.quote.strip()

        rerun = after_kill["assistant"].ingest([docs])  # the re-run completes the work
        assert rerun.ok, f"{where}: {rerun.failed}"
        final = _snapshot(index)
        assert final["orphans"] == 0, where
        assert final["fingerprints"] == new["fingerprints"] and final["chunks"] == new["chunks"], where
        log.append({"trial": trial, "after_marker": after, "kind": kinds[after - 1] if after else "ready",
                    "killed": outcome["killed"], "writes_before_kill": outcome["writes_seen"],
                    "orphans_after_kill": after_kill["orphans"], "states": states,
                    "rerun_removed": rerun.chunks_removed, "rerun_added": rerun.chunks_added})
    print(json.dumps(log, indent=1))
    assert all(t["killed"] for t in log), "every ingestion must really have been killed before it finished"
    assert any(t["writes_before_kill"] > 0 for t in log), "no kill landed after a write began"
    assert {t["kind"] for t in log} - {"write"}, "no kill landed outside the write phase"


# -- the feedback store ---------------------------------------------------------------------------

FEEDBACK_DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from assistant.serving.feedback import FeedbackStore

    store = FeedbackStore(Path(sys.argv[1]))
    for i in range(100000):
        rid = store.record(f"question {i}?", f"answer {i} [1]", "helpful" if i % 2 else "not_helpful", comment=f"comment {i}" * 20,
                           citations=[{"n": 1, "source": "doc.md", "quote": f"quote {i}"}])
        print("recorded", i, rid, flush=True)
    """
)


@pytest.mark.slow
def test_feedback_store_survives_sigkill(tmp_path: Path) -> None:
    from assistant.serving.feedback import FeedbackStore

    rng = random.Random(SEED)
    script = tmp_path / "feedback_driver.py"
    script.write_text(FEEDBACK_DRIVER, encoding="utf-8")
    db = tmp_path / "feedback.sqlite3"
    acknowledged = 0
    for trial in range(FEEDBACK_TRIALS):
        before = FeedbackStore(db).count() if db.exists() else 0
        proc = subprocess.Popen([sys.executable, str(script), str(db)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
        assert proc.stdout is not None
        # Killed after a random number of acknowledged records: mid-stream, whatever the machine's speed.
        seen = [proc.stdout.readline() for _ in range(rng.randint(1, 200))]
        assert all(line.startswith("recorded") for line in seen), proc.stderr.read() if proc.stderr else seen
        time.sleep(rng.uniform(0.0, JITTER_S))
        proc.send_signal(signal.SIGKILL)
        out = "".join(seen) + proc.stdout.read()
        proc.wait(timeout=30)
        acked = out.count("recorded ")
        acknowledged += acked
        store = FeedbackStore(db)
        after = store.count()
        # Every acknowledged record survived; at most the one in flight when killed may be extra.
        assert before + acked <= after <= before + acked + 1, f"trial {trial}: {before}+{acked} vs {after}"
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        exported = store.export_csv(tmp_path / f"export-{trial}.csv")
        assert exported == after
        # The store is writable again after the crash.
        store.record("after crash?", "still works", "helpful")
        assert store.count() == after + 1
    assert acknowledged > FEEDBACK_TRIALS
