"""The I/O edge: everything read from the PDF through pypdfium2 (characters, rules, outline, labels, metadata).

pypdfium2 (PDFium, Apache-2.0/BSD) gives every character with its box, font size and weight in C
at about 100 pages a second here; the rest of the package is pure Python over what this returns.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .model import Box, PdfTextError, Word
from .textnorm import normalise_glyph

logger = logging.getLogger(__name__)

_FORCE_BOLD = 1 << 18  # PDF font descriptor flag
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character of the text layer; ``space`` for real or PDFium-generated white space."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    font: str
    space: bool = False
    baseline: float = 0.0


@dataclass(frozen=True, slots=True)
class Rule:
    """A thin drawn rectangle or line: a table border candidate (top-left origin)."""

    x0: float
    top: float
    x1: float
    bottom: float


@contextmanager
def open_pdf(raw: bytes) -> Iterator[Any]:
    """The document, closed on exit; one-line ``PdfTextError`` for files PDFium cannot open."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise PdfTextError("encrypted PDF (password-protected): save an unprotected copy to index it") from None
        raise PdfTextError(f"not a valid PDF ({message.splitlines()[0] if message else 'unreadable'})") from None
    try:
        yield doc
    finally:
        doc.close()


def page_glyphs(page: Any) -> list[Glyph]:
    """The page's characters in content order, top-left origin, with font size and boldness."""
    import pypdfium2.raw as c

    height = page.get_height()
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = c.FPDFText_CountChars(tp)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rect = c.FS_RECTF()
        name_buf = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        fonts: dict[int, tuple[str, bool, float]] = {}
        matrix = c.FS_MATRIX()
        glyphs: list[Glyph] = []
        for i in range(count):
            code = c.FPDFText_GetUnicode(tp, i)
            char = chr(code) if code else ""
            if c.FPDFText_IsGenerated(tp, i) or char.isspace() or not char:
                if char != "\x02":  # \x02 is PDFium's mark for a hyphen it found at a line end
                    glyphs.append(Glyph(" ", 0, 0, 0, 0, 0, False, "", space=True))
                    continue
            # The loose box spans the glyph's advance and the font's ascent/descent: ink boxes leave
            # gaps inside words ("1 0") and make line heights depend on the letters.
            if not c.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect)):
                continue
            obj = c.FPDFText_GetTextObject(tp, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            font = fonts.get(key)
            if font is None:
                c.FPDFText_GetFontInfo(tp, i, name_buf, len(name_buf), ctypes.byref(flags))
                name = name_buf.value.decode("latin-1", "replace")
                weight = c.FPDFText_GetFontWeight(tp, i)
                # Many producers set text at size 1 and scale it by the text matrix: the real size is the product.
                scale = 1.0
                if c.FPDFText_GetMatrix(tp, i, ctypes.byref(matrix)):
                    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
                size = round(c.FPDFText_GetFontSize(tp, i) * scale, 2)
                font = (name, weight >= 600 or bool(flags.value & _FORCE_BOLD) or bool(_BOLD_NAME.search(name)), size)
                fonts[key] = font
            text = normalise_glyph("-" if char == "\x02" else char)
            base = oy.value if c.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy)) else rect.bottom
            glyphs.append(Glyph(text, rect.left, height - rect.top, rect.right, height - rect.bottom,
                                font[2], font[1], font[0], baseline=height - base))
        return glyphs
    finally:
        textpage.close()


