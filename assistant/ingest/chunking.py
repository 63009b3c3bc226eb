"""Chunking: sentence-aligned chunks sized in the embedding model's own word pieces.

all-MiniLM-L6-v2 reads 256 word pieces and silently truncates the rest, so chunk size is measured
with its tokenizer, not guessed from characters. Every chunk is an exact slice of its document's
text and keeps its character offsets, so a citation can point at the exact quote.

Why our own ``NodeParser``: llama-index's ``SentenceSplitter`` counts tiktoken tokens (not the
model's word pieces), cannot honour page/section/furniture boundaries, and re-finds offsets by
string search.

Structure (``ingest/layout.py``): a chunk never holds page furniture (the PDF engine drops it) or
contents lines; it records the pages it spans with their printed labels, the spans never to be
quoted (title, headings, contents and leader lines) and its list items and table rows; a table
row is never split, and a list's lead-in is kept in one chunk with its items when they fit.

Example::

    >>> chunker = TokenSentenceChunker(model_path=path, chunk_tokens=200)
    >>> nodes = chunker.get_nodes_from_documents(documents)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, Document, NodeRelationship, RelatedNodeInfo, TextNode
from pydantic import NonNegativeInt

from assistant.errors import checked
from assistant.ingest.layout import UNIT_KINDS, DocLayout, clip, spans_json
from assistant.ingest.options import MIN_CHUNK_TOKENS, WINDOW, ChunkTokens, EmbedMetadata  # noqa: F401 - re-exported
from assistant.text.dates import date_ordinal
from assistant.text.sentences import Span, list_after, split_sentences, starts_with_marker, trim

TokenCounter = Callable[[Sequence[str]], list[int]]
# Bump when a change to the rules below changes the chunks of an unchanged file: an index re-ingests
# every file once. 2: a list never runs across a heading or into the next numbered paragraph. 3: tables read
# with their titles as headings and cells merged down (loaders/pdf/tables.py, loaders/docx.py). 4: after a
# table with a title, the PDF text is in the enclosing section again (a title names its own rows only). 5: page
# numbers and running headers out of text converted from PDF (loaders/pdf_text.py). 6: table and page columns
# interleaved line by line in text converted from PDF read stream by stream (loaders/pdf_columns.py). 7: a PDF's
# tab-hung outline numbers ("1.3.4<tab>Offer ...") are list markers, and a contents page under a "Contents" heading is
# read as contents (loaders/pdf/textnorm.py, assemble.py); no dev file changes, but a guideline-style PDF does. 8: the
# "ll" some PDF-to-text converters drop ("wil be", "col aboration") is put back (loaders/dropped_ll.py). 9: in PDFs, a
# bold wrapped line is no heading, spaced list items drawn without bullet glyphs and stacked "Label: value" fields are
# blocks of their own (loaders/pdf/assemble.py).
RULES = 9


# Metadata a chunk carries; only title and section may go into the embedded / LLM text.
# page/page_end: physical pages of the first and last character; page_label/page_end_label: the numbers
# printed on them; page_map, unquotable, units: JSON span lists relative to the chunk (ingest/layout.py).
CHUNK_METADATA_KEYS = (
    "source", "path", "title", "publisher", "date", "date_ord", "kind", "format",
    "content_hash", "page", "section", "chunk_index", "page_end", "page_label", "page_end_label",
    "section_level", "page_map", "unquotable", "units",
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
    glue: Sequence[bool] | None = None,
    walls: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """Group consecutive sentences into chunks of at most ``budget`` tokens.

    Returns ``(first, last)`` sentence index pairs (inclusive). A chunk starts afresh at a sentence
    whose start is in ``breaks`` (a heading) once the current one has ``min_tokens``;
    up to ``overlap`` trailing sentences (at most half the budget) are repeated at the start of
    the next chunk, except across a break. ``glue[i]`` ties sentence ``i`` to the one before it (a
    list item to its lead-in): a glued run that fits in one chunk is never split, the chunk before
    it ends early instead. A chunk always ends before a sentence whose start is in ``walls`` (the
    first after an excluded span: a chunk is one slice of the text and must not span what is left out).
    """
    groups: list[tuple[int, int]] = []
    run = _glued_run_tokens(token_counts, glue)
    first = used = fresh = 0  # fresh: first sentence not yet in an emitted chunk
    for i, count in enumerate(token_counts):
        glued = bool(glue and glue[i])
        need = run[i] if run[i] <= budget else count  # a whole glued run, when one chunk can hold it
        at_break = sentences[i][0] in breaks and not glued
        walled = sentences[i][0] in walls
        if i > fresh and (walled or used + need > budget or (at_break and used >= min_tokens)):
            groups.append((first, i - 1))
            fresh = first = i
            if overlap and not at_break and not glued and not walled:
                tail = max(groups[-1][0] + 1, i - overlap)
                if sum(token_counts[tail:i]) <= budget // 2:
                    first = tail
            used = sum(token_counts[first:i])
        if i == fresh and used + need > budget:  # the carried-over tail leaves no room: drop it
            first, used = i, 0
        used += count
    if fresh < len(token_counts):
        groups.append((first, len(token_counts) - 1))
    return groups


def _glued_run_tokens(counts: Sequence[int], glue: Sequence[bool] | None) -> list[int]:
    """For each sentence, the tokens from it to the end of its glued run (0 inside a run: it needs nothing more)."""
    need = list(counts)
    if not glue:
        return need
    total = 0
    for i in range(len(counts) - 1, -1, -1):
        total = counts[i] + (total if i + 1 < len(counts) and glue[i + 1] else 0)
        need[i] = total if not glue[i] else counts[i]
    return need


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

    Honours the loader's ``pages``, ``page_labels``, ``sections``, ``blocks`` and ``exclude_spans``
    metadata: chunks never include furniture or contents lines, start afresh at headings, keep
    table rows whole and lists with their lead-ins, and record the pages they span (with printed
    labels), their section, and the spans an answer must not quote.

    Example::

        >>> chunker = TokenSentenceChunker(model_path=path, chunk_tokens=200)
        >>> nodes = chunker.get_nodes_from_documents(documents)
    """

    model_path: str
    chunk_tokens: int = 200
    overlap_sentences: int = 1
    embed_metadata: tuple[str, ...] = ("title", "section")
    window: int = WINDOW

    def __init__(
        self, model_path: str, chunk_tokens: int = 200, overlap_sentences: int = 1,
        embed_metadata: Sequence[str] = ("title", "section"), **kwargs: Any,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]  # pydantic fields declared above
            model_path=model_path, chunk_tokens=checked("chunk_tokens", chunk_tokens, ChunkTokens),
            overlap_sentences=checked("overlap_sentences", overlap_sentences, NonNegativeInt),
            embed_metadata=checked("embed_metadata", tuple(embed_metadata), EmbedMetadata), include_metadata=False, **kwargs,
        )

    @classmethod
    def class_name(cls) -> str:
        return "TokenSentenceChunker"

    def signature(self) -> str:
        """What decides the chunks' text besides the file: a change re-ingests every document."""
        return repr((Path(self.model_path).name, self.chunk_tokens, self.overlap_sentences, self.embed_metadata, self.window,
                     RULES))

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
        layout = DocLayout.from_metadata(text, meta)
        breaks = frozenset(o for o, _, _ in layout.sections)
        title = str(meta.get("title") or "")

        rows = [(a, b) for a, b, kind in layout.units() if kind == "table_row"]
        hard = layout.hard_breaks(text)
        sentences: list[Span] = []
        walls: set[int] = set()
        for a, b in included_regions(len(text), [*(meta.get("exclude_spans") or []), *layout.skipped()]):
            found = split_sentences(text, a, b, hard_breaks=hard, atomic=clip(rows, a, b))
            if found and sentences:
                walls.add(found[0][0])
            sentences.extend(found)
        if not sentences:
            return []

        # Budget: the window less the longest embedded metadata prefix ("title: ...\nsection: ...\n\n").
        prefix = 0
        if self.embed_metadata:
            headings = [h[:120] for _, h, _ in layout.sections] or [""]
            prefixes = ["".join(f"{k}: {title if k == 'title' else h}\n" for k in self.embed_metadata) + "\n" for h in headings]
            prefix = max(tokenizer.count(prefixes))
        budget = max(MIN_CHUNK_TOKENS, min(self.chunk_tokens, self.window - prefix))
        counts = tokenizer.count([text[a:b] for a, b in sentences])
        sentences, counts = self._split_long(text, sentences, counts, budget, tokenizer)
        glue = list_glue(text, sentences, layout)

        nodes: list[TextNode] = []
        for index, (i, j) in enumerate(pack_sentences(sentences, counts, budget, breaks, self.overlap_sentences, glue=glue, walls=frozenset(walls))):
            start, end = sentences[i][0], sentences[j][1]
            section, level = layout.section_at(start)
            page_map = layout.pages_between(start, end)
            first_page, last_page = (page_map[0][1], page_map[-1][1]) if page_map else (0, 0)
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
                "page": first_page,
                "section": section[:120],
                "chunk_index": index,
                "page_end": last_page,
                "page_label": layout.label(first_page),
                "page_end_label": layout.label(last_page),
                "section_level": level,
                "page_map": spans_json([(o, o + 1, p, label) for o, p, label in page_map], start) if page_map else "",
                "unquotable": spans_json(clip(layout.unquotable, start, end), start),
                "units": spans_json([(a, b, UNIT_KINDS[k]) for a, b, k in clip(layout.units(), start, end)], start),
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
            # The document's id only: its full metadata (sections, blocks) would be copied into every chunk's record.
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc.id_, hash=doc.hash)
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


def list_glue(text: str, sentences: Sequence[Span], layout: DocLayout) -> list[bool]:
    """``glue[i]``: sentence ``i`` belongs to the list a lead-in before it introduces (pure).

    List items are told by their markers, and, in structured formats, by their blocks (so that an
    item's second sentence stays with it).
    """
    texts = [text[a:b] for a, b in sentences]
    item_starts = {a for a, _, kind in layout.units() if kind == "list_item"}
    items = [(a, b) for a, b, kind in layout.units() if kind == "list_item"]
    continues = [False] * len(sentences)
    for k, (a, _) in enumerate(sentences):
        if k and a not in item_starts and not starts_with_marker(texts[k]):
            # A later sentence of a list item: in its block, or on the same line as the sentence before.
            continues[k] = any(x < a < y for x, y in items) or "\n" not in text[sentences[k - 1][1]:a]
    headings = {a for a, _, _ in layout.sections}
    glue = [False] * len(sentences)
    for i in range(len(sentences)):
        for j in range(i + 1, list_after(texts, i, continues)):
            if sentences[j][0] in headings:  # a heading starts a section: no list runs across it
                break
            glue[j] = True
    return glue
