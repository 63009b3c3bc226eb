"""Load test: N simulated chat users against the running Gradio app, over loopback.

Each user is a thread with its own ``gradio_client.Client``; it asks questions from
``eval/questions.jsonl`` through the app's ``ask`` endpoint, one after another, until the run's
time is up (requests in flight then finish). Bounded: ``--users`` threads, ``--seconds`` of new
requests, at most ``--max-requests`` in all, and a per-request timeout. A request fails if it raises,
times out, or returns an error message instead of an answer.

Without ``--url`` the script starts ``app.py`` itself on a free loopback port (index: ``--index``,
built from the corpus directories on first start) and stops it afterwards.

    .venv/bin/python benchmarks/load_app.py                      # 50 users x 60 s
    .venv/bin/python benchmarks/load_app.py --url http://127.0.0.1:7860/ --users 10 --seconds 20

Writes ``benchmarks/results/load.json`` and prints p50/p95 latency. Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
FAILURE_MARKERS = ("Something went wrong", "Traceback")


def _questions() -> list[str]:
    path = ROOT / "eval" / "questions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows] or ["What did the Hewitt Review say about national targets?"]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def start_app(index: Path, corpus_dirs: list[Path], log_path: Path) -> tuple[subprocess.Popen, str]:
    """Start app.py on a free loopback port; returns the process and its URL once it answers."""
    sys.path.insert(0, str(ROOT))
    from assistant.net import free_port

    port = free_port()
    env = {**os.environ, "ICS_INDEX_DIR": str(index), "ICS_SERVER_HOST": "127.0.0.1", "ICS_SERVER_PORT": str(port),
           "ICS_CORPUS_DIRS": os.pathsep.join(str(d) for d in corpus_dirs), "ICS_UPLOADS_ENABLED": "false"}
    env.pop("ICS_AUTH_USERS", None)
    env.pop("ICS_AUTH_FILE", None)
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 900  # the first start ingests the corpus
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited with {proc.returncode}; see {log_path}")
        try:
            urllib.request.urlopen(url + "config", timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit(f"app.py did not answer at {url} within 900 s; see {log_path}")


T = TypeVar("T")


def stop_app(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the app has not exited within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def in_app(url: str | None, measure: "Callable[[str], T]", corpus_dirs: list[Path], prefix: str) -> T:
    """``measure(url)`` against ``url``, or against ``app.py`` started now over ``corpus_dirs`` (a fresh index) and stopped after."""
    if url is not None:
        return measure(url)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        proc, started_url = start_app(Path(tmp) / "index", corpus_dirs, Path(tmp) / "app.log")
        try:
            return measure(started_url)
        finally:
            stop_app(proc)


def browser_cli(doc: str | None, argv: list[str] | None, *, url_help: str, repeats: int, repeats_help: str,
                out: Path) -> argparse.Namespace | None:
    """The browser benchmarks' shared options (``--url``, ``--repeats``, ``--out``), parsed; None (said why) without chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    from chat_page import CHROMIUM

    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--url", help=url_help)
    parser.add_argument("--repeats", type=int, default=repeats, help=f"{repeats_help} (default {repeats})")
    parser.add_argument("--out", type=Path, default=out)
    args = parser.parse_args(argv)
    if args.repeats <= 0:
        parser.error("--repeats must be positive")
    if not CHROMIUM.exists():
        print(f"needs Debian's chromium at {CHROMIUM} (make browser)", file=sys.stderr)
        return None
    return args


def write_result(out: Path, result: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_facts(load_at_start: tuple[float, float, float]) -> dict[str, Any]:
    """The command, date, machine and load a benchmark result records."""
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]), "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
    }


def run_load(url: str, users: int, seconds: float, max_requests: int, timeout_s: float) -> dict:
    from gradio_client import Client

    questions = _questions()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    issued = [0]
    per_user = [0] * users
    start_gate = threading.Barrier(users + 1)
    go = threading.Event()
    stop_at = [0.0]

    def user(n: int) -> None:
        try:
            client = Client(url, verbose=False, download_files=False, analytics_enabled=False,
                            httpx_kwargs={"timeout": timeout_s})
        except Exception as exc:  # a user that cannot even connect is a failure
            with lock:
                failures.append(f"user {n}: connect: {type(exc).__name__}: {exc}")
            start_gate.wait()
            return
        start_gate.wait()
        go.wait()
        i = n
        while time.monotonic() < stop_at[0]:
            with lock:
                if issued[0] >= max_requests:
                    return
                issued[0] += 1
                per_user[n] += 1
            question = questions[i % len(questions)]
            i += users
            t0 = time.perf_counter()
            try:
                job = client.submit(question, api_name="/ask")
                answer = job.result(timeout=timeout_s)
                elapsed = time.perf_counter() - t0
                ok = isinstance(answer, str) and answer.strip() and not any(m in answer for m in FAILURE_MARKERS)
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        failures.append(f"user {n}: bad answer to {question!r}: {str(answer)[:200]!r}")
            except Exception as exc:
                with lock:
                    failures.append(f"user {n}: {question!r}: {type(exc).__name__}: {str(exc)[:200]}")

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    start_gate.wait()  # every client connected: the clock starts now
    began = time.monotonic()
    stop_at[0] = began + seconds
    go.set()
    for t in threads:
        t.join(timeout=seconds + timeout_s + 30)
    wall = time.monotonic() - began
    hung = sum(t.is_alive() for t in threads)
    if hung:
        failures.append(f"{hung} user thread(s) still waiting after the time limit")
    return {
        "users": users, "seconds": seconds, "per_user_requests": sorted(per_user), "wall_seconds": round(wall, 1), "requests": issued[0],
        "succeeded": len(latencies), "failed": len(failures), "failures": failures[:20],
        "p50_s": round(_percentile(latencies, 0.50), 3), "p95_s": round(_percentile(latencies, 0.95), 3),
        "max_s": round(max(latencies), 3) if latencies else None,
        "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        "throughput_per_s": round(len(latencies) / wall, 2) if wall else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running app (default: start app.py on a free loopback port)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=5000, help="cap on requests in all")
    parser.add_argument("--timeout", type=float, default=300.0, help="per-request timeout, seconds")
    parser.add_argument("--index", type=Path, default=Path(tempfile.gettempdir()) / "ics-assistant-load-index",
                        help="index for the app this script starts (built on first use)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args(argv)
    if args.users <= 0 or args.seconds <= 0 or args.max_requests <= 0:
        parser.error("--users, --seconds and --max-requests must be positive")

    proc = None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    url = args.url
    if url is None:
        corpus = [ROOT / "corpus"] + ([ROOT.parent / "shared" / "corpus-nhs"] if (ROOT.parent / "shared" / "corpus-nhs").is_dir() else [])
        proc, url = start_app(args.index, corpus, Path(tempfile.gettempdir()) / "ics-assistant-load-app.log")
    try:
        print(f"{args.users} users for {args.seconds:g} s against {url} ...", file=sys.stderr, flush=True)
        result = run_load(url, args.users, args.seconds, args.max_requests, args.timeout)
    finally:
        if proc is not None:
            stop_app(proc)
    result.update({"url": url, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                   "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M:%S")})
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"requests {result['requests']}, failed {result['failed']}; latency p50 {result['p50_s']} s, "
          f"p95 {result['p95_s']} s, max {result['max_s']} s; {result['throughput_per_s']} answers/s")
    print(f"written to {args.out}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
