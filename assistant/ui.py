"""The Gradio chat for NHS staff: ``build_app(assistant)`` then ``launch(demo, settings)``.

A conversation with history (follow-ups are searched with the earlier question's topic), answers
shown progressively, ``[n]`` markers that open the source in a side panel (title, publisher, date,
page/section and the passage with the quoted span highlighted), search filters, browser uploads
(``settings.uploads_enabled``), feedback stored in SQLite, a Markdown download of the conversation,
optional login, and a plain ``ask`` API endpoint (``question -> Markdown``).

Everything that comes from a document is shown as text, never as HTML: chat messages are escaped
Markdown (``escape_md``) rendered by a sanitising Chatbot that keeps no custom tags, and the sources
panel is built from ``escape_html``-ed text around our own few tags.

Example::

    >>> from assistant import Assistant
    >>> from assistant.ui import build_app, launch
    >>> a = Assistant(index_dir="index")
    >>> demo = build_app(a)
    >>> launch(demo, a.settings, prevent_thread_lock=True)   # http://127.0.0.1:7860/
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from . import _env  # noqa: F401  - the offline environment (no analytics, no hub) before gradio
from .api import Assistant, QuestionError
from .feedback import FeedbackError, FeedbackStore
from .results import Answer, Citation, Passage
from .settings import Settings, SettingsError

# isort: split
import gradio as gr

log = logging.getLogger("ics_assistant.ui")

TITLE = "ICS Policy Assistant"
INTRO = (
    "Ask about the indexed NHS England policy documents. Every sentence of an answer is quoted from "
    "a document: click a number such as **[1]** to see where it comes from."
)
INTRO_LLM = (
    "Ask about the indexed NHS England policy documents. Answers are written by a language model from "
    "the documents, then checked against them sentence by sentence (what the check changed is shown). Click a "
    "number such as **[1]** to see the passage a sentence rests on."
)
REFUSED_LABEL = "No answer found in the documents."
PLACEHOLDER = "Searching the documents…"
EMPTY_PANEL_HINT = "Sources appear here. Click a number such as [1] in an answer to see the quoted passage."
ALLOWED_UPLOADS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
RATINGS = {"helpful": "Helpful", "not_helpful": "Not helpful", "wrong_citation": "Wrong citation"}
# Answering is CPU-bound (embedding + scoring): more parallel work than cores only adds latency.
ANSWER_CONCURRENCY = max(2, min(8, os.cpu_count() or 2))
# Pause between streamed pieces of an extractive answer (computed whole), so it reads as it appears.
STREAM_PAUSE_S = 0.02

History = list[dict[str, Any]]

# Markdown's backslash-escapable punctuation (plus GFM's | ~ and the LaTeX $). '<', '>' and '&' are
# handled by html.escape first, so the entities it produces are never broken by a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_MARKER = re.compile(r"\[(\d+)\]")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


# --------------------------------------------------------------------------------------------
# Escaping (pure)
# --------------------------------------------------------------------------------------------


def escape_md(text: object) -> str:
    """Untrusted text as inert Markdown on one line: HTML-escaped, Markdown syntax backslash-escaped."""
    return _escape_inline(" ".join(str(text).split()))


def _escape_inline(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def escape_html(text: object) -> str:
    """Untrusted text as inert HTML (quotes too; ``$`` and backticks as entities for template engines)."""
    return escape(str(text), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def escape_answer_text(text: str, turn: int | None = None) -> str:
    """Escape an answer's sentences but keep its ``[n]`` markers; with ``turn``, markers link to the sources panel."""
    parts = _MARKER.split(" ".join(text.split()))
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_escape_inline(part))
        elif turn is None:
            out.append(f"[{part}]")
        else:
            out.append(f'[\\[{part}\\]]({source_anchor(turn, int(part))} "Show source {part}")')
    return "".join(out)


def source_anchor(turn: int, n: int) -> str:
    """The fragment that identifies citation ``n`` of answer ``turn`` in the sources panel."""
    return f"#src-{turn}-{n}"


# --------------------------------------------------------------------------------------------
# Answers as Markdown (pure)
# --------------------------------------------------------------------------------------------


def _where(c: Citation) -> list[str]:
    where = [escape_md(c.source)]
    if c.page is not None:
        where.append(f"p. {c.page}")
    if c.section:
        where.append(escape_md(c.section))
    return where


