"""Tests for the web chat (app.py): answer formatting, the chat handler, and ``python app.py`` serving."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Citation

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
sys.path.insert(0, str(REPO_ROOT))  # app.py is a script at the repo root, not part of the package

import app  # noqa: E402

import gradio as gr  # noqa: E402  # isort: skip  - after assistant, which sets the offline environment

QUESTION = "Who was asked to lead the independent review of integrated care systems?"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    a = Assistant(index_dir=tmp_path_factory.mktemp("index"))
    summary = a.ingest([CORPUS])
    assert summary.ok and summary.added, str(summary)
    return a


def _citation(**changes: object) -> Citation:
    fields: dict[str, object] = {
        "n": 1, "source": "policy.txt", "title": "A policy", "quote": "Plain quote.", "start": 0, "end": 12,
        "page": 3, "section": "Governance",
    }
    fields.update(changes)
    return Citation(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- #
# formatting
# --------------------------------------------------------------------------- #


def test_citation_format_has_number_title_location_and_quote() -> None:
    line = app.format_citation(_citation())
    assert line.startswith("[1] ")
    assert "A policy" in line and "policy\\.txt" in line and "p. 3" in line and "Governance" in line
    assert line.endswith('"Plain quote\\."')


@pytest.mark.parametrize("payload", [SCRIPT, IMG, "<iframe src=javascript:alert(1)>", "<thinking>x</thinking>"])
def test_document_html_is_escaped_everywhere(payload: str) -> None:
    answer = Answer(
        question="q",
        text=f"The policy says {payload}. [1]",
        refused=False,
        citations=[_citation(quote=f"quote {payload}", title=f"Title {payload}", source=f"{payload}.txt", section=payload)],
        notes=[f"note {payload}"],
    )
    md = app.format_answer(answer)
    assert "<" not in md and ">" not in md  # no tag of any kind survives
    assert "&lt;script&gt;" in md or "&lt;img" in md or "&lt;iframe" in md or "&lt;thinking&gt;" in md
    assert "[1]" in md and "**Sources**" in md


def test_markdown_links_and_images_in_documents_stay_text() -> None:
    quote = "see ![x](http://tracker.example/p.png) and [click](javascript:alert(1))"
    md = app.format_citation(_citation(quote=quote))
    assert "](" not in md and "![" not in md
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in md


def test_refused_answer_is_labelled() -> None:
    md = app.format_answer(Answer(question="q", text="The documents don't say.", refused=True))
    assert md.startswith(f"**{app.REFUSED_LABEL}**")
    assert "Sources" not in md
    answered = app.format_answer(Answer(question="q", text="Yes. [1]", refused=False, citations=[_citation()]))
    assert app.REFUSED_LABEL not in answered


def test_answer_markers_keep_their_spacing() -> None:
    md = app.format_answer(Answer(question="q", text="One. [1] Two (b). [2]", refused=False))
    assert md == "One\\. [1] Two \\(b\\)\\. [2]"


# --------------------------------------------------------------------------- #
# the app and its chat handler, on a real index
# --------------------------------------------------------------------------- #


def test_build_app_is_blocks_with_a_safe_chatbot(assistant: Assistant) -> None:
    demo = app.build_app(assistant)
    assert isinstance(demo, gr.Blocks)
    chatbots = [b for b in demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert len(chatbots) == 1
    assert chatbots[0].sanitize_html is True and chatbots[0].allow_tags is False
    assert any(isinstance(b, gr.Button) and b.value == "Send" for b in demo.blocks.values())
    index = assistant.status()
    assert app.status_line(assistant) == f"Index: {index.documents} documents, {index.chunks} chunks."
    assert any(isinstance(b, gr.Markdown) and b.value == app.status_line(assistant) for b in demo.blocks.values())


def test_handler_answers_with_citations(assistant: Assistant) -> None:
    respond = app.chat_handler(assistant)
    cleared, history = respond(QUESTION, [])
    assert cleared == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    message = history[-1]["content"]
    assert "[1]" in message and "**Sources**" in message
    assert app.REFUSED_LABEL not in message
    assert "Something went wrong" not in message


@pytest.mark.parametrize("blank", ["   ", "", "\n\t"])
def test_handler_blank_question_is_a_friendly_message(assistant: Assistant, blank: str) -> None:
    earlier = [{"role": "assistant", "content": "earlier"}]
    _, history = app.chat_handler(assistant)(blank, earlier)
    assert history[:1] == earlier and len(history) == 2  # no empty user bubble
    message = history[-1]["content"]
    assert "question is empty" in message
    assert "Traceback" not in message and "Something went wrong" not in message


def test_handler_turns_failures_into_one_line(assistant: Assistant, tmp_path: Path) -> None:
    _, history = app.chat_handler(assistant)(12345, [])  # type: ignore[arg-type]  # not text: QuestionError
    assert "must be text" in history[-1]["content"]
    not_a_directory = tmp_path / "index"
    not_a_directory.write_text("")
    broken = Assistant(index_dir=not_a_directory)  # the store cannot open: an unexpected failure
    message = app.reply(broken, QUESTION)
    assert message.startswith("Something went wrong: ") and "\n" not in message
    assert "Traceback" not in message
    assert app.status_line(broken).startswith("Index status unavailable")


# --------------------------------------------------------------------------- #
# python app.py really serves
# --------------------------------------------------------------------------- #


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local IPv4/IPv6 addresses LISTENing on ``port`` (Linux /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(addr)
    return found


@pytest.mark.slow
def test_python_app_py_ingests_and_serves_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICS_", "GRADIO_"))}
    env.update(GRADIO_SERVER_PORT=str(port), ICS_INDEX_DIR=str(tmp_path / "index"), PYTHONUNBUFFERED="1")
    log_path = tmp_path / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            body = None
            announced = f"running at http://127.0.0.1:{port}"
            while time.monotonic() < deadline and proc.poll() is None:
                if body is None:
                    try:
                        with urllib.request.urlopen(url, timeout=5) as response:
                            assert response.status == 200
                            body = response.read().decode("utf-8", "replace")
                    except (urllib.error.URLError, ConnectionError, TimeoutError):
                        pass
                if body is not None and announced in log_path.read_text():
                    break
                time.sleep(0.5)
            output = log_path.read_text()
            assert body is not None, f"app.py did not serve {url} (exit code {proc.poll()}):\n{output}"
            assert "<html" in body.lower() and "ICS Policy Assistant" in body
            assert re.search(r"^[1-9]\d* added, .* 0 failed", output, re.M), output  # fresh index: corpus ingested
            assert announced in output, output
            assert "DEBUG" not in output and "Traceback" not in output, output
            addresses = _listening_addresses(port)
            if addresses:  # Linux: the only listening socket is 127.0.0.1 (0100007F), not 0.0.0.0 or ::
                assert addresses == {"0100007F"}, addresses
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
