"""A question about a "non-" kind of thing, and a sentence that names only the plain kind (pure, no model).

"Can a *non-executive* member send a deputy?" is not answered by "*Executive* members may nominate a deputy": the
sentence is about the contrary group, and it scores as well as the one that answers ("Non-executive Members ...
may not nominate deputies") or better, since it shares every other word. A sentence that names the kind only
without its "non-" ("executive", "Executive members") and never with it ("non-executive") is about the other
group; one that names neither leaves the group open ("They may not nominate deputies").

Example::

    >>> asked_non_kinds("Can a non-executive member send a deputy?")
    ['executive']
    >>> names_contrary("executive", "Executive members may nominate a deputy.")
    True
    >>> names_contrary("executive", "Non-executive Members may not nominate deputies.")
    False
"""

from __future__ import annotations

import re

from assistant.text.terms import terms

_NON = re.compile(r"\bnon-([A-Za-z]+)", re.I)
_WORD = re.compile(r"[A-Za-z]+")


def asked_non_kinds(question: str) -> list[str]:
    """The words a question negates with a hyphenated "non-" ("non-executive", "non-clinical"), lower case (pure)."""
    return list(dict.fromkeys(m.group(1).lower() for m in _NON.finditer(question) if terms(m.group(1))))


def names_contrary(word: str, sentence: str) -> bool:
    """Whether ``sentence`` names ``word``'s kind (by stem) without "non-" and never with it (pure)."""
    stem = terms(word)[0]
    plain = negated = False
    for m in _WORD.finditer(sentence):
        if terms(m.group(0))[:1] != [stem]:
            continue
        if re.search(r"\bnon[-‐‑\s]?$", sentence[max(0, m.start() - 5):m.start()], re.I):
            negated = True
        else:
            plain = True
    return plain and not negated
