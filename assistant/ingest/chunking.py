"""Chunking: sentence-aligned chunks sized in the embedding model's own word pieces.

all-MiniLM-L6-v2 reads 256 word pieces and silently truncates the rest, so chunk size is measured
with its tokenizer, not guessed from characters. Every chunk is an exact slice of its document's
text and keeps its character offsets, so a citation can point at the exact quote.

Why our own ``NodeParser``: llama-index's ``SentenceSplitter`` counts tiktoken tokens (not the
model's word pieces), cannot honour page/section/furniture boundaries, and re-finds offsets by
string search.

Example::

    >>> chunker = TokenSentenceChunker(model_path=path, chunk_tokens=200)
    >>> nodes = chunker.get_nodes_from_documents(documents)
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, Document, NodeRelationship, TextNode
from pydantic import NonNegativeInt

from assistant.errors import checked
from assistant.ingest.options import MIN_CHUNK_TOKENS, WINDOW, ChunkTokens, EmbedMetadata  # noqa: F401 - re-exported
from assistant.text.dates import date_ordinal
from assistant.text.sentences import Span, split_sentences, trim

TokenCounter = Callable[[Sequence[str]], list[int]]


# Metadata a chunk carries; only title and section may go into the embedded / LLM text.
CHUNK_METADATA_KEYS = (
    "source", "path", "title", "publisher", "date", "date_ord", "kind", "format",
    "content_hash", "page", "section", "chunk_index", "page_end",
)


def included_regions(length: int, exclude: Sequence[Sequence[int]]) -> list[Span]:
    """The parts of ``[0, length)`` not covered by the ``exclude`` spans (page furniture)."""
    regions: list[Span] = []
    pos = 0
    for a, b in sorted((max(0, int(s)), min(length, int(e))) for s, e in exclude):
        if a > pos:
            regions.append((pos, a))
        pos = max(pos, b)
    if pos < length:
        regions.append((pos, length))
    return regions


@dataclass(frozen=True)
class Chunk:
    """A chunk before it becomes a node: an exact slice ``text[start:end]`` of its document."""

    start: int
    end: int
    tokens: int
    index: int


def pack_sentences(
    sentences: Sequence[Span],
    token_counts: Sequence[int],
    budget: int,
    breaks: frozenset[int] = frozenset(),
    overlap: int = 1,
    min_tokens: int = 40,
) -> list[tuple[int, int]]:
    """Group consecutive sentences into chunks of at most ``budget`` tokens.

    Returns ``(first, last)`` sentence index pairs (inclusive). A chunk starts afresh at a sentence
    whose start is in ``breaks`` (a heading or page) once the current one has ``min_tokens``;
    up to ``overlap`` trailing sentences (at most half the budget) are repeated at the start of
    the next chunk, except across a break.
    """
    groups: list[tuple[int, int]] = []
    first = used = fresh = 0  # fresh: first sentence not yet in an emitted chunk
    for i, count in enumerate(token_counts):
        at_break = sentences[i][0] in breaks
        if i > fresh and (used + count > budget or (at_break and used >= min_tokens)):
            groups.append((first, i - 1))
            fresh = first = i
            if overlap and not at_break:
                tail = max(groups[-1][0] + 1, i - overlap)
                if sum(token_counts[tail:i]) <= budget // 2:
                    first = tail
            used = sum(token_counts[first:i])
        if i == fresh and used + count > budget:  # the carried-over tail leaves no room: drop it
            first, used = i, 0
        used += count
    if fresh < len(token_counts):
        groups.append((first, len(token_counts) - 1))
    return groups


def hard_split(text: str, span: Span, offsets: Sequence[Span], budget: int) -> list[Span]:
    """Split an over-long "sentence" (PDF debris without punctuation) at word starts.

    ``offsets`` are the word pieces' character offsets relative to ``span[0]``.
    """
    pieces: list[Span] = []
    start, count, word_start = span[0], 0, span[0]
    for rel_start, _ in offsets:
        pos = span[0] + rel_start
        if pos > span[0] and text[pos - 1].isspace():
            word_start = pos
        count += 1
        if count > budget:
            cut = word_start if word_start > start else pos
            pieces.append((start, cut))
            start, count = cut, len([o for o in offsets if cut <= span[0] + o[0] <= pos])
    pieces.append((start, span[1]))
    return pieces


class ModelTokenizer:
    """Counts the embedding model's word pieces (fast ``tokenizers`` backend, no truncation)."""

    def __init__(self, model_path: str) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(f"{model_path}/tokenizer.json")
        self._tok.no_truncation()
        self._tok.no_padding()

    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self._tok.encode_batch(list(texts), add_special_tokens=False)]

    def offsets(self, text: str) -> list[Span]:
        return list(self._tok.encode(text, add_special_tokens=False).offsets)


@lru_cache(maxsize=4)
def model_tokenizer(model_path: str) -> ModelTokenizer:
    return ModelTokenizer(model_path)


def chunk_id(path: str, content_hash: str, index: int) -> str:
    """Deterministic id: re-ingesting the same content upserts instead of duplicating."""
    return hashlib.sha1(f"{path}\x00{content_hash}\x00{index}".encode()).hexdigest()


