"""Scale: a fresh `ics-assistant ask` and warm retrieval at 100,000 and 300,000 chunks (1,000,000 optional), before and after.

    python benchmarks/scale.py                          # make bench-scale: sizes 100k and 300k, 3 repeats
    python benchmarks/scale.py --sizes 100000 300000 1000000 --repeats 5 --readme

"Before" is the code at ``--before`` (a git ref, default: main before issue 16), checked out once
as a detached worktree under the stores directory; "after" is this checkout. Both run against the
same synthetic stores (``benchmarks/synthetic.py``: the real corpus's chunks, then perturbed copies),
built once into ``--stores`` (default ``/tmp/ics-scale/stores``) and reused. Each measurement is a
fresh process with that tree first on ``PYTHONPATH``; its peak RSS is ``ru_maxrss`` from ``wait4``
(this parent imports only the standard library, so nothing carries over). Measurements go to
``benchmarks/results/<name>.json`` as they are taken, and a re-run skips those already there (same
sizes, repeats and refs; ``--fresh`` starts over): an interrupted run resumes. Before and after
alternate within each repeat, so a change in the machine's load hits both.

Rows, per size:

- **fresh ask**: ``ics-assistant ask --index STORE "question"``: seconds from starting the command to
  the first byte of its answer on stdout, and the process's peak RSS. The keyword index is already
  saved for both (each code's own format), as after an ingestion.
- **warm retrieve p50/p95**: ``Assistant.retrieve`` over the questions of ``eval/questions.jsonl``
  in one process after a first question (query embedding, Chroma HNSW, keyword, fusion).
- **keyword index build**: what building it costs, once per store state: main builds it in the
  first process that asks (llama-index's ``BM25Retriever`` over every node); after, the ingestion
  builds and publishes it. Seconds and peak RSS of a process doing only that.
- **Chroma open + HNSW load**: a bare ``chromadb`` client's first read of the collection (which
  loads the HNSW index) and its peak RSS: the floor under any fresh process on an embedded store.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from procs import reap

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("ics-assistant"))
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
MARK_START, MARK_END = "<!-- scale:start -->", "<!-- scale:end -->"
BEFORE_REF = "8898437"  # main when issue 16 started: BM25Retriever persisted with its corpus
CORPUS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus-nhs"]
QUESTION = "Who was asked to lead the independent review of integrated care systems?"
TARGETS = {"rss_mb": 1536, "answer_s": 3.0, "p95_ms": 100.0}  # at 300,000 chunks, after
TARGET_SIZE = 300_000


def log(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k] if ordered else float("nan")


def run(cmd: list[str], tree: Path, timeout: float = 7200) -> dict[str, Any]:
    """Run ``cmd`` with ``tree`` first on the path (no ``ICS_*`` settings from outside); wall seconds,
    seconds to the first byte on stdout, peak RSS in MB, exit status, output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [os.environ.get("PYTHONPATH")])])
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first: list[float] = []
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def pump(stream: Any, key: str) -> None:
        while block := stream.read1(65536):
            if key == "out" and not first:
                first.append(time.perf_counter() - started)
            chunks[key].append(block)

    readers = [threading.Thread(target=pump, args=(proc.stdout, "out")), threading.Thread(target=pump, args=(proc.stderr, "err"))]
    for r in readers:
        r.start()
    rc, rss_mb = reap(proc, started + timeout, poll=0.002)
    wall = time.perf_counter() - started
    for r in readers:
        r.join()
    return {"wall": wall, "first_output_s": first[0] if first else None, "rss_mb": rss_mb, "rc": rc,
            "stdout": b"".join(chunks["out"]).decode("utf-8", "replace"), "stderr": b"".join(chunks["err"]).decode("utf-8", "replace")}


def step(name: str, args: dict[str, Any], tree: Path, timeout: float = 7200) -> dict[str, Any]:
    """``--step name`` in a fresh interpreter with ``tree``'s package; its JSON result plus wall and peak RSS."""
    res = run([PY, str(Path(__file__)), "--step", name, "--args", json.dumps({**args, "tree": str(tree)})], tree, timeout)
    if res["rc"] != 0:
        raise RuntimeError(f"step {name} ({tree}) failed ({res['rc']}): {res['stderr'][-3000:]}")
    data = json.loads(res["stdout"].strip().splitlines()[-1])
    return {**data, "_rss_mb": res["rss_mb"], "_wall": res["wall"]}


# -- steps (each in its own process, with the tree under test first on sys.path) ------------------
def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("question")]


