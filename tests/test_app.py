"""Tests for the web chat (app.py, assistant/serving/chat/): formatting, handlers on a real index, uploads,
feedback, login and the ``ask`` API over HTTP on loopback, and ``python app.py`` serving.

Browser behaviour (streaming, clicking [n], narrow widths) is in tests/test_browser.py.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import free_port, stop_process

from assistant import Answer, Assistant, Citation, Passage, SettingsError
from assistant.serving.chat import handlers, layout, rendering
from assistant.serving.feedback import FeedbackStore

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"


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


def _run(respond, *args) -> list[tuple]:  # noqa: ANN001
    return list(respond(*args))


# --------------------------------------------------------------------------- #
# formatting (pure)
# --------------------------------------------------------------------------- #


def test_citation_format_has_number_title_location_and_quote() -> None:
    line = rendering.format_citation(_citation())
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
        changes=[f"dropped “{payload}”: no passage supports it"],
    )
    for md in (rendering.format_answer(answer), rendering.format_chat_message(answer, 0, "all 2 documents")):
        assert "<" not in md and ">" not in md  # no tag of any kind survives
        assert "&lt;" in md and "_Checked against the passages: dropped “" in md
    assert "[1]" in rendering.format_answer(answer) and "**Sources**" in rendering.format_answer(answer)


def test_markdown_links_and_images_in_documents_stay_text() -> None:
    quote = "see ![x](http://tracker.example/p.png) and [click](javascript:alert(1))"
    md = rendering.format_citation(_citation(quote=quote))
    assert "](" not in md and "![" not in md
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in md


def test_refused_answer_is_labelled() -> None:
    md = rendering.format_answer(Answer(question="q", text="The documents don't say.", refused=True))
    assert md.startswith(f"**{rendering.REFUSED_LABEL}**")
    assert "Sources" not in md
    answered = rendering.format_answer(Answer(question="q", text="Yes. [1]", refused=False, citations=[_citation()]))
    assert rendering.REFUSED_LABEL not in answered


def test_refusal_in_the_chat_is_a_quote_block_that_says_what_was_searched() -> None:
    refused = Answer(question="What about parking?", text="The documents don't say.", refused=True, search_query="parking ICS review")
    md = rendering.format_chat_message(refused, 2, rendering.describe_scope([], ["NHS England"], "2023", None, 9))
    assert all(line.startswith(">") for line in md.splitlines())
    assert f"**{rendering.REFUSED_LABEL}**" in md
    assert "Searched for “parking ICS review” in all 9 documents, published by NHS England, dated from 2023" in md
    answered = rendering.format_chat_message(Answer(question="q", text="Yes. [1]", refused=False, citations=[_citation()]), 2, "x")
    assert not answered.startswith(">") and rendering.REFUSED_LABEL not in answered


def test_answer_markers_keep_their_spacing_and_link_to_the_panel() -> None:
    md = rendering.format_answer(Answer(question="q", text="One. [1] Two (b). [2]", refused=False))
    assert md == "One\\. [1] Two \\(b\\)\\. [2]"
    linked = rendering.escape_answer_text("One. [1] Two. [2]", turn=4)
    assert linked == 'One\\. [\\[1\\]](#src-4-1 "Show source 1") Two\\. [\\[2\\]](#src-4-2 "Show source 2")'


def test_scope_description() -> None:
    assert rendering.describe_scope([], [], None, None, 1) == "all 1 document"
    assert rendering.describe_scope(["a.txt", "b.txt"], [], None, "2024", 9) == "2 chosen documents, dated up to 2024"


def test_highlight_wraps_the_exact_span_and_escapes_everything() -> None:
    text = "Intro <b>bold</b>. The quoted <script>x()</script> sentence. After $ {x} `y`."
    quote = "The quoted <script>x()</script> sentence."
    start = text.index(quote)
    passage = Passage(source="d.txt", title="D", text=text, score=1.0, start=100, end=100 + len(text), chunk_id="c1")
    cite = _citation(quote=quote, start=100 + start, end=100 + start + len(quote), chunk_id="c1")
    html = rendering.highlighted_context(cite, passage)
    assert html == (
        "Intro &lt;b&gt;bold&lt;/b&gt;. <mark>The quoted &lt;script&gt;x()&lt;/script&gt; sentence.</mark>"
        " After &#36; {x} &#96;y&#96;."
    )
    moved = _citation(quote=quote, start=0, end=5)  # offsets that do not match: found by text
    assert "<mark>The quoted &lt;script&gt;" in rendering.highlighted_context(moved, passage)
    assert rendering.highlighted_context(_citation(quote="<i>"), None) == "<mark>&lt;i&gt;</mark>"


def test_sources_panel_shows_the_latest_answer_and_escapes_titles() -> None:
    passage = Passage(source="a.txt", title=IMG, text="Plain quote. More.", score=1, start=0, end=18, chunk_id="k", publisher="NHS <b>", date="2024")
    cite = _citation(title=IMG, chunk_id="k", publisher="NHS <b>", date="2024")
    turns = [
        rendering.Turn("first", Answer(question="first", text="x [1]", refused=False, citations=[cite], passages=[passage])),
        rendering.Turn("second", Answer(question="second", text="none", refused=True)),
        rendering.Turn("third", Answer(question="third", text="y [1]", refused=False, citations=[cite], passages=[passage])),
    ]
    html = rendering.sources_panel(turns)
    assert '<section class="turn-sources" id="turn-0" hidden>' in html
    assert '<section class="turn-sources" id="turn-2">' in html and 'id="turn-1"' not in html
    assert 'id="src-2-1"' in html and "<mark>Plain quote.</mark> More." in html
    assert "<img" not in html and "<b>" not in html and "NHS &lt;b&gt; · 2024 · p. 3, § Governance · policy.txt" in html


def test_sources_panel_leaves_no_template_syntax_for_gradio() -> None:
    """Gradio's HTML component reads ``${...}`` and backticks itself: they reach it as entities."""
    hostile = "${window.__pwned=1} `x` {{ 7*7 }} {% if %}"
    cite = _citation(title=hostile, quote=hostile, section=hostile, publisher=hostile)
    html = rendering.sources_panel([rendering.Turn(hostile, Answer(question=hostile, text="x [1]", refused=False, citations=[cite]))])
    assert "$" not in html and "`" not in html and "&#36;{window.__pwned=1} &#96;x&#96;" in html
    assert html.count("{{ 7*7 }}") == 5 and "49" not in html  # Jinja2 syntax in a document is text, never evaluated


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.PDF", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.docx", "evil.docx"),
        ("/abs/path/notes.md", "notes.md"),
        ("..", "document"),
        ("", "document"),
        ("ünïcode name (v2).txt", "unicode name _v2.txt"),
        ("a;rm -rf $HOME.html", "a_rm -rf _HOME.html"),
    ],
)
def test_safe_filename(name: str, safe: str) -> None:
    assert rendering.safe_filename(name) == safe
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".")


