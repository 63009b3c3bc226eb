"""The chat's event handlers: Gradio calls these; they never raise for a user mistake."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant import _env  # noqa: F401  - the offline environment (no analytics, no hub) before gradio
from assistant.api import Assistant, QuestionError
from assistant.results import Answer
from assistant.serving.chat.rendering import (
    ALLOWED_UPLOADS,
    PLACEHOLDER,
    RATINGS,
    History,
    Turn,
    conversation_history,
    conversation_markdown,
    describe_scope,
    error_message,
    escape_answer_text,
    escape_md,
    format_answer,
    format_chat_message,
    safe_filename,
    sources_panel,
)
from assistant.serving.feedback import FeedbackError, FeedbackStore

# isort: split
import gradio as gr

log = logging.getLogger("ics_assistant.ui")

# Answering is CPU-bound (embedding + scoring): more parallel work than cores only adds latency.
ANSWER_CONCURRENCY = max(2, min(8, os.cpu_count() or 2))
# Pause between streamed pieces of an extractive answer (computed whole), so it reads as it appears.
STREAM_PAUSE_S = 0.02

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
    docs = sorted({(f"{r.title or r.source} ({r.source}{', superseded' if r.successor else ''})", r.source) for r in records})
    publishers = sorted({r.publisher for r in records if r.publisher})
    return docs, publishers


def _filters(
    documents: Sequence[str] | None, publishers: Sequence[str] | None, date_from: str | None, date_to: str | None,
    current_only: bool | None = False,
) -> dict[str, Any]:
    return {
        "documents": list(documents or []),
        "publishers": list(publishers or []),
        "date_from": (date_from or "").strip() or None,
        "date_to": (date_to or "").strip() or None,
        "current_only": bool(current_only),
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
        current_only: bool | None = False,
    ) -> Iterator[tuple[Any, ...]]:
        turns = list(turns or [])
        question = message if isinstance(message, str) else ""
        turn = Turn(question=" ".join(question.split()), message=f"_{PLACEHOLDER}_")
        turns.append(turn)
        index = len(turns) - 1
        yield "", _messages(turns), turns, gr.skip(), gr.skip()
        filters = _filters(documents, publishers, date_from, date_to, current_only)
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
            scope = describe_scope(filters["documents"], filters["publishers"], filters["date_from"], filters["date_to"], total,
                                   filters["current_only"])
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
    passages += "".join(f"; note: {escape_md(w['warning'])}" for w in summary.warnings)  # e.g. pages that need OCR
    if summary.updated:
        return f"- ✓ **{saved}**: updated ({passages})."
    if summary.unchanged:
        return f"- ✓ **{saved}**: already in the library, unchanged."
    return f"- ✓ **{saved}**: added ({passages}). You can ask about it now."