def words_from_glyphs(glyphs: list[Glyph]) -> list[Word]:
    """Group glyphs into words: a new word at white space, a jump in baseline or a gap wider than a thin space."""
    words: list[Word] = []
    current: list[Glyph] = []

    def flush() -> None:
        if current:
            text = "".join(g.text for g in current)
            if text.strip():
                size = max(g.size for g in current)
                main = [g.baseline for g in current if g.size >= size - 0.5]
                boxes: list[Box] = []
                for g in current:  # a ligature's characters share one glyph box: keep it once
                    if boxes and abs(boxes[-1].x0 - g.x0) < 0.01 and abs(boxes[-1].x1 - g.x1) < 0.01:
                        boxes[-1] = Box(boxes[-1].text + g.text, g.x0, g.top, g.x1, g.bottom)
                    else:
                        boxes.append(Box(g.text, g.x0, g.top, g.x1, g.bottom))
                words.append(Word(
                    text=text, x0=min(g.x0 for g in current), top=min(g.top for g in current),
                    x1=max(g.x1 for g in current), bottom=max(g.bottom for g in current), size=size,
                    bold=sum(g.bold for g in current) * 2 > len(current),
                    boxes=boxes, font=current[0].font, baseline=sorted(main)[len(main) // 2],
                ))
            current.clear()

    for glyph in glyphs:
        if glyph.space:
            flush()
            continue
        if current:
            prev = current[-1]
            size = max(prev.size, glyph.size, 1.0)
            gap = glyph.x0 - prev.x1
            same_glyph = abs(glyph.x0 - prev.x0) < 0.01 and abs(glyph.x1 - prev.x1) < 0.01
            overlap = min(prev.bottom, glyph.bottom) - max(prev.top, glyph.top)
            if not same_glyph and (gap > 0.22 * size or gap < -0.6 * size or overlap < -0.1 * size):
                flush()
        current.append(glyph)
    flush()
    return words


def page_rules(page: Any) -> list[Rule]:
    """Thin path objects (table borders and rules), found without rendering the page."""
    import pypdfium2.raw as c

    height = page.get_height()
    rules: list[Rule] = []
    boxes: list[tuple[float, float, float, float]] = []
    for obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_PATH,), max_depth=4):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a degenerate path has no bounds
            continue
        if min(right - left, top - bottom) <= 2.5 and max(right - left, top - bottom) >= 3:
            rules.append(Rule(left, height - top, right, height - bottom))
        elif right - left > 3 and top - bottom > 3:
            boxes.append((left, height - top, right, height - bottom))
    return rules + box_edges(boxes)


def box_edges(boxes: list[tuple[float, float, float, float]]) -> list[Rule]:
    """Cell shading and boxed tables: a filled rectangle's four edges are borders too, except where it abuts
    another of the same width (Word shades a cell's paragraph line by line: no border runs between the lines)."""

    def joined(y: float, left: float, right: float, edge: int) -> bool:
        return any(abs(box[edge] - y) <= 1.0 and abs(box[0] - left) <= 1.0 and abs(box[2] - right) <= 1.0 for box in boxes)

    rules: list[Rule] = []
    for left, top, right, bottom in boxes:
        if not joined(top, left, right, 3):
            rules.append(Rule(left, top, right, top))
        if not joined(bottom, left, right, 1):
            rules.append(Rule(left, bottom, right, bottom))
        rules.extend((Rule(left, top, left, bottom), Rule(right, top, right, bottom)))
    return rules


def outline(doc: Any) -> list[tuple[int, str, int]]:
    """Bookmarks as ``(level, title, physical_page)``, level 1 the highest; ``[]`` when absent or broken."""
    found: list[tuple[int, str, int]] = []
    try:
        for item in doc.get_toc(max_depth=8):
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            title = " ".join((item.get_title() or "").split())
            if title and index is not None and index >= 0:
                found.append((item.level + 1, title, index + 1))
    except Exception:  # outlines are optional and often broken
        logger.debug("PDF outline unreadable", exc_info=True)
    return found


def page_labels(doc: Any, count: int) -> list[str]:
    """The PDF's own page labels (``/PageLabels``: "i", "ii", "1"...), ``""`` where it has none."""
    labels: list[str] = []
    for index in range(count):
        try:
            labels.append(doc.get_page_label(index) or "")
        except Exception:
            labels.append("")
    return labels


_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz]|[+-]\d{2}'?\d{2}'?)?")


def pdf_date(value: str) -> str:
    """``"D:20230208113223+00'00'"`` → ``"2023-02-08T11:32:23+00:00"``; unparseable values are returned as given."""
    m = _PDF_DATE.match(value.strip())
    if not m:
        return value.strip()
    year, month, day, hour, minute, second, zone = m.groups()
    out = year + (f"-{month}" if month else "") + (f"-{day}" if day and month else "")
    if hour and day:
        out += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zone:
            out += "+00:00" if zone in "Zz" else f"{zone[:3]}:{zone.replace(chr(39), '')[3:5] or '00'}"
    return out


def info(doc: Any) -> dict[str, str]:
    """The document information dictionary as strings (dates in ISO 8601 where parseable)."""
    try:
        meta = doc.get_metadata_dict(skip_empty=False)
    except Exception:
        return {}
    names = {"Title": "title", "Author": "author", "Subject": "subject", "Keywords": "keywords",
             "Creator": "creator", "Producer": "producer", "CreationDate": "created", "ModDate": "modified"}
    out: dict[str, str] = {}
    for key, name in names.items():
        value = " ".join(str(meta.get(key) or "").split())
        out[name] = pdf_date(value) if name in ("created", "modified") and value else value
    return out
