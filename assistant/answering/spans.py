"""Readable quotes: quote the part of a sentence that answers, and show the words that answer in bold.

Pure functions over verbatim text; every span they return is ``(start, end)`` into the sentence given,
so a quote stays an exact substring of the document with its offsets.

- ``answer_span``: the clauses of a long sentence that answer, from the first to the last that holds
  a word of the question or the kind of thing asked for; what is left out is marked ``…``.
- ``emphasis``: the words that answer a who / what / when / how-many question (a name, figure, date
  or code the question does not itself contain), to show in bold.

Example::

    >>> s = "During his statement, Jeremy Hunt asked Patricia Hewitt to lead the review, which was welcomed."
    >>> answer_span("Who was asked to lead the review?", s)
    (22, 75)
    >>> emphasis("Who was asked to lead the review?", s[22:75])
    ['Jeremy Hunt', 'Patricia Hewitt']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.constraints import typed_matches
from assistant.text.sentences import inline_list, starts_with_marker
from assistant.text.terms import terms

# Where a sentence may be cut into clauses: a comma, semicolon or dash followed by a space.
_CLAUSE = re.compile(r"(?<=[,;])\s+|\s+[–—-]\s+")
MIN_CUT = 40  # a clause shorter than this is never left out on its own: the elision would cost more than it saves
LONG = 160  # sentences shorter than this are quoted whole
_ARTICLE_AND_WORD = re.compile(r"(?:The|This|These|Those|A|An)\s+\S+")


def answer_span(question: str, sentence: str) -> tuple[int, int]:
    """The part of ``sentence`` to quote for ``question``: whole, or its clauses from the first to the
    last that holds a content word of the question or the kind of thing it asks for (pure).

    Only a sentence holding what a who / when / how-many question asks for is cut (elsewhere the clause
    that answers may share no word with the question). Short sentences, list items and table rows are
    quoted whole; a leading or trailing run of clauses is left out only when it is at least ``MIN_CUT``
    characters.
    """
    whole = (0, len(sentence))
    if len(sentence) < LONG or starts_with_marker(sentence) or " | " in sentence:
        return whole
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(sentence)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:] + [len(sentence)])]
    if len(clauses) < 2:
        return whole
    typed = typed_matches(question, sentence)
    if not typed:
        return whole  # only a who / when / how-many answer is pinned down well enough to cut around
    wanted = set(terms(question))
    hits = [
        i for i, (a, b) in enumerate(clauses)
        if wanted & set(terms(sentence[a:b])) or any(a <= x < b for x, _ in typed)
    ]
    if not hits:
        return whole
    start = clauses[hits[0]][0] if clauses[hits[0]][0] >= MIN_CUT else 0
    end = clauses[hits[-1]][1] if len(sentence) - clauses[hits[-1]][1] >= MIN_CUT else len(sentence)
    listed = inline_list(sentence)
    if listed and start < listed[1] and end > listed[0]:
        # a list inside the sentence is quoted whole with what introduces it, never its first item alone
        start = min(start, max((a for a, _ in clauses if a < listed[0]), default=0))
        end = max(end, listed[1])
    end = _trim_end(sentence, start, end)
    return (start, end) if end > start else whole


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing spaces, commas, semicolons and dashes (they only joined the next clause)."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;–—-"):
        end -= 1
    return end


def elided(sentence: str, span: tuple[int, int], shown: str) -> str:
    """``shown`` (the span as the answer reads it) with ``…`` where the sentence goes on before or after (pure)."""
    start, end = span
    return f"{'… ' if start > 0 else ''}{shown}{' …' if end < len(sentence.rstrip()) else ''}"


def emphasis(question: str, text: str) -> list[str]:
    """The words of ``text`` that answer ``question``: the names, figures, dates or codes it holds of
    the kind asked for, except those the question itself says (in any case), in order, each once (pure)."""
    asked = set(terms(question))
    # "The Government" is a capitalised sentence start, not a name: an article and one word are left out
    words = (w for a, b in _joined(typed_matches(question, text), text) if not _ARTICLE_AND_WORD.fullmatch(w := text[a:b]))
    # what the question already names ("integrated care systems") is not the answer, whatever its case
    return list(dict.fromkeys(w for w in words if w and not (terms(w) and set(terms(w)) <= asked)))


def _joined(spans: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Spans that touch or are one space apart made one ("£" + "0.52", "15 March" + "2023") (pure)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1 and not text[out[-1][1]:a].strip():
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out
