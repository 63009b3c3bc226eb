"""The Gradio chat for NHS staff: ``build_app(assistant)`` then ``launch(demo, settings)``.

A conversation with history (follow-ups are searched with the earlier question's topic), answers
shown progressively, ``[n]`` markers that open the source in a side panel (title, publisher, date,
page/section and the passage with the quoted span highlighted), search filters, browser uploads
(``settings.uploads_enabled``), feedback stored in SQLite, a Markdown download of the conversation,
optional login, and a plain ``ask`` API endpoint (``question -> Markdown``).

Everything that comes from a document is shown as text, never as HTML: chat messages are escaped
Markdown (``escape_md``) rendered by a sanitising Chatbot that keeps no custom tags, and the sources
panel is rendered from a Jinja2 template with autoescape (``assistant.templating``).

Example::

    >>> from assistant import Assistant
    >>> from assistant.ui import build_app, launch
    >>> a = Assistant(index_dir="index")
    >>> demo = build_app(a)
    >>> launch(demo, a.settings, prevent_thread_lock=True)   # http://127.0.0.1:7860/
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from assistant import _env  # noqa: F401  - the offline environment (no analytics, no hub) before gradio
from assistant.api import Assistant
from assistant.serving.chat.handlers import (
    ANSWER_CONCURRENCY,
    catalogue_choices,
    chat_handler,
    feedback_handler,
    reply,
    status_line,
    upload_handler,
)
from assistant.serving.chat.pageview import PAGE_REQUEST_JS, open_handler, show, step_handler
from assistant.serving.chat.rendering import ALLOWED_UPLOADS, INTRO, INTRO_LLM, RATINGS, TITLE, sources_panel
from assistant.serving.feedback import FeedbackStore
from assistant.serving.pages import PageImages
from assistant.settings import Settings, SettingsError

# isort: split
import gradio as gr

log = logging.getLogger("ics_assistant.ui")

def parse_auth(settings: Settings) -> list[tuple[str, str]] | None:
    """Login pairs from ``auth_users`` (``user:pw,user2:pw2``) and ``auth_file`` (``user:password`` lines)."""
    entries: list[tuple[str, str]] = []
    if settings.auth_users:
        entries += [(item, "auth_users") for item in settings.auth_users.split(",") if item.strip()]
    if settings.auth_file:
        try:
            text = Path(settings.auth_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"cannot read auth_file {settings.auth_file}: {exc.strerror or exc}") from None
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("#"):
                entries.append((line.strip(), f"auth_file line {number}"))
    pairs = []
    for item, where in entries:
        user, sep, password = item.strip().partition(":")
        if not sep or not user.strip() or not password:
            raise SettingsError(f"{where}: expected user:password")
        pairs.append((user.strip(), password))
    return pairs or None



# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------

CSS = """
.gradio-container { max-width: 1400px !important; }
#sources-panel .sources-panel { font-size: 0.95rem; }
#sources-panel .source-card { border: 1px solid #768692; border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
#sources-panel .source-card.active { border: 3px solid #005eb8; }
#sources-panel .source-card h4 { margin: 0 0 0.25rem 0; }
#sources-panel .src-meta { margin: 0 0 0.25rem 0; font-size: 0.85rem; }
#sources-panel .src-facts, #sources-panel .src-supersedes { margin: 0 0 0.25rem 0; font-size: 0.85rem; }
#sources-panel .src-superseded { margin: 0 0 0.25rem 0; padding: 0.15rem 0.4rem; background: #fde8e8; color: #7a0019; border-left: 4px solid #d5281b; font-size: 0.9rem; }
#sources-panel .src-context { margin: 0; white-space: normal; overflow-wrap: anywhere; border-left: 4px solid #768692; padding-left: 0.5rem; }
#sources-panel mark { background: #ffeb3b; color: #000; padding: 0 2px; }
#sources-panel [hidden] { display: none !important; }
#chat blockquote { border-left: 6px solid #b45309; background: #fff7ed; color: #3b1d00; padding: 0.5rem 0.75rem; margin: 0; }
#chat a { text-decoration: underline; }
#page-view img { border: 1px solid #768692; }
.ics-hidden { display: none !important; }
:focus-visible { outline: 3px solid #ffb81c !important; outline-offset: 2px; }
"""

# Clicking (or pressing Enter on) an [n] link shows that answer's sources and focuses the card.
JS = """
() => {
  const show = (turn, n) => {
    const panel = document.querySelector('#sources-panel .sources-panel');
    if (!panel) return;
    let card = null;
    panel.querySelectorAll('.turn-sources').forEach((group) => { group.hidden = group.id !== 'turn-' + turn; });
    panel.querySelectorAll('.source-card').forEach((c) => {
      const on = c.id === 'src-' + turn + '-' + n;
      c.classList.toggle('active', on);
      if (on) card = c;
    });
    if (card) { card.scrollIntoView({block: 'nearest'}); card.focus({preventScroll: true}); }
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest ? event.target.closest('a[href^="#src-"]') : null;
    if (!link) return;
    const m = /^#src-(\\d+)-(\\d+)$/.exec(link.getAttribute('href') || '');
    if (!m) return;
    event.preventDefault();
    event.stopPropagation();
    show(m[1], m[2]);
    // A PDF citation also shows its page: the hidden button's event reads which one (pageview.py).
    window.__icsPage = m[1] + '-' + m[2];
    document.querySelector('#page-open')?.click();
  }, true);
}
"""


def theme() -> gr.themes.Base:
    """Gradio's default theme with NHS blue buttons: white on #005EB8 reads at 6:1 contrast."""
    return gr.themes.Default(primary_hue="blue").set(
        button_primary_background_fill="#005eb8",
        button_primary_background_fill_hover="#003087",
        button_primary_text_color="#ffffff",
        button_primary_background_fill_dark="#005eb8",
        button_primary_background_fill_hover_dark="#003087",
        button_primary_text_color_dark="#ffffff",
    )


