"""Benchmarks: ingestion, retrieval, answers, cold start, memory and concurrency, each against a reference.

    python benchmarks/run.py            # full run (make bench), about 10-15 minutes on 2 cores
    python benchmarks/run.py --quick    # about two minutes (make bench-quick): fewer repeats, no 100k store

Prints a table, writes ``benchmarks/results/<name>.json`` and ``<name>.md`` (name: ``full`` or
``quick`` unless ``--name``), and with ``--readme`` puts the table into ``benchmarks/README.md``.

Every measured step runs in a fresh subprocess (``--step NAME``) so its peak memory (``ru_maxrss``
from ``wait4``) is its own. Figures are medians over repeated runs (and p95 for latencies). The
references run in the same invocation, so their ratios hold on a busy machine even when the
absolute numbers do not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from procs import reap

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("ics-assistant"))
CORPUS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus-nhs"]
# --quick: the seeds and the two smallest NHS documents (about a tenth of the corpus)
QUICK_CORPUS = [ROOT / "corpus", *(ROOT.parent / "shared" / "corpus-nhs" / f for f in (
    "nhse_productivity_update.md", "nhse_oversight_framework_2025_26_methodology_manual.md"))]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


# -- helpers -----------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """Percentile by nearest rank (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[k]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def corpus_files(inputs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in inputs:
        found = sorted(d.iterdir()) if d.is_dir() else [d]
        out += [p for p in found if p.is_file() and p.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf", ".docx")]
    return out


def corpus_mb(inputs: list[Path]) -> float:
    return sum(p.stat().st_size for p in corpus_files(inputs)) / 1e6


def questions(limit: int | None = None) -> list[str]:
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    qs = [r["question"] for r in rows if r.get("question")]
    return qs[:limit] if limit else qs


def run_wait4(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 1800) -> dict[str, Any]:
    """Run a command; wall seconds, its own peak RSS in MB (``os.wait4``), exit status, stdout and stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT, text=True)
        rc, rss_mb = reap(proc, started + timeout)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "rss_mb": rss_mb, "rc": rc, "stdout": out.read(), "stderr": err.read()}


def step(name: str, args: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    """Run ``--step name`` in a fresh interpreter; its JSON result plus wall time and peak RSS."""
    res = run_wait4([PY, str(Path(__file__)), "--step", name, "--args", json.dumps(args)], timeout=timeout)
    if res["rc"] != 0:
        raise RuntimeError(f"step {name} failed ({res['rc']}): {res['stderr'][-2000:]}")
    data = json.loads(res["stdout"].strip().splitlines()[-1])
    data["_rss_mb"] = res["rss_mb"]
    data["_wall"] = res["wall"]
    return data


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- steps (each runs in its own process) ----------------------------------------------------------------
def _step_chunk_texts(a: dict[str, Any]) -> dict[str, Any]:
    """The exact texts the model embeds for the corpus (our chunker), saved for the raw-forward reference."""
    sys.path.insert(0, str(ROOT))
    from llama_index.core.schema import MetadataMode

    from assistant.ingest.chunking import TokenSentenceChunker
    from assistant.ingest.embedding import model_path
    from assistant.ingest.loaders import find_files, load_file, read_manifest
    from assistant.settings import Settings

    settings = Settings.load()
    files, _ = find_files([Path(p) for p in a["inputs"]])
    docs = [load_file(f.resolve(), read_manifest(f.resolve().parent)) for f in files]
    chunker = TokenSentenceChunker(model_path=model_path(settings.embed_model), chunk_tokens=settings.chunk_tokens,
                                   overlap_sentences=settings.chunk_overlap_sentences, embed_metadata=settings.embed_metadata)
    nodes = chunker.get_nodes_from_documents(docs)
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    Path(a["out"]).write_text(json.dumps(texts))
    return {"chunks": len(texts)}


def _step_raw_forward(a: dict[str, Any]) -> dict[str, Any]:
    """The limit: tokenise + forward + mean-pool over the chunk texts, model already loaded (torch or onnx)."""
    sys.path.insert(0, str(ROOT))
    texts = json.loads(Path(a["texts"]).read_text())
    if a["runtime"] == "torch":
        from sentence_transformers import SentenceTransformer

        from assistant.ingest.embedding import model_path

        model = SentenceTransformer(model_path(), device="cpu")

        def run() -> None:
            model.encode(texts, batch_size=32, normalize_embeddings=True)  # sorts by length itself
    else:
        from assistant.ingest.embedding import get_embed_model

        onnx_model = get_embed_model(backend="onnx")

        def run() -> None:
            onnx_model.embed(texts)  # type: ignore[attr-defined]
    run_small = texts[:8]
    if a["runtime"] == "torch":
        model.encode(run_small)
    else:
        onnx_model.embed(run_small)  # type: ignore[attr-defined]
    times = []
    for _ in range(a["repeats"]):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return {"seconds": times, "chunks": len(texts)}


def _step_llamaindex_default(a: dict[str, Any]) -> dict[str, Any]:
    """LlamaIndex's stock pipeline: SimpleDirectoryReader + VectorStoreIndex.from_documents into Chroma, same model."""
    sys.path.insert(0, str(ROOT))
    import assistant._env  # noqa: F401  - offline environment before chromadb and transformers

    # isort: split
    import chromadb
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant.ingest.embedding import model_path

    path = model_path()
    files = [str(p) for p in corpus_files([Path(p) for p in a["inputs"]])]
    t = time.perf_counter()
    embed = HuggingFaceEmbedding(model_name=path, device="cpu")
    docs = SimpleDirectoryReader(input_files=files).load_data()
    client = chromadb.PersistentClient(path=a["dir"])
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("bench"))
    transformations = None
    if a.get("chunk_size"):  # sized to the model's window, so every word is embedded
        from llama_index.core.node_parser import SentenceSplitter

        transformations = [SentenceSplitter(chunk_size=a["chunk_size"], chunk_overlap=20)]
    index = VectorStoreIndex.from_documents(docs, storage_context=StorageContext.from_defaults(vector_store=store),
                                            embed_model=embed, transformations=transformations)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "chunks": len(index.index_struct.nodes_dict) or store._collection.count()}


def _step_build_synthetic(a: dict[str, Any]) -> dict[str, Any]:
    """A store of ``size`` chunks: the real chunks, then copies with perturbed vectors (synthetic.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from synthetic import build_store

    return build_store(Path(a["source"]), Path(a["dir"]), int(a["size"]))


def _step_retrieve(a: dict[str, Any]) -> dict[str, Any]:
    """Warm retrieval latency through the Python API (query embedding + dense + BM25 + fusion)."""
    sys.path.insert(0, str(ROOT))
    from assistant import Assistant

    qs = questions()
    assistant = Assistant(index_dir=a["dir"])
    t = time.perf_counter()
    assistant.retrieve(qs[0])  # opens the store, loads the model, builds BM25
    first = time.perf_counter() - t
    times = []
    for i in range(a["n"]):
        t = time.perf_counter()
        assistant.retrieve(qs[(i + 1) % len(qs)])
        times.append(time.perf_counter() - t)
    # A second Assistant shares the loaded model but not the BM25 index: it reads the one the first saved.
    again = Assistant(index_dir=a["dir"])
    t = time.perf_counter()
    again.retrieve(qs[0])
    saved = time.perf_counter() - t
    return {"seconds": times, "first_s": first, "first_saved_s": saved, "chunks": assistant.store.count()}


def _step_ask(a: dict[str, Any]) -> dict[str, Any]:
    """Warm extractive answer latency: new questions (sentence cache cold), then the same ones again."""
    sys.path.insert(0, str(ROOT))
    from assistant import Assistant

    qs = questions(a.get("limit"))
    assistant = Assistant(index_dir=a["dir"])
    assistant.ask("What is an integrated care board?")  # warm: model, store, BM25
    new, repeat = [], []
    for q in qs:
        t = time.perf_counter()
        assistant.ask(q)
        new.append(time.perf_counter() - t)
    for q in qs:
        t = time.perf_counter()
        assistant.ask(q)
        repeat.append(time.perf_counter() - t)
    return {"new": new, "repeat": repeat}


def _step_qps(a: dict[str, Any]) -> dict[str, Any]:
    """Questions per second with N threads sharing one Assistant (fresh sentence cache per level)."""
    sys.path.insert(0, str(ROOT))
    from concurrent.futures import ThreadPoolExecutor

    from assistant import Assistant
    from assistant.answering.extractive import SentenceVectorCache

    qs = questions(a.get("limit"))
    assistant = Assistant(index_dir=a["dir"])
    assistant.ask("What is an integrated care board?")
    out = {}
    for n in a["levels"]:
        assistant.answerer._vectors = SentenceVectorCache()  # type: ignore[attr-defined]
        t = time.perf_counter()
        with ThreadPoolExecutor(n) as pool:
            answers = list(pool.map(assistant.ask, qs))
        seconds = time.perf_counter() - t
        out[str(n)] = {"qps": len(answers) / seconds, "questions": len(answers), "seconds": seconds}
    return out


STEPS = {
    "chunk_texts": _step_chunk_texts, "raw_forward": _step_raw_forward, "llamaindex_default": _step_llamaindex_default,
    "build_synthetic": _step_build_synthetic, "retrieve": _step_retrieve, "ask": _step_ask, "qps": _step_qps,
}


# -- process-level measurements ------------------------------------------------------------------------------
def ingest_cli(index: Path, inputs: list[Path]) -> dict[str, Any]:
    res = run_wait4([CLI, "ingest", "--json", "--index", str(index), *map(str, inputs)])
    if res["rc"] != 0:
        raise RuntimeError(f"ingest failed: {res['stderr'][-1000:]}")
    summary = json.loads(res["stdout"])
    return {"wall": res["wall"], "rss_mb": res["rss_mb"], "seconds": summary["seconds"], "chunks": summary["chunks_added"]}


def ask_cli(index: Path, question: str) -> dict[str, Any]:
    res = run_wait4([CLI, "ask", "--index", str(index), question])
    if res["rc"] != 0:
        raise RuntimeError(f"ask failed: {res['stderr'][-1000:]}")
    return res


def app_cold(index: Path) -> dict[str, Any]:
    """Start app.py on a free port with a built index; seconds until the page answers HTTP 200."""
    import psutil

    sys.path.insert(0, str(ROOT))
    from assistant.net import free_port

    port = free_port()
    env = dict(os.environ, ICS_INDEX_DIR=str(index), GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1")
    t = time.perf_counter()
    proc = subprocess.Popen([PY, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, seconds = 0.0, None
    try:
        ps = psutil.Process(proc.pid)
        while time.perf_counter() - t < 120 and proc.poll() is None:
            try:
                peak = max(peak, ps.memory_info().rss / 1e6)
            except psutil.Error:
                pass
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    if r.status == 200:
                        seconds = time.perf_counter() - t
                        break
            except OSError:
                time.sleep(0.05)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if seconds is None:
        raise RuntimeError("app.py did not serve a page within 120 s")
    return {"wall": seconds, "rss_mb": peak}


# -- the run --------------------------------------------------------------------------------------------------
def main_run(args: argparse.Namespace) -> int:
    quick = args.quick
    repeats = 2 if quick else 5
    name = args.name or ("quick" if quick else "full")
    work = Path(tempfile.mkdtemp(prefix="ics-bench-"))
    env_cache = os.environ.get("XDG_CACHE_HOME")
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {"name": name, "quick": quick, "machine": machine(), "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]])}
    started = time.perf_counter()
    try:
        inputs = QUICK_CORPUS if quick else CORPUS
        results["corpus"] = [str(p) for p in inputs]
        mb = corpus_mb(inputs)
        texts = work / "texts.json"
        log("chunk texts")
        chunks = step("chunk_texts", {"out": str(texts), "inputs": [str(p) for p in inputs]})["chunks"]

        # 1. ingestion vs the raw forward pass and vs LlamaIndex's default pipeline
        # Interleaved (references before and after, ingestion runs between LlamaIndex runs) so that a
        # change in the machine's load during the run hits ours and the references alike.
        def raw(runtime: str, n: int) -> dict[str, Any]:
            return step("raw_forward", {"texts": str(texts), "runtime": runtime, "repeats": n})

        log("raw forward pass (torch, onnx)")
        first_half = (repeats + 1) // 2
        raw_parts = {"torch": [raw("torch", first_half)], "onnx": [raw("onnx", first_half)]}
        ingests, reingests, li, li256 = [], [], [], []
        li_repeats = max(1, repeats - 2)
        for r in range(repeats):
            log(f"ingest (CLI) {r + 1}/{repeats}" + (", LlamaIndex default and chunk_size=256" if r < li_repeats else ""))
            index = work / f"index{r}"
            ingests.append(ingest_cli(index, inputs))
            reingests.append(ingest_cli(index, inputs))
            if r < li_repeats:
                li.append(step("llamaindex_default", {"dir": str(work / f"li{r}"), "inputs": [str(p) for p in inputs]}))
                li256.append(step("llamaindex_default", {"dir": str(work / f"lw{r}"), "inputs": [str(p) for p in inputs], "chunk_size": 256}))
        main_index = work / "index0"
        log("raw forward pass (onnx, torch)")
        raw_parts["onnx"].append(raw("onnx", repeats - first_half))
        raw_parts["torch"].append(raw("torch", repeats - first_half))
        raw_t, raw_o = ({"seconds": [x for part in parts for x in part["seconds"]], "_rss_mb": max(part["_rss_mb"] for part in parts)}
                        for parts in (raw_parts["torch"], raw_parts["onnx"]))

        raw_torch_s, raw_onnx_s = med(raw_t["seconds"]), med(raw_o["seconds"])
        ing_s, ing_wall = med([x["seconds"] for x in ingests]), med([x["wall"] for x in ingests])
        li_s = med([x["seconds"] for x in li])
        li256_s = med([x["seconds"] for x in li256])
        re_s, re_wall = med([x["seconds"] for x in reingests]), med([x["wall"] for x in reingests])
        results["ingest"] = {"chunks": chunks, "mb": mb, "raw_torch": raw_t, "raw_onnx": raw_o, "cli": ingests, "reingest": reingests,
                             "llamaindex": li, "llamaindex_256": li256}
        rows += [
            row("raw forward pass, torch (reference)", f"{chunks / raw_torch_s:.1f} chunks/s, {mb / raw_torch_s:.3f} MB/s", "", None, "", raw_t["_rss_mb"]),
            row("raw forward pass, onnx (ours)", f"{chunks / raw_onnx_s:.1f} chunks/s", "raw torch", raw_torch_s / raw_onnx_s, "", raw_o["_rss_mb"]),
            row("ingest, in-process (model load + parse + chunk + embed + write)", f"{chunks / ing_s:.1f} chunks/s, {mb / ing_s:.3f} MB/s ({ing_s:.1f} s)",
                "raw torch", raw_torch_s / ing_s, ">= 0.9x", None, ok=raw_torch_s / ing_s >= 0.9),
            row("ingest, `ics-assistant ingest` wall (incl. start-up)", f"{chunks / ing_wall:.1f} chunks/s, {mb / ing_wall:.3f} MB/s ({ing_wall:.1f} s)",
                "raw torch", raw_torch_s / ing_wall, "", med([x["rss_mb"] for x in ingests])),
            row("LlamaIndex default: from_documents into Chroma (1024-token chunks, truncated to the model's 256)",
                f"{li[0]['chunks']} chunks, {mb / li_s:.3f} MB/s ({li_s:.1f} s)", "", None, "", li[0]["_rss_mb"]),
            row("ingest vs LlamaIndex default (MB/s)", f"{li_s / ing_s:.2f}x", "LlamaIndex default", li_s / ing_s, "> 1x", None, ok=li_s > ing_s),
            row("LlamaIndex, SentenceSplitter(chunk_size=256): every word embedded",
                f"{li256[0]['chunks']} chunks, {mb / li256_s:.3f} MB/s ({li256_s:.1f} s)", "", None, "", li256[0]["_rss_mb"]),
            row("ingest vs LlamaIndex chunk_size=256 (MB/s)", f"{li256_s / ing_s:.2f}x", "LlamaIndex 256", li256_s / ing_s, "> 1x", None, ok=li256_s > ing_s),
            row("re-ingest unchanged corpus, in-process", f"{re_s * 1000:.0f} ms", "first ingest", re_s / ing_s, "< 2%", None, ok=re_s / ing_s < 0.02, pct_ratio=True),
            row("re-ingest unchanged corpus, CLI wall", f"{re_wall:.2f} s", "first ingest", re_wall / ing_wall, "", med([x["rss_mb"] for x in reingests]), pct_ratio=True),
        ]

        # 2. retrieval at ~1k, 10k, 100k chunks (synthetic copies of the real chunks' vectors beyond the real ones)
        sizes = [1000, 10000] if quick else [1000, 10000, 100000]
        n_queries = 40 if quick else 100
        results["retrieval"] = {}
        base_p95 = None
        for size in sizes:
            log(f"retrieval at {size} chunks")
            built = step("build_synthetic", {"source": str(main_index), "dir": str(work / f"syn{size}"), "size": size}, timeout=3600)
            ret = step("retrieve", {"dir": str(work / f"syn{size}"), "n": n_queries})
            p50, p95 = med(ret["seconds"]) * 1000, pct(ret["seconds"], 95) * 1000
            base_p95 = base_p95 or p95
            results["retrieval"][str(size)] = {"build": built, "retrieve": ret}
            target = "p95 < 50 ms" if size >= 100000 else ""
            rows.append(row(f"retrieve p50/p95 at {ret['chunks']} chunks (synthetic beyond {chunks})", f"{p50:.0f} / {p95:.0f} ms (first query {ret['first_s']:.1f} s; "
                                f"with the saved keyword index {ret.get('first_saved_s', float('nan')):.1f} s)",
                            "p95 at 1k", p95 / base_p95, target, ret["_rss_mb"], ok=(p95 < 50) if target else None))
            shutil.rmtree(work / f"syn{size}", ignore_errors=True)

        # 3. answers, warm
        log("ask (warm)")
        limit = 30 if quick else None
        ask = step("ask", {"dir": str(main_index), "limit": limit})
        results["ask"] = ask
        rows.append(row(f"ask p50/p95, warm process, new questions ({len(ask['new'])})", f"{med(ask['new']) * 1000:.0f} / {pct(ask['new'], 95) * 1000:.0f} ms",
                        "", None, "p50 < 150 ms", ask["_rss_mb"], ok=med(ask["new"]) < 0.150))
        rows.append(row("ask p50/p95, repeated questions (sentence vectors cached)", f"{med(ask['repeat']) * 1000:.0f} / {pct(ask['repeat'], 95) * 1000:.0f} ms",
                        "new questions", med(ask["repeat"]) / med(ask["new"]), "", None))

        # 4. cold start
        log("cold start: ics-assistant ask, app.py")
        q = "Who was asked to lead the independent review of integrated care systems?"
        cold = [ask_cli(main_index, q) for _ in range(repeats)]
        apps = [app_cold(main_index) for _ in range(max(1, repeats - 1))]
        results["cold"] = {"ask": [{k: v for k, v in c.items() if k in ("wall", "rss_mb")} for c in cold], "app": apps}
        cw, aw = med([c["wall"] for c in cold]), med([x["wall"] for x in apps])
        rows.append(row("cold `ics-assistant ask` to its answer", f"{cw:.2f} s", "", None, "< 3 s", med([c["rss_mb"] for c in cold]), ok=cw < 3))
        rows.append(row("cold `app.py` to a served page", f"{aw:.2f} s", "", None, "< 8 s", max(x["rss_mb"] for x in apps), ok=aw < 8))

        # 5. concurrency
        log("concurrent askers")
        qps = step("qps", {"dir": str(main_index), "levels": [1, 4, 16], "limit": 24 if quick else 60})
        results["qps"] = qps
        for n in ("1", "4", "16"):
            rows.append(row(f"questions/s with {n} concurrent askers (Python API)", f"{qps[n]['qps']:.2f} q/s", "1 asker", qps[n]["qps"] / qps["1"]["qps"], "", qps["_rss_mb"] if n == "1" else None))
    finally:
        if env_cache is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        shutil.rmtree(work, ignore_errors=True)

    results["rows"] = rows
    results["total_s"] = time.perf_counter() - started
    table = markdown(rows)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
    (RESULTS / f"{name}.md").write_text(header(results) + "\n" + table)
    if args.readme:
        update_readme(results, table)
    log(f"done in {results['total_s']:.0f} s; wrote {RESULTS / (name + '.json')}")
    return 0


def row(figure: str, value: str, reference: str, ratio: float | None, target: str, rss: float | None,
        ok: bool | None = None, pct_ratio: bool = False) -> dict[str, Any]:
    return {"figure": figure, "value": value, "reference": reference, "ratio": ratio, "target": target,
            "peak_rss_mb": rss, "met": ok, "pct": pct_ratio}


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| figure | median (p95) | ratio to reference | target | met | peak RSS |", "|---|---|---|---|---|---|"]
    for r in rows:
        ratio = ""
        if r["ratio"] is not None:
            ratio = f"{r['ratio'] * 100:.1f}% of {r['reference']}" if r["pct"] else f"{r['ratio']:.2f}x {r['reference']}"
        met = {True: "yes", False: "**no**", None: ""}[r["met"]]
        rss = f"{r['peak_rss_mb']:.0f} MB" if r["peak_rss_mb"] else ""
        lines.append(f"| {r['figure']} | {r['value']} | {ratio} | {r['target']} | {met} | {rss} |")
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "os": platform.platform(), "load_avg_at_start": os.getloadavg(),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def header(results: dict[str, Any]) -> str:
    m = results["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_avg_at_start"])
    return (f"Run `{results['command']}` on {m['date']}: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GiB, "
            f"Python {m['python']}, {m['os']} (load average at start {load}); {results['total_s'] / 60:.1f} min.\n")


def update_readme(results: dict[str, Any], table: str) -> None:
    text = README.read_text() if README.is_file() else f"# Benchmarks\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START not in text:
        text += f"\n{MARK_START}\n{MARK_END}\n"
    before, rest = text.split(MARK_START, 1)
    after = rest.split(MARK_END, 1)[1] if MARK_END in rest else ""
    README.write_text(f"{before}{MARK_START}\n{header(results)}\n{table}{MARK_END}{after}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about two minutes: fewer repeats, stores up to 10k chunks")
    parser.add_argument("--name", help="results file name (default: quick or full)")
    parser.add_argument("--readme", action="store_true", help="write the table into benchmarks/README.md")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](json.loads(args.args))))
        return 0
    return main_run(args)


if __name__ == "__main__":
    sys.exit(main())
