"""Quotes cut off mid-sentence by their chunk's end (or a line break), completed from the document.

A chunk ends at a sentence boundary, but in text converted from PDF a "sentence" may be one line of a
sentence broken over several ("This will include the 3-year numerical plans covering workforce, finance" /
"and performance trajectories, as well as board assurance statements."). Inside a chunk such lines are
joined again (``rows.join_lines``); a quote that runs to its chunk's end could not be, and read as a fragment.
Here it is joined the same way over the next chunk of its document: the lines that carry it on (same rules,
same bounds: ``rows.MAX_LINES``, ``rows.MAX_WORDS``: longer is prose of two columns read across) are added to it,
and nothing else. A quote that stops on a
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

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.citations import CitedSentence, quotable_sentences
from assistant.answering.rows import MAX_LINES, dangles, ends_open, join_lines, opens_lower
from assistant.results import Passage
from assistant.text.sentences import is_lead_in, starts_with_marker

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


def widened(passage: Passage, following: Passage, end: int) -> Passage:
    """``passage`` running on to ``end`` over ``following`` (the next chunk of its document, meeting or overlapping
    it), with the pages and spans there, so that a quote running into the next chunk is a slice of it; no further:
    the rest of the next chunk was not retrieved (pure)."""
    extra = following.text[passage.end - following.start:end - following.start]
    end = passage.end + len(extra)
    pages = [m for m in following.page_map if passage.end <= m[0] < end]
    return replace(
        passage, text=passage.text + extra, end=end,
        page_map=sorted(set(passage.page_map) | set(pages)),
        unquotable=sorted(set(passage.unquotable) | {(a, min(b, end)) for a, b in following.unquotable if a < end}),
        units=sorted(set(passage.units) | {(a, min(b, end), k) for a, b, k in following.units if a < end}),
        page_end=pages[-1][1] if pages else passage.page_end, page_end_label=pages[-1][2] if pages else passage.page_end_label,
    )


def next_among(passage: Passage, passages: Sequence[Passage]) -> Passage | None:
    """The chunk of ``passage``'s document among ``passages`` that carries on from its end (pure)."""
    key = passage.path or passage.source
    return next((p for p in passages if (p.path or p.source) == key and p.start <= passage.end < p.end
                 and p.start > passage.start), None)


def complete_quotes(
    quotes: Sequence[Quote], passages: Sequence[Passage], next_chunk: NextChunk | None = None,
) -> tuple[list[Quote], dict[int, Passage], list[int | None]]:
    """``quotes`` with each one its chunk's end cut off completed from the next chunk (``continued_end``), the
    passages (by rank) widened to hold them, and for each quote that breaks off and could not be completed where to
    stop it (``cut_short``, relative to its text; None for the rest). The next chunk is looked for among
    ``passages``, then asked of ``next_chunk`` (the store), once per passage."""
    ends: list[int | None] = []
    fetched: dict[int, Passage | None] = {}
    for rank, start, end, text in quotes:
        passage = passages[rank]
        following = None
        if ends_open(text) and not passage.text[end - passage.start:].strip():  # at its chunk's end: the next one
            if rank not in fetched:
                fetched[rank] = next_among(passage, passages) or (next_chunk(passage) if next_chunk else None)
            following = fetched[rank]
        ends.append(continued_end((rank, start, end, text), passage, following))
    wide: dict[int, Passage] = {}
    for (rank, _, _, _), new_end in zip(quotes, ends):
        following = fetched.get(rank)
        if new_end is not None and new_end > passages[rank].end and following is not None:
            wide[rank] = widened(passages[rank], following, max(new_end, wide[rank].end if rank in wide else 0))
    out: list[Quote] = []
    stops: list[int | None] = []
    for (rank, start, end, text), new_end in zip(quotes, ends):
        source = wide.get(rank, passages[rank])
        if new_end:
            out.append((rank, start, new_end, source.text[start - source.start:new_end - source.start]))
            stops.append(None)
            continue
        out.append((rank, start, end, text))
        following = fetched.get(rank)
        after = source.text[end - source.start:]
        if not after.strip() and following is not None and following.start <= source.end < following.end:
            after = following.text[source.end - following.start:]
        stops.append(cut_short(text, after))
    return out, wide, stops


def opened_start(quote: Quote, passage: Passage, preceding: Passage | None = None) -> int | None:
    """The document offset where the sentence ``quote`` (from ``passage``) goes on begins, in ``passage`` or in
    ``preceding`` (the document's chunk before it), or None when the quote opens its sentence (pure).

    The mirror of ``continued_end``: a line that goes on the line before it (``rows.carries_on`` with figures: it
    opens lower-case, or with a bracketed figure after an open line, "in 2023/24" / "(3.7% of total pay), and is
    currently ...") is quoted from the start of its sentence, by the same rules and bounds as ``rows.join_lines``.
    Inside a chunk only figure openings are left to do (candidates are read with lower-case lines joined already);
    the chunk before is read only for a quote that opens its chunk, and only when it meets or overlaps it.
    """
    _, start, end, text = quote
    if " | " in text or not text.strip():
        return None
    joined, base = passage.text, passage.start
    earlier = {(passage.start + a, passage.start + b) for a, b in quotable_sentences(passage) if passage.start + b <= start}
    if preceding is not None and preceding.start < passage.start <= preceding.end and not passage.text[:start - passage.start].strip():
        joined = preceding.text[:passage.start - preceding.start] + joined
        base = preceding.start
        earlier |= {(preceding.start + a, preceding.start + b) for a, b in quotable_sentences(preceding)
                    if preceding.start + b <= start}
    lines = sorted(earlier)[-MAX_LINES:]
    spans = [(a - base, b - base) for a, b in [*lines, (start, end)]]
    first = next(a for a, b in reversed(join_lines(joined, spans, figures=True)) if a <= start - base)
    return base + first if base + first < start else None


def widened_back(passage: Passage, preceding: Passage, start: int) -> Passage:
    """``passage`` running back to ``start`` over ``preceding`` (the document's chunk before it, meeting or overlapping
    it), with the pages and spans there, so that a quote begun in the chunk before is a slice of it (pure)."""
    extra = preceding.text[start - preceding.start:passage.start - preceding.start]
    start = passage.start - len(extra)
    pages = [m for m in preceding.page_map if start <= m[0] < passage.start]
    page_from = max((m for m in preceding.page_map if m[0] <= start), default=None)
    return replace(
        passage, text=extra + passage.text, start=start,
        page_map=sorted(set(passage.page_map) | set(pages) | ({page_from} if page_from else set())),
        unquotable=sorted(set(passage.unquotable) | {(max(a, start), b) for a, b in preceding.unquotable if b > start}),
        units=sorted(set(passage.units) | {(max(a, start), b, k) for a, b, k in preceding.units if b > start}),
        page=page_from[1] if page_from else passage.page, page_label=page_from[2] if page_from else passage.page_label,
    )


def previous_among(passage: Passage, passages: Sequence[Passage]) -> Passage | None:
    """The chunk of ``passage``'s document among ``passages`` that ``passage`` carries on from (pure)."""
    key = passage.path or passage.source
    return next((p for p in passages if (p.path or p.source) == key and p.start < passage.start <= p.end
                 and p.end < passage.end), None)


def begin_quotes(
    quotes: Sequence[Quote], passages: Sequence[Passage], previous_chunk: NextChunk | None = None,
) -> tuple[list[Quote], list[Passage]]:
    """``quotes`` with each one that opens mid-sentence run back to its sentence's start (``opened_start``), and the
    passages with those it now starts before run back to hold it (``widened_back``). The chunk before is looked for
    among ``passages``, then asked of ``previous_chunk`` (the store), only for a quote opening its chunk."""
    out = list(passages)
    fetched: dict[int, Passage | None] = {}
    begun: list[Quote] = []
    for rank, start, end, text in quotes:
        passage = out[rank]
        preceding = None
        if carries_back(text) and not passage.text[:start - passage.start].strip():
            if rank not in fetched:
                fetched[rank] = previous_among(passage, passages) or (previous_chunk(passage) if previous_chunk else None)
            preceding = fetched[rank]
        new_start = opened_start((rank, start, end, text), passage, preceding) if carries_back(text) else None
        if new_start is None:
            begun.append((rank, start, end, text))
            continue
        if new_start < passage.start and preceding is not None:
            passage = out[rank] = widened_back(passage, preceding, new_start)
        begun.append((rank, new_start, end, passage.text[new_start - passage.start:end - passage.start]))
    return begun, out


