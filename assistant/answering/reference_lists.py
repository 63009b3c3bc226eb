"""A document's reference list is what it cites, not what it says: its entries are no answer (pure).

"• PrescQIPP (2015) Bulletin 103: Insulin Needle" under "References" shares the question's words
("insulin needle") and a date, so it outscores the sentences that answer; a NICE guideline's or an
ICB policy's "References", "Bibliography", "Further reading" or "Useful links" are full of such titles.
Their entries are quoted only when the question asks what the document cites.

Example::

    >>> reference_regions(passage)      # document offsets of the entries under "References"
    [(6885, 7501)]
    >>> outside_reference_lists("What length of needle is safest?", candidates, passages)
    [True, True, False, ...]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.results import Passage

_HEADING = re.compile(
    r"^[\W\d.]*(?:references?|bibliography|further\s+reading|(?:useful|related)\s+(?:links|resources|websites)|"
    r"sources(?:\s+of\s+(?:information|evidence))?|reading\s+list|citations)\W*$", re.I)
_ASKS_SOURCES = re.compile(
    r"\b(?:referenc(?:e[sd]?|ing)|cite[sd]?|citing|citations?|sources?|bibliograph\w*|further\s+reading|links?|websites?)\b",
    re.I)
_REFERS_TO = re.compile(r"\b(?:documents?|guidance|guidelines?|publications?|papers?|evidence)\b[^?]*\brefer(?:s|red)?\s+to\b", re.I)
_PUBLICATION_REFERENCE = re.compile(r"\b(?:publication|gateway|approval)\s+reference", re.I)


def asks_for_sources(question: str) -> bool:
    """Does the question ask what a document cites or where to read more (pure)?"""
    question = _PUBLICATION_REFERENCE.sub(" ", question)
    return bool(_ASKS_SOURCES.search(question) or _REFERS_TO.search(question))


def reference_regions(passage: Passage) -> list[tuple[int, int]]:
    """Document-offset regions of ``passage`` under a reference-list heading: from the heading (or the
    passage's start, when its section is one) to the next heading or other unquotable line (pure)."""
    spans = sorted(passage.unquotable)
    out = []
    if _HEADING.match((passage.section or "").strip()):
        out.append((passage.start, next((a for a, _ in spans if a >= passage.start), passage.end)))
    for i, (a, b) in enumerate(spans):
        if _HEADING.match(passage.text[max(a - passage.start, 0):b - passage.start].strip()):
            out.append((b, spans[i + 1][0] if i + 1 < len(spans) else passage.end))
    return [(a, b) for a, b in out if b > a]


def outside_reference_lists(question: str, candidates: Sequence[tuple[int, int, int, str]],
                            passages: Sequence[Passage]) -> list[bool]:
    """For each candidate ``(passage_rank, start, end, text)``: not an entry of a reference list, or the
    question asks what the document cites (pure)."""
    if asks_for_sources(question):
        return [True] * len(candidates)
    regions = [reference_regions(p) for p in passages]
    return [not any(a <= start < b for a, b in regions[rank]) for rank, start, _, _ in candidates]
