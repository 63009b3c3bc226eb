"""PDF: layout-aware text (body text in reading order without page furniture, with pages and their
printed labels, sections with levels, and blocks: titles, headings, list items, table rows,
contents lines), OCR of scanned pages, and page images with a quote highlighted.

``parse(raw) -> Parsed`` is the loader the registry calls; ``extract`` is the engine underneath
(see docs/pdf.md), ``render_page`` / ``quote_boxes`` serve a citation's "real page".

Example::

    >>> from assistant.ingest.loaders.pdf import extract, render_page
    >>> doc = extract(Path("policy.pdf").read_bytes())
    >>> doc.pages[:2]            # [(char_offset, physical_page, printed_label), ...]
    >>> png = render_page(raw, doc.page_at(1200), highlight_quote=doc.text[1200:1300], width_px=900)
"""

from .extract import extract
from .loader import parse, to_parsed
from .model import BLOCK_KINDS, NoTextLayerError, PdfText, PdfTextError
from .render import find_quote_boxes, quote_boxes, render_page

__all__ = [
    "BLOCK_KINDS", "NoTextLayerError", "PdfText", "PdfTextError", "extract", "find_quote_boxes", "parse", "quote_boxes",
    "render_page", "to_parsed",
]
