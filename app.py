"""Web chat over the indexed NHS policy documents: ``python app.py``.

Serves on ``settings.server_host:server_port`` (127.0.0.1:7860 by default; the standard
``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` variables win). On a fresh clone the index is empty,
so the corpus directories are ingested first.

Everything that comes from a document (answer sentences, titles, file names, sections, quotes) is
shown as text, never as HTML or Markdown: ``escape_md`` escapes it, and the Chatbot sanitises HTML
and keeps no custom tags.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from html import escape
from typing import Any

# Importing the assistant package sets the offline environment (no analytics, no hub): keep it before gradio.
from assistant import Answer, Assistant, Citation, QuestionError, Settings, SettingsError

# isort: split
import gradio as gr

log = logging.getLogger("ics_assistant.app")

TITLE = "ICS Policy Assistant"
INTRO = (
    "Ask about the indexed NHS England policy documents. Answers quote the documents, "
    "with numbered citations to the sources."
)
REFUSED_LABEL = "No answer found in the documents."

History = list[dict[str, Any]]

# Markdown's backslash-escapable punctuation (plus GFM's | ~ and the LaTeX $). '<', '>' and '&' are
# handled by html.escape first, so the entities it produces are never broken by a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_MARKER = re.compile(r"\[(\d+)\]")


def escape_md(text: object) -> str:
    """Untrusted text as inert Markdown on one line: HTML-escaped, Markdown syntax backslash-escaped."""
    return _escape_inline(" ".join(str(text).split()))


def _escape_inline(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def _escape_answer_text(text: str) -> str:
    """Escape the answer's sentences but keep its ``[n]`` citation markers readable."""
    parts = _MARKER.split(" ".join(text.split()))
    # split() with a group alternates text, marker number, text, ...
    return "".join(f"[{part}]" if i % 2 else _escape_inline(part) for i, part in enumerate(parts))


def format_citation(c: Citation) -> str:
    """``[n] Title (file, p. X, section) — "quote"`` as escaped Markdown."""
    where = [escape_md(c.source)]
    if c.page is not None:
        where.append(f"p. {c.page}")
    if c.section:
        where.append(escape_md(c.section))
    return f'[{c.n}] **{escape_md(c.title)}** ({", ".join(where)}) — "{escape_md(c.quote)}"'


def format_answer(answer: Answer) -> str:
    """The chat message for an answer: its text, then the numbered sources (all escaped)."""
    lines = []
    if answer.refused:
        lines += [f"**{REFUSED_LABEL}**", ""]
    lines.append(_escape_answer_text(answer.text))
    if answer.citations:
        lines += ["", "**Sources**", ""]
        lines += [f"- {format_citation(c)}" for c in answer.citations]
    if answer.notes:
        lines.append("")
        lines += [f"_Note: {escape_md(note)}_" for note in answer.notes]
    return "\n".join(lines)


def reply(assistant: Assistant, question: str) -> str:
    """The assistant's chat message for a question; never raises for a bad question or a failure."""
    try:
        return format_answer(assistant.ask(question))
    except QuestionError as exc:
        message = escape_md(exc)
        return f"{message[:1].upper()}{message[1:]}."
    except Exception as exc:  # a user sees one line; the log keeps the traceback
        log.exception("answering %r failed", question)
        return f"Something went wrong: {escape_md(exc) or type(exc).__name__}"


def chat_handler(assistant: Assistant) -> Callable[[str, History | None], tuple[str, History]]:
    """The Send/Enter handler: ``(message, history) -> ("", history + [question, reply])``."""

    def respond(message: str, history: History | None) -> tuple[str, History]:
        history = list(history or [])
        if isinstance(message, str) and message.strip():
            history.append({"role": "user", "content": escape_md(message)})
        history.append({"role": "assistant", "content": reply(assistant, message)})
        return "", history

    return respond


def status_line(assistant: Assistant) -> str:
    """``Index: N documents, M chunks.`` (or why the status is unavailable)."""
    try:
        status = assistant.status()
    except Exception as exc:
        log.exception("index status failed")
        return f"Index status unavailable: {escape_md(exc)}"
    docs = "document" if status.documents == 1 else "documents"
    chunks = "chunk" if status.chunks == 1 else "chunks"
    return f"Index: {status.documents} {docs}, {status.chunks} {chunks}."


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat UI: title, intro, index status, the conversation, a question box and a Send button."""
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        status = gr.Markdown(status_line(assistant))
        chatbot = gr.Chatbot(
            label="Conversation",
            height=520,
            sanitize_html=True,  # the default, stated: document text must never become live HTML
            allow_tags=False,  # Gradio 6 keeps unknown tags like <thinking> by default, even when sanitising
            latex_delimiters=[],  # a "$$" in a document is text, not a formula
            buttons=["copy"],
            feedback_options=None,
        )
        with gr.Row():
            question = gr.Textbox(
                placeholder="Ask a question about the policy documents, then press Enter",
                show_label=False,
                scale=5,
                autofocus=True,
                max_lines=6,
            )
            send = gr.Button("Send", variant="primary", scale=1)
        respond = chat_handler(assistant)
        gr.on([question.submit, send.click], respond, inputs=[question, chatbot], outputs=[question, chatbot], api_name="ask")
        demo.load(lambda: status_line(assistant), outputs=status, api_name="status")  # fresh on every page load
    return demo


def main() -> int:
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)  # on the handler: bm25s sets its own logger to DEBUG when imported
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=[handler])
    for noisy in ("httpx", "sentence_transformers", "transformers", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = Settings.load()
        host = os.environ.get("GRADIO_SERVER_NAME") or settings.server_host
        port = int(os.environ.get("GRADIO_SERVER_PORT") or settings.server_port)
    except (SettingsError, ValueError) as exc:
        print(f"app.py: error: {exc}", file=sys.stderr)
        return 2

    assistant = Assistant(settings=settings)
    if assistant.status().documents == 0:
        dirs = ", ".join(str(d) for d in settings.corpus_dirs)
        print(f"The index at {settings.index_location} is empty: ingesting {dirs}", flush=True)
        print(assistant.ingest(None), flush=True)
    if assistant.status().documents:
        assistant.retrieve("warm up", top_k=1)  # load the embedding model now, not on the first question

    demo = build_app(assistant)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=False,  # users get the chat's one-line message, not tracebacks
        quiet=True,
        prevent_thread_lock=True,
    )
    print(f"{TITLE} running at {demo.local_url}  (Ctrl+C to stop)", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
