"""A real ingestion that reports its progress, for tests that act at points they observe (not a test module).

    python tests/ingest_driver.py INDEX DOCS [--gate]

It ingests DOCS into INDEX with ``Assistant.ingest`` (real model, real Chroma) and prints, one line each:

- ``ready`` once the embedding model is loaded (what comes after is the ingestion itself);
- ``event K KIND NAME T`` at each step, K counting from 1: KIND ``load`` before a file is parsed (NAME
  its file name), ``embed`` after a batch of chunks is embedded (NAME its size), ``write`` before a
  Chroma write (NAME ``chunks.upsert``, ``chunks.delete``, ``catalog.upsert`` or ``catalog.delete``);
- ``wrote K T`` after each write returns;
- ``done {"seconds": ..., "events": N, "failed": [...]}`` at the end.

T is ``time.monotonic()``, the system-wide clock, so a test can compare it with its own. With
``--gate`` the driver waits after each write for a line on stdin: a test can then do something
(ask a question) between two writes of a running ingestion, every time.

The driver only observes: each wrapper reports, then calls the real method.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from assistant import Assistant
from assistant.ingest import embedding, pipeline


def main(index: str, docs: str, gate: bool) -> None:
    a = Assistant(index_dir=index)
    store = a.store
    _ = a.embed_model  # loaded before "ready": what follows is the ingestion itself
    count = [0]

    def event(kind: str, name: str) -> int:
        count[0] += 1
        print(f"event {count[0]} {kind} {name} {time.monotonic():.6f}", flush=True)
        return count[0]

    def observe_write(name: str, write: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            k = event("write", name)
            result = write(*args, **kwargs)
            print(f"wrote {k} {time.monotonic():.6f}", flush=True)
            if gate:
                sys.stdin.readline()
            return result

        return call

    for collection in ("chunks", "catalog"):
        for method in ("upsert", "delete"):
            real = getattr(getattr(store, collection), method)
            setattr(getattr(store, collection), method, observe_write(f"{collection}.{method}", real))

    load_file = pipeline.load_file

    def observed_load(path: Any, *args: Any, **kwargs: Any) -> Any:
        event("load", str(getattr(path, "name", path)).replace(" ", "_"))
        return load_file(path, *args, **kwargs)

    pipeline.load_file = observed_load  # type: ignore[assignment]

    token_embeddings = embedding._Runtime.token_embeddings

    def observed_batches(self: Any, texts: Any, batch_size: int, progress: Any = None) -> Any:
        def batch_done(n: int) -> None:
            event("embed", str(n))  # a batch is done: the next one (or chunk writing) starts
            if progress is not None:
                progress(n)

        return token_embeddings(self, texts, batch_size, batch_done)

    embedding._Runtime.token_embeddings = observed_batches  # type: ignore[method-assign]

    print("ready", flush=True)
    started = time.perf_counter()
    summary = a.ingest([docs])
    print("done", json.dumps({"seconds": time.perf_counter() - started, "events": count[0], "failed": summary.failed}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--gate" in sys.argv[3:])
