"""Sentence windows: a few consecutive sentences of a chunk, embedded on their own beside it (multi-vector).

A chunk of ~200 word pieces averages several topics into one vector; a paraphrased question about
one of its sentences can sit far from that average and near the sentence. So each chunk is also
cut into non-overlapping windows of ``size`` sentences (table rows whole), each embedded with the
chunk's title and section like the chunk itself; the dense side scores a chunk by the better of its
own and its best window's similarity (``retrieval/windows.py``). llama-index's sentence-window
idea, with the chunk, not the window, as what is returned.

Where the window vectors live: in their chunk's own Chroma record (``WINDOWS_KEY``, float16,
base64), not in a collection of their own. They are only ever compared with a question for the
chunks the dense search already found, so they need no HNSW index of their own (which Chroma would
hold in memory in every process: ~1.3 GB more at 300,000 chunks, past issue 16's budget); and
they are written, versioned and removed with their chunk.

Example::

    >>> windows = sentence_windows(chunk_nodes, size=3)   # embedded, then
    >>> extra = {chunk_id: {WINDOWS_KEY: encode_vectors(vectors)}, ...}  # stored with the chunks
    >>> decode_vectors(extra[chunk_id][WINDOWS_KEY])       # (windows, dim) float32, unit length
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant.ingest.layout import parse_spans
from assistant.text.sentences import split_sentences

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode

PARENT_KEY = "chunk_id"
WINDOWS_KEY = "window_vectors"
# Span lists for the chunk's answerers: not needed by a window, and the bulk of a chunk's metadata.
_DROPPED_KEYS = ("page_map", "unquotable", "units")


def window_spans(text: str, rows: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``size`` sentences of ``text`` (``rows``: table rows, never split);
    the last window takes the last ``size`` sentences, so none is a lone trailing sentence. A chunk
    of ``size`` sentences or fewer has none: it would be the chunk again (pure)."""
    sentences = split_sentences(text, atomic=rows)
    if size <= 0 or len(sentences) <= size:
        return []
    starts = list(range(0, len(sentences) - size + 1, size))
    if starts[-1] + size < len(sentences):
        starts.append(len(sentences) - size)
    return [(sentences[i][0], sentences[i + size - 1][1]) for i in starts]


def sentence_windows(chunks: Sequence["BaseNode"], size: int) -> list["TextNode"]:
    """The windows of ``chunks`` as nodes (to embed), each with its chunk's metadata (for filters and the
    version check) and id (``PARENT_KEY``), embedded with the same metadata as the chunk."""
    from llama_index.core.schema import TextNode

    out: list[TextNode] = []
    for chunk in chunks:
        text = chunk.get_content()
        rows = [(int(s[0]), int(s[1])) for s in parse_spans(chunk.metadata.get("units"), 0) if len(s) == 3 and s[2] == "r"]
        meta = {k: v for k, v in chunk.metadata.items() if k not in _DROPPED_KEYS}
        meta[PARENT_KEY] = chunk.node_id
        for i, (a, b) in enumerate(window_spans(text, rows, size)):
            out.append(TextNode(
                id_=f"{chunk.node_id}-w{i}", text=text[a:b], metadata=dict(meta),
                excluded_embed_metadata_keys=[*chunk.excluded_embed_metadata_keys, PARENT_KEY],
                excluded_llm_metadata_keys=[*chunk.excluded_llm_metadata_keys, PARENT_KEY],
            ))
    return out


def encode_vectors(vectors: Sequence[Sequence[float]]) -> str:
    """Window vectors as one metadata string: ``"<dim>:"`` + base64 of unit-length float16 rows (pure)."""
    array = np.asarray(vectors, dtype=np.float32)
    array = array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)
    return f"{array.shape[1]}:" + base64.b64encode(array.astype("<f2").tobytes()).decode("ascii")


def decode_vectors(value: object) -> np.ndarray:
    """``encode_vectors``'s rows back, float32 (an empty ``(0, 0)`` array for anything else) (pure)."""
    try:
        dim, data = str(value).split(":", 1)
        return np.frombuffer(base64.b64decode(data), dtype="<f2").astype(np.float32).reshape(-1, int(dim))
    except (ValueError, TypeError):
        return np.zeros((0, 0), dtype=np.float32)
