"""The chat's PDF page view in a real browser (not a test module): click a PDF citation, wait for its
page image, read the image back and find the highlight.

Shared by tests/test_browser_pdf.py (behaviour) and benchmarks/page_view.py (click → page image).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

# Clicks citation ``[n]`` of answer ``turn`` and records, in the page, when the click happened and when
# the page image with a new source had loaded (performance.now(), milliseconds).
CLICK_JS = """
([turn, n]) => {
  const rec = {clicked: null, shown: null, src: null};
  window.__pv = rec;
  const before = document.querySelector('#page-view img')?.getAttribute('src') || null;
  const done = () => {
    const img = document.querySelector('#page-view img');
    const src = img ? img.getAttribute('src') : null;
    if (rec.shown === null && img && src && src !== before && img.complete && img.naturalWidth > 0) {
      rec.shown = performance.now(); rec.src = src; return true;
    }
    return false;
  };
  new MutationObserver(() => { const img = document.querySelector('#page-view img');
    if (img) img.addEventListener('load', done, {once: true}); done(); })
    .observe(document.querySelector('#page-view') || document.body, {subtree: true, childList: true, attributes: true});
  const link = Array.from(document.querySelectorAll('#chat a[href="#src-' + turn + '-' + n + '"]')).pop();
  rec.clicked = performance.now();
  link.click();
}
"""
SHOWN_JS = "() => window.__pv && window.__pv.shown !== null"


def pdf_citations(page: Any, turn: int) -> list[tuple[int, str]]:
    """``(n, file name)`` of the PDF sources of answer ``turn``, from its cards in the sources panel."""
    cards = page.eval_on_selector_all(
        f'#turn-{turn} .source-card',
        "cards => cards.map(c => [c.id, c.querySelector('.src-meta').innerText])",
    )
    out = []
    for card_id, meta in cards:
        n = int(card_id.rsplit("-", 1)[1])
        name = next((part.strip() for part in meta.split("·") if part.strip().lower().endswith(".pdf")), None)
        if name:
            out.append((n, name))
    return out


def click_citation(page: Any, turn: int, n: int) -> float:
    """Click ``[n]`` of answer ``turn`` and wait for its page image; returns the milliseconds it took."""
    page.evaluate(CLICK_JS, [turn, n])
    page.wait_for_function(SHOWN_JS)
    record = page.evaluate("window.__pv")
    return float(record["shown"] - record["clicked"])


def shown_image(page: Any) -> bytes:
    """The bytes of the page image the viewer shows (fetched by the page itself, with its session)."""
    data = page.evaluate(
        """async () => { const src = document.querySelector('#page-view img').getAttribute('src');
                         const buf = await (await fetch(src)).arrayBuffer();
                         let s = ''; new Uint8Array(buf).forEach(b => s += String.fromCharCode(b)); return btoa(s); }"""
    )
    return base64.b64decode(data)


def shown_page(page: Any) -> int:
    """The physical page number the caption names ("page 11 of 29")."""
    found = re.search(r"page (\d+) of \d+", page.inner_text("#page-caption"))
    assert found, page.inner_text("#page-caption")
    return int(found.group(1))


def highlight_share(png: bytes, boxes: list[tuple[float, float, float, float]] | None = None) -> float:
    """Share of pixels in ``boxes`` (image pixels; whole image when ``None``) that show the highlight colour.

    The highlight is translucent yellow (255, 214, 0) at alpha 96 over the page: on white paper it reads
    about (255, 240, 160), over black text about (96, 80, 0); a page's own colours rarely look like that.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width = pixels.shape[:2]
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    paper = (r > 235) & (g > 215) & (g < 252) & (b > 110) & (b < 200)
    ink = (r > 60) & (r < 140) & (g > 50) & (g < 120) & (b < 40)
    marked = paper | ink
    mask = np.zeros((height, width), dtype=bool)
    for x0, y0, x1, y1 in boxes or [(0, 0, width, height)]:
        mask[max(0, int(y0)):max(int(y0) + 1, int(y1)), max(0, int(x0)):max(int(x0) + 1, int(x1))] = True
    return float(marked[mask].mean()) if mask.any() else 0.0


def quote_pixel_boxes(pdf: Path, page_no: int, quote: str, width_px: int) -> list[tuple[float, float, float, float]]:
    """Where the engine finds ``quote`` on ``page_no``, in the pixels of an image ``width_px`` wide."""
    import pypdfium2 as pdfium

    from assistant.ingest.loaders.pdf import quote_boxes

    raw = pdf.read_bytes()
    doc = pdfium.PdfDocument(raw)
    try:
        width_pt = doc[page_no - 1].get_size()[0]
    finally:
        doc.close()
    scale = width_px / width_pt
    return [(b.x0 * scale, b.top * scale, b.x1 * scale, b.bottom * scale) for b in quote_boxes(raw, page_no, quote)]
