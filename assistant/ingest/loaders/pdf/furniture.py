"""Running headers, footers and page numbers, found by what repeats across pages (pure).

A line is furniture when it lies in the top or bottom band of its page and its text, with digits
normalised ("Page 11 of 58" → "page # of #"), recurs in that band on other pages. No list of
known strings: the document itself says what its furniture is. The page numbers those lines
print give each page's printed label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .model import Line, PageLayout
from .textnorm import digit_groups, furniture_key

BAND = 0.13  # share of the page height at the top and at the bottom where furniture lives


@dataclass
class Furniture:
    """Which lines are furniture, and the page numbers they print."""

    lines: set[int] = field(default_factory=set)  # id() of furniture Line objects
    printed: dict[int, str] = field(default_factory=dict)  # physical page -> printed number


def _band(line: Line, page: PageLayout) -> str | None:
    if line.bottom <= page.height * BAND:
        return "top"
    if line.top >= page.height * (1 - BAND):
        return "bottom"
    return None


def find_furniture(pages: list[PageLayout]) -> Furniture:
    """Lines whose band-and-text key recurs on at least two pages and a quarter of the text pages."""
    keyed: dict[tuple[str, str], list[tuple[int, Line]]] = defaultdict(list)
    for page in pages:
        seen: set[tuple[str, str]] = set()
        for item in page.items:
            if not isinstance(item, Line):
                continue
            band = _band(item, page)
            key = (band or "", furniture_key(item.text))
            if band is None or not key[1] or key in seen:
                continue
            seen.add(key)
            keyed[key].append((page.number, item))
    text_pages = sum(1 for p in pages if p.items)
    need = max(2, round(0.25 * text_pages))
    result = Furniture()
    numbered: list[list[tuple[int, Line]]] = []
    for (_, text_key), hits in keyed.items():
        if len(hits) < need:
            continue
        result.lines.update(id(line) for _, line in hits)
        if "#" in text_key:
            numbered.append(hits)
    result.printed, offset = _printed_numbers(numbered)
    if offset is not None:
        _stray_page_numbers(pages, result, offset)
    return result


def _stray_page_numbers(pages: list[PageLayout], result: Furniture, offset: int) -> None:
    """A page's first or last line that prints its page number (at the document's offset) is furniture too,
    even when its wording is its own (a contents page's "1 | Title" among pages that print a bare "3")."""
    for page in pages:
        lines = [it for it in page.items if isinstance(it, Line) and id(it) not in result.lines]
        for line in {id(x): x for x in lines[:1] + lines[-1:]}.values():
            if _band(line, page) and len(line.text) <= 100 and page.number + offset in digit_groups(line.text):
                result.lines.add(id(line))
                result.printed.setdefault(page.number, str(page.number + offset))


def _printed_numbers(groups: list[list[tuple[int, Line]]]) -> tuple[dict[int, str], int | None]:
    """The number each page prints: a digit group at a constant offset from the physical page.

    The offset is the one most pages agree on (NHS England's covers are unnumbered, so page 2
    prints "1"); any furniture line of a page showing a number at that offset gives its label.
    """
    votes: Counter[int] = Counter()
    for hits in groups:
        for page, line in hits:
            votes.update({value - page for value in set(digit_groups(line.text))})
    if not votes:
        return {}, None
    offset, support = votes.most_common(1)[0]
    if support < 2:
        return {}, None
    printed: dict[int, str] = {}
    for hits in groups:
        for page, line in hits:
            if page + offset in digit_groups(line.text) and page + offset >= 0:
                printed.setdefault(page, str(page + offset))
    return printed, offset
