"""Character-level normalisation, list markers and hyphenation repair (pure functions).

Why ligatures and soft hyphens are normalised in the text itself rather than only for search:
quotes must stay exact slices of ``PdfText.text``, and that text is what a reader sees; a reader
sees "fi", not U+FB01, so search, quoting and display all work on one string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
# Bullet glyphs from Symbol/Wingdings fonts (private use area) and their Unicode look-alikes.
BULLET_GLYPHS = frozenset("•●▪■◦○◆◇►▸‣⁃∙·➢➤✓✔□❖\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8")
_GLYPH_MAP = {**_LIGATURES, "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": "",
              "\ufeff": "", "\u2010": "-", "\u2011": "-", "\uf0b7": "•", "\uf0a7": "▪", "\uf0fc": "✓", "\uf0d8": "➢"}


def normalise_glyph(char: str) -> str:
    """What one PDF character reads as: ligatures expanded, odd spaces and symbol-font bullets mapped."""
    return _GLYPH_MAP.get(char, char)


# A list marker at the start of a line: a bullet glyph, "1." "1)" "(a)" "a)" "(iv)" "iv." or Word's
# Courier "o" / a dash when set apart from the text (checked by the caller).
_NUMBERED = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\([a-z]\)|\(?[ivx]{1,5}[.)]|\([ivx]{1,5}\)|[A-Z][.)])$")
_LOOSE_BULLETS = frozenset("o-–*")


def list_marker(first_word: str, gap_after: float, size: float) -> str | None:
    """The normalised marker when a line's first word is one ("•", "1.", "(a)"), else ``None``.

    ``gap_after`` is the space before the next word: Word sets a tab after markers, so loose
    markers ("o", "-") count only when set apart by more than an ordinary space.
    """
    word = first_word.strip()
    if not word:
        return None
    if word in BULLET_GLYPHS or (len(word) == 1 and unicodedata.category(word) == "Co"):
        return "•"
    if word in _LOOSE_BULLETS and gap_after > 0.45 * size:
        return "•"
    if _NUMBERED.match(word) and not re.match(r"^\d{4}", word):
        return word
    return None


_OUTLINE_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,3}){1,3}\.?$")


def outline_marker(first_word: str, gap_after: float, size: float) -> str | None:
    """A paragraph number with two or more levels ("1.3.4", "3.2") set apart by a tab, else ``None``.

    Guidelines number each recommendation so, with the text hung from a tab stop; without a marker
    the items run into one paragraph and a closing "[2025]" date tag is read into the next item's
    first sentence. An ordinary space after the number (a cross-reference, "1.2 above") is no tab.
    """
    if _OUTLINE_NUMBER.match(first_word.strip()) and gap_after > 1.5 * size:
        return first_word.strip()
    return None


_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")


def ends_sentence(text: str) -> bool:
    """The text ends with sentence (or clause-list) punctuation."""
    return bool(_TERMINAL.search(text.rstrip()))


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Lower-cased words of a document, hyphenated compounds kept whole too ("long-term" and "long", "term").

    A word ending in a hyphen is the first half of a line-end break ("phar-"), never a word of its own.
    """
    vocab: set[str] = set()
    for text in texts:
        for token in text.split():
            token = token.strip(".,;:!?()[]\"'“”‘’").lower()
            if token and not token.endswith(("-", "\u00ad")):
                vocab.add(token)
                vocab.update(_WORD.findall(token))
    return vocab


def join_hyphenated(left: str, right: str, vocab: set[str]) -> str | None:
    """Join a word broken at a line end, or ``None`` when it is not a line-end hyphenation.

    ``left`` ends with the hyphen. A soft hyphen always joins. A hard hyphen joins ("treat-" +
    "ment" → "treatment") unless the document itself shows the hyphenated compound ("long-term")
    or both halves are words it uses on their own while the joined form never appears.
    """
    if not left or not right or left[-1] not in "-\u00ad" or len(left) < 2 or not left[-2].isalpha():
        return None
    if not right[0].islower():
        return None
    head = left[:-1]
    if left[-1] == "\u00ad":
        return head + right
    first, rest = _WORD.findall(head)[-1:] or [""], _WORD.match(right)
    head_word, tail_word = first[0].lower(), rest.group(0).lower() if rest else ""
    if f"{head_word}-{tail_word}" in vocab:
        return left + right
    if f"{head_word}{tail_word}" in vocab:
        return head + right
    if head_word in vocab and tail_word in vocab and len(head_word) > 2 and len(tail_word) > 2:
        return left + right
    return head + right


def squash(text: str) -> str:
    """Letters and digits only, case-folded, ligatures expanded: the form quotes are matched in."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_DIGITS = re.compile(r"\d+")


def furniture_key(text: str) -> str:
    """A line's text with digits as '#' and spacing collapsed: "Page 11 of 58" → "page # of #"."""
    return " ".join(_DIGITS.sub("#", text).lower().split())


def digit_groups(text: str) -> list[int]:
    return [int(d) for d in _DIGITS.findall(text) if len(d) <= 6]
