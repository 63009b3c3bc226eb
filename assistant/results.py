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
import re
from collections.abc import Callable, Sequence
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
    """Where a piece of text comes from: the fields ``Passage`` and ``Citation`` share.

    Pages are physical (1-based, as a PDF viewer counts them); ``page_label`` / ``page_end_label``
    are the numbers printed on those pages where they differ (NHS England prints one lower).
    """

    source: str
    """File name of the document."""
    title: str
    page: int | None = None
    """First page (PDF)."""
    page_end: int | None = None
    """Last page: the text runs onto it over a page break (equal to ``page`` or ``None`` otherwise)."""
    page_label: str = ""
    """The number printed on ``page``, when it differs from the physical page."""
    page_end_label: str = ""
    section: str | None = None
    publisher: str = ""
    date: str = ""
    chunk_id: str = ""
    version: str = ""
    reference: str = ""
    """Publication reference, e.g. ``PR2086``."""
    period: str = ""
    """The period the document covers, e.g. ``2025/26`` (its figures are for that period)."""
    supersedes: str = ""
    """What the document replaced, described (``; ``-separated)."""
    superseded_by: str | None = None
    """Title of the document that replaces this one; None while it is current."""
    superseded_date: str = ""
    """When that successor was published (when known)."""

    def source_fields(self) -> dict[str, Any]:
        """This object's ``Source`` fields, to build another result from the same place."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(Source)}

    def pages_text(self) -> str:
        """``p. 10``, ``p. 10 (printed 9)``, ``pp. 11-12``, ``pp. 11-12 (printed 10-11)``; empty without a page."""
        if self.page is None:
            return ""
        last = self.page_end if self.page_end and self.page_end > self.page else None
        shown = f"pp. {self.page}-{last}" if last else f"p. {self.page}"
        first_label = self.page_label or str(self.page)
        last_label = self.page_end_label or str(last)
        if last and (first_label, last_label) != (str(self.page), str(last)):
            shown += f" (printed {first_label}-{last_label})"
        elif not last and first_label != str(self.page):
            shown += f" (printed {first_label})"
        return shown

    def location(self, escape: Callable[[str], str] = _same) -> str:
        """``p. 10 (printed 9), § Heading`` (either part may be missing; empty when both are)."""
        parts = [self.pages_text()] if self.page is not None else []
        if self.section:
            parts.append(f"§ {escape(self.section)}")
        return ", ".join(parts)

    def where(self, escape: Callable[[str], str] = _same) -> str:
        """``file.pdf, p. 3, § Heading``: the file, then the location within it."""
        return ", ".join(filter(None, (escape(self.source), self.location(escape))))

    def superseded_note(self, escape: Callable[[str], str] = _same) -> str:
        """``superseded by Title (2024-04-01)``; empty while the document is current."""
        if self.superseded_by is None:
            return ""
        when = f" ({escape(self.superseded_date)})" if self.superseded_date else ""
        return f"superseded by {escape(self.superseded_by)}{when}"


@dataclass(kw_only=True)
class Passage(Source, html="passage"):
    """A retrieved chunk of a document, with its rank score."""

    text: str
    score: float
    start: int = 0
    """Character offset of ``text`` in the loaded document text."""
    end: int = 0
    path: str = ""
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

    def span_fields(self, start: int, end: int) -> dict[str, Any]:
        """``Source`` fields for the span ``[start, end)`` of this passage: its own pages and labels."""
        fields = self.source_fields()
        pages = self.pages_of(start, end)
        if pages:
            (first, first_label), (last, last_label) = pages[0], pages[-1]
            fields.update(page=first, page_end=last, page_label=first_label if first_label != str(first) else "",
                          page_end_label=last_label if last_label != str(last) else "")
        return fields

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

        A superseded document's citation says so: ``[n] Title (file, p. 3), superseded by Title v2 (2024-04-01): "quote"``.

        ``escape`` is applied to every piece that comes from the document and ``strong`` to the
        title, so the chat can render the same line as escaped Markdown.
        """
        quote = escape(" ".join(self.quote.split()))
        note = self.superseded_note(escape)
        return f'[{self.n}] {strong(escape(self.title))} ({self.where(escape)}){", " + note if note else ""}: "{quote}"'

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
    """What was answered from, in reading order (``answering/reading.py``)."""
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
    labels: list[str] = field(default_factory=list)
    """Labels in ``text`` saying which document, period or version the sentences after them come from
    ("For 2025/26 (…):"); they are attribution from the catalogue, not claims quoted from a passage."""
    emphasis: list[str] = field(default_factory=list)
    """Words of ``text`` that answer the question (the name, figure or date asked for), shown in bold."""

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` as ``(piece, bold)`` in order: the ``emphasis`` words bold (what every front end shows in bold)."""
        return emphasised(self.text, self.emphasis)

    def __str__(self) -> str:
        lines = [self.text]
        if self.citations:
            lines.append("")
            lines.extend(str(c) for c in self.citations)
        return "\n".join(lines)


def emphasis_spans(text: str, phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``phrases`` occur in ``text``, widened to whole tokens, in order and not overlapping (pure).

    Whole tokens because a bold mark against a letter or digit ("**£**0.52") is not emphasis in
    Markdown, and a figure is read whole ("£0.52", "85%", "1,500").
    """
    words = sorted({" ".join(w.split()) for w in phrases if w.strip()}, key=len, reverse=True)
    if not words:
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer("|".join(re.escape(w) for w in words), text):
        start, end = max(m.start(), pos), m.end()
        if start >= end:
            continue
        while start > pos and not text[start - 1].isspace() and text[start - 1] not in "([“‘\"'":
            start -= 1
        while end < len(text) and (text[end].isalnum() or text[end] == "%" or (
                text[end] in ".,:" and end + 1 < len(text) and text[end + 1].isdigit())):
            end += 1
        spans.append((start, end))
        pos = end
    return spans


def emphasised(text: str, phrases: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, bold)`` by ``emphasis_spans`` (pure); the pieces join back to ``text``."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in emphasis_spans(text, phrases):
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


@dataclass
class IngestSummary(_Data, html="ingest_summary"):
    """What an ingestion did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    """``{"path": ..., "reason": ...}`` per file that could not be ingested."""
    warnings: list[dict[str, str]] = field(default_factory=list)
    """``{"path": ..., "warning": ...}``: ingested, but something is missing (e.g. scanned pages that need OCR)."""
    copies: list[dict[str, str]] = field(default_factory=list)
    """``{"path": ..., "copy_of": ..., "note": ...}`` per file skipped as the same content as the indexed file
    ``copy_of`` (``note``: whose manifest facts apply, when the two manifest entries differ)."""
    chunks_added: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        counts = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed"
            + (f", {len(self.copies)} skipped as copies" if self.copies else "")
            + f"; {self.chunks_added} chunks added, {self.chunks_removed} removed in {self.seconds:.1f}s"
        )
        failures = [f"  failed: {f['path']}: {f['reason']}" for f in self.failed]
        warnings = [f"  warning: {w['path']}: {w['warning']}" for w in self.warnings]
        copies = [f"  copy: {copy_line(c)}" for c in self.copies]
        return "\n".join([counts, *failures, *warnings, *copies])


def copy_line(copy: dict[str, str]) -> str:
    """One line for a file skipped as a copy (``IngestSummary.copies``), as the CLI and ``str`` print it."""
    note = f"; {copy['note']}" if copy.get("note") else ""
    return f"{copy['path']}: same content as {copy['copy_of']}, indexed once under that path{note}"


@dataclass
class DocumentInfo(_Data):
    """One indexed document as ``status`` lists it: its facts, and whether it is current."""

    title: str
    source: str
    chunks: int = 0
    publisher: str = ""
    date: str = ""
    version: str = ""
    reference: str = ""
    period: str = ""
    supersedes: list[str] = field(default_factory=list)
    """What it replaced (documents, earlier versions of the same file, or names it gives)."""
    superseded_by: str | None = None
    superseded_date: str = ""

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    @classmethod
    def of(cls, record: Any, standing: Any) -> "DocumentInfo":
        """From a catalogue record (``DocumentRecord``) and its ``Standing`` in the lineage."""
        return cls(
            title=record.title, source=record.source, chunks=int(record.chunks or 0), publisher=record.publisher,
            date=record.date, version=record.version, reference=record.reference, period=record.period,
            supersedes=list(standing.supersedes), superseded_by=standing.superseded_by, superseded_date=standing.superseded_date,
        )

    def facts(self) -> str:
        """``version 3, PR2086, published 2023-02-08, covers 2025/26`` (the known ones)."""
        parts = [f"version {self.version}" if self.version else "", self.reference,
                 f"published {self.date}" if self.date else "", f"covers {self.period}" if self.period else ""]
        return ", ".join(p for p in parts if p)

    def line(self) -> str:
        """``Title (file, 12 chunks; version 3, PR2086, …) — superseded by X (date)``: one line of ``status``."""
        facts = self.facts()
        text = f"{self.title} ({self.source}, {self.chunks} chunks{'; ' + facts if facts else ''})"
        if self.superseded_by is not None:
            text += f" — superseded by {self.superseded_by}" + (f" ({self.superseded_date})" if self.superseded_date else "")
        if self.supersedes:
            text += " — supersedes " + "; ".join(self.supersedes)
        return text


@dataclass
class IndexStatus(_Data, html="index_status"):
    """What the index holds."""

    location: str
    """The index directory, or the Chroma server and collection (``Settings.index_location``)."""
    documents: int
    chunks: int
    titles: list[str] = field(default_factory=list)
    """One line per document: title, file, chunks, facts and standing (``DocumentInfo.line``)."""
    catalogue: list[DocumentInfo] = field(default_factory=list)
    copies: list[dict[str, str]] = field(default_factory=list)
    """``{"path": ..., "copy_of": ...}`` per file indexed once under another path (the same content)."""

    def __str__(self) -> str:
        lines = [f"index: {self.location}", f"documents: {self.documents}", f"chunks: {self.chunks}"]
        lines.extend(f"  - {t}" for t in self.titles)
        lines.extend(f"  copy: {copy_line(c)}" for c in self.copies)
        return "\n".join(lines)

