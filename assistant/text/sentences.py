"""Sentence spans: where sentences start and end in a text, as exact character offsets.

One splitter for the whole product (chunking, extractive answers, claim verification, citation
metrics), so "a sentence" means the same thing at every stage.

Example::

    >>> split_sentences("First one. Second one.")
    [(0, 10), (11, 22)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al no nos mr mrs ms dr prof st rt hon approx fig p pp para paras ref "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co".split()
)
# End of a sentence: terminal punctuation, optional closing quotes/brackets, whitespace, then
# something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£•▪◦·–-])")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A list marker: a bullet or dash, "1." "2)" "(3)" "a)" "b." "(c)" "iv." "(iv)", or outline numbering
# ("1.1", "2.3.4") before a capitalised word (so that a wrapped "2.5 million" is not a marker).
_MARKER = (
    r"(?:[•▪◦·●○■□➢✓–-]"
    r"|\d{1,2}[.)]|\(\d{1,2}\)|\(?[a-z][.)]|\([a-z]{1,2}\)|\(?[ivx]{1,5}[.)]|\([ivx]{1,5}\)"
    r"|\d{1,2}(?:\.\d{1,2}){1,4}\.?(?=\s+[A-Z“\"'(‘]))"
)
# A line that starts with a marker starts a list item (also when the marker ends the text: the
# item's words are in the next chunk, and the marker must not join the sentence before it).
_BULLET_LINE = re.compile(rf"\n[ \t]*(?={_MARKER}(?:\s|$))")
_MARKER_ONLY = re.compile(rf"\s*{_MARKER}\s*")
_ALNUM = re.compile(r"\w")
# A short line ("Classification: Official") followed by a capitalised one is its own sentence;
# long lines are wrapped prose (PDF conversions break lines mid-sentence).
_SHORT_LINE = re.compile(r"(?m)^[^\n]{1,60}(?=\n[ \t]*[A-Z“\"'(])")
# A list marker at the start of a sentence (bullets, "1.", "(a)", "1.2").
_LEADING_MARKER = re.compile(rf"^\s*{_MARKER}\s+")
MARKER = _MARKER  # a list marker, for patterns elsewhere that find one inside a sentence


def split_sentences(
    text: str, start: int = 0, end: int | None = None, hard_breaks: Sequence[int] = (), atomic: Sequence[Span] = (),
) -> list[Span]:
    """Sentence spans ``(start, end)`` of ``text[start:end]``, as offsets into ``text``.

    Breaks at sentence punctuation (not after common abbreviations), blank lines, list items and
    any offset in ``hard_breaks`` (page, heading or block starts). A list marker is never a
    sentence of its own nor the end of one: "1." starts its item's first sentence. ``atomic``
    spans (table rows) are never split inside. Spans are whitespace-trimmed; spans without a
    letter or digit, and bare markers, are dropped.
    """
    end = len(text) if end is None else min(end, len(text))
    cuts = {start, end}
    segment = text[start:end]
    for m in _PARAGRAPH.finditer(segment):
        cuts.add(start + m.start())
    for m in _BULLET_LINE.finditer(segment):
        cuts.add(start + m.start())
    for m in _SHORT_LINE.finditer(segment):
        if len(m.group(0).split()) <= 8 and not _MARKER_ONLY.fullmatch(m.group(0)):
            cuts.add(start + m.end())
    for m in _SENTENCE_END.finditer(segment):
        if _is_abbreviation(segment, m.start()) or _ends_marker(segment, m.start() + 1):
            continue
        cuts.add(start + m.start() + len(m.group(0).rstrip()))
    cuts.update(b for b in hard_breaks if start < b < end)
    for a, b in atomic:
        cuts.difference_update([c for c in cuts if a < c < b])
        cuts.update(x for x in (a, b) if start < x < end)
    ordered = sorted(cuts)
    spans: list[Span] = []
    for a, b in zip(ordered, ordered[1:]):
        a, b = trim(text, a, b)
        if a < b and _ALNUM.search(text, a, b) and not _MARKER_ONLY.fullmatch(text, a, b):
            spans.append((a, b))
    return spans


def _ends_marker(segment: str, stop: int) -> bool:
    """Whether ``segment[:stop]`` ends with a line that is only a list marker ("  4.")."""
    line_start = segment.rfind("\n", 0, stop) + 1
    return bool(_MARKER_ONLY.fullmatch(segment, line_start, stop))


def starts_with_marker(sentence: str) -> bool:
    """The sentence opens with a list marker ("• ", "1. ", "a) ", "1.2 ") (pure)."""
    return bool(_LEADING_MARKER.match(sentence))


def is_lead_in(sentence: str) -> bool:
    """A sentence that introduces a list: it ends with a colon, or a dash as legal drafting has it
    ("... its duties under—") (pure)."""
    return sentence.rstrip().endswith((":", "—"))


def marker_kind(sentence: str) -> str | None:
    """The kind of list marker a sentence opens with, so that siblings compare equal (pure):
    "•" for bullets, "1." / "1)" / "(1)", "a)" / "a." / "(a)", "i." / "(i)", "1.1" / "1.1.1" by depth."""
    found = _LEADING_MARKER.match(sentence)
    if not found:
        return None
    marker = found.group(0).strip()
    if not marker[0].isalnum() and marker[0] != "(":
        return "•"
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){1,4}\.?", marker):
        return "1" + ".1" * marker.rstrip(".").count(".")
    shape = re.sub(r"\d+", "1", marker)
    if re.fullmatch(r"\(?[ivx]{2,5}[.)]|\([ivx]+\)", shape):
        shape = re.sub(r"[ivx]+", "i", shape)
    return re.sub(r"[a-z]+", "a", shape) if "i" not in shape else shape


def list_after(
    sentences: Sequence[str], lead_in: int, continues: Sequence[bool] | None = None, limit: int = 40,
    items: Sequence[bool] | None = None, announced: bool = False, connectors: bool = False,
) -> int:
    """End (exclusive) of the list a lead-in introduces: the list items right after ``sentences[lead_in]`` (pure).

    A list runs over sentences that open with a marker, and over the further sentences of an item
    (``continues[j]``: sentence ``j`` carries on the item before it; known from the blocks of a
    structured format). It stops at the first other sentence, at a sibling of the lead-in's own
    marker ("3.6.3" after "3.6.2 ... criteria: a) b) c)"), at a marker of another kind that no item
    opened with a colon ("1.4.8" after "... include: a) ... h)"), or after ``limit`` sentences. Items that
    lost their markers (text converted from PDF) are short and read as fragments: lower-case at
    the start or no full stop at the end. ``items[j]``: sentence ``j`` is an item by structure
    (a table row under a lead-in). ``announced``: the sentence introduces a list without a colon
    ("The Chief Executive will appoint three Executive Directors." before "i. ... ii. ..."). ``connectors``:
    a line that only joins two items ("OR", "AND", "and / or") between items of the list is part of it
    (criteria drafted as alternatives). Returns ``lead_in + 1`` when no list follows or the sentence is
    not a lead-in.
    """
    end = lead_in + 1
    if not 0 <= lead_in < len(sentences) or not (announced or is_lead_in(sentences[lead_in])):
        return end
    def item(j: int) -> bool:
        return bool(items and items[j])

    if end < len(sentences) and item(end):
        while end < len(sentences) and end - lead_in <= limit and item(end):
            end += 1
        return end
    if end < len(sentences) and marker_kind(sentences[end]) is None:
        while end < len(sentences) and end - lead_in <= limit and _unmarked_item(sentences[end]):
            end += 1
        return end
    own = marker_kind(sentences[lead_in])
    kinds: set[str] = set()  # the items' own marker kind, and those of lists nested in them
    while end < len(sentences) and end - lead_in <= limit:
        kind = marker_kind(sentences[end])
        if kind is None:
            if kinds and continues is not None and continues[end]:
                end += 1
                continue
            if (connectors and kinds and end + 1 < len(sentences) and end + 1 - lead_in <= limit
                    and is_connector(sentences[end]) and marker_kind(sentences[end + 1]) in kinds):
                end += 1  # "OR" between two criteria: the next one is of the same list
                continue
            break
        if own is not None and kind == own:
            break
        if kinds and kind not in kinds and not is_lead_in(sentences[end - 1]):
            # another kind of marker not opened by an item's own lead-in: the next numbered paragraph or
            # heading ("a) ... h)" then "1.4.8 ...", "1.5 Status of ..."), not an item of this list
            break
        kinds.add(kind)
        end += 1
    return end


_INLINE_LIST = re.compile(r":\s+(?=\S)")
_ITEM_SEPARATOR = re.compile(r"[,;]\s+|\s+(?:and|or)\s+")


def inline_list(sentence: str) -> tuple[int, int] | None:
    """Where a list written inside one sentence runs ("... is made up of: the chair, the case manager, two
    consultants and a pharmacist."): from the first item after its colon to the end of the sentence;
    ``None`` when no colon is followed by at least two items (pure)."""
    for m in _INLINE_LIST.finditer(sentence):
        if len(_ITEM_SEPARATOR.findall(sentence[m.end():].rstrip().rstrip(".;"))) >= 2:
            return m.end(), len(sentence.rstrip())
    return None


_CONNECTOR = re.compile(r"(?:and|or|and\s*/\s*or|plus|but)[;,]?", re.I)


def is_connector(sentence: str) -> bool:
    """A line that only joins two list items: "OR", "AND", "and / or" (pure)."""
    return bool(_CONNECTOR.fullmatch(sentence.strip()))


def _is_abbreviation(segment: str, dot: int) -> bool:
    if segment[dot] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", segment[max(0, dot - 12):dot])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def trim(text: str, a: int, b: int) -> Span:
    """``(a, b)`` narrowed so that ``text[a:b]`` has no leading or trailing whitespace (pure)."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def clean_sentence(sentence: str) -> str:
    """One line of verbatim text: whitespace runs collapsed, a leading list marker dropped (pure)."""
    return _LEADING_MARKER.sub("", " ".join(sentence.split()))


def _unmarked_item(sentence: str) -> bool:
    words = sentence.split()
    text = sentence.rstrip()
    return 0 < len(words) <= 30 and (words[0][:1].islower() or not text.endswith((".", "!", "?"))) and not is_lead_in(text)
