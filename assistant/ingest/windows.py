"""Sentence windows: a few consecutive sentences of a chunk, embedded on their own beside it (multi-vector).

A chunk of ~200 word pieces averages several topics into one vector; a paraphrased question about
one of its sentences can sit far from that average and near the sentence. So each chunk is also
cut into non-overlapping windows of ``size`` sentences (table rows whole), each embedded with the
chunk's title and section like the chunk itself, and stored in the windows collection keyed to
the chunk (``chunk_id``); the dense side scores a chunk by the better of its own and its best
window's similarity (``retrieval/windows.py``). llama-index's sentence-window idea, with the chunk,
not the window, as what is returned.

Example::

    >>> windows = sentence_windows(chunk_nodes, size=3)   # then embedded and stored with the chunks
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.ingest.layout import parse_spans
from assistant.text.sentences import split_sentences

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode, TextNode

PARENT_KEY = "chunk_id"
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
