"""Results are data: passages, citations, answers and ingestion summaries.

Each prints well in a terminal (``str``) and a notebook (``_repr_html_``, everything escaped: document
text is never trusted as HTML) and serialises to JSON (``to_dict`` / ``to_json``).

Example::

    >>> from assistant import Assistant
    >>> answer = Assistant().ask("Who leads the review?")
    >>> answer.citations[0].quote
    >>> answer.to_json()
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from html import escape
from typing import Any


class _Data:
    """Shared JSON and notebook behaviour for the result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def _location(page: int | None, section: str | None) -> str:
    parts = []
    if page is not None:
        parts.append(f"p. {page}")
    if section:
        parts.append(f"§ {section}")
    return ", ".join(parts)


@dataclass
class Passage(_Data):
    """A retrieved chunk of a document, with its rank score."""

    source: str
    """File name of the document."""
    title: str
    text: str
    score: float
    page: int | None = None
    section: str | None = None
    start: int = 0
    """Character offset of ``text`` in the loaded document text."""
    end: int = 0
    publisher: str = ""
    date: str = ""
    chunk_id: str = ""
    path: str = ""
    page_end: int | None = None
    """Physical page of the passage's last character (PDF)."""
    page_map: list[tuple[int, int, str]] = field(default_factory=list)
    """``(doc_offset, physical_page, printed_label)`` where each page the passage spans starts (PDF)."""
    unquotable: list[tuple[int, int]] = field(default_factory=list)
    """Document spans never quoted as an answer: title, headings, contents and dotted leader lines."""
    units: list[tuple[int, int, str]] = field(default_factory=list)
    """Whole units (document spans): ``"list_item"`` and ``"table_row"``."""

    def pages_of(self, start: int, end: int) -> list[tuple[int, str]]:
        """``(physical_page, printed_label)`` of each page the document span ``[start, end)`` touches."""
        pages = [(o, p, label) for o, p, label in self.page_map if o < max(end, start + 1)]
        first = max((i for i, (o, _, _) in enumerate(pages) if o <= start), default=0)
        return [(p, label) for _, p, label in pages[first:]]

    def __str__(self) -> str:
        where = _location(self.page, self.section)
        head = f"{self.title} ({self.source}{', ' + where if where else ''}) score={self.score:.3f}"
        return f"{head}\n  {' '.join(self.text.split())[:300]}"

    def _repr_html_(self) -> str:
        where = _location(self.page, self.section)
        return (
            f"<div><b>{escape(self.title)}</b> <small>{escape(self.source)}"
            f"{escape(', ' + where) if where else ''} · score {self.score:.3f}</small>"
            f"<blockquote>{escape(self.text)}</blockquote></div>"
        )


@dataclass
class Citation(_Data):
    """One numbered source of an answer: the exact quoted span of a passage."""

    n: int
    source: str
    title: str
    quote: str
    """Verbatim text of the document between ``start`` and ``end``."""
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    publisher: str = ""
    date: str = ""
    chunk_id: str = ""

    def __str__(self) -> str:
        where = _location(self.page, self.section)
        return f"[{self.n}] {self.title} ({self.source}{', ' + where if where else ''}): \"{' '.join(self.quote.split())}\""

    def _repr_html_(self) -> str:
        where = _location(self.page, self.section)
        return (
            f"<div>[{self.n}] <b>{escape(self.title)}</b> <small>{escape(self.source)}"
            f"{escape(', ' + where) if where else ''}</small><blockquote>{escape(self.quote)}</blockquote></div>"
        )


@dataclass
class Answer(_Data):
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

    def _repr_html_(self) -> str:
        style = "border-left:4px solid #b45309;padding-left:8px" if self.refused else ""
        cites = "".join(c._repr_html_() for c in self.citations)
        return (
            f"<div style='{style}'><p><i>{escape(self.question)}</i></p>"
            f"<p>{escape(self.text)}</p>{cites}</div>"
        )


@dataclass
class IngestSummary(_Data):
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

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{len(getattr(self, name))}</td></tr>"
            for name in ("added", "updated", "unchanged", "removed", "failed")
        )
        fails = "".join(f"<li>{escape(f['path'])}: {escape(f['reason'])}</li>" for f in self.failed)
        return f"<table>{rows}</table>" + (f"<ul>{fails}</ul>" if fails else "")


@dataclass
class IndexStatus(_Data):
    """What the index holds."""

    location: str
    documents: int
    chunks: int
    titles: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"index: {self.location}", f"documents: {self.documents}", f"chunks: {self.chunks}"]
        lines.extend(f"  - {t}" for t in self.titles)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(t)}</li>" for t in self.titles)
        return (
            f"<div><b>{escape(self.location)}</b>: {self.documents} documents, {self.chunks} chunks"
            f"<ul>{items}</ul></div>"
        )
