"""Decompression bombs: a PDF whose Flate streams would inflate far beyond any real document.

PDFium inflates a stream whole and has no limit of its own, so before it sees a file every
``/FlateDecode`` stream is inflated here in 1 MB steps (the output is counted and dropped) and the
file is refused once one stream or all of them pass the limits. Real PDFs inflate to a few MB
(the 67-page SOP: about 3 MB, measured in 20 ms); a full-page RGB scan at 300 dpi is 26 MB.
"""

from __future__ import annotations

import re
import zlib

from assistant.ingest.loaders.base import LoadError, human_size

MAX_STREAM_BYTES = 192 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_STEP = 1024 * 1024
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_DICT_WINDOW = 600  # bytes before "stream" searched for the stream's /Filter


def _inflated_size(data: bytes, limit: int) -> int:
    """How far ``data`` inflates, stopping just past ``limit`` (damaged streams count as far as they go)."""
    inflater = zlib.decompressobj()
    total = 0
    pending = data
    try:
        while pending and total <= limit:
            total += len(inflater.decompress(pending, _STEP))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return total


def check_decompression(raw: bytes, max_stream: int = MAX_STREAM_BYTES, max_total: int = MAX_TOTAL_BYTES) -> None:
    """Raise ``LoadError`` when a Flate stream of ``raw`` inflates past ``max_stream`` or all past ``max_total``."""
    total = 0
    for match in _STREAM.finditer(raw):
        head = raw[max(0, match.start() - _DICT_WINDOW):match.start()]
        if b"/FlateDecode" not in head[head.rfind(b"obj"):] and b"/FlateDecode" not in head[-200:]:
            continue
        start = match.end()
        end = raw.find(b"endstream", start)
        size = _inflated_size(raw[start:end if end >= 0 else len(raw)], max_stream)
        total += size
        if size > max_stream or total > max_total:
            grown = human_size(size if size > max_stream else total)
            raise LoadError(
                f"PDF exceeds a safety limit, possibly a decompression bomb ({human_size(len(raw))} would inflate "
                f"to more than {grown})"
            )
