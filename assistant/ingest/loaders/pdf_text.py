"""Page furniture left in text converted from PDF: running headers and page numbers, taken out (pure).

A PDF converted to text or Markdown by another tool keeps each page's furniture inline: a lone page
number, then the running header glued to the first line of the next page ("2025/26 planning guidance
day and 28-day Faster Diagnosis Standard ..."), often in the middle of a sentence ("the cancer 62-" |
"6" | "<header> day and 28-day ..."). Quoted, that reads as garble; embedded, the header word soup
pulls every page's first sentence towards the title. The PDF loader finds furniture by position
(``pdf/furniture.py``); here only the text is left, so furniture is found by what repeats:

- a running header is a run of at least ``MIN_HEADER_WORDS`` words that starts at least
  ``MIN_REPEATS`` lines spread through the document (a page apart, not line after line), is followed
  by different text on most of them, and is no list item, heading or table row;
- page numbers are lines holding only a number, when there are at least ``MIN_REPEATS`` of them and
  they mostly rise (a column of figures in a table does not);
- a sentence cut by the furniture is joined again: the line before ends open (no end punctuation)
  and the line after goes on in lower case.

Example::

    >>> lines = strip_furniture(["The cancer 62-", "", "6", "", "Plan 2025 guidance day standard."] + more)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

MIN_HEADER_WORDS = 4  # fewer repeated words at a line start is ordinary prose ("NHS England will")
MIN_HEADER_CHARS = 20
MIN_REPEATS = 5  # a header repeats on many pages; a phrase that opens a few lines is not one
MIN_PAGE_LINES = 8  # the median distance, in lines, between a header's repeats
_MAX_HEADER_WORDS = 14
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_TRAILING_NUMBER = re.compile(r"(?<=\S)\s+\d{1,3}\s*$")
_NOT_PROSE = re.compile(r"^\s*(?:[#|>]|[-*+•o]\s|\d+[.)]\s)")  # headings, table rows, quotes, list items
_ENDS_CLOSED = re.compile(r"[.!?;:][\"'”’)\]*]*\s*$")


def running_header(lines: Sequence[str]) -> str | None:
    """The longest word run that opens at least ``MIN_REPEATS`` prose lines with varied text after it (pure)."""
    starts: dict[str, set[int]] = defaultdict(set)
    for i, line in enumerate(lines):
        if _NOT_PROSE.match(line):
            continue
        words = line.split()
        for n in range(MIN_HEADER_WORDS, min(len(words), _MAX_HEADER_WORDS) + 1):
            starts[" ".join(words[:n])].add(i)
    best: str | None = None
    for prefix, where in starts.items():
        if len(where) < MIN_REPEATS or len(prefix) < MIN_HEADER_CHARS or _ENDS_CLOSED.search(prefix):
            continue
        after = Counter(" ".join(lines[i].split()[len(prefix.split()):][:2]) for i in where)
        # a header is followed by whatever the page starts with; a repeated heading or label by the same text
        if after.most_common(1)[0][1] > len(where) // 2 and after.most_common(1)[0][0]:
            continue
        rows = sorted(where)
        gaps = sorted(b - a for a, b in zip(rows, rows[1:]))
        if gaps[len(gaps) // 2] < MIN_PAGE_LINES:  # once a page, not line after line (a table's repeated label)
            continue
        if best is None or len(prefix) > len(best):
            best = prefix
    return best


def page_number_lines(lines: Sequence[str]) -> set[int]:
    """Lines that hold only a page number: at least ``MIN_REPEATS`` of them, mostly rising (pure)."""
    found = [(i, int(line)) for i, line in enumerate(lines) if _PAGE_NUMBER.match(line)]
    if len(found) < MIN_REPEATS:
        return set()
    rising = sum(b > a for (_, a), (_, b) in zip(found, found[1:]))
    return {i for i, _ in found} if rising >= 0.75 * (len(found) - 1) else set()


def strip_furniture(lines: Sequence[str]) -> list[str]:
    """``lines`` without running headers and page-number lines, and with sentences they cut joined (pure).

    Other lines are kept as they are (blank lines too), so the document's structure is unchanged."""
    out = list(lines)
    header = running_header(out)
    numbers = page_number_lines(out)
    if header is None and not numbers:
        return out
    cuts: list[int] = []  # where furniture was: the index of the first line after it
    header = header or ""
    words = header.split()
    for i, line in enumerate(out):
        if i in numbers:
            out[i] = ""
            cuts.append(i + 1)
        elif words and line.split()[: len(words)] == words:
            rest = line.lstrip()[len(header):] if line.lstrip().startswith(header) else _after_words(line, header)
            out[i] = rest.strip()
            cuts.append(i)
    for at in cuts:
        _join_across(out, at, drop_number=bool(words) and bool(numbers))
    return out


def _after_words(line: str, header: str) -> str:
    words = line.split()
    return " ".join(words[len(header.split()):])


def _join_across(lines: list[str], at: int, drop_number: bool) -> None:
    """Join the last non-blank line before ``at`` with the first at or after it, when a sentence runs on."""
    before = next((k for k in range(min(at, len(lines)) - 1, -1, -1) if lines[k].strip()), None)
    after = next((k for k in range(at, len(lines)) if lines[k].strip()), None)
    if before is None or after is None or _NOT_PROSE.match(lines[after]):
        return
    head, tail = lines[before].rstrip(), lines[after].lstrip()
    if drop_number and _TRAILING_NUMBER.search(head) and tail[:1].islower():
        head = _TRAILING_NUMBER.sub("", head)  # "... will transfer 2" | header | "a higher share": page 2's number
    if _ENDS_CLOSED.search(head) or not tail[:1].islower() or lines[before].lstrip().startswith(("#", "|")):
        return
    glue = "" if head.endswith("-") and not head.endswith(" -") else " "  # "62-" + "day": one compound
    lines[before] = head + glue + tail
    for k in range(before + 1, after + 1):
        lines[k] = ""
