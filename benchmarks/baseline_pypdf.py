"""The PDF loader as it was before the layout engine (commit e10cc73's ``assistant/ingest/loaders/pdf.py``),
frozen here as the "before" of benchmarks/ingest_pdf.py and pdf_libraries.py: text per page with pypdf,
page start offsets, outline bookmarks as sections, title and date from the PDF info.

Only the imports changed (``Parsed`` now lives with a ``level`` in its sections, so the outline
sections are returned at level 1).
"""

from __future__ import annotations

import io
import logging
from typing import Any

from assistant.ingest.loaders.base import LoadError, Parsed, normalise_newlines, one_line
from assistant.ingest.loaders.markers import find_marker
from assistant.text.dates import iso_date

logger = logging.getLogger(__name__)

_ENCRYPTED_PDF = "encrypted PDF (password-protected): save an unprotected copy to index it"


def parse(raw: bytes) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise LoadError(f"encrypted PDF ({one_line(exc)})") from None
            if not decrypted:
                raise LoadError(_ENCRYPTED_PDF)
        page_list = list(reader.pages)
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError(_ENCRYPTED_PDF) from None
    except LimitReachedError as exc:  # pypdf's own guard against decompression bombs
        raise LoadError(f"PDF exceeds a safety limit, possibly a decompression bomb ({one_line(exc)})") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise LoadError(f"not a valid PDF ({one_line(exc)})") from None

    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    for number, page in enumerate(page_list, start=1):
        try:
            text = page.extract_text() or ""
        except LimitReachedError as exc:
            raise LoadError(f"PDF page {number} exceeds a safety limit, possibly a decompression bomb ({one_line(exc)})") from None
        except Exception:  # one damaged page should not cost the rest of the document
            logger.debug("PDF page %d: text extraction failed", number, exc_info=True)
            text = ""
        text = normalise_newlines(text).strip()
        if not text:
            continue  # blank / image-only page: no offset to record, no empty gap in the text
        if parts:
            offset += 2  # the "\n\n" separator
        pages.append((offset, number))
        parts.append(text)
        offset += len(text)
    if not parts:
        raise LoadError("no extractable text (scanned PDF?)")
    text = "\n\n".join(parts)

    info = _pdf_info(reader)
    return Parsed(
        text=text,
        pages=pages,
        title=info.get("title", ""),
        publisher=info.get("author", ""),
        date=info.get("date", ""),
        sections=_pdf_outline_sections(reader, text, pages),
    )


def _pdf_info(reader: Any) -> dict[str, str]:
    try:
        meta = reader.metadata
        if meta is None:
            return {}
        info = {"title": str(meta.title or "").strip(), "author": str(meta.author or "").strip()}
        try:
            info["date"] = iso_date(meta.creation_date)
        except (ValueError, TypeError):  # malformed /CreationDate strings are common
            info["date"] = ""
        return info
    except Exception:
        logger.debug("PDF metadata unreadable", exc_info=True)
        return {}


def _pdf_outline_sections(reader: Any, text: str, pages: list[tuple[int, int]]) -> list[tuple[int, str, int]]:
    """Bookmarks whose title appears on their target page, as sections (best effort)."""
    page_start = {number: offset for offset, number in pages}
    ends = [offset for offset, _ in pages[1:]] + [len(text)]
    page_end = {number: ends[i] for i, (_, number) in enumerate(pages)}
    sections: list[tuple[int, str, int]] = []

    def visit(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
                continue
            title = str(getattr(item, "title", "") or "").strip()
            number = reader.get_destination_page_number(item) + 1
            if not title or number not in page_start:
                continue
            found = find_marker(text[: page_end[number]], title, page_start[number])
            if found >= 0:
                sections.append((found, title, 1))

    try:
        visit(reader.outline)
    except Exception:  # outlines are optional and often broken; sections are a nice-to-have
        logger.debug("PDF outline unreadable", exc_info=True)
    return sections
