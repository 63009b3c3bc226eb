"""The shared deployment of docs/deployment.md, for real: one `chroma run`, one ingestion job, two app processes.

Everything on loopback and real: the Chroma server, the `ics-assistant ingest` job, two `python app.py`
processes sharing one keyword-index directory (ICS_KEYWORD_DIR), questions through the `/ask` API, and
a document added through the first app's upload button (the browser's own HTTP calls, without the browser).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, free_port, stop_process
from test_chroma_server import _start_chroma

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Who was asked to lead the independent review of integrated care systems?"
NEW_DOC = "# Quokka programme\n\nThe quokka programme for integrated care boards starts in April 2031 and is led by Dr Ada Quill.\n"


def _env(chroma_port: int, shared: Path, own: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICS_", "GRADIO_"))}
    env.update(
        ICS_CHROMA_HOST="127.0.0.1", ICS_CHROMA_PORT=str(chroma_port), ICS_KEYWORD_DIR=str(shared),
        ICS_INDEX_DIR=str(own / "unused"), ICS_UPLOAD_DIR=str(own / "uploads"), ICS_FEEDBACK_DB=str(own / "feedback.sqlite3"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _start_app(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env={**env, "GRADIO_SERVER_PORT": str(port)},
                            stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def _wait_served(proc: subprocess.Popen, base: str, log_path: Path) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if "running at" in log_path.read_text():
            return
        time.sleep(0.5)
    pytest.fail(f"app at {base} did not start (exit {proc.poll()}):\n{log_path.read_text()[-3000:]}")


def _ask(base: str, question: str) -> str:
    from gradio_client import Client

    return str(Client(base, verbose=False).predict(question, api_name="/ask"))


def _upload_through_the_page(base: str, name: str, content: str) -> str:
    """What the browser does for "Add to the library": upload the file, then queue the button's event."""
    with urllib.request.urlopen(f"{base}/config", timeout=30) as r:
        config = json.loads(r.read())
    button = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "upload-add")
    event = next(d for d in config["dependencies"] if [button, "click"] in d["targets"])
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/markdown\r\n\r\n{content}\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(f"{base}/gradio_api/upload", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        [server_path] = json.loads(r.read())
    session = uuid.uuid4().hex
    payload = {"data": [[{"path": server_path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}]],
               "fn_index": event["id"], "trigger_id": button, "session_hash": session}
    join = urllib.request.Request(f"{base}/gradio_api/queue/join", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(join, timeout=30) as r:
        assert r.status == 200
    with urllib.request.urlopen(f"{base}/gradio_api/queue/data?session_hash={session}", timeout=600) as stream:
        for raw in stream:
            line = raw.decode("utf-8").strip()
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") == "process_completed":
                assert message.get("success"), message
                return str(message["output"]["data"][0])
    raise AssertionError("the upload event never completed")


@pytest.fixture()
def deployment(tmp_path: Path) -> Iterator[dict]:
    chroma_port = free_port()
    chroma = _start_chroma(chroma_port, tmp_path)
    shared = tmp_path / "shared-keyword"
    apps: list[subprocess.Popen] = []  # type: ignore[type-arg]
    try:
        yield {"chroma_port": chroma_port, "shared": shared, "tmp": tmp_path, "apps": apps}
    finally:
        for proc in apps:
            stop_process(proc)
        stop_process(chroma)


@pytest.mark.slow
def test_two_app_processes_share_one_chroma_server_and_one_keyword_index(deployment: dict) -> None:
    tmp, shared, port = deployment["tmp"], deployment["shared"], deployment["chroma_port"]
    # The ingestion job builds and publishes the keyword index into the shared directory.
    job = subprocess.run([str(Path(sys.executable).with_name("ics-assistant")), "ingest", "--quiet", str(CORPUS)],
                         env=_env(port, shared, tmp / "job"), capture_output=True, text=True, timeout=600)
    assert job.returncode == 0, job.stderr
    published = json.loads((shared / "ics_policy" / "CURRENT").read_text())

    logs = [tmp / "app-a.log", tmp / "app-b.log"]
    started = [_start_app(_env(port, shared, tmp / name), log) for name, log in zip(("a", "b"), logs)]
    deployment["apps"].extend(proc for proc, _ in started)
    for (proc, base), log in zip(started, logs):
        _wait_served(proc, base, log)
    (_, a), (_, b) = started
    for base in (a, b):
        assert "Patricia Hewitt" in _ask(base, QUESTION)
    assert json.loads((shared / "ics_policy" / "CURRENT").read_text()) == published  # opened, not rebuilt
    assert not any("built the keyword index" in log.read_text() for log in logs)

    # A document added through app A: app B answers from it, dense and keyword side alike.
    assert "Dr Ada Quill" not in _ask(b, "Who leads the quokka programme?")
    result = _upload_through_the_page(a, "quokka.md", NEW_DOC)
    assert "✓ **quokka\\.md**: added" in result, result
    now = json.loads((shared / "ics_policy" / "CURRENT").read_text())
    assert now["state"] != published["state"]
    answer = _ask(b, "Who leads the quokka programme?")
    assert "Dr Ada Quill" in answer and "quokka\\.md" in answer, answer
    assert "Patricia Hewitt" in _ask(b, QUESTION)
    assert not any("built the keyword index" in log.read_text() for log in logs[1:])
    assert f"opened the keyword index {now['name']}" in logs[1].read_text()  # B switched to what A published
    for log in logs:
        text = log.read_text()
        assert "Traceback" not in text and "ERROR" not in text, text[-3000:]