def format_citation(c: Citation) -> str:
    """``[n] Title (file, p. X, section) — "quote"`` as escaped Markdown."""
    return f'[{c.n}] **{escape_md(c.title)}** ({", ".join(_where(c))}) — "{escape_md(c.quote)}"'


def format_answer(answer: Answer) -> str:
    """An answer as self-contained Markdown: its text, then the numbered sources (all escaped).

    What the ``ask`` API endpoint returns and what the conversation download holds.
    """
    lines = []
    if answer.refused:
        lines += [f"**{REFUSED_LABEL}**", ""]
    lines.append(escape_answer_text(answer.text))
    if answer.citations:
        lines += ["", "**Sources**", ""]
        lines += [f"- {format_citation(c)}" for c in answer.citations]
    if answer.search_query:
        lines += ["", f"_Searched for: {escape_md(answer.search_query)}_"]
    checked = changes_line(answer)
    if answer.notes or checked:
        lines.append("")
        lines += [f"_Note: {escape_md(note)}_" for note in answer.notes] + checked
    return "\n".join(lines)


def changes_line(answer: Answer) -> list[str]:
    """What verification changed in an LLM's draft, as one escaped line (none for unchanged answers)."""
    if not answer.changes:
        return []
    return ["_Checked against the passages: " + "; ".join(escape_md(c) for c in answer.changes) + "._"]


def format_chat_message(answer: Answer, turn: int, scope: str) -> str:
    """The chat bubble for a finished answer: linked ``[n]`` markers, a short sources line.

    A refusal is a block quote headed by ``REFUSED_LABEL`` that says what was searched, so it never
    looks like an answer.
    """
    searched = f"Searched for “{escape_md(answer.search_query or answer.question)}” in {scope}."
    notes = [f"_Note: {escape_md(note)}_" for note in answer.notes] + changes_line(answer)
    if answer.refused:
        body = [f"**{REFUSED_LABEL}**", escape_answer_text(answer.text), searched, *notes]
        return "\n>\n".join(f"> {line}" for line in body)
    lines = [escape_answer_text(answer.text, turn)]
    if answer.citations:
        links = " · ".join(
            f'[\\[{c.n}\\] {escape_md(c.title)}]({source_anchor(turn, c.n)} "Show source {c.n}")' for c in answer.citations
        )
        lines += ["", f"**Sources:** {links}"]
    if answer.search_query:
        lines += ["", f"_{searched}_"]
    lines += [""] * bool(notes) + notes
    return "\n".join(lines)


def describe_scope(documents: Sequence[str], publishers: Sequence[str], date_from: str | None, date_to: str | None, total: int) -> str:
    """``all 9 documents`` or ``2 chosen documents, published by NHS England, dated from 2023`` (escaped)."""
    parts = [f"{len(documents)} chosen document{'s' * (len(documents) != 1)}" if documents else f"all {total} document{'s' * (total != 1)}"]
    if publishers:
        parts.append("published by " + " or ".join(escape_md(p) for p in publishers))
    if date_from and date_to:
        parts.append(f"dated {escape_md(date_from)} to {escape_md(date_to)}")
    elif date_from:
        parts.append(f"dated from {escape_md(date_from)}")
    elif date_to:
        parts.append(f"dated up to {escape_md(date_to)}")
    return ", ".join(parts)


def error_message(exc: BaseException) -> str:
    """A one-line, escaped, capitalised message for a user mistake."""
    message = escape_md(exc)
    return f"{message[:1].upper()}{message[1:]}."


# --------------------------------------------------------------------------------------------
# The sources panel (pure HTML built from escaped text)
# --------------------------------------------------------------------------------------------


def passage_for(citation: Citation, passages: Sequence[Passage]) -> Passage | None:
    """The retrieved passage a citation quotes: same chunk, else the same document span."""
    for p in passages:
        if citation.chunk_id and p.chunk_id == citation.chunk_id:
            return p
    for p in passages:
        if p.source == citation.source and p.start <= citation.start and citation.end <= p.end:
            return p
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def highlighted_context(citation: Citation, passage: Passage | None) -> str:
    """The passage as escaped HTML with the quoted span wrapped in ``<mark>`` (the quote alone if not found)."""
    quote_html = f"<mark>{escape_html(_squash(citation.quote).strip())}</mark>"
    if passage is None:
        return quote_html
    text = passage.text
    start, end = citation.start - passage.start, citation.end - passage.start
    if not (0 <= start <= end <= len(text) and text[start:end] == citation.quote):
        start = text.find(citation.quote)
        if start < 0 or not citation.quote:
            return quote_html
        end = start + len(citation.quote)
    before, quote, after = (_squash(part) for part in (text[:start], text[start:end], text[end:]))
    return f"{escape_html(before.lstrip())}<mark>{escape_html(quote)}</mark>{escape_html(after.rstrip())}"


