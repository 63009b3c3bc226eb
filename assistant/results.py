"""Results are data: passages, citations, answers and ingestion summaries.

Each prints well in a terminal (``str``) and a notebook (``_repr_html_``: ``templates/results.html``,
autoescaped: document text is never trusted as HTML) and serialises to JSON (``to_dict`` / ``to_json``).

Example::

    >>> from assistant import Assistant
    >>> answer = Assistant().ask("Who leads the review?")
    >>> answer.citations[0].quote
    >>> answer.to_json()
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from assistant.templating import render_macro


class _Data:
    """Shared JSON and notebook behaviour for the result dataclasses."""

    _html: ClassVar[str | None] = None
    """The macro of ``templates/results.html`` that shows this result in a notebook (``class X(_Data, html=...)``)."""

    def __init_subclass__(cls, html: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if html is not None:
            cls._html = html

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def _repr_html_(self) -> str | None:
        return render_macro("results.html", self._html, self) if self._html else None  # None: Jupyter shows repr()


def _same(text: str) -> str:
    return text


@dataclass(kw_only=True)
class Source(_Data):
    """Where a piece of text comes from: the fields ``Passage`` and ``Citation`` share."""

    source: str
    """File name of the document."""
    title: str
    page: int | None = None
    section: str | None = None
    publisher: str = ""
    date: str = ""
    chunk_id: str = ""

    def source_fields(self) -> dict[str, Any]:
        """This object's ``Source`` fields, to build another result from the same place."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(Source)}

    def location(self, escape: Callable[[str], str] = _same) -> str:
        """``p. 3, § Heading`` (either part may be missing; empty when both are)."""
        parts = [f"p. {self.page}"] if self.page is not None else []
        if self.section:
            parts.append(f"§ {escape(self.section)}")
        return ", ".join(parts)

    def where(self, escape: Callable[[str], str] = _same) -> str:
        """``file.pdf, p. 3, § Heading``: the file, then the location within it."""
        return ", ".join(filter(None, (escape(self.source), self.location(escape))))


@dataclass(kw_only=True)
class Passage(Source, html="passage"):
    """A retrieved chunk of a document, with its rank score."""

    text: str
    score: float
    start: int = 0
    """Character offset of ``text`` in the loaded document text."""
    end: int = 0
    path: str = ""
    page_end: int | None = None
    """The last page the passage runs onto (PDFs; equal to ``page`` unless it spans a page break)."""

    def __str__(self) -> str:
        return f"{self.title} ({self.where()}) score={self.score:.3f}\n  {' '.join(self.text.split())[:300]}"


@dataclass(kw_only=True)
class Citation(Source, html="citation"):
    """One numbered source of an answer: the exact quoted span of a passage."""

    n: int
    quote: str
    """Verbatim text of the document between ``start`` and ``end``."""
    start: int
    end: int

    def line(self, escape: Callable[[str], str] = _same, strong: Callable[[str], str] = _same) -> str:
        """The one way a citation reads: ``[n] Title (file, p. 3, § Heading): "quote"``.

        ``escape`` is applied to every piece that comes from the document and ``strong`` to the
        title, so the chat can render the same line as escaped Markdown.
        """
        quote = escape(" ".join(self.quote.split()))
        return f'[{self.n}] {strong(escape(self.title))} ({self.where(escape)}): "{quote}"'

    def __str__(self) -> str:
        return self.line()


@dataclass
class Answer(_Data, html="answer"):
    """An answer whose every sentence carries a citation, or a refusal."""

    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    backend: str = "extractive"
    notes: list[str] = field(default_factory=list)
    """What the assistant did that the reader may want to know (e.g. question truncated)."""
    search_query: str | None = None
    """The stand-alone query actually searched, when it differs from ``question`` (follow-ups)."""
    changes: list[str] = field(default_factory=list)
    """What verification changed in an LLM's draft (citations repaired or removed, sentences dropped)."""
    draft: str | None = None
    """The LLM's unverified text as it streamed (generative backends only)."""
    fallback: bool = False
    """True when the LLM backend failed and this is the extractive answer instead (see ``notes``)."""

    def __str__(self) -> str:
        lines = [self.text]
        if self.citations:
            lines.append("")
            lines.extend(str(c) for c in self.citations)
        return "\n".join(lines)


@dataclass
class IngestSummary(_Data, html="ingest_summary"):
    """What an ingestion did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    """``{"path": ..., "reason": ...}`` per file that could not be ingested."""
    chunks_added: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        counts = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed; "
            f"{self.chunks_added} chunks added, {self.chunks_removed} removed in {self.seconds:.1f}s"
        )
        failures = [f"  failed: {f['path']}: {f['reason']}" for f in self.failed]
        return "\n".join([counts, *failures])


@dataclass
class IndexStatus(_Data, html="index_status"):
    """What the index holds."""

    location: str
    """The index directory, or the Chroma server and collection (``Settings.index_location``)."""
    documents: int
    chunks: int
    titles: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"index: {self.location}", f"documents: {self.documents}", f"chunks: {self.chunks}"]
        lines.extend(f"  - {t}" for t in self.titles)
        return "\n".join(lines)

