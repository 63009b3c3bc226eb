"""Word list numbering: the marker Word draws before a numbered or bulleted paragraph ("1.1.1", "a)", "•").

python-docx exposes a paragraph's ``numPr`` (numbering id and level) but not the number Word shows,
which lives in ``numbering.xml`` (abstract definitions: format, text pattern, start per level) and
in the counters of every list paragraph before it; this module replays them in document order.
Lists that share an abstract definition continue one another's counts (as Word and LibreOffice
show them) unless a ``startOverride`` restarts them.

Example::

    >>> numbers = Numbering.from_part(document.part)
    >>> numbers.marker(num_id=5, level=2)
    '1.1.1'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
BULLET = "•"
_BULLETS = {"o": "◦", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "-": "–", "–": "–"}


def _val(element: Any, tag: str) -> str | None:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Level:
    """One level of a list definition: number format ("decimal", "bullet" ...), text pattern ("%1.%2"), start."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False  # isLgl: every level's number shown as decimal


@dataclass
class Numbering:
    """The document's list definitions and, as paragraphs are read in order, their counters."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> level -> startOverride
    _counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstract definition
    _started: set[str] = field(default_factory=set)  # numIds seen (an override applies at first use)

    @classmethod
    def from_part(cls, document_part: Any) -> Numbering:
        """Read ``numbering.xml`` of a python-docx document part; empty when the document has none."""
        try:
            root = document_part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()
        return cls.from_element(root)

    @classmethod
    def from_element(cls, root: Any) -> Numbering:
        numbering = cls()
        links: dict[str, str] = {}  # abstractNumId -> style it takes its levels from (numStyleLink)
        for abstract in root.findall(f"{_W}abstractNum"):
            aid = abstract.get(f"{_W}abstractNumId") or ""
            levels: dict[int, Level] = {}
            for lvl in abstract.findall(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl"), 0)
                levels[ilvl] = Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else f"%{ilvl + 1}.",  # type: ignore[arg-type]
                    start=_int(_val(lvl, "start"), 1),
                    legal=lvl.find(f"{_W}isLgl") is not None,
                )
            numbering.abstract[aid] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                links[aid] = link
        for num in root.findall(f"{_W}num"):
            nid = num.get(f"{_W}numId") or ""
            numbering.nums[nid] = _val(num, "abstractNumId") or ""
            for override in num.findall(f"{_W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    numbering.overrides.setdefault(nid, {})[_int(override.get(f"{_W}ilvl"), 0)] = _int(start, 1)
        numbering._resolve_style_links(root, links)
        return numbering

    def _resolve_style_links(self, root: Any, links: dict[str, str]) -> None:
        """An abstract definition that only names a numbering style borrows the levels of the style's list."""
        if not links:
            return
        by_style: dict[str, str] = {}
        for abstract in root.findall(f"{_W}abstractNum"):
            style = _val(abstract, "styleLink")
            if style:
                by_style[style] = abstract.get(f"{_W}abstractNumId") or ""
        for aid, style in links.items():
            source = by_style.get(style)
            if source is not None and not self.abstract.get(aid):
                self.abstract[aid] = self.abstract.get(source, {})

    def level(self, num_id: str, ilvl: int) -> Level | None:
        levels = self.abstract.get(self.nums.get(num_id, ""), {})
        return levels.get(ilvl)

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """Count this paragraph and return its marker; ``None`` when the list shows none (numId 0, "none")."""
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        aid = self.nums[num_id]
        levels = self.abstract.get(aid, {})
        ilvl = max(0, min(_LEVELS - 1, ilvl))
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(aid, [None] * _LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for restart_level, start in self.overrides.get(num_id, {}).items():
                counters[restart_level] = start - 1
                for deeper in range(restart_level + 1, _LEVELS):
                    counters[deeper] = None
        for parent in range(ilvl):  # a sub-item before any item of its parent level counts that level as begun
            if counters[parent] is None:
                counters[parent] = levels.get(parent, Level()).start
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        if level.fmt == "none":
            return None
        if level.fmt == "bullet":  # Word's Symbol/Wingdings glyphs as the bullets they draw
            return _BULLETS.get(level.text.strip(), BULLET)
        out = level.text
        for k in range(_LEVELS):
            token = f"%{k + 1}"
            if token not in out:
                continue
            shown = levels.get(k, Level())
            count = counters[k]
            value = count if count is not None else shown.start
            out = out.replace(token, format_number(value, "decimal" if level.legal else shown.fmt))
        return out.strip() or None


def format_number(value: int, fmt: str) -> str:
    """A list counter in a Word number format (pure): decimal, decimalZero, lower/upperLetter, lower/upperRoman."""
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _letters(value: int) -> str:
    # Word repeats the letter past z: 27 -> "aa", 28 -> "bb".
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out