def source_card(turn: int, citation: Citation, passages: Sequence[Passage]) -> str:
    """One source of an answer: number, title, publisher, date, page/section, file, passage in context."""
    c = citation
    meta = [x for x in (c.publisher, c.date) if x]
    if c.page is not None:
        meta.append(f"page {c.page}")
    if c.section:
        meta.append(f"section: {c.section}")
    meta.append(c.source)
    anchor = source_anchor(turn, c.n)[1:]
    return (
        f'<article class="source-card" id="{anchor}" tabindex="-1" aria-labelledby="{anchor}-h">'
        f'<h4 id="{anchor}-h"><span class="src-n">[{c.n}]</span> {escape_html(c.title)}</h4>'
        f'<p class="src-meta">{" · ".join(escape_html(m) for m in meta)}</p>'
        f'<blockquote class="src-context">{highlighted_context(c, passage_for(c, passages))}</blockquote>'
        "</article>"
    )


def sources_panel(turns: Sequence["Turn"]) -> str:
    """Every answer's sources, grouped by answer; only the latest answer's group is shown at first."""
    groups = []
    shown = max((i for i, t in enumerate(turns) if t.answer is not None and t.answer.citations), default=None)
    for i, t in enumerate(turns):
        if t.answer is None or not t.answer.citations:
            continue
        cards = "".join(source_card(i, c, t.answer.passages) for c in t.answer.citations)
        hidden = "" if i == shown else " hidden"
        groups.append(
            f'<section class="turn-sources" id="turn-{i}"{hidden}>'
            f'<p class="src-question">Sources for: <q>{escape_html(t.question)}</q></p>{cards}</section>'
        )
    hint = f'<p class="sources-hint">{escape_html(EMPTY_PANEL_HINT)}</p>'
    return f'<div class="sources-panel" role="region" aria-label="Sources" aria-live="polite">{hint}{"".join(groups)}</div>'


# --------------------------------------------------------------------------------------------
# The conversation
# --------------------------------------------------------------------------------------------


@dataclass
class Turn:
    """One question of the conversation and its answer (``None`` when it could not be asked)."""

    question: str
    answer: Answer | None = None
    message: str = ""
    """The chat bubble shown for it (escaped Markdown)."""


def conversation_history(turns: Sequence[Turn]) -> list[tuple[str, str]]:
    """The ``(question, answer_text)`` pairs ``Assistant.stream`` takes, for answered turns."""
    return [(t.question, t.answer.text) for t in turns if t.answer is not None]


def conversation_markdown(turns: Sequence[Turn], when: datetime | None = None) -> str:
    """The conversation with its sources as a Markdown document (document text escaped)."""
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# {TITLE}: conversation", "", f"_Saved {stamp}. Answers quote the documents; numbers refer to the sources under each answer._"]
    for i, t in enumerate(turns, 1):
        lines += ["", f"## {i}. {escape_md(t.question)}", ""]
        if t.answer is None:
            lines.append(t.message)
            continue
        lines.append(format_answer(t.answer))
        for c in t.answer.citations:
            meta = ", ".join(escape_md(x) for x in (c.publisher, c.date) if x)
            if meta:
                lines.append(f"  - [{c.n}] published by {meta}")
    return "\n".join(lines) + "\n"


