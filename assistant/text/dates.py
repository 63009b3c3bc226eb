"""Dates: normalise the ways documents and manifests write them to ISO, and order them.

Example::

    >>> normalise_date("5th December 2024")
    '2024-12-05'
    >>> date_ordinal("2025-01")
    20250100
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_FORMATS = (
    ("%d/%m/%Y", "%Y-%m-%d"),  # UK order: NHS documents are British
    ("%d.%m.%Y", "%Y-%m-%d"),
    ("%d %B %Y", "%Y-%m-%d"),
    ("%d %b %Y", "%Y-%m-%d"),
    ("%B %d, %Y", "%Y-%m-%d"),
    ("%B %Y", "%Y-%m"),
    ("%b %Y", "%Y-%m"),
    ("%Y/%m/%d", "%Y-%m-%d"),
    ("%Y/%m", "%Y-%m"),
)


def normalise_date(value: str | None) -> str:
    """ISO ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` when recognisable, else the text as given (pure)."""
    value = (value or "").strip()
    if not value or _ISO_DATE.match(value):
        return value
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value):
        return value[:10]
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", value)  # "5th December 2024"
    for parse_fmt, out_fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, parse_fmt).strftime(out_fmt)
        except ValueError:
            continue
    return value


def iso_date(value: Any) -> str:
    """A ``date``/``datetime`` as ``YYYY-MM-DD``; anything else as ``""`` (pure)."""
    return value.strftime("%Y-%m-%d") if isinstance(value, (datetime, date)) else ""


def date_ordinal(date_text: str) -> int:
    """``"2025-01-29"`` → 20250129, ``"2025-01"`` → 20250100, ``"2025"`` → 20250000, else 0 (for range filters)."""
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date_text or "")
    if not m:
        return 0
    year, month, day = m.group(1), m.group(2) or "0", m.group(3) or "0"
    return int(year) * 10000 + int(month) * 100 + int(day)
