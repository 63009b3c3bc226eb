"""What the chat shows, as text: answers, citations and the sources panel (pure functions).

Everything that comes from a document is shown as text, never as HTML: chat messages are escaped
Markdown (``escape_md``), and the sources panel is rendered from ``templates/chat/sources.html`` with
autoescape (``assistant.templating``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from assistant.results import Answer, Citation, Passage, emphasised
from assistant.templating import render_macro

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


def escape_answer_text(
    text: str, turn: int | None = None, labels: Sequence[str] = (), emphasis: Sequence[str] = (),
) -> str:
    """Escape an answer's sentences but keep its ``[n]`` markers; with ``turn``, markers link to the sources panel.

    Lines (one per document when an answer sets documents or periods side by side) stay paragraphs;
    a line that starts with one of ``labels`` (``Answer.labels``) shows it in bold, and so do the
    words of ``emphasis`` (``Answer.emphasis``: the name, figure or date that answers).
    """
    return "\n\n".join(_escape_answer_line(line, turn, labels, emphasis) for line in text.split("\n") if line.strip())


def _bold(text: str, emphasis: Sequence[str]) -> str:
    """``text`` escaped, with each ``emphasis`` phrase in it bold (``assistant.results.emphasised``)."""
    return "".join(f"**{_escape_inline(piece)}**" if bold else _escape_inline(piece) for piece, bold in emphasised(text, emphasis))


def _escape_answer_line(text: str, turn: int | None, labels: Sequence[str], emphasis: Sequence[str] = ()) -> str:
    text = " ".join(text.split())
    label = next((lb for lb in labels if lb and text.startswith(lb)), "")
    head = f"**{_escape_inline(label)}** " if label else ""
    parts = _MARKER.split(text[len(label):].strip())
    out = [head]
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_bold(part, emphasis))
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


def format_citation(c: Citation) -> str:
    """``Citation.line`` (``[n] Title (file, p. 3, § Heading): "quote"``) as escaped Markdown, title in bold."""
    return c.line(escape=escape_md, strong=lambda title: f"**{title}**")


def format_answer(answer: Answer) -> str:
    """An answer as self-contained Markdown: its text, then the numbered sources (all escaped).

    What the ``ask`` API endpoint returns and what the conversation download holds.
    """
    lines = []
    if answer.refused:
        lines += [f"**{REFUSED_LABEL}**", ""]
    lines.append(escape_answer_text(answer.text, labels=answer.labels, emphasis=answer.emphasis))
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
    lines = [escape_answer_text(answer.text, turn, answer.labels, answer.emphasis)]
    if answer.citations:
        links = " · ".join(
            f'[\\[{c.n}\\] {escape_md(c.title)}]({source_anchor(turn, c.n)} "Show source {c.n}")'
            + (" _(superseded)_" if c.superseded_by is not None else "")
            for c in answer.citations
        )
        lines += ["", f"**Sources:** {links}"]
    if answer.search_query:
        lines += ["", f"_{searched}_"]
    lines += [""] * bool(notes) + notes
    return "\n".join(lines)


def describe_scope(
    documents: Sequence[str], publishers: Sequence[str], date_from: str | None, date_to: str | None, total: int,
    current_only: bool = False,
) -> str:
    """``all 9 documents`` or ``2 chosen documents, published by NHS England, dated from 2023`` (escaped)."""
    chosen = f"{len(documents)} chosen document{'s' * (len(documents) != 1)}" if documents else f"all {total} document{'s' * (total != 1)}"
    parts = [chosen + (" (current ones only)" if current_only else "")]
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
# The sources panel (HTML from templates/chat/sources.html, autoescaped)
# --------------------------------------------------------------------------------------------

SOURCES_TEMPLATE = "chat/sources.html"


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


def context_parts(citation: Citation, passage: Passage | None) -> tuple[str, str, str]:
    """The passage split around the quoted span: ``(before, quote, after)`` (the quote alone if not found) (pure)."""
    alone = ("", _squash(citation.quote).strip(), "")
    if passage is None:
        return alone
    text = passage.text
    start, end = citation.start - passage.start, citation.end - passage.start
    if not (0 <= start <= end <= len(text) and text[start:end] == citation.quote):
        start = text.find(citation.quote)
        if start < 0 or not citation.quote:
            return alone
        end = start + len(citation.quote)
    before, quote, after = (_squash(part) for part in (text[:start], text[start:end], text[end:]))
    return before.lstrip(), quote, after.rstrip()


def highlighted_context(citation: Citation, passage: Passage | None) -> str:
    """The passage as escaped HTML with the quoted span wrapped in ``<mark>``."""
    return render_macro(SOURCES_TEMPLATE, "highlight", *context_parts(citation, passage))


def source_card(turn: int, citation: Citation, passages: Sequence[Passage]) -> str:
    """One source of an answer: number, title, publisher, date, page/section, file, passage in context."""
    return render_macro(SOURCES_TEMPLATE, "card", *_card(turn, citation, passages))


def _card(turn: int, c: Citation, passages: Sequence[Passage]) -> tuple[str, Citation, tuple[str, str, str]]:
    return source_anchor(turn, c.n)[1:], c, context_parts(c, passage_for(c, passages))


def sources_panel(turns: Sequence["Turn"]) -> str:
    """Every answer's sources, grouped by answer; only the latest answer's group is shown at first."""
    shown = max((i for i, t in enumerate(turns) if t.answer is not None and t.answer.citations), default=None)
    groups = [
        {"turn": i, "question": t.question, "hidden": i != shown,
         "cards": [_card(i, c, t.answer.passages) for c in t.answer.citations]}
        for i, t in enumerate(turns) if t.answer is not None and t.answer.citations
    ]
    return render_macro(SOURCES_TEMPLATE, "panel", groups, EMPTY_PANEL_HINT)


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

