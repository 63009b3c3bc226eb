"""The period a question asks about, and whether a sentence (or its passage) states that period (pure, no model).

A figure is for a period: "a national target of a 30% reduction in agency use *in 2026/27*" does not say what
is targeted for 2027/28, however many other pages of the same plan mention 2027/28. Matching a year by its
digits let "2027/28" be met by "March 2027" or "2028/29" (they share "2027" or "2028"), and by any other
passage of the document. So a period the question asks about must be stated, as that period, by the sentence
or the passage it sits in (a table's column heading is in the passage; its document's other pages are not):

- a financial year ("2027/28") is stated by the same financial year, a date inside it ("March 2028"), or, in
  the sentence itself, a calendar year it starts or ends in ("by 2028"; a passage's other years are often
  publication dates or far horizons); a run of years ("2026/27 to 2028/29") covers the years between its
  ends only in the sentence itself (a multi-year plan's title or a heading names its span, not a figure
  for each year);
- a calendar year ("by 2030") by that year, a date in it, or a financial year starting or ending in it;
- a month and year ("by March 2028") by the same month and year, that year alone, or the financial year
  holding it ("2027/28"), not the next one ("2028/29"); a sentence dated by another month ("In August 2024, the
  leaver rate was 6.96%, below the target range for 2023/24") does not state August 2023, whatever else it dates;
- a period named only as the baseline of a comparison ("4.0% in the first half of 2024/25 *compared to* the same
  period in 2023/24", "the improvement seen *between* 2022/23 and 2023/24", "*since* 2021/22", "*than in* 2019",
  "2019/20 *levels*") is not stated: the figure is for the other period, or for the change, unless the question
  names it as a baseline too ("how many more than in 2019?", ``worded_as_baseline``).

Example::

    >>> states_period(asked_period("2027/28"), "a 30% reduction in agency use in 2026/27", "")
    False
    >>> states_period(asked_period("March 2028"), "at least 92% by 2028/29", "")
    False
    >>> states_period(asked_period("2027/28"), "Target for all years 2026/27 to 2028/29: 100%", "")
    True
    >>> states_period(asked_period("2026/27"), "a productivity target of 2% for 2025/26", "Planning for 2026/27")
    False
    >>> states_period(asked_period("2022/23"), "the c.2% improvement seen between 2022/23 and 2023/24", "")
    False
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.text.periods import find_periods, without_periods

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+((?:19|20)\d{2})(?![\d/])", re.I)
_CALENDAR = re.compile(r"(?<![\d/£$.,])((?:19|20)\d{2})(?![\d/%]|,\d|\.\d)")
_FY = re.compile(r"^(?:19|20)\d{2}\s*[/\u2013-]\s*\d{2,4}$")


@dataclass(frozen=True)
class AskedPeriod:
    """A period named in a question: ``fy`` (``year`` is the calendar year it starts in), ``year``, or ``month``."""

    kind: str
    year: int
    month: int = 0

    def fy_start(self) -> int:
        """The calendar year the financial year holding this period starts in (a calendar year: its own)."""
        return self.year - 1 if self.kind == "month" and self.month < 4 else self.year


def asked_period(words: str) -> AskedPeriod | None:
    """The period ``words`` (a figure as a question words it: "2027/28", "2030", "March 2028") names, or None (pure)."""
    words = words.strip()
    if _FY.match(words):
        found = find_periods(words)
        return AskedPeriod("fy", found[0].start) if found and found[0].start == found[0].end else None
    dated = _MONTH_YEAR.fullmatch(words)
    if dated:
        return AskedPeriod("month", int(dated.group(2)), _MONTHS.index(dated.group(1).lower()) + 1)
    if re.fullmatch(r"(?:19|20)\d{2}", words):
        return AskedPeriod("year", int(words))
    return None


@dataclass(frozen=True)
class _Stated:
    runs: tuple[tuple[int, int], ...]  # financial years and runs, by start year of their ends
    months: tuple[tuple[int, int], ...]  # (month, calendar year)
    years: tuple[int, ...]  # calendar years written alone


def _stated(text: str) -> _Stated:
    runs = tuple((p.start, p.end) for p in find_periods(text))
    rest = without_periods(text)
    months = tuple((_MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))) for m in _MONTH_YEAR.finditer(rest))
    rest = _MONTH_YEAR.sub(" ", rest)
    return _Stated(runs, months, tuple(int(m.group(1)) for m in _CALENDAR.finditer(rest)))


def _fy_of(month: int, year: int) -> int:
    return year - 1 if month < 4 else year


def _meets(asked: AskedPeriod, stated: _Stated, inside_runs: bool) -> bool:
    if asked.kind == "fy":
        ends = any(asked.year in (a, b) or inside_runs and a <= asked.year <= b for a, b in stated.runs)
        return (ends or any(_fy_of(m, y) == asked.year for m, y in stated.months)
                or inside_runs and any(y in (asked.year, asked.year + 1) for y in stated.years))
    if asked.kind == "year":
        return (asked.year in stated.years or any(y == asked.year for _, y in stated.months)
                or any(asked.year in (a, b, a + 1, b + 1) or inside_runs and a <= asked.year <= b + 1
                       for a, b in stated.runs))
    start = asked.fy_start()  # a month and year
    return ((asked.month, asked.year) in stated.months or asked.year in stated.years
            or any(start in (a, b) or inside_runs and a <= start <= b for a, b in stated.runs))


def states_period(asked: AskedPeriod | None, sentence: str, passage: str, baseline: bool = False) -> bool:
    """Whether ``sentence``, or else ``passage`` (its passage text, section heading and title), states the period
    ``asked`` (from ``asked_period``); a run of years covers the years between its ends, and a calendar year a
    financial year, only in the sentence; a period named as a comparison's baseline counts only when ``baseline``
    (the question names it as one too) (pure)."""
    if asked is None:
        return True
    compares = not baseline and bool(_baseline_spans(sentence))
    if not baseline:
        sentence, passage = without_baselines(sentence), without_baselines(passage)
    own = _stated(sentence)
    if compares and (own.runs or own.months or own.years) and not _meets(asked, own, True):
        return False  # "the improvement seen between 2022/23 and 2023/24" is 2023/24's: its passage's 2022/23 is another figure's
    if asked.kind == "month" and own.months and not _meets(asked, replace(own, runs=()), True):
        return False  # "In August 2024, the leaver rate was 6.96%, below the target range for 2023/24": dated by its month
    if asked.kind == "fy" and _dated(sentence) and not _meets(asked, own, True):
        return False  # "a productivity target of 2% *for 2025/26*" is dated: its passage's 2026/27 is another figure's
    return _meets(asked, own, True) or _meets(asked, _stated(passage), False)


# A financial year that dates what a sentence says: "for / in / during / by 2025/26" (not a baseline: "compared with
# 2024/25", "from 2023/24 levels").
_DATING = re.compile(r"\b(?:for|in|during|by)\s+(?:the\s+)?(?=20\d{2}\s*[/\u2013-]\s*\d{2})", re.I)


def _dated(sentence: str) -> bool:
    """Whether ``sentence`` dates itself by a financial year (pure)."""
    return any(find_periods(sentence[m.end():m.end() + 24]) for m in _DATING.finditer(sentence))


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
_FY_OR_YEAR = r"(?:19|20)\d{2}(?:\s*[/\u2013-]\s*\d{2}(?!\d)|(?![\d/%]|,\d|\.\d))"
# A period named as what a figure is compared with. "between A and B": A only (a change between two years is the
# later year's). "than": not "no later than the end of 2028/29" (a deadline). "since": a financial year only ("since
# May 2024 we have launched" dates the launch). The filler: "compared to *the same period in* 2023/24", "*H1* 2023/24".
_BASELINE = re.compile(
    r"(\b(?:between|compared\s+(?:with|to)|relative\s+to|(?<!later\s)(?<!earlier\s)(?<!sooner\s)than"
    r"(?:\s+(?:in|during|for|at))?)\s+(?:the\s+)?(?:(?:same\s+period|same\s+time|end|start)\s+(?:in|of|last)\s+)?(?:[HQ][1-4]\s+)?"
    rf"(?:{_MONTH_WORD})?)({_FY_OR_YEAR})"
    r"|(\bsince\s+)((?:19|20)\d{2}\s*[/\u2013-]\s*\d{2}(?!\d))"
    rf"|()({_FY_OR_YEAR})(?=\s+(?:levels?|baselines?)\b)",
    re.I,
)


def _baseline_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a period as the baseline of a comparison (the period's own characters) (pure)."""
    spans = []
    for m in _BASELINE.finditer(text):
        group = next(g for g in (2, 4, 6) if m.group(g))
        spans.append(m.span(group))
    return spans


def without_baselines(text: str) -> str:
    """``text`` with each period it names only as a comparison's baseline blanked out (pure)."""
    for start, end in reversed(_baseline_spans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def worded_as_baseline(question: str, figure: str) -> bool:
    """Whether ``question`` names the period ``figure`` (as the question words it) as a comparison's baseline:
    "how many more than in 2019?" (pure)."""
    return any(figure.split()[-1] in question[a:b] for a, b in _baseline_spans(question))