class TokenSentenceChunker(NodeParser):
    """Turns loaded ``Document``s into sentence-aligned ``TextNode``s of at most ``chunk_tokens``.

    Honours the loader's ``pages``, ``sections`` and ``exclude_spans`` metadata: chunks never
    include furniture, start afresh at headings and pages, and record the page and section of
    their first sentence.

    Example::

        >>> chunker = TokenSentenceChunker(model_path=path, chunk_tokens=200)
        >>> nodes = chunker.get_nodes_from_documents(documents)
    """

    model_path: str
    chunk_tokens: int = 200
    overlap_sentences: int = 1
    embed_metadata: tuple[str, ...] = ("section",)
    window: int = WINDOW

    def __init__(
        self, model_path: str, chunk_tokens: int = 200, overlap_sentences: int = 1,
        embed_metadata: Sequence[str] = ("section",), **kwargs: Any,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]  # pydantic fields declared above
            model_path=model_path, chunk_tokens=checked("chunk_tokens", chunk_tokens, ChunkTokens),
            overlap_sentences=checked("overlap_sentences", overlap_sentences, NonNegativeInt),
            embed_metadata=checked("embed_metadata", tuple(embed_metadata), EmbedMetadata), include_metadata=False, **kwargs,
        )

    @classmethod
    def class_name(cls) -> str:
        return "TokenSentenceChunker"

    def _parse_nodes(self, nodes: Sequence[BaseNode], show_progress: bool = False, **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            out.extend(self.chunk_document(doc))  # type: ignore[arg-type]
        return out

    def _postprocess_parsed_nodes(self, nodes: list[BaseNode], parent_doc_map: dict[str, Document]) -> list[BaseNode]:
        # Our offsets are exact; the base class would re-find them by string search.
        spans = [(n.start_char_idx, n.end_char_idx) for n in nodes]  # type: ignore[attr-defined]
        nodes = super()._postprocess_parsed_nodes(nodes, parent_doc_map)
        for node, (a, b) in zip(nodes, spans):
            node.start_char_idx, node.end_char_idx = a, b  # type: ignore[attr-defined]
        return nodes

    def chunk_document(self, doc: Document) -> list[TextNode]:
        text = doc.text
        meta = doc.metadata
        tokenizer = model_tokenizer(self.model_path)
        pages = sorted((int(o), int(p)) for o, p in meta.get("pages") or [])
        sections = sorted((int(o), str(h)) for o, h in meta.get("sections") or [])
        heading_ends = [_line_end(text, o) for o, _ in sections]
        breaks = frozenset([o for o, _ in pages] + [o for o, _ in sections])
        title = str(meta.get("title") or "")

        sentences: list[Span] = []
        for a, b in included_regions(len(text), meta.get("exclude_spans") or []):
            sentences.extend(split_sentences(text, a, b, hard_breaks=sorted(breaks | set(heading_ends))))
        if not sentences:
            return []

        # Budget: the window less the longest embedded metadata prefix ("title: ...\nsection: ...\n\n").
        prefix = 0
        if self.embed_metadata:
            headings = [h[:120] for _, h in sections] or [""]
            prefixes = ["".join(f"{k}: {title if k == 'title' else h}\n" for k in self.embed_metadata) + "\n" for h in headings]
            prefix = max(tokenizer.count(prefixes))
        budget = max(MIN_CHUNK_TOKENS, min(self.chunk_tokens, self.window - prefix))
        counts = tokenizer.count([text[a:b] for a, b in sentences])
        sentences, counts = self._split_long(text, sentences, counts, budget, tokenizer)

        nodes: list[TextNode] = []
        page_offsets = [o for o, _ in pages]
        section_offsets = [o for o, _ in sections]
        for index, (i, j) in enumerate(pack_sentences(sentences, counts, budget, breaks, self.overlap_sentences)):
            start, end = sentences[i][0], sentences[j][1]
            page = pages[bisect.bisect_right(page_offsets, start) - 1][1] if pages and start >= page_offsets[0] else 0
            # a chunk may run across a page break (a short page tail joins the next page's start)
            page_end = pages[bisect.bisect_right(page_offsets, end - 1) - 1][1] if pages and end - 1 >= page_offsets[0] else 0
            s_idx = bisect.bisect_right(section_offsets, start) - 1
            section = sections[s_idx][1][:120] if s_idx >= 0 else ""
            metadata: dict[str, Any] = {
                "source": str(meta.get("source", "")),
                "path": str(meta.get("path", doc.id_)),
                "title": title,
                "publisher": str(meta.get("publisher") or ""),
                "date": str(meta.get("date") or ""),
                "date_ord": date_ordinal(str(meta.get("date") or "")),
                "kind": str(meta.get("kind") or ""),
                "format": str(meta.get("format") or ""),
                "content_hash": str(meta.get("content_hash", "")),
                "page": page,
                "section": section,
                "chunk_index": index,
                "page_end": page_end,
            }
            node = TextNode(
                id_=chunk_id(metadata["path"], metadata["content_hash"], index),
                text=text[start:end],
                start_char_idx=start,
                end_char_idx=end,
                metadata=metadata,
                excluded_embed_metadata_keys=[k for k in CHUNK_METADATA_KEYS if k not in self.embed_metadata],
                excluded_llm_metadata_keys=[k for k in CHUNK_METADATA_KEYS if k not in ("title", "section")],
            )
            node.relationships[NodeRelationship.SOURCE] = doc.as_related_node_info()
            nodes.append(node)
        return nodes

    @staticmethod
    def _split_long(text: str, sentences: list[Span], counts: list[int], budget: int, tokenizer: ModelTokenizer) -> tuple[list[Span], list[int]]:
        if max(counts) <= budget:
            return sentences, counts
        out_s: list[Span] = []
        for span, count in zip(sentences, counts):
            if count <= budget:
                out_s.append(span)
                continue
            offsets = tokenizer.offsets(text[span[0]:span[1]])
            out_s.extend(p for p in (trim(text, a, b) for a, b in hard_split(text, span, offsets, budget)) if p[0] < p[1])
        return out_s, tokenizer.count([text[a:b] for a, b in out_s])


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl

