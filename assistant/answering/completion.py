"""Quotes cut off mid-sentence by their chunk's end (or a line break), completed from the document.

A chunk ends at a sentence boundary, but in text converted from PDF a "sentence" may be one line of a
sentence broken over several ("This will include the 3-year numerical plans covering workforce, finance" /
"and performance trajectories, as well as board assurance statements."). Inside a chunk such lines are
joined again (``rows.join_lines``); a quote that runs to its chunk's end could not be, and read as a fragment.
Here it is joined the same way over the next chunk of its document: the lines that carry it on (same rules,
same bounds: ``rows.MAX_LINES``, ``rows.MAX_WORDS``) are added to it, and nothing else. A quote that stops on a
word no sentence ends with ("... responded to within") also takes the figure the next line opens with ("40
minutes"), in its chunk or the next (``rows.carries_on``; only here, at the quote's end). The next chunk must meet
or overlap the quote's chunk (chunks are contiguous slices of one text), so the completed quote is still an
exact substring of the document; where furniture was cut out between them (a page's foot) nothing is added.
(An earlier pass gave the answerer the whole next chunk to choose from, which brought in other sentences and
lowered citation precision; this adds only the rest of a sentence already chosen.)

Example::

    >>> quote = (rank, start, end, "This will include the 3-year numerical plans covering workforce, finance")
    >>> [(rank, start, new_end, text)], widened = complete_quotes([quote], passages, store_next)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.citations import CitedSentence, quotable_sentences
from assistant.answering.rows import ends_open, join_lines
from assistant.results import Passage

Quote = tuple[int, int, int, str]  # (passage rank, document start, document end, text)
NextChunk = Callable[[Passage], "Passage | None"]


def continued_end(quote: Quote, passage: Passage, following: Passage | None = None) -> int | None:
    """The document offset where the sentence ``quote`` (from ``passage``) breaks off ends, in ``passage`` or in
    ``following`` (the document's next chunk), or None when nothing after it carries it on (pure).

    The quote's lines and the quotable sentences after it are joined as ``rows.join_lines`` joins the lines of
    one chunk, with ``figures`` (a line stopping on "within" goes on with "40 minutes"). The next chunk is read on
    from ``passage``'s end only when it meets or overlaps it (else something left out lies between).
    """
    _, start, end, text = quote
    if not ends_open(text) or " | " in text:
        return None  # closed, or a table row
    joined = passage.text[start - passage.start:]
    own = [(passage.start + a, passage.start + b) for a, b in quotable_sentences(passage)]
    lines = [(a, b) for a, b in own if start <= a and b <= end] or [(start, end)]  # its lines count to MAX_LINES
    rest = [(a, b) for a, b in own if a >= end]
    if following is not None and following.start <= passage.end < following.end:
        joined += following.text[passage.end - following.start:]
        rest += [(following.start + a, following.start + b) for a, b in quotable_sentences(following)
                 if following.start + a >= max(end, passage.end)]
    spans = [(a - start, b - start) for a, b in [*lines, *rest]]
    group = join_lines(joined, spans, figures=True)[0]
    return start + group[1] if group[1] > end - start else None


def widened(passage: Passage, following: Passage) -> Passage:
    """``passage`` running on over ``following`` (the next chunk of its document, meeting or overlapping it), with
    its pages and spans, so that a quote running into the next chunk is a slice of it (pure)."""
    extra = following.text[passage.end - following.start:]
    return replace(
        passage, text=passage.text + extra, end=passage.end + len(extra),
        page_map=sorted(set(passage.page_map) | {m for m in following.page_map if m[0] >= passage.end}),
        unquotable=sorted(set(passage.unquotable) | set(following.unquotable)),
        units=sorted(set(passage.units) | set(following.units)),
        page_end=following.page_end or passage.page_end, page_end_label=following.page_end_label or passage.page_end_label,
    )


def next_among(passage: Passage, passages: Sequence[Passage]) -> Passage | None:
    """The chunk of ``passage``'s document among ``passages`` that carries on from its end (pure)."""
    key = passage.path or passage.source
    return next((p for p in passages if (p.path or p.source) == key and p.start <= passage.end < p.end
                 and p.start > passage.start), None)


def complete_quotes(
    quotes: Sequence[Quote], passages: Sequence[Passage], next_chunk: NextChunk | None = None,
) -> tuple[list[Quote], dict[int, Passage]]:
    """``quotes`` with each one its chunk's end cut off completed from the next chunk (``continued_end``), and the
    passages (by rank) widened to hold them. The next chunk is looked for among ``passages``, then asked of
    ``next_chunk`` (the store), once per passage."""
    out: list[Quote] = []
    wide: dict[int, Passage] = {}
    fetched: dict[int, Passage | None] = {}
    for quote in quotes:
        rank, start, end, text = quote
        passage = passages[rank]
        if not ends_open(text):
            out.append(quote)
            continue
        following = None
        if not passage.text[end - passage.start:].strip():  # at its chunk's end: the next chunk is needed
            if rank not in fetched:
                fetched[rank] = next_among(passage, passages) or (next_chunk(passage) if next_chunk else None)
            following = fetched[rank]
        new_end = continued_end(quote, passage, following)
        if new_end is None:
            out.append(quote)
            continue
        if new_end > passage.end and following is not None:
            wide[rank] = wide.get(rank) or widened(passage, following)
        source = wide.get(rank, passage)
        out.append((rank, start, new_end, source.text[start - source.start:new_end - source.start]))
    return out, wide


def drop_contained(cited: Sequence[CitedSentence]) -> list[CitedSentence]:
    """``cited`` less each sentence another one of the same document quotes whole (the first of two alike stays): a
    line quoted from one chunk and its whole sentence from the next. A sentence that holds earlier ones is quoted
    where the first of them was, so a list's items stay after their lead-in (pure)."""
    def key(c: CitedSentence) -> str:
        return c.passage.path or c.passage.source

    def within(i: int, j: int) -> bool:
        a, b = cited[i], cited[j]
        return key(a) == key(b) and b.start <= a.start and a.end <= b.end and ((b.start, b.end) != (a.start, a.end) or j < i)

    holder = {i: next((j for j in range(len(cited)) if j != i and within(i, j)), None) for i in range(len(cited))}

    def root(i: int) -> int:
        seen = {i}
        while (j := holder[i]) is not None and j not in seen:
            seen.add(j)
            i = j
        return i

    out: list[CitedSentence] = []
    placed: set[int] = set()
    for i in range(len(cited)):
        k = root(i)
        if k not in placed:
            placed.add(k)
            out.append(cited[k])
    return out