def test_parse_auth_from_users_and_file(tmp_path: Path, assistant: Assistant) -> None:
    assert layout.parse_auth(assistant.settings) is None
    users = tmp_path / "users.txt"
    users.write_text("# staff logins\nalice:pa:ss\n\n bob : pw2\n")
    settings = assistant.settings.replace(auth_users="carol:pw3", auth_file=users)
    assert layout.parse_auth(settings) == [("carol", "pw3"), ("alice", "pa:ss"), ("bob", " pw2")]
    users.write_text("alice\n")
    with pytest.raises(SettingsError, match="auth_file line 1: expected user:password"):
        layout.parse_auth(settings)
    with pytest.raises(SettingsError, match="cannot read auth_file"):
        layout.parse_auth(assistant.settings.replace(auth_file=tmp_path / "missing"))


def test_conversation_markdown_has_questions_answers_and_sources() -> None:
    turns = [rendering.Turn(SCRIPT, Answer(question="q", text="Yes. [1]", refused=False, citations=[_citation(publisher="NHS England", date="2023")]))]
    md = rendering.conversation_markdown(turns)
    assert md.startswith("# ICS Policy Assistant: conversation")
    assert "## 1. &lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md
    assert "Yes\\. [1]" in md and "[1] **A policy**" in md and "[1] published by NHS England, 2023" in md


# --------------------------------------------------------------------------- #
# the app and its handlers, on a real index
# --------------------------------------------------------------------------- #