def _step_build_store(a: dict[str, Any]) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from synthetic import build_store

    return build_store(Path(a["source"]), Path(a["dir"]), int(a["size"]), log=log)


def _step_prepare_before(a: dict[str, Any]) -> dict[str, Any]:
    """Main's code: its first question builds the BM25 index and saves it (BM25Retriever.persist)."""
    import shutil

    from assistant import Assistant

    shutil.rmtree(Path(a["dir"]) / "bm25", ignore_errors=True)  # a saved one would be loaded, not built
    assistant = Assistant(index_dir=a["dir"])
    t = time.perf_counter()
    assistant.keyword_index.current()
    return {"seconds": time.perf_counter() - t, "saved": assistant.keyword_index.is_saved()}


def _step_write_before(a: dict[str, Any]) -> dict[str, Any]:
    """Main's saved BM25 index (what ``BM25Retriever.persist`` writes, in main's place for it), written a
    page at a time by this code: main's own build of a store this large needs more memory than the
    machine may have. Same matrix (bit-identical, tests/test_keyword_index.py), same corpus lines,
    same term statistics; main's code then loads it as its own."""
    import shutil

    from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict

    from assistant.ingest.store import ChunkStore
    from assistant.retrieval.sparse import SparseBuilder

    t = time.perf_counter()
    store = ChunkStore(a["dir"])
    root = Path(a["dir"]) / "bm25" / "ics_policy"
    target = root / store.fingerprint()
    shutil.rmtree(root, ignore_errors=True)
    target.mkdir(parents=True)
    builder = SparseBuilder()
    for ids, texts, metas in store.iter_chunks():
        builder.add(ids, texts, metas)
    builder.save(target, state="before")
    for extra in ("ids.npy", "keyword.json", "columns.json", *(p.name for p in target.glob("col-*.npy"))):
        (target / extra).unlink()

    def corpus() -> Any:
        for _, texts, metas in store.iter_chunks():
            for text, meta in zip(texts, metas):
                node = metadata_dict_to_node(meta, text=text)
                yield node_to_metadata_dict(node) | {"node_id": node.node_id}

    import bm25s

    bm25 = bm25s.BM25.load(target)
    bm25.save(target, corpus=corpus(), show_progress=False)
    (target / "retriever.json").write_text(json.dumps({"similarity_top_k": 1, "verbose": False, "corpus_weight_mask": None}, indent=2))
    return {"seconds": time.perf_counter() - t, "written_by": "benchmark"}


def _step_prepare_after(a: dict[str, Any]) -> dict[str, Any]:
    """This code: what an ingestion does at its end (a state token for a store built without one, then the index)."""
    from assistant import Assistant

    assistant = Assistant(index_dir=a["dir"])
    assistant.store.ensure_state()
    t = time.perf_counter()
    index = assistant.keyword_index.build()
    return {"seconds": time.perf_counter() - t, "chunks": index.chunks if index else 0, "saved": assistant.keyword_index.is_saved()}


def _step_retrieve(a: dict[str, Any]) -> dict[str, Any]:
    from assistant import Assistant

    qs = _questions()
    assistant = Assistant(index_dir=a["dir"])
    t = time.perf_counter()
    assistant.retrieve(qs[0])
    first = time.perf_counter() - t
    times = []
    for i in range(int(a["n"])):
        t = time.perf_counter()
        assistant.retrieve(qs[(i + 1) % len(qs)])
        times.append(time.perf_counter() - t)
    return {"seconds": times, "first_s": first}


def _step_chroma(a: dict[str, Any]) -> dict[str, Any]:
    """A bare client: open, then the first read of the chunk collection (loads its HNSW index), then one query."""
    import chromadb
    from chromadb.config import Settings

    t0 = time.perf_counter()
    client = chromadb.PersistentClient(path=a["dir"], settings=Settings(anonymized_telemetry=False))
    chunks = client.get_collection("ics_policy")
    t1 = time.perf_counter()
    chunks.get(limit=1, include=[])
    t2 = time.perf_counter()
    chunks.query(query_embeddings=[[1.0] + [0.0] * 383], n_results=30, include=[])
    return {"open_s": t1 - t0, "load_s": t2 - t1, "query_s": time.perf_counter() - t2}


STEPS = {"build_store": _step_build_store, "prepare_before": _step_prepare_before, "write_before": _step_write_before,
         "prepare_after": _step_prepare_after,
         "retrieve": _step_retrieve, "chroma": _step_chroma}


