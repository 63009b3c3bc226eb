"""What every format's parser shares: the ``Parsed`` result, the one-line ``LoadError``, text decoding.

A parser is a function ``parse(raw: bytes) -> Parsed``; the registry in ``loaders/__init__.py``
maps each file extension to one. Offsets in ``Parsed`` point into ``Parsed.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.errors import one_line

__all__ = ["BLOCK_KINDS", "SECTION_NUMBER", "UNQUOTABLE_KINDS", "LoadError", "Parsed", "binary_share", "clean_inline", "decode_text", "human_size", "normalise_newlines", "one_line"]

MAX_TITLE_CHARS = 300
_BINARY_SNIFF_BYTES = 8192


class LoadError(ValueError):
    """A file cannot be turned into a document; the message is one human-readable line."""


# Kinds of text block a structured format (PDF, DOCX, HTML, Markdown) reports; see ``Parsed.blocks``.
BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "table_row", "toc", "caption")
# Blocks never quoted as an answer: a document's title, contents lines and bare headings.
UNQUOTABLE_KINDS = frozenset({"title", "heading", "toc"})
#: A numbered heading's number ("3", "2.4.1") at the start of a line, as both the DOCX and PDF loaders read it.
SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")


@dataclass
class Parsed:
    """What a format-specific parser extracted; offsets point into ``text``.

    - ``sections``: ``(offset, heading, level)``, level 1 the highest;
    - ``pages``: ``(offset, physical_page)`` where each page's text starts (PDF);
    - ``page_labels``: physical page -> the number printed on it, only where the two differ;
    - ``blocks``: ``(start, end, kind)`` half-open spans, kind in ``BLOCK_KINDS``, in order
      (formats without structure leave it empty: the sentence splitter reads markers instead);
    - ``warnings``: one line each, e.g. pages that need OCR.
    """

    text: str
    title: str = ""
    sections: list[tuple[int, str, int]] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    publisher: str = ""
    date: str = ""
    page_labels: dict[int, str] = field(default_factory=dict)
    blocks: list[tuple[int, int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def human_size(n: int) -> str:
    if n >= 100 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n} bytes"


def clean_inline(value: str | None, limit: int = MAX_TITLE_CHARS) -> str:
    return " ".join((value or "").split())[:limit]


# --------------------------------------------------------------------------------------------
# Text decoding (TXT, MD, HTML)
# --------------------------------------------------------------------------------------------

_DECODE_FAILURE = "could not decode text as UTF-8, UTF-8-SIG, UTF-16 or cp1252"


def decode_text(raw: bytes, preferred: str | None = None) -> str:
    """Decode text bytes and normalise newlines; rejects binary files."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 is full of NULs, so its BOM must be honoured before the binary sniff.
        try:
            return normalise_newlines(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise LoadError(_DECODE_FAILURE) from None
    if b"\x00" in raw[:_BINARY_SNIFF_BYTES] or binary_share(raw[:_BINARY_SNIFF_BYTES]) > 0.05:
        raise LoadError("looks like a binary file, not text")
    codecs = ["utf-8-sig", "cp1252"]
    if preferred:
        codecs.insert(0, preferred)
    for codec in codecs:
        try:
            return normalise_newlines(raw.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    raise LoadError(_DECODE_FAILURE)


# C0 controls other than tab, newlines and form feed: text files hardly ever hold them; binaries do.
_NON_TEXT_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def binary_share(sample: bytes) -> float:
    """Share of control bytes in ``sample`` (pure): above a few percent it is not text."""
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _NON_TEXT_BYTES))) / len(sample)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")