def test_build_app_is_blocks_with_a_safe_chatbot(assistant: Assistant) -> None:
    demo = layout.build_app(assistant)
    assert isinstance(demo, gr.Blocks)
    chatbots = [b for b in demo.blocks.values() if isinstance(b, gr.Chatbot)]
    assert len(chatbots) == 1
    assert chatbots[0].sanitize_html is True and chatbots[0].allow_tags is False
    assert any(isinstance(b, gr.Button) and b.value == "Send" for b in demo.blocks.values())
    assert any(isinstance(b, gr.File) for b in demo.blocks.values())  # uploads on by default
    index = assistant.status()
    assert handlers.status_line(assistant) == f"Index: {index.documents} documents, {index.chunks} chunks."
    assert any(isinstance(b, gr.Markdown) and b.value == handlers.status_line(assistant) for b in demo.blocks.values())
    apis = {d.api_name: d for d in demo.fns.values() if d.api_visibility == "public"}
    assert set(apis) == {"ask"}  # the UI's own events are private
    assert apis["ask"].concurrency_limit == handlers.ANSWER_CONCURRENCY


def test_uploads_off_means_no_file_input(assistant: Assistant) -> None:
    demo = layout.build_app(assistant, assistant.settings.replace(uploads_enabled=False))
    assert not any(isinstance(b, gr.File) for b in demo.blocks.values())
    assert not any(isinstance(b, gr.Button) and b.value == "Add to the library" for b in demo.blocks.values())


def test_handler_streams_then_answers_with_sources_and_a_download(assistant: Assistant, tmp_path: Path) -> None:
    respond = handlers.chat_handler(assistant, tmp_path, pause_s=0)
    steps = _run(respond, QUESTION, [])
    assert len(steps) >= 3  # placeholder, pieces, final
    first_chat = steps[0][1]
    assert first_chat[0] == {"role": "user", "content": rendering.escape_md(QUESTION)}
    assert rendering.PLACEHOLDER in first_chat[1]["content"]
    partial = steps[1][1][-1]["content"]
    assert partial.endswith(" …") and "#src-" not in partial  # text grows before the final message
    cleared, chat, turns, panel, download = steps[-1]
    assert cleared == ""
    message = chat[-1]["content"]
    assert "[\\[1\\]](#src-0-1" in message and "**Sources:**" in message
    assert rendering.REFUSED_LABEL not in message and "Something went wrong" not in message
    assert turns[0].answer is not None and turns[0].answer.citations
    assert 'id="src-0-1"' in panel and "<mark>" in panel
    saved = Path(download["value"])
    assert saved.parent == tmp_path and "Patricia Hewitt" in saved.read_text()


def test_follow_up_is_searched_with_the_conversation(assistant: Assistant, tmp_path: Path) -> None:
    respond = handlers.chat_handler(assistant, tmp_path, pause_s=0)
    turns = _run(respond, QUESTION, [])[-1][2]
    *_, (_, chat, turns, panel, _) = _run(respond, "What is her current role?", turns)
    follow = turns[-1].answer
    assert follow is not None and follow.search_query and "independent review" in follow.search_query
    assert "Searched for “What is her current role? asked lead independent review" in chat[-1]["content"]
    assert 'id="turn-1"' in panel
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]


def test_filters_restrict_the_search(assistant: Assistant, tmp_path: Path) -> None:
    respond = handlers.chat_handler(assistant, tmp_path, pause_s=0)
    turns = _run(respond, QUESTION, [], [], ["NHS England"], "", "")[-1][2]
    answer = turns[-1].answer
    assert answer is not None
    assert answer.passages and {p.publisher for p in answer.passages} == {"NHS England"}
    bad = _run(respond, QUESTION, [], [], [], "last year", "")[-1][1][-1]["content"]
    assert bad.startswith("Date\\_from must be an ISO date") and "Traceback" not in bad


