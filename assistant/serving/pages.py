"""A cited PDF page as an image with the quote highlighted, rendered on demand and cached beside the index.

The chat's source view shows it for PDF citations (the text view stays for other formats). A page
renders in about 0.1 s (docs/pdf.md); the PNG is kept in ``<index_dir>/pages/`` under a key of the
file's path, size and modification time, the page, the quote and the width, so a changed file is
never shown from a stale image. Writes are atomic (temporary file, then rename): concurrent users
asking for the same page both get a whole file.

Example::

    >>> images = PageImages(Path("index") / "pages")
    >>> png_path = images.image("corpus/policy.pdf", page=11, quote="Every year, the resources ...")
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from assistant.ingest.loaders.pdf import PdfTextError, render_page

DEFAULT_WIDTH_PX = 1000
MAX_CACHED = 2000  # images; the oldest are removed beyond this (about 150 KB each)


class PageImageError(ValueError):
    """The page cannot be shown (file gone, not a PDF, page out of range); one line."""


class PageImages:
    """Rendered, highlighted PDF pages, cached as PNG files in ``cache_dir``."""

    def __init__(self, cache_dir: str | Path, width_px: int = DEFAULT_WIDTH_PX, max_cached: int = MAX_CACHED) -> None:
        if not 200 <= width_px <= 3000:
            raise ValueError(f"width_px must be between 200 and 3000, got {width_px}")
        if max_cached < 1:
            raise ValueError("max_cached must be at least 1")
        self.cache_dir = Path(cache_dir)
        self.width_px = width_px
        self.max_cached = max_cached

    def image(self, pdf_path: str | Path, page: int, quote: str | None = None) -> Path:
        """The PNG of physical ``page`` of ``pdf_path`` with ``quote`` highlighted where it is on that page."""
        path = Path(pdf_path)
        try:
            stat = path.stat()
        except OSError as exc:
            raise PageImageError(f"{path.name}: cannot read the file ({exc.strerror or exc})") from None
        key = hashlib.sha256(
            f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{page}\0{quote or ''}\0{self.width_px}".encode()
        ).hexdigest()[:32]
        target = self.cache_dir / f"{key}.png"
        if target.is_file():
            os.utime(target)  # recently used: kept longest
            return target
        try:
            png = render_page(path.read_bytes(), page, highlight_quote=quote, width_px=self.width_px)
        except (OSError, PdfTextError) as exc:
            raise PageImageError(f"{path.name}: {exc}") from None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(png)
        os.replace(tmp, target)
        self._trim()
        return target

    def _trim(self) -> None:
        files = sorted(self.cache_dir.glob("*.png"), key=lambda p: p.stat().st_mtime if p.exists() else 0)
        for old in files[: max(0, len(files) - self.max_cached)]:
            old.unlink(missing_ok=True)


def page_count(pdf_path: str | Path) -> int:
    """Number of pages of a PDF (0 when it cannot be opened)."""
    from assistant.ingest.loaders.pdf.pdfium_io import open_pdf

    try:
        with open_pdf(Path(pdf_path).read_bytes()) as doc:
            return len(doc)
    except (OSError, PdfTextError):
        return 0
