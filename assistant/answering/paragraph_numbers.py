"""A quote starts at its sentence, not at the number of the paragraph it opens (pure functions).

Policies, SOPs, constitutions and NICE guidelines number their paragraphs ("73. Where the IFR Panel ...",
"1.5.1 The ICB was established ...", recommendation "1.3.2 Offer ..."), and the sentence splitter keeps a
number with the sentence it opens, as it keeps a list item's marker. Quoted on its own, such a number reads as
noise at the head of the answer ("45. A nominated clinical member ..."); a list the answer quotes reads with its
markers ("The ICB has three Partner Members: a) ... b) ... c) ..."). So a quote's leading marker (a paragraph
number, a bullet, "a)") is left out, its start moved past it (the quote stays an exact substring of the document),
unless the quote is an item of a list the answer quotes with its lead-in: the lists the answerer reads after a
lead-in (``extractive.expand_lead_ins``: a colon, a sentence counting the items that follow, a bullet lead-in over
its sub-items) say which quotes are items. A lead-in's own number goes ("2.2.1 The ICB has three Partner Members:"),
and so does that of the next numbered paragraph after one ("3.6.3" after "3.6.2 ... the following criteria:").

The number does not hurt the choice of sentence: the dense score embeds the sentence without its marker
(``clean_sentence``), and lexical coverage counts only the question's words.

Example::

    >>> unnumbered([(0, 100, 160, "45. A nominated clinical member of the IFR Panel will introduce the case.")], set())
    [(0, 104, 160, 'A nominated clinical member of the IFR Panel will introduce the case.')]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.text.sentences import MARKER

Quote = tuple[int, int, int, str]  # (passage rank, document start, document end, text)
_LEADING = re.compile(rf"{MARKER}\s+(?=\S)")


def marker_length(text: str) -> int:
    """How many characters of ``text`` its leading list marker or paragraph number takes, with the space after it;
    0 when it opens with none, or when nothing but the marker is there (pure)."""
    found = _LEADING.match(text)
    return found.end() if found and text[found.end():].strip() else 0


def unnumbered(quotes: Sequence[Quote], items: Collection[tuple[int, int]]) -> list[Quote]:
    """``quotes`` with each leading marker left out, except on ``items``: the document spans ``(start, end)`` of the
    quotes that are items of a list quoted after its lead-in (pure). A table row is quoted as it is."""
    out: list[Quote] = []
    for rank, start, end, text in quotes:
        cut = 0 if (start, end) in items or " | " in text else marker_length(text)
        out.append((rank, start + cut, end, text[cut:]))
    return out