# -- the run ---------------------------------------------------------------------------------------
class Results:
    """The results file, written after every measurement (a re-run picks up where it stopped)."""

    def __init__(self, path: Path, config: dict[str, Any], fresh: bool) -> None:
        self.path = path
        old = json.loads(path.read_text()) if path.is_file() and not fresh else {}
        self.data: dict[str, Any] = old if old.get("config") == config else {"config": config}
        self.data.setdefault("measurements", {})

    def get(self, key: str) -> Any:
        return self.data["measurements"].get(key)

    def put(self, key: str, value: Any) -> Any:
        self.data["measurements"][key] = value
        self.save()
        return value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str))
        os.replace(tmp, self.path)


def measured(results: Results, key: str, fn: Any) -> Any:
    got = results.get(key)
    if got is None:
        log(key)
        got = results.put(key, fn())
    return got


def before_tree(stores: Path, ref: str) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tree = stores / f"src-{commit[:12]}"
    if not (tree / "assistant").is_dir():
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True, capture_output=True)
    return tree


def base_store(stores: Path) -> Path:
    base = stores / "base"
    if not (base / "DONE").is_file():
        log("base store: ingesting the real corpus")
        res = run([CLI, "ingest", "--json", "--quiet", "--index", str(base), *map(str, CORPUS)], ROOT)
        if res["rc"] != 0:
            raise RuntimeError(f"ingest failed: {res['stderr'][-2000:]}")
        (base / "DONE").write_text(res["stdout"])
    return base


def synthetic_store(stores: Path, base: Path, size: int) -> Path:
    target = stores / f"syn{size}"
    if not (target / "DONE").is_file():
        log(f"building the synthetic store of {size:,} chunks (once; reused by later runs)")
        info = step("build_store", {"source": str(base), "dir": str(target), "size": size}, ROOT, timeout=6 * 3600)
        (target / "DONE").write_text(json.dumps(info))
    return target


def main_run(args: argparse.Namespace) -> int:
    stores = Path(args.stores)
    stores.mkdir(parents=True, exist_ok=True)
    before = before_tree(stores, args.before)
    trees = {"before": before, "after": ROOT}
    config = {"sizes": args.sizes, "repeats": args.repeats, "queries": args.queries, "before": before.name,
              "after": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()}
    results = Results(RESULTS / f"{args.name}.json", config, args.fresh)
    results.data["machine"] = _machine()
    base = base_store(stores)
    for size in args.sizes:
        measure_size(results, size, synthetic_store(stores, base, size), trees, args)
    rows = table_rows(results, args)
    results.data["rows"] = rows
    results.save()
    table = markdown(rows)
    print(table)
    if args.readme:
        update_readme(results.data, table)
    return 0


def measure_size(results: Results, size: int, store: Path, trees: dict[str, Path], args: argparse.Namespace) -> None:
    """Every measurement at one size that the results file does not hold yet."""
    key = f"{size}"
    for variant in ("before", "after"):
        if variant == "before" and size > args.before_max:
            continue
        if variant == "before" and size > args.before_build_max:  # main's own build would not fit in memory
            measured(results, f"{key}/before/build", lambda: step("write_before", {"dir": str(store)}, ROOT))
        else:
            measured(results, f"{key}/{variant}/build", lambda v=variant: step(f"prepare_{v}", {"dir": str(store)}, trees[v]))
    measured(results, f"{key}/chroma", lambda: step("chroma", {"dir": str(store)}, ROOT))
    for r in range(args.repeats):
        for variant in ("before", "after") if r % 2 == 0 else ("after", "before"):
            if variant == "before" and size > args.before_max:
                continue
            tree = trees[variant]

            def ask(tree: Path = tree) -> dict[str, Any]:
                res = run([CLI, "ask", "--index", str(store), QUESTION], tree)
                if res["rc"] != 0:
                    raise RuntimeError(f"ask failed ({tree}): {res['stderr'][-2000:]}")
                return {k: res[k] for k in ("wall", "first_output_s", "rss_mb")} | {"answer": res["stdout"].split("\n", 1)[0][:300]}

            measured(results, f"{key}/{variant}/ask/{r}", ask)
    for variant in ("before", "after"):
        if variant == "before" and size > args.before_max:
            continue
        measured(results, f"{key}/{variant}/retrieve", lambda v=variant: step("retrieve", {"dir": str(store), "n": args.queries}, trees[v]))