def safe_filename(name: str) -> str:
    """A file name safe to store: no directories, no ``..``, only letters, digits, ``._ -`` (pure)."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._-")[:100] or "document"
    ext = _UNSAFE_NAME.sub("", ext).lower()[:10]
    return f"{stem}.{ext}" if ext else stem


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
# Handlers (Gradio calls these; they never raise for a user mistake)
# --------------------------------------------------------------------------------------------


def reply(assistant: Assistant, question: str) -> str:
    """The ``ask`` endpoint: the answer as Markdown; never raises for a bad question or a failure."""
    try:
        return format_answer(assistant.ask(question))
    except (QuestionError, ValueError) as exc:
        return error_message(exc)
    except Exception as exc:  # a user sees one line; the log keeps the traceback
        log.exception("answering %r failed", question)
        return f"Something went wrong: {escape_md(exc) or type(exc).__name__}"


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


def catalogue_choices(assistant: Assistant) -> tuple[list[tuple[str, str]], list[str]]:
    """Document choices ``(label, file name)`` and publishers for the filters."""
    try:
        records = list(assistant.store.documents().values())
    except Exception:
        log.exception("reading the catalogue failed")
        return [], []
    docs = sorted({(f"{r.title or r.source} ({r.source})", r.source) for r in records})
    publishers = sorted({r.publisher for r in records if r.publisher})
    return docs, publishers


def _filters(documents: Sequence[str] | None, publishers: Sequence[str] | None, date_from: str | None, date_to: str | None) -> dict[str, Any]:
    return {
        "documents": list(documents or []),
        "publishers": list(publishers or []),
        "date_from": (date_from or "").strip() or None,
        "date_to": (date_to or "").strip() or None,
    }


def _messages(turns: Sequence[Turn]) -> History:
    out: History = []
    for t in turns:
        if t.question:
            out.append({"role": "user", "content": escape_md(t.question)})
        out.append({"role": "assistant", "content": t.message})
    return out


def _write_download(turns: Sequence[Turn], directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"conversation-{stamp}.md"
    path.write_text(conversation_markdown(turns), encoding="utf-8")
    return str(path)


def chat_handler(assistant: Assistant, download_dir: Path, pause_s: float = STREAM_PAUSE_S) -> Callable[..., Iterator[tuple[Any, ...]]]:
    """The Send/Enter handler, a generator of ``(question box, chat, turns, sources panel, download)``."""

    def respond(
        message: str,
        turns: list[Turn] | None,
        documents: list[str] | None = None,
        publishers: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        turns = list(turns or [])
        question = message if isinstance(message, str) else ""
        turn = Turn(question=" ".join(question.split()), message=f"_{PLACEHOLDER}_")
        turns.append(turn)
        index = len(turns) - 1
        yield "", _messages(turns), turns, gr.skip(), gr.skip()
        filters = _filters(documents, publishers, date_from, date_to)
        extractive = assistant.settings.backend == "extractive"
        text = ""
        try:
            for part in assistant.stream(message, filters=filters, history=conversation_history(turns[:-1])):
                if isinstance(part, Answer):
                    turn.answer = part
                    break
                text += part
                turn.message = escape_answer_text(text) + " …"
                yield "", _messages(turns), turns, gr.skip(), gr.skip()
                if pause_s and extractive:  # an LLM's pieces arrive at its own pace
                    time.sleep(pause_s)
        except (QuestionError, ValueError) as exc:  # empty question, bad date filter
            turn.message = error_message(exc)
        except Exception as exc:
            log.exception("answering %r failed", message)
            turn.message = f"Something went wrong: {escape_md(exc) or type(exc).__name__}"
        if turn.answer is not None:
            total = _document_count(assistant)
            scope = describe_scope(filters["documents"], filters["publishers"], filters["date_from"], filters["date_to"], total)
            turn.message = format_chat_message(turn.answer, index, scope)
        download = _write_download([t for t in turns if t.answer is not None], download_dir)
        yield "", _messages(turns), turns, sources_panel(turns), gr.update(value=download, interactive=True)

    return respond


def _document_count(assistant: Assistant) -> int:
    try:
        return assistant.status().documents
    except Exception:
        return 0


def feedback_handler(store: FeedbackStore, rating: str) -> Callable[[list[Turn] | None, str | None], tuple[str, Any]]:
    """A rating button's handler: ``(turns, comment) -> (status message, comment box)``."""

    def give(turns: list[Turn] | None, comment: str | None) -> tuple[str, Any]:
        answered = [t for t in (turns or []) if t.answer is not None]
        if not answered:
            return "Ask a question first, then rate its answer.", gr.skip()
        last = answered[-1]
        assert last.answer is not None
        try:
            store.record(last.question, last.answer.text, rating, comment or None, [c.to_dict() for c in last.answer.citations])
        except FeedbackError as exc:
            return error_message(exc), gr.skip()
        except Exception:
            log.exception("storing feedback failed")
            return "Sorry, your feedback could not be saved. Please try again.", gr.skip()
        return f"Thank you: the last answer was marked “{RATINGS[rating]}”.", ""

    return give


