"""Plain text (``.txt``): decoded, newlines normalised; no structure to recover."""

from __future__ import annotations

from assistant.ingest.loaders.base import Parsed, decode_text


def parse(raw: bytes) -> Parsed:
    return Parsed(text=decode_text(raw))
