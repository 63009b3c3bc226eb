"""The PDF loader: ``parse(raw) -> Parsed`` from the layout engine's ``PdfText``.

The engine (``extract``) gives body text without page furniture, pages with printed labels,
sections with levels and typed blocks; this module maps it onto the loaders' ``Parsed`` contract
and its errors onto one-line ``LoadError``s.
"""

from __future__ import annotations

from assistant.ingest.loaders.base import LoadError, Parsed, clean_inline

from .extract import extract
from .guard import check_decompression
from .model import PdfText, PdfTextError


def parse(raw: bytes) -> Parsed:
    check_decompression(raw)
    try:
        doc = extract(raw)
    except PdfTextError as exc:
        raise LoadError(str(exc)) from None
    return to_parsed(doc)


def to_parsed(doc: PdfText) -> Parsed:
    """The loaders' shape of an extracted PDF (pure)."""
    title_block = next((doc.text[a:b] for a, b, kind, _ in doc.blocks if kind == "title"), "")
    return Parsed(
        text=doc.text,
        title=clean_inline(doc.info.get("title")) or clean_inline(title_block),
        sections=list(doc.sections),
        pages=[(offset, page) for offset, page, _ in doc.pages],
        publisher=doc.info.get("author", ""),
        date=doc.info.get("created", ""),
        page_labels={page: label for _, page, label in doc.pages if label and label != str(page)},
        blocks=[(a, b, kind) for a, b, kind, _ in doc.blocks],
        warnings=list(doc.warnings),
    )
