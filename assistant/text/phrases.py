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


def quoted_phrases(question: str) -> list[str]:
    """The phrases ``question`` quotes that have a content word, once each (pure)."""
    found = (m.group(1).strip() for m in QUOTED.finditer(question))
    return list(dict.fromkeys(p for p in found if terms(p)))


def _plain(text: str) -> str:
    return " ".join(text.translate(_QUOTES).lower().split())


def holds_phrase(text: str, phrase: str) -> bool:
    """Does ``text`` write ``phrase`` (case, quote style and spacing aside)? (pure)"""
    return _plain(phrase) in _plain(text)
