"""Layout-aware PDF text: body text in reading order without page furniture, with pages, sections,
blocks (titles, headings, list items, table rows, contents lines), OCR of scanned pages and page
images with a quote highlighted.

Example::

    >>> from assistant.pdflayout import extract, render_page
    >>> doc = extract(Path("policy.pdf").read_bytes())
    >>> doc.pages[:2]            # [(char_offset, physical_page, printed_label), ...]
    >>> png = render_page(raw, doc.page_at(1200), highlight_quote=doc.text[1200:1300], width_px=900)
"""

from .extract import extract
from .model import BLOCK_KINDS, NoTextLayerError, PdfText, PdfTextError
from .render import find_quote_boxes, quote_boxes, render_page

__all__ = ["BLOCK_KINDS", "NoTextLayerError", "PdfText", "PdfTextError", "extract", "find_quote_boxes", "quote_boxes", "render_page"]
