"""The same code against a real Chroma server (`chroma run` on loopback) via ICS_CHROMA_HOST."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_DOCS, free_port

from assistant import Assistant

CHROMA = str(Path(sys.executable).with_name("chroma"))


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    port = free_port()
    proc = _start_chroma(port, tmp_path_factory.mktemp("chroma-server"))
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_ask_through_http_client(chroma_server: int, tmp_path: Path) -> None:
    a = Assistant(chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "unused")
    # The embedded client reports the Rust bindings; the HTTP client talks to the server's REST API.
    assert "fastapi" in a.store.client.get_settings().chroma_api_impl.lower()
    summary = a.ingest([CORPUS])
    assert len(summary.added) == CORPUS_DOCS and summary.ok
    again = a.ingest([CORPUS])
    assert again.chunks_added == 0 and len(again.unchanged) == CORPUS_DOCS
    answer = a.ask("What is the publication reference of NHS England's letter on the Hewitt Review?")
    assert "PR00557" in answer.text
    assert not (tmp_path / "unused").exists(), "server mode must not create a local index"
    # The abbreviations the chunks define were mined at ingestion and saved with the keyword index (local cache).
    assert "integrated care board" in a.retriever.dense_query("What do ICBs do?")

    # A second client (another process's view) sees the same index: it lives in the server.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ICS_")},
           "ICS_CHROMA_HOST": "127.0.0.1", "ICS_CHROMA_PORT": str(chroma_server)}
    status = subprocess.run([str(Path(sys.executable).with_name("ics-assistant")), "status"], capture_output=True, text=True, env=env, timeout=300)
    assert status.returncode == 0, status.stderr
    assert f"documents: {CORPUS_DOCS}" in status.stdout and f"http://127.0.0.1:{chroma_server}" in status.stdout


def _start_chroma(port: int, data: Path) -> subprocess.Popen:
    log = (data / "server.log").open("ab")  # a file, not a pipe: an unread pipe fills and stalls the server
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited: {(data / 'server.log').read_text()[-1000:]}")
            time.sleep(0.3)
    proc.kill()
    pytest.fail("chroma run did not start in 60 s")


def test_server_down_gives_a_clear_message_and_recovers_on_restart(tmp_path: Path) -> None:
    """Kill the server under a live Assistant (as under the running app), then bring it back on the same data."""
    from assistant.ingest.chroma import StoreError
    from assistant.serving.chat import reply

    port = free_port()
    server = _start_chroma(port, tmp_path)
    try:
        a = Assistant(chroma_host="127.0.0.1", chroma_port=port, index_dir=tmp_path / "unused")
        assert a.ingest([CORPUS]).ok
        question = "What is the publication reference of NHS England's letter on the Hewitt Review?"
        assert "PR00557" in a.ask(question).text

        server.kill()  # a crash, not a clean shutdown
        server.wait(timeout=30)
        for call in (lambda: a.ask(question), a.status, lambda: a.ingest([CORPUS])):
            with pytest.raises(StoreError, match=f"lost the connection to the Chroma server at http://127.0.0.1:{port}"):
                call()
        chat = reply(a, question)  # the chat endpoint: one line, no traceback
        assert "Chroma server" in chat and "Traceback" not in chat and "\n" not in chat.strip()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("ICS_")},
               "ICS_CHROMA_HOST": "127.0.0.1", "ICS_CHROMA_PORT": str(port)}
        cli = subprocess.run([str(Path(sys.executable).with_name("ics-assistant")), "ask", question],
                             capture_output=True, text=True, env=env, timeout=300)
        assert cli.returncode == 2 and cli.stderr.count("\n") == 1, cli.stderr
        assert f"cannot reach the Chroma server at http://127.0.0.1:{port}" in cli.stderr

        server = _start_chroma(port, tmp_path)  # back, same data: the same Assistant carries on
        assert "PR00557" in a.ask(question).text
        again = a.ingest([CORPUS])
        assert again.ok and len(again.unchanged) == CORPUS_DOCS and again.chunks_added == 0
        assert a.status().documents == CORPUS_DOCS
    finally:
        server.kill()
        server.wait(timeout=30)
