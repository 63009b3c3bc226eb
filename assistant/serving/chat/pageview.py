"""The real page of a PDF citation in the chat: which page to show, its caption, previous/next (pure),
the image (rendered on demand, cached beside the index: ``serving/pages.py``) and the Gradio handlers.

Clicking a citation ``[n]`` sets ``window.__icsPage = "turn-n"`` and clicks a hidden button, whose
event reads it (``PAGE_REQUEST_JS``) and calls ``open_handler``; the previous/next buttons call
``step_handler``. Other formats keep the text view of the sources panel; this adds the page for PDFs.
Nothing from the document becomes HTML: the page is an image and its caption escaped Markdown.

Example::

    >>> view = view_for(answer.citations[0], answer.passages)
    >>> view.caption(escape_md), images.image(view.path, view.page, view.highlight)
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.results import Citation, Passage
from assistant.serving.chat.rendering import Turn, escape_md, passage_for
from assistant.serving.pages import PageImageError, PageImages, page_count

# isort: split
import gradio as gr

log = logging.getLogger("ics_assistant.ui")

# The hidden "open page" button's event takes its input from the citation the user clicked.
PAGE_REQUEST_JS = "(request) => [window.__icsPage || '']"


@dataclass(frozen=True)
class PageView:
    """One page of a cited PDF: the page shown, and the pages the quote is on (highlighted there)."""

    path: str
    source: str
    page: int
    pages: int  # pages in the PDF
    quote: str
    quote_pages: tuple[int, ...]
    labels: tuple[tuple[int, str], ...] = ()  # printed labels where they differ from the physical page
    n: int = 0  # the citation's number in its answer

    @property
    def highlight(self) -> str | None:
        """The quote, on a page that holds (part of) it; nothing to highlight elsewhere."""
        return self.quote if self.page in self.quote_pages else None

    def step(self, delta: int) -> PageView:
        """The previous (-1) or next (+1) page, kept within the document."""
        return dataclasses.replace(self, page=min(max(1, self.page + delta), max(1, self.pages)))

    def caption(self, escape: Callable[[str], str]) -> str:
        """``[2] policy.pdf: page 11 of 29 (printed 10), the quote highlighted`` as Markdown (``escape`` for document text)."""
        printed = dict(self.labels).get(self.page)
        where = f"page {self.page} of {self.pages}" + (f" (printed {escape(printed)})" if printed else "")
        tail = ", the quoted text highlighted" if self.highlight else ""
        return f"[{self.n}] {escape(self.source)}: {where}{tail}"


def view_for(citation: Citation, passages: Sequence[Passage]) -> PageView | None:
    """The page view of a PDF citation (its quote's first page); ``None`` for other formats or a missing file."""
    passage = passage_for(citation, passages)
    if passage is None or not passage.path.lower().endswith(".pdf") or not citation.page or not Path(passage.path).is_file():
        return None
    spanned = passage.pages_of(citation.start, citation.end) or [(citation.page, str(citation.page))]
    return PageView(
        path=passage.path, source=citation.source, page=spanned[0][0], pages=page_count(passage.path) or spanned[-1][0],
        quote=citation.quote, quote_pages=tuple(p for p, _ in spanned),
        labels=tuple((p, label) for p, label in spanned if label and label != str(p)), n=citation.n,
    )


def requested_citation(request: str | None, turns: Sequence[Turn] | None) -> tuple[Citation, Sequence[Passage]] | None:
    """The citation ``"turn-n"`` names, with its answer's passages (``None`` when there is no such citation) (pure)."""
    found = re.fullmatch(r"(\d{1,6})-(\d{1,4})", (request or "").strip())
    if not found or not turns:
        return None
    turn, n = int(found.group(1)), int(found.group(2))
    answer = turns[turn].answer if turn < len(turns) else None
    citation = next((c for c in answer.citations if c.n == n), None) if answer else None
    return (citation, answer.passages) if citation and answer else None


Updates = tuple[Any, Any, Any, Any, "PageView | None"]


def show(view: PageView | None, images: PageImages) -> Updates:
    """The viewer's components for ``view``: image, caption, previous and next buttons, and the new state."""
    if view is None:
        hidden = gr.update(visible=False)
        return gr.update(value=None, visible=False), gr.update(value="", visible=False), hidden, hidden, None
    try:
        path = images.image(view.path, view.page, view.highlight)
    except PageImageError as exc:
        log.warning("page view: %s", exc)
        message = f"The page cannot be shown: {escape_md(exc)}"
        return gr.update(value=None, visible=False), gr.update(value=message, visible=True), gr.update(visible=False), gr.update(visible=False), None
    caption = view.caption(escape_md)
    return (
        gr.update(value=str(path), visible=True, alt_text=caption.replace("\\", "")),
        gr.update(value=caption, visible=True),
        gr.update(visible=True, interactive=view.page > 1),
        gr.update(visible=True, interactive=view.page < view.pages),
        view,
    )


def open_handler(images: PageImages) -> Callable[[str | None, list[Turn] | None], Updates]:
    """The click on a citation: its PDF page with the quote highlighted, or the viewer hidden (other formats)."""

    def open_page(request: str | None, turns: list[Turn] | None) -> Updates:
        found = requested_citation(request, turns)
        return show(view_for(*found) if found else None, images)

    return open_page


def step_handler(images: PageImages, delta: int) -> Callable[[PageView | None], Updates]:
    """Previous (-1) or next (+1) page of the document being viewed."""

    def step(view: PageView | None) -> Updates:
        return show(view.step(delta) if view else None, images)

    return step
