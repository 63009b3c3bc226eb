"""OCR of pages without a text layer through Debian's ``tesseract`` binary (TSV: words with boxes).

The binary is called directly (no pytesseract): one subprocess per page, PNG on stdin, TSV on
stdout. The page is rendered by PDFium at 300 dpi, tesseract's sweet spot for printed text.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from typing import Any

from .model import Box, PdfTextError, Word

DPI = 300
TIMEOUT_S = 180
INSTALL_HINT = "install tesseract-ocr"


def find_tesseract(command: str | None = None) -> str | None:
    """Path of the tesseract binary (``command`` or the one on PATH), ``None`` when absent."""
    return shutil.which(command or "tesseract")


def page_has_images(page: Any) -> bool:
    """Whether a page draws any image: a page without text but with images is a scan; else it is blank."""
    import pypdfium2.raw as c

    return any(True for _ in page.get_objects(filter=(c.FPDF_PAGEOBJ_IMAGE,), max_depth=4))


def ocr_image_png(png: bytes, tesseract: str, lang: str = "eng") -> str:
    """Tesseract's TSV for one PNG image."""
    try:
        done = subprocess.run([tesseract, "stdin", "stdout", "-l", lang, "--psm", "3", "tsv"], input=png,
                              capture_output=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PdfTextError(f"tesseract failed: {type(exc).__name__}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfTextError(f"tesseract failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done.stdout.decode("utf-8", "replace")


def words_from_tsv(tsv: str, dpi: int = DPI, min_conf: float = 30.0) -> list[Word]:
    """Words from tesseract TSV in PDF points; a line's words share its size, top and bottom."""
    scale = 72.0 / dpi
    rows: list[dict[str, str]] = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    lines: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            if float(row.get("conf") or -1) < min_conf:
                continue
        except ValueError:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(row)
    words: list[Word] = []
    for line in lines.values():
        size = max(int(r["height"]) for r in line) * scale * 0.8  # box height covers ascenders and descenders
        # One top and bottom per line, so that descenders do not split it into rows later.
        top = min(int(r["top"]) for r in line) * scale
        bottom = max(int(r["top"]) + int(r["height"]) for r in line) * scale
        for r in line:
            text = r["text"].strip()
            x0 = int(r["left"]) * scale
            x1 = x0 + int(r["width"]) * scale
            step = (x1 - x0) / max(1, len(text))
            boxes = [Box(ch, x0 + i * step, top, x0 + (i + 1) * step, bottom) for i, ch in enumerate(text)]
            words.append(Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom, size=size, bold=False, boxes=boxes, font="ocr",
                              baseline=bottom))
    return words


def ocr_page(page: Any, tesseract: str, dpi: int = DPI) -> list[Word]:
    """The page rendered at ``dpi`` and read by tesseract, as positioned words."""
    image = page.render(scale=dpi / 72.0).to_pil().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return words_from_tsv(ocr_image_png(buffer.getvalue(), tesseract), dpi=dpi)
