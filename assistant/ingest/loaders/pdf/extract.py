"""The entry point: PDF bytes in, ``PdfText`` out (I/O here, layout in the pure modules)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .assemble import assemble
from .furniture import find_furniture
from .geometry import layout_page
from .model import NoTextLayerError, PageLayout, PdfText, PdfTextError, Word
from .ocr import INSTALL_HINT, find_tesseract, ocr_page, page_has_images
from .pdfium_io import Rule, info, open_pdf, outline, page_glyphs, page_labels, page_rules, words_from_glyphs
from .textnorm import vocabulary

logger = logging.getLogger(__name__)


@dataclass
class _RawPage:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    ocr: bool = False


def _pages_phrase(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(str(n) for n in numbers)


def extract(raw: bytes, *, ocr: bool | None = None, tesseract: str | None = None) -> PdfText:
    """Layout-aware text of a PDF: body text in reading order with pages, sections and blocks.

    ``ocr``: ``None`` OCRs pages without a text layer when the tesseract binary is found (on PATH,
    or ``tesseract``); ``True`` requires it (``PdfTextError`` when absent); ``False`` never OCRs.
    Pages left without text are named in ``warnings``; a PDF with no text at all raises
    ``NoTextLayerError`` (a ``ValueError``) with one line saying what to do.

    Example::

        >>> doc = extract(Path("policy.pdf").read_bytes())
        >>> doc.text[:80], doc.pages[:2], doc.sections[:3]
    """
    binary = find_tesseract(tesseract) if ocr is not False else None
    if ocr is True and binary is None:
        raise PdfTextError(f"OCR requested but the tesseract binary was not found ({INSTALL_HINT})")
    warnings: list[str] = []
    raw_pages: list[_RawPage] = []
    scanned: list[int] = []
    ocred: list[int] = []
    with open_pdf(raw) as doc:
        count = len(doc)
        for index in range(count):
            page = doc[index]
            try:
                width, height = page.get_size()
                current = _RawPage(index + 1, width, height)
                try:
                    current.words = words_from_glyphs(page_glyphs(page))
                    current.rules = page_rules(page)
                except Exception:  # one damaged page should not cost the rest of the document
                    logger.debug("PDF page %d: text extraction failed", index + 1, exc_info=True)
                    warnings.append(f"page {index + 1}: text could not be read")
                if not current.words and page_has_images(page):
                    if binary is not None:
                        current.words, current.ocr = ocr_page(page, binary), True
                        ocred.append(index + 1)
                    else:
                        scanned.append(index + 1)
                raw_pages.append(current)
            finally:
                page.close()
        labels_pdf = page_labels(doc, count)
        bookmarks = outline(doc)
        meta = info(doc)

    if scanned:
        why = "OCR turned off" if ocr is False else f"OCR needed: {INSTALL_HINT}"
        verbs = ("has", "was") if len(scanned) == 1 else ("have", "were")
        warnings.append(f"{_pages_phrase(scanned)} of {count} {verbs[0]} no text layer and {verbs[1]} skipped ({why})")
    if ocred:
        verb = "was" if len(ocred) == 1 else "were"
        warnings.append(f"{_pages_phrase(ocred)} had no text layer and {verb} read by OCR (tesseract)")
    if not any(p.words for p in raw_pages):
        # "no extractable text (scanned PDF?)" is the loaders' established message for this case.
        which = "its one page has" if count == 1 else f"none of its {count} pages has"
        if scanned and binary is None:
            raise NoTextLayerError(f"no extractable text (scanned PDF?): {which} a text layer; OCR needed, {INSTALL_HINT}")
        raise NoTextLayerError(f"no extractable text (scanned PDF?): {which} a text layer")

    vocab = vocabulary(w.text for p in raw_pages for w in p.words)
    layouts: list[PageLayout] = [layout_page(p.words, p.rules, p.number, p.width, p.height, vocab, ocr=p.ocr)
                                 for p in raw_pages]
    furniture = find_furniture(layouts)
    labels = {n: labels_pdf[n - 1] or furniture.printed.get(n, str(n)) for n in range(1, count + 1)}
    result = assemble(layouts, furniture.lines, labels, bookmarks, vocab)
    if not result.text.strip():
        raise NoTextLayerError(f"no body text on any of its {count} pages (only running headers and footers)")
    result.info = meta
    result.warnings = warnings
    result.page_count = count
    result.ocr_pages = ocred
    return result
