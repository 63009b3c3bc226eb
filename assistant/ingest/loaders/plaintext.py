"""Plain text (``.txt``): decoded, newlines normalised; page furniture of text converted from PDF taken out,
interleaved column lines read in order."""

from __future__ import annotations

from assistant.ingest.loaders.base import Parsed, decode_text
from assistant.ingest.loaders.dropped_ll import restore_ll, vocabulary
from assistant.ingest.loaders.pdf_columns import untangle_columns
from assistant.ingest.loaders.pdf_text import strip_furniture


def parse(raw: bytes) -> Parsed:
    return Parsed(text="\n".join(untangle_columns(strip_furniture(restore_ll(decode_text(raw).split("\n"), vocabulary())))))
