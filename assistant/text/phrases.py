"""Phrases a question quotes, and whether a text writes them (pure functions).

Example::

    >>> quoted_phrases("Which component takes a 'Home First' approach?")
    ['Home First']
    >>> holds_phrase("E. Integrated intermediate care with a ‘Home  First’ approach", "home first")
    True
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

# A phrase in straight or curly quotes, opened after a space or bracket (not an apostrophe: "Hewitt's").
QUOTED = re.compile(r"(?:^|(?<=[\s(]))[\"“‘']([^\"“”‘’]{2,80}?)[\"”’'](?!\w)")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def phrase_of(match: re.Match[str]) -> str:
    """The quoted words of a ``QUOTED`` match, without the punctuation US style puts inside the quotes ("… blockchain,")."""
    return match.group(1).strip().rstrip(",.;:!?").strip()


def quoted_phrases(question: str) -> list[str]:
    """The phrases ``question`` quotes that have a content word, once each (pure)."""
    found = (phrase_of(m) for m in QUOTED.finditer(question))
    return list(dict.fromkeys(p for p in found if terms(p)))


_BROKEN = re.compile(r"([a-z])- ([a-z])")  # a word hyphenated at a PDF line end: "consensus al- gorithm"


def _plain(text: str) -> str:
    return _BROKEN.sub(r"\1\2", " ".join(text.translate(_QUOTES).lower().split()))


def holds_phrase(text: str, phrase: str) -> bool:
    """Does ``text`` write ``phrase`` (case, quote style and spacing aside)? (pure)"""
    return _plain(phrase) in _plain(text)
