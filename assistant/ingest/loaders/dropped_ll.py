"""The "ll" that some PDF-to-text converters drop ("wil be", "col aboration", "mil ion"), restored (pure).

Four of the seven NHS England documents we were given as converted text read "wil" for "will", "al" for
"all", "col aboration", "fol owing", "mil ion", "skil s", "annual y": one "l" of an "ll" became a space, or
was lost at a word's end. A question's "collaboration", "following" or "£2 billion" then meets neither the
keyword index nor a like embedding, and a quote reads as damage. Text from our own PDF engine never has it.

Only a document that shows the damage is touched (a converter may damage some of a word's occurrences and not
others): at least ``MIN_DAMAGED`` words (``MIN_DISTINCT`` different ones) that are no known word but are one with
an "l" added ("overal"), or are one of a few short words that English prose has only with the "l" ("wil", "al"). Known words are a word list given by the caller (the embedding model's
WordPiece vocabulary, whole words only). In such a document:

- "Xl Y" becomes "XllY" when that (or it less a plural or "-ed"/"-ly" ending) is a known word ("col aboration",
  "local y", "mental il ness"); "local government" stays, "locallgovernment" being no word;
- then a word "Xl" becomes "Xll" when that is a known word and "Xl" is not ("overal" -> "overall") or is one of
  those short words ("wil" -> "will", "Al" -> "All"); never "et al", nor before a fragment ("pal iative").

Example::

    >>> words = frozenset("will all collaboration following local government million partners be in with need of it".split())
    >>> restore_ll(["Al partners wil be in col aboration with local government.",
    ...             "The fol owing wil need £2 mil ion, al of it, and al wil be."], words)
    ['All partners will be in collaboration with local government.', 'The following will need £2 million, all of it, and all will be.']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

MIN_DAMAGED = 5  # word ends that read as a dropped "l": a document with fewer is left as it is
MIN_DISTINCT = 2
_WORD = re.compile(r"[A-Za-z]+")
_SPLIT = re.compile(r"\b([A-Za-z]*l) (?=([a-z]+)\b)")  # "col aboration": a word cut where its second "l" was
_WORD_END = re.compile(r"(?<![\w'’-])([A-Za-z]*l)(?![\w'’-])")
_ET = re.compile(r"\bet\s*$")
_NEXT = re.compile(r" ([a-z]+)")
# short words that are also tokens of the vocabulary ("wil", "al" as name pieces) but in English prose are these
# words less an "l"; "pal", "tel", "gal" are left alone ("pal iative" that no word list knows, "Tel: 0300 ...")
_SHORT = frozenset("al wil shal stil wel ful smal cal fal".split())


def _known(word: str, vocabulary: frozenset[str]) -> bool:
    low = word.lower()
    return low in vocabulary or any(low.endswith(end) and low[:-len(end)] in vocabulary for end in ("s", "es", "ed", "ly"))


def damaged_word_ends(lines: Sequence[str], vocabulary: frozenset[str]) -> Counter[str]:
    """The word ends of ``lines`` that read as a lost "l", counted (pure)."""
    words = Counter(w.lower() for line in lines for w in _WORD.findall(line))
    out: Counter[str] = Counter()
    for word, n in words.items():
        if word.endswith("l") and word + "l" in vocabulary and (word not in vocabulary or word in _SHORT):
            out[word] = n
    return out


def is_damaged(lines: Sequence[str], vocabulary: frozenset[str]) -> bool:
    """Whether the text shows the dropped-"l" damage (pure)."""
    ends = damaged_word_ends(lines, vocabulary)
    return sum(ends.values()) >= MIN_DAMAGED and len(ends) >= MIN_DISTINCT


def restore_ll(lines: Sequence[str], vocabulary: Iterable[str]) -> list[str]:
    """``lines`` with the dropped "l"s put back, when the text shows that damage; else unchanged (pure)."""
    known = frozenset(vocabulary)
    if not known or not is_damaged(lines, known):
        return list(lines)

    def join(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        return f"{head}l" if _known(f"{head}l{tail}", known) else m.group(0)  # the tail is not consumed: "wil fol ow"

    def end(m: re.Match[str]) -> str:
        word = m.group(1)
        low = word.lower()
        if low + "l" not in known or _ET.search(m.string, 0, m.start()):
            return word
        after = _NEXT.match(m.string, m.end())
        if after and not (_known(after.group(1), known) or after.group(1).endswith("l") and after.group(1) + "l" in known):
            return word  # "pal iative": a cut word no join could mend, not a word of its own
        return word + "l" if low not in known or low in _SHORT else word

    return [_WORD_END.sub(end, _SPLIT.sub(join, line)) for line in lines]


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The embedding model's whole words (its WordPiece ``vocab.txt``), read once; empty when it cannot be read."""
    from assistant.ingest.embedding import model_path  # the model package carries the word list; no model is loaded

    try:
        words = (Path(model_path()) / "vocab.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, RuntimeError):  # no model package (ModelNotFoundError): the text is left as it is
        return frozenset()
    return frozenset(w for w in words if len(w) >= 2 and w.isalpha())
