"""Lines that PDF-to-text conversion split apart, joined again into the sentences or table rows they were.

A table converted from PDF comes out as short lines, one per cell line, with blank lines between:
a row label ("4-hour A&E"), then the value ("Every trust to maintain or improve to 82% ..."), then
the value's wrapped tail ("by March 2027"). Read line by line, the value holds none of the question's
words (they are in the label) and the tail is a fragment that only echoes the question. ``join_lines``
joins them back into one quotable span, as the loaders already read a real table's row with its header:

- a line that ends open (no end punctuation) and a next line that opens lower-case are one sentence; when a
  quote is completed (``figures``, ``completion.py``), so are a line that stops on a word no sentence ends with
  ("responded to within", "framework-") and a next line that opens with a figure or a bracket ("40 minutes",
  "2025-26/#annex-a ..."), and an open line and a next one that opens with a bracketed figure or abbreviation
  ("(3.7% of total pay), and ...", "(ARRS) staff."). (Not when candidates are read: joined table columns of
  text converted from PDF made new candidates of two cells' lines);
- a row label (a short capitalised line without a figure or end punctuation) and the line after it
  are one row, when that row holds a figure (a table of targets, not a heading over prose);
- two open list items in a row, then a lower-case line, are two columns of items read line by line
  (the lower-case line may go on either): the three lines are one span, the way prose columns
  already come out interleaved on one line.

The joined span runs over the blank lines between, so a quote of it stays an exact substring of the document.

Example::

    >>> text = "4-hour A&E\\n\\nEvery trust to reach 82%\\n\\nby March 2027"
    >>> join_lines(text, [(0, 10), (12, 36), (38, 51)])
    [(0, 51)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.sentences import Span, starts_with_marker

MAX_LINES = 6  # a joined row or sentence spans at most this many lines
MAX_WORDS = 60  # ... and this many words (longer is prose wrapped across columns, not a row)
LABEL_WORDS = 6  # a row label is at most this many words
_GAP = 4  # characters between two lines of one row: a line break or two, trailing spaces

_CLOSED = re.compile(r"[.!?;:—][\"'”’)\]*]*$")
# a figure standing alone ("82%", "£120", "25 minutes", "2026/27"), not a number inside a compound ("4-hour", "62-day")
_FIGURE = re.compile(r"[%£$€]|(?<![\w-])\d[\d,.]*(?:/\d+)?(?![\w-])")


def ends_open(line: str) -> bool:
    """The line stops mid-sentence: no end punctuation, colon or dash (pure)."""
    return not _CLOSED.search(line.rstrip())


def opens_lower(line: str) -> bool:
    """The line goes on a sentence begun before it: it opens with a lower-case word, or a bracket around one (a link's
    address after its text: "(https://...) and the"), not a list marker ("a)", "(b)") (pure)."""
    stripped = line.lstrip()
    opening = stripped[1:] if stripped[:1] == "(" else stripped
    return opening[:1].islower() and not starts_with_marker(stripped)


# Words no English sentence ends with: a line stopping on one was cut (articles, prepositions, conjunctions,
# auxiliaries, relative pronouns, possessives).
DANGLING = frozenset(
    "a an the of to in on at by for from with within into onto than and or nor but as per via over under between "
    "about around across through towards toward including such whether if that which who whose whom its their our "
    "his her your is are was were be been will would can could should must may might shall has have had".split()
)
_DANGLING_TAIL = re.compile(r"(?:\b(\w+)|[A-Za-z/]-)\s*$")
# an outline number ("2.1 Scope") or a footnote ("3 In this context ...") at a page's foot: no figure of the sentence
_NUMBERED = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.?\s+[A-Z“\"'‘]")
# a bracket that carries a sentence on: a figure or sum ("(3.7% of total pay)"), an abbreviation ("(ARRS) staff")
_CARRYING_BRACKET = re.compile(r"\((?:[£$€]?\d[\d.,]*%?(?=[\s%),]|$)|[A-Z][A-Za-z&]{1,9}\))")


def dangles(line: str) -> bool:
    """The line stops on a word no sentence ends with ("... responded to within") or a hyphen inside a word or an
    address ("framework-") (pure)."""
    found = _DANGLING_TAIL.search(line)
    return found is not None and (found.group(1) is None or found.group(1).lower() in DANGLING)


def carries_on(before: str, line: str, figures: bool = True) -> bool:
    """``line`` goes on the sentence ``before`` breaks off (``before`` ends open): it opens lower-case
    (``opens_lower``); or, with ``figures``, with a figure or bracket after a word no sentence ends with, or with a
    bracketed figure or abbreviation (pure). A list marker ("3.", "(b)"), an outline number ("2.1 Scope") or a footnote ("3 In this
    context ...") opens something else."""
    stripped = line.lstrip()
    if opens_lower(stripped):
        return True
    if not figures or starts_with_marker(stripped) or _NUMBERED.match(stripped):
        return False
    if _CARRYING_BRACKET.match(stripped):
        return True
    return dangles(before) and (stripped[:1].isdigit() or stripped[:1] in "(£$€%")


def is_row_label(line: str) -> bool:
    """A table row's label: a few capitalised words with no figure and no end punctuation ("4-hour A&E",
    "Same day appointments") (pure)."""
    words = line.split()
    return (0 < len(words) <= LABEL_WORDS and ends_open(line) and (words[0][:1].isupper() or words[0][:1].isdigit())
            and not starts_with_marker(line) and not _FIGURE.search(line) and "|" not in line)


def join_lines(text: str, spans: Sequence[Span], figures: bool = False) -> list[Span]:
    """``spans`` (sentence spans of ``text``, in order) with the lines of one sentence or table row joined (pure).

    Two spans are lines of one when nothing but a line break (and spaces) parts them, and either the first
    ends open and the second opens lower-case (with ``figures``: goes on with it as ``carries_on`` says, up to two
    lines past ``MAX_LINES`` to finish a line that stops on a word no sentence ends with), or the first is a row label (``is_row_label``) and the row
    it opens holds a figure (its value line runs on: no end punctuation, and is no bold or marked heading),
    or two open list items are followed by a lower-case line. Table rows that kept their cells (" | ") are left alone.
    """
    out: list[Span] = []
    i = 0
    while i < len(spans):
        group = _row_from(text, spans, i, figures)
        out.append((spans[i][0], spans[i + len(group) - 1][1]))
        i += len(group)
    return out


def _row_from(text: str, spans: Sequence[Span], i: int, figures: bool = False) -> list[Span]:
    """The spans that make one sentence or row, starting with ``spans[i]``."""
    def line(k: int) -> str:
        return text[spans[k][0]:spans[k][1]]

    def adjacent(k: int) -> bool:
        if k >= len(spans):
            return False
        gap = text[spans[k - 1][1]:spans[k][0]]
        return len(gap) <= _GAP and "\n" in gap and not gap.strip() and "|" not in line(k)

    def carry_on(group: list[Span]) -> list[Span]:
        k = i + len(group)
        # with figures, up to two lines more to finish one that stops on a word no sentence ends with ("... within")
        while (k < len(spans) and (len(group) < MAX_LINES or (figures and len(group) < MAX_LINES + 2 and dangles(line(k - 1))))
               and adjacent(k) and ends_open(line(k - 1)) and carries_on(line(k - 1), line(k), figures)
               and _words(text, group[0][0], spans[k][1]) <= MAX_WORDS):
            group.append(spans[k])
            k += 1
        return group

    if "|" in line(i):
        return [spans[i]]
    if is_row_label(line(i)) and i + 1 < len(spans) and adjacent(i + 1) and not starts_with_marker(line(i + 1)) \
            and not opens_lower(line(i + 1)) and ends_open(line(i + 1)) and not line(i + 1).startswith(("*", "#")):
        row = carry_on([spans[i], spans[i + 1]])
        if _FIGURE.search(text, row[1][0], row[-1][1]) and _words(text, row[0][0], row[-1][1]) <= MAX_WORDS:
            return row
    if starts_with_marker(line(i)) and ends_open(line(i)) and adjacent(i + 1) and starts_with_marker(line(i + 1)) \
            and ends_open(line(i + 1)) and adjacent(i + 2) and opens_lower(line(i + 2)):
        # two columns of list items, interleaved line by line: the lower-case line may go on either item
        return carry_on([spans[i], spans[i + 1], spans[i + 2]])
    return carry_on([spans[i]])


def _words(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())