@pytest.mark.parametrize("blank", ["   ", "", "\n\t"])
def test_handler_blank_question_is_a_friendly_message(assistant: Assistant, blank: str, tmp_path: Path) -> None:
    earlier = [rendering.Turn("q", None, "earlier")]
    _, chat, turns, _, _ = _run(handlers.chat_handler(assistant, tmp_path), blank, earlier)[-1]
    assert chat == [{"role": "user", "content": "q"}, {"role": "assistant", "content": "earlier"}, chat[-1]]  # no empty user bubble
    assert "question is empty" in chat[-1]["content"]
    assert "Traceback" not in chat[-1]["content"] and "Something went wrong" not in chat[-1]["content"]


def test_handler_turns_failures_into_one_line(assistant: Assistant, tmp_path: Path) -> None:
    chat = _run(handlers.chat_handler(assistant, tmp_path), 12345, [])[-1][1]
    assert "must be text" in chat[-1]["content"]
    not_a_directory = tmp_path / "index"
    not_a_directory.write_text("")
    broken = Assistant(index_dir=not_a_directory)  # the store cannot open: an unexpected failure
    message = handlers.reply(broken, QUESTION)
    assert message.startswith("Something went wrong: ") and "\n" not in message
    assert "Traceback" not in message
    assert handlers.status_line(broken).startswith("Index status unavailable")
    streamed = _run(handlers.chat_handler(broken, tmp_path), QUESTION, [])[-1][1][-1]["content"]
    assert streamed.startswith("Something went wrong: ")