def upload_handler(assistant: Assistant) -> Callable[..., tuple[Any, ...]]:
    """The "Add to the library" handler: files → per-file messages, fresh status and filter choices."""
    settings = assistant.settings
    limit = int(settings.max_file_mb * 1024 * 1024)

    def add(files: list[Any] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        files = [f for f in (files or []) if f]
        if not files:
            return ("Choose one or more files first.", gr.skip(), gr.skip(), gr.skip(), gr.skip())
        lines = []
        for i, item in enumerate(files):
            temp = Path(getattr(item, "name", None) or str(item))
            original = getattr(item, "orig_name", None) or temp.name
            name = safe_filename(original)
            shown = escape_md(original)
            progress(i / len(files), desc=f"Adding {name} ({i + 1} of {len(files)})")
            lines.append(_add_one(assistant, temp, name, shown, limit))
        progress(1.0, desc="Done")
        docs, publishers = catalogue_choices(assistant)
        return (
            "\n".join(lines),
            status_line(assistant),
            gr.update(choices=docs),
            gr.update(choices=publishers),
            None,
        )

    return add


def _add_one(assistant: Assistant, temp: Path, name: str, shown: str, limit: int) -> str:
    settings = assistant.settings
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        return f"- ✗ **{shown}**: not added: only {', '.join(ALLOWED_UPLOADS)} files can be added."
    try:
        size = temp.stat().st_size
    except OSError:
        return f"- ✗ **{shown}**: not added: the upload did not arrive, please try again."
    if size > limit:
        return f"- ✗ **{shown}**: not added: {size / 1048576:.1f} MB is over the {settings.max_file_mb:g} MB limit."
    if size == 0:
        return f"- ✗ **{shown}**: not added: the file is empty."
    target_dir = settings.uploads_path.resolve()
    target = (target_dir / name).resolve()
    if target.parent != target_dir:  # safe_filename makes this impossible; a second lock on the door
        return f"- ✗ **{shown}**: not added: unusable file name."
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(temp, target)
        summary = assistant.ingest([target])
    except Exception as exc:
        log.exception("adding %s failed", target)
        return f"- ✗ **{shown}**: not added: {escape_md(exc)}"
    saved = escape_md(name)
    if summary.failed:
        target.unlink(missing_ok=True)  # a file the index cannot read is not kept
        return f"- ✗ **{shown}**: not added: {escape_md(summary.failed[0]['reason'])}"
    passages = f"{summary.chunks_added} passage{'s' * (summary.chunks_added != 1)}"
    if summary.updated:
        return f"- ✓ **{saved}**: updated ({passages})."
    if summary.unchanged:
        return f"- ✓ **{saved}**: already in the library, unchanged."
    return f"- ✓ **{saved}**: added ({passages}). You can ask about it now."


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
#sources-panel .src-context { margin: 0; white-space: normal; overflow-wrap: anywhere; border-left: 4px solid #768692; padding-left: 0.5rem; }
#sources-panel mark { background: #ffeb3b; color: #000; padding: 0 2px; }
#sources-panel [hidden] { display: none !important; }
#chat blockquote { border-left: 6px solid #b45309; background: #fff7ed; color: #3b1d00; padding: 0.5rem 0.75rem; margin: 0; }
#chat a { text-decoration: underline; }
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
                with gr.Accordion("Search within (filters)", open=False, elem_id="filters"):
                    documents = gr.Dropdown(docs, multiselect=True, label="Documents", info="Leave empty to search all.")
                    publisher = gr.Dropdown(publishers, multiselect=True, label="Publishers")
                    with gr.Row():
                        date_from = gr.Textbox(label="From date", placeholder="e.g. 2023 or 2023-06", max_lines=1)
                        date_to = gr.Textbox(label="To date", placeholder="e.g. 2025-12-31", max_lines=1)
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
            inputs=[question, turns, documents, publisher, date_from, date_to],
            outputs=[question, chatbot, turns, panel, download],
            api_visibility="private",
            concurrency_limit=ANSWER_CONCURRENCY,
            concurrency_id="answer",
            show_progress="hidden",
        )
        for key, button in rate_buttons.items():
            button.click(feedback_handler(store, key), inputs=[turns, comment], outputs=[feedback_status, comment], api_visibility="private")
        clear.click(
            lambda: ([], [], sources_panel([]), gr.update(value=None, interactive=False), ""),
            outputs=[chatbot, turns, panel, download, feedback_status],
            api_visibility="private",
        )

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