def table_rows(results: Results, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for size in args.sizes:
        label = f"{size:,} chunks"
        chroma = results.get(f"{size}/chroma")
        if chroma:
            rows.append({"figure": f"Chroma open + HNSW load at {label} (bare chromadb client)",
                         "before": "", "after": f"{chroma['open_s'] + chroma['load_s']:.2f} s, {chroma['_rss_mb']:.0f} MB", "met": None})
        build = {v: results.get(f"{size}/{v}/build") for v in ("before", "after")}
        rows.append({"figure": f"keyword index build at {label} (before: first question; after: ingestion)",
                     **{v: _build_cell(b) for v, b in build.items()}, "met": None})
        asks = {v: [results.get(f"{size}/{v}/ask/{r}") for r in range(args.repeats)] for v in ("before", "after")}
        cells, met = {}, None
        for v, runs in asks.items():
            runs = [x for x in runs if x]
            if not runs:
                cells[v] = "not run"
                continue
            secs = statistics.median(x["first_output_s"] or x["wall"] for x in runs)
            rss = statistics.median(x["rss_mb"] for x in runs)
            cells[v] = f"{secs:.2f} s to the answer, {rss:.0f} MB peak"
            if v == "after" and size == TARGET_SIZE:
                met = secs <= TARGETS["answer_s"] and rss <= TARGETS["rss_mb"]
        rows.append({"figure": f"fresh `ics-assistant ask` at {label}", **cells, "met": met,
                     "target": "≤ 3 s, ≤ 1.5 GB" if size == TARGET_SIZE else ""})
        cells, met = {}, None
        for v in ("before", "after"):
            ret = results.get(f"{size}/{v}/retrieve")
            if not ret:
                cells[v] = "not run"
                continue
            p50, p95 = statistics.median(ret["seconds"]) * 1000, pct(ret["seconds"], 95) * 1000
            cells[v] = f"{p50:.0f} / {p95:.0f} ms ({ret['_rss_mb']:.0f} MB peak)"
            if v == "after" and size == TARGET_SIZE:
                met = p95 <= TARGETS["p95_ms"]
        rows.append({"figure": f"warm retrieve p50 / p95 at {label}", **cells, "met": met, "target": "p95 ≤ 100 ms" if size == TARGET_SIZE else ""})
    return rows


def _build_cell(b: dict[str, Any] | None) -> str:
    if not b:
        return "not run"
    if b.get("written_by") == "benchmark":
        return "not run (needs more memory than the machine has); main's saved format written by the benchmark"
    return f"{b['seconds']:.1f} s, {b['_rss_mb']:.0f} MB peak"


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| figure | before (main) | after | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r["met"]]
        lines.append(f"| {r['figure']} | {r['before']} | {r['after']} | {r.get('target', '')} | {met} |")
    return "\n".join(lines) + "\n"


def _machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "load_avg_at_start": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "python": sys.version.split()[0]}


def update_readme(data: dict[str, Any], table: str) -> None:
    m, c = data["machine"], data["config"]
    head = (f"Run `python benchmarks/scale.py --sizes {' '.join(map(str, c['sizes']))} --repeats {c['repeats']}` on {m['date']} "
            f"({m['cores']} cores, load average at start {', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])}); "
            f"before = {c['before']}, after = {c['after'][:12]}; medians of {c['repeats']} fresh processes.\n")
    text = README.read_text()
    if MARK_START not in text:
        text += f"\n{MARK_START}\n{MARK_END}\n"
    pre, rest = text.split(MARK_START, 1)
    post = rest.split(MARK_END, 1)[1] if MARK_END in rest else ""
    README.write_text(f"{pre}{MARK_START}\n{head}\n{table}{MARK_END}{post}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--repeats", type=int, default=3, help="fresh `ask` processes per size and code (default 3)")
    parser.add_argument("--queries", type=int, default=100, help="warm retrieve queries (default 100)")
    parser.add_argument("--before", default=BEFORE_REF, help=f"git ref of the code to compare with (default {BEFORE_REF})")
    parser.add_argument("--before-max", type=int, default=300_000, help="largest store the before code is run on at all")
    parser.add_argument("--before-build-max", type=int, default=100_000,
                        help="largest store main builds its own keyword index for (~40 GB per million chunks); above, "
                             "the benchmark writes main's saved format for it")
    parser.add_argument("--stores", default="/tmp/ics-scale/stores", help="where synthetic stores are built once and reused")
    parser.add_argument("--name", default="scale", help="results file name (benchmarks/results/<name>.json)")
    parser.add_argument("--fresh", action="store_true", help="measure everything again (stores are still reused)")
    parser.add_argument("--readme", action="store_true", help="write the table into benchmarks/README.md")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step_args = json.loads(args.args)
        sys.path.insert(0, step_args.get("tree", str(ROOT)))
        print(json.dumps(STEPS[args.step](step_args)))
        return 0
    return main_run(args)


if __name__ == "__main__":
    sys.exit(main())