def test_feedback_buttons_store_the_last_answer(assistant: Assistant, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    give = handlers.feedback_handler(store, "wrong_citation")
    assert give([], "x")[0].startswith("Ask a question first") and store.count() == 0
    turns = _run(handlers.chat_handler(assistant, tmp_path, pause_s=0), QUESTION, [])[-1][2]
    message, comment = give(turns, "[2] is not about this")
    assert "Wrong citation" in message and comment == "" and store.count() == 1
    row = next(store.rows())
    assert row[2:6] == ("wrong_citation", turns[0].question, turns[0].answer.text, "[2] is not about this")
    assert json.loads(row[6])[0]["n"] == 1


# --------------------------------------------------------------------------- #
# uploads (a fresh index: they change it)
# --------------------------------------------------------------------------- #


@pytest.fixture()
def empty_assistant(tmp_path: Path) -> Assistant:
    return Assistant(index_dir=tmp_path / "index", max_file_mb=0.001)  # ~1 KB limit


def _upload(path: Path, orig_name: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(name=str(path), orig_name=orig_name or path.name)


def test_upload_adds_documents_with_a_message_per_file(empty_assistant: Assistant, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = src / "ward.txt"
    good.write_text("Zephyr Ward visiting policy\n\nThe visiting hours on Zephyr Ward are 2pm to 8pm every day.\n")
    big = src / "big.txt"
    big.write_text("word " * 400)
    exe = src / "tool.exe"
    exe.write_bytes(b"MZ")
    empty = src / "empty.md"
    empty.write_text("")
    add = handlers.upload_handler(empty_assistant)
    result, status, docs, publishers, cleared = add(
        [_upload(good, "../../evil/ward.txt"), _upload(big), _upload(exe), _upload(empty)], progress=lambda *a, **k: None
    )
    lines = result.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("- ✓ **ward\\.txt**: added (") and "ask about it now" in lines[0]
    assert "over the 0.001 MB limit" in lines[1]
    assert "only .txt, .md, .html, .htm, .pdf, .docx files" in lines[2]
    assert "the file is empty" in lines[3]
    uploads = empty_assistant.settings.uploads_path
    assert sorted(p.name for p in uploads.iterdir()) == ["ward.txt"]  # stored under uploads_path only
    assert status == "Index: 1 document, 1 chunk."
    assert docs["choices"] and docs["choices"][0][1] == "ward.txt" and cleared is None
    again = add([_upload(good)], progress=lambda *a, **k: None)[0]
    assert "already in the library, unchanged" in again
    answer = empty_assistant.ask("What are the visiting hours on Zephyr Ward?")
    assert not answer.refused and answer.citations[0].source == "ward.txt"
    assert add([], progress=lambda *a, **k: None)[0] == "Choose one or more files first."


def test_unreadable_upload_is_reported_and_not_kept(empty_assistant: Assistant, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    line = handlers.upload_handler(empty_assistant)([_upload(bad)], progress=lambda *a, **k: None)[0]
    assert line.startswith("- ✗ **broken\\.pdf**: not added: ")
    assert not (empty_assistant.settings.uploads_path / "broken.pdf").exists()


# --------------------------------------------------------------------------- #
# serving over HTTP on loopback: login, routes, the ask API
# --------------------------------------------------------------------------- #


@pytest.fixture()
def served(assistant: Assistant, request: pytest.FixtureRequest) -> Iterator[str]:
    """The app launched in this process on a free loopback port; ``request.param`` = settings changes."""
    settings = assistant.settings.replace(**getattr(request, "param", {}))
    demo = layout.build_app(assistant, settings)
    port = free_port()
    layout.launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        demo.close()


def _request(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _call_ask(opener: urllib.request.OpenerDirector, base: str, question: str) -> tuple[int, str]:
    status, body = _request(opener, f"{base}/gradio_api/call/ask", json.dumps({"data": [question]}).encode(), {"Content-Type": "application/json"})
    if status != 200:
        return status, body
    event_id = json.loads(body)["event_id"]
    return _request(opener, f"{base}/gradio_api/call/ask/{event_id}")


@pytest.mark.slow
@pytest.mark.parametrize("served", [{"auth_users": "staff:s3cret-pw"}], indirect=True)
def test_with_login_nothing_is_reachable_without_it(served: str, assistant: Assistant) -> None:
    anonymous = urllib.request.build_opener()
    status, page = _request(anonymous, served + "/")
    assert status == 200 and "Patricia" not in page and "Index:" not in page  # the login page only
    index_file = assistant.settings.index_dir / "chroma.sqlite3"
    feedback_file = assistant.settings.feedback_path
    multipart = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhello\r\n--x--\r\n'
    for path, data, headers in [
        ("/config", None, {}),
        ("/gradio_api/info", None, {}),
        ("/gradio_api/openapi.json", None, {}),
        (f"/gradio_api/file={index_file}", None, {}),
        (f"/gradio_api/file={feedback_file}", None, {}),
        ("/gradio_api/upload", multipart, {"Content-Type": "multipart/form-data; boundary=x"}),
        ("/gradio_api/queue/join", json.dumps({"data": ["q"], "fn_index": 0, "session_hash": "s"}).encode(), {"Content-Type": "application/json"}),
    ]:
        assert _request(anonymous, served + path, data, headers)[0] == 401, path
    assert _call_ask(anonymous, served, QUESTION)[0] == 401
    wrong = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"username": "staff", "password": "wrong"}).encode()
    assert _request(wrong, served + "/login", form)[0] == 400
    assert _request(wrong, served + "/config")[0] == 401

    user = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"username": "staff", "password": "s3cret-pw"}).encode()
    assert _request(user, served + "/login", form)[0] == 200
    status, config = _request(user, served + "/config")
    assert status == 200 and "ICS Policy Assistant" in config
    status, body = _call_ask(user, served, QUESTION)
    assert status == 200 and "Patricia Hewitt" in body


@pytest.mark.slow
def test_ask_api_returns_markdown_to_gradio_client(served: str) -> None:
    from gradio_client import Client

    client = Client(served, verbose=False)
    answer = client.predict(QUESTION, api_name="/ask")
    assert isinstance(answer, str) and "Patricia Hewitt" in answer and "**Sources**" in answer
    blank = client.predict("   ", api_name="/ask")
    assert blank == "The question is empty: type a question about the documents."
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert names == {"/ask"}


# --------------------------------------------------------------------------- #
# python app.py really serves
# --------------------------------------------------------------------------- #


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


def test_python_app_py_rejects_a_bad_login_file_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICS_", "GRADIO_"))}
    env.update(ICS_INDEX_DIR=str(tmp_path / "index"), ICS_AUTH_USERS="no-password-here")
    done = subprocess.run([sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == "app.py: error: auth_users: expected user:password"


@pytest.mark.slow
def test_python_app_py_ingests_and_serves_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICS_", "GRADIO_"))}
    env.update(GRADIO_SERVER_PORT=str(port), ICS_INDEX_DIR=str(tmp_path / "index"), PYTHONUNBUFFERED="1")
    log_path = tmp_path / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 180
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
            stop_process(proc)
