"""Periods a document or a figure is for: NHS financial years ("2025/26") and runs of them.

A financial year runs April to March; ``2025/26`` starts in April 2025. A period is one year or a
run (``2026/27 to 2028/29``); it is kept as written for labels and as its first and last starting
years for comparison.

Example::

    >>> find_periods("Medium term planning framework 2026/27 to 2028/29")
    [Period(start=2026, end=2028, text='2026/27 to 2028/29')]
    >>> parse_period("2025/26").covers(parse_period("2025/26"))
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "2025/26", "2025-26", "2025/2026", "2025–26"; the second year must follow the first.
_YEAR = r"(20\d{2})\s*[/\u2013\u2014-]\s*(\d{2}|20\d{2})"
_RUN = re.compile(rf"(?<![\d/])({_YEAR})(?:\s*(?:to|until|through|[\u2013\u2014-])\s*({_YEAR}))?(?![\d/])", re.I)


@dataclass(frozen=True, order=True)
class Period:
    """A run of financial years by the calendar year each starts in (``2025/26`` is 2025)."""

    start: int
    end: int
    text: str = ""
    """As written in the document or manifest (normalised to ``2025/26`` form)."""

    def covers(self, other: "Period") -> bool:
        """Whether every year of ``other`` lies in this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.end and other.start <= self.end

    def years(self) -> list[str]:
        """Each financial year of the period as ``2025/26``."""
        return [fy(y) for y in range(self.start, self.end + 1)]

    def __str__(self) -> str:
        return self.text or (fy(self.start) if self.start == self.end else f"{fy(self.start)} to {fy(self.end)}")


def fy(start_year: int) -> str:
    """``2025`` -> ``"2025/26"`` (pure)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _year(first: str, second: str) -> int | None:
    start = int(first)
    follows = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return start if follows == start + 1 else None


def find_periods(text: str) -> list[Period]:
    """Every financial year or run of years written in ``text``, in order (pure).

    ``"2026/27 to 2028/29"`` is one period; ``"2025/26"`` another; ``"2024/2025"`` counts, ``"2025/30"``
    (not consecutive years) does not.
    """
    out = []
    for m in _RUN.finditer(text or ""):
        start = _year(m.group(2), m.group(3))
        if start is None:
            continue
        end = start
        if m.group(4):
            last = _year(m.group(5), m.group(6))
            if last is not None and last > start:
                end = last
        out.append(Period(start, end, fy(start) if start == end else f"{fy(start)} to {fy(end)}"))
    return out


def without_periods(text: str) -> str:
    """``text`` with every period written in it taken out (and a "for" before it) (pure)."""
    return re.sub(rf"(?:\bfor\s+)?{_RUN.pattern}", " ", text or "", flags=re.I)


def parse_period(text: str | None) -> Period | None:
    """The first period written in ``text``; None when there is none (pure)."""
    found = find_periods(text or "")
    return found[0] if found else None


def mentions_year(text: str, year: str) -> bool:
    """Whether ``text`` names the financial year ``year`` (``2026/27``, also ``2026-27``, ``2026/2027``) (pure)."""
    wanted = parse_period(year)
    if wanted is None:
        return False
    for period in find_periods(text):
        if period.covers(wanted):
            return True
    return False


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(20\d{2})(?![\d/])", re.I)


def month_periods(text: str) -> list[Period]:
    """The financial year of each month and year written in ``text``: ``March 2026`` is in 2025/26, ``April 2026``
    in 2026/27 (pure). A deadline is named by its month far more often than by its financial year."""
    out = []
    for m in _MONTH_YEAR.finditer(text or ""):
        month = _MONTHS.index(m.group(1).lower()) + 1
        start = int(m.group(2)) - (1 if month < 4 else 0)
        out.append(Period(start, start, fy(start)))
    return out