def build_app(assistant: Assistant, settings: Settings | None = None) -> gr.Blocks:
    """The chat UI. ``settings`` (default ``assistant.settings``) decides uploads and the feedback file."""
    settings = settings or assistant.settings
    store = FeedbackStore(settings.feedback_path)
    download_dir = Path(tempfile.mkdtemp(prefix="ics-conversations-"))
    docs, publishers = catalogue_choices(assistant)

    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO if settings.backend == 'extractive' else INTRO_LLM}")
        status = gr.Markdown(status_line(assistant), elem_id="index-status")
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="chat",
                    height=480,
                    sanitize_html=True,  # the default, stated: document text must never become live HTML
                    allow_tags=False,  # Gradio 6 keeps unknown tags like <thinking> by default, even when sanitising
                    latex_delimiters=[],  # a "$$" in a document is text, not a formula
                    buttons=["copy"],
                    feedback_options=None,
                    placeholder="Your conversation will appear here.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        label="Your question",
                        placeholder="Ask a question about the policy documents, then press Enter",
                        show_label=False,
                        scale=5,
                        autofocus=True,
                        max_lines=6,
                        elem_id="question",
                    )
                    send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="send")
                with gr.Group():
                    gr.Markdown("**Was the last answer useful?**", padding=True)
                    with gr.Row():
                        rate_buttons = {key: gr.Button(label, size="md", elem_id=f"rate-{key}") for key, label in RATINGS.items()}
                    comment = gr.Textbox(label="Comment (optional)", max_lines=3, elem_id="feedback-comment")
                feedback_status = gr.Markdown(elem_id="feedback-status")
                with gr.Row():
                    download = gr.DownloadButton("Download conversation (Markdown)", value=None, interactive=False, size="sm", elem_id="download")
                    clear = gr.Button("New conversation", size="sm", elem_id="new-conversation")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Sources")
                panel = gr.HTML(sources_panel([]), elem_id="sources-panel", js_on_load=None, max_height=620)
                # The real page of a PDF citation, its quote highlighted (rendered on click, cached beside the index).
                page_caption = gr.Markdown(visible=False, elem_id="page-caption")
                page_image = gr.Image(visible=False, interactive=False, type="filepath", format="png", show_label=False,
                                      buttons=["fullscreen"], elem_id="page-view")
                with gr.Row():
                    page_prev = gr.Button("◀ Previous page", size="sm", visible=False, elem_id="page-prev")
                    page_next = gr.Button("Next page ▶", size="sm", visible=False, elem_id="page-next")
                page_request = gr.Textbox(visible=False)
                page_open = gr.Button("Show the page", elem_id="page-open", elem_classes=["ics-hidden"])
                page_view = gr.State(None)
                with gr.Accordion("Search within (filters)", open=False, elem_id="filters"):
                    documents = gr.Dropdown(docs, multiselect=True, label="Documents", info="Leave empty to search all.")
                    publisher = gr.Dropdown(publishers, multiselect=True, label="Publishers")
                    with gr.Row():
                        date_from = gr.Textbox(label="From date", placeholder="e.g. 2023 or 2023-06", max_lines=1)
                        date_to = gr.Textbox(label="To date", placeholder="e.g. 2025-12-31", max_lines=1)
                    current_only = gr.Checkbox(
                        label="Current documents only", value=False, elem_id="current-only",
                        info="Leave out documents that a newer indexed document supersedes.",
                    )
                if settings.uploads_enabled:
                    with gr.Accordion("Add documents", open=False, elem_id="uploads"):
                        files = gr.File(
                            label=f"TXT, MD, HTML, PDF or DOCX, up to {settings.max_file_mb:g} MB each",
                            file_count="multiple",
                            file_types=list(ALLOWED_UPLOADS),
                            elem_id="upload-files",
                        )
                        add = gr.Button("Add to the library", variant="primary", elem_id="upload-add")
                        upload_result = gr.Markdown(elem_id="upload-result")
                    add.click(
                        upload_handler(assistant),
                        inputs=[files],
                        outputs=[upload_result, status, documents, publisher, files],
                        api_visibility="private",
                        concurrency_limit=1,  # one ingestion at a time: they write the same index
                    )

        respond = chat_handler(assistant, download_dir)
        gr.on(
            [question.submit, send.click],
            respond,
            inputs=[question, turns, documents, publisher, date_from, date_to, current_only],
            outputs=[question, chatbot, turns, panel, download],
            api_visibility="private",
            concurrency_limit=ANSWER_CONCURRENCY,
            concurrency_id="answer",
            show_progress="hidden",
        )
        images = PageImages(Path(settings.index_dir) / "pages")
        page_outputs = [page_image, page_caption, page_prev, page_next, page_view]
        page_open.click(open_handler(images), inputs=[page_request, turns], outputs=page_outputs, js=PAGE_REQUEST_JS,
                        api_visibility="private", show_progress="hidden")
        page_prev.click(step_handler(images, -1), inputs=[page_view], outputs=page_outputs, api_visibility="private")
        page_next.click(step_handler(images, +1), inputs=[page_view], outputs=page_outputs, api_visibility="private")
        for key, button in rate_buttons.items():
            button.click(feedback_handler(store, key), inputs=[turns, comment], outputs=[feedback_status, comment], api_visibility="private")
        clear.click(
            lambda: ([], [], sources_panel([]), gr.update(value=None, interactive=False), ""),
            outputs=[chatbot, turns, panel, download, feedback_status],
            api_visibility="private",
        )
        clear.click(lambda: show(None, images), outputs=page_outputs, api_visibility="private")

        def ask(question: str) -> str:
            """Ask a question; returns the cited answer (or why there is none) as Markdown."""
            return reply(assistant, question)

        gr.api(ask, api_name="ask", concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")

        def refresh() -> tuple[str, Any, Any]:
            docs, publishers = catalogue_choices(assistant)
            return status_line(assistant), gr.update(choices=docs), gr.update(choices=publishers)

        demo.load(refresh, outputs=[status, documents, publisher], api_visibility="private")  # fresh on every page load
    demo.queue(default_concurrency_limit=ANSWER_CONCURRENCY)  # unbounded queue: 50 users wait, none fail
    return demo


def launch(demo: gr.Blocks, settings: Settings, host: str | None = None, port: int | None = None, **kwargs: Any) -> None:
    """Serve ``demo`` with the login, upload limit, theme and page scripts the settings call for."""
    max_bytes = int(settings.max_file_mb * 1024 * 1024) if settings.uploads_enabled else 1
    demo.launch(
        server_name=host or settings.server_host,
        server_port=port or settings.server_port,
        auth=parse_auth(settings),
        auth_message="Sign in with the user name and password your administrator gave you.",
        max_file_size=max_bytes,  # Gradio refuses bigger uploads before they reach the handler
        share=False,
        show_error=False,  # users get the chat's one-line message, not tracebacks
        quiet=True,
        theme=theme(),
        css=CSS,
        js=JS,
        **kwargs,
    )