def carries_back(text: str) -> bool:
    """The quote opens as a line that goes on another: lower-case (not a list marker), or a bracketed figure or
    abbreviation ("(3.7% of total pay), and ..."), or a figure (pure). Which line before it ends open decides."""
    stripped = text.lstrip()
    return opens_lower(stripped) or bool(stripped[:1].isdigit() or stripped[:1] == "(") and not starts_with_marker(stripped)


# Characters between two chunks of a document that neither overlap nor meet: the whitespace between their sentences
# (a chunk is a trimmed run of whole sentences); text left out between them (a page's foot) takes more.
SEAM = 2


def follows(passage: Passage, other: Passage) -> bool:
    """``other`` carries on ``passage``'s document from its end: it meets or overlaps it, or starts across a seam (pure)."""
    return ((other.path or other.source) == (passage.path or passage.source)
            and passage.start < other.start <= passage.end + SEAM and other.end > passage.end)


def lists_run_on(
    leads: Sequence[Quote], passages: Sequence[Passage], listed: Callable[[Quote, Sequence[Passage]], list[Quote]],
    next_chunk: NextChunk,
) -> list[Passage]:
    """``passages`` with, for each lead-in among ``leads`` whose list (as ``listed`` reads it) runs to its passage's end,
    the document's next chunk added after them when it was not retrieved and holds more of the list (pure but for
    ``next_chunk``, the store). A table or a list cut by a chunk's end ("... any of the following needles:" and two of
    its three rows) is quoted whole; its further items are cited from the chunk that holds them, so every quote stays
    a slice of one chunk."""
    out = list(passages)
    for lead in leads:
        group = listed(lead, out)
        if len(group) < 2 and not (is_lead_in(lead[3]) and not group):
            continue  # no list; or a lead-in with nothing after it that is not at its chunk's end
        rank, _, end, _ = group[-1] if group else lead
        passage = out[rank]
        if passage.text[end - passage.start:].strip() or any(follows(passage, p) for p in out):
            continue  # the list ends inside its chunk, or the next chunk was retrieved and read already
        following = next_chunk(passage)
        if following is not None and follows(passage, following) and len(listed(lead, [*out, following])) > len(group):
            out.append(same_standing(following, passage))
    return out


def same_standing(chunk: Passage, passage: Passage) -> Passage:
    """``chunk``, read from the store, with the document facts and standing ``passage`` (of its document) was given at
    retrieval (``lineage.annotate``: version, period, successor), so that it is labelled and ordered as its document (pure)."""
    return replace(chunk, version=passage.version, reference=passage.reference, period=passage.period,
                   supersedes=passage.supersedes, superseded_by=passage.superseded_by,
                   superseded_date=passage.superseded_date)


_FOOTNOTE = re.compile(r"\d{1,2}\s+[A-Z]")  # "1 To note: ..." at a page's foot (a numbered paragraph has "1." or "1.2")
_CLAUSE_END = re.compile(r"[,;](?=\s)|\s[–—](?=\s)")
_CONNECTOR_END = re.compile(r"[;,]\s*(?:and|or|and\s*/\s*or|but)\s*$", re.I)
PROSE_WORDS = 12  # a quote this long ending on a lower-case word is a sentence under way, not a heading or a cell


def cut_short(text: str, after: str) -> int | None:
    """Where to stop a quote (``text``) that breaks off and could not be completed, to be shown with ``…``: after its
    last clause (",", ";", a dash), or at its end when none leaves half of it; None when it is not cut (pure).

    It is cut when it stops on a word no sentence ends with ("... analogue to"; not a list item's "...; and"), or when a prose
    sentence under way is followed by a footnote (``after``: the document's next line, "1 To note: ..."; the
    sentence goes on past the page's foot, where the next chunk cannot be joined to it).
    """
    words = text.split()
    if not ends_open(text) or " | " in text or not words:
        return None
    under_way = len(words) >= PROSE_WORDS and words[-1].isalpha() and words[-1].islower()
    if _CONNECTOR_END.search(text):
        return None  # "...; and" / "..., or": an item of a list joined to the next one, not a cut
    if not (dangles(text) or (under_way and _FOOTNOTE.match(after.lstrip()))):
        return None
    stops = [m.start() for m in _CLAUSE_END.finditer(text)]  # before the comma or dash
    stop = max((x for x in stops if x >= len(text) // 2), default=None)
    return stop if stop is not None else len(text.rstrip())


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
