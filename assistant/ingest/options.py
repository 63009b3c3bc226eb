"""Ingestion's options and their bounds, declared once (the chunker, the embedding model and ``Settings`` use them).

A module of its own so that loading ``Settings`` (every start) doesn't load llama-index, which the
chunker and the embedding model are built on (over a second of imports).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator

MIN_CHUNK_TOKENS = 32  # smaller chunks hold no more than a heading
WINDOW = 254  # all-MiniLM-L6-v2 reads 256 word pieces, less [CLS] and [SEP]


def _chunk_tokens(n: int) -> int:
    if not MIN_CHUNK_TOKENS <= n <= WINDOW:
        raise ValueError(f"chunk_tokens must be between {MIN_CHUNK_TOKENS} and {WINDOW} (the model reads 256), got {n}")
    return n


ChunkTokens = Annotated[int, AfterValidator(_chunk_tokens)]
EmbedMetadata = tuple[Literal["title", "section"], ...]
"""Chunk metadata prepended to the text that is embedded and keyword-indexed."""
EmbedBackend = Literal["onnx", "torch"]
"""The embedding runtime: onnxruntime (exported once from the model) or sentence-transformers."""
