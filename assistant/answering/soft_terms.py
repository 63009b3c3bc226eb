"""Partial lexical credit for a question word the sentence says in another word: "set up" / "established".

A sentence's support blends its embedding similarity with its lexical coverage of the question
(``extractive._blend``); a question word the sentence paraphrases gives coverage nothing. Here a question word
absent from a sentence counts ``WEIGHT`` of its IDF weight when the sentence holds one of the corpus words the
embedding model places near it alone (``retrieval.related.near_words``, the related-word table of the keyword side).

Never for what a near word would wrongly stand in for: figures and number or date words ("2025" / "2026", "two" /
"three"), names (a capitalised word: "England" / "Scotland"), and the words that narrow a kind the sibling guards
check ("*locum* use" / "*bank* use": ``sibling_kinds.asked_kinds``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping

from assistant.retrieval.related import EXACT_WORDS, MIN_LENGTH
from assistant.text.terms import STOPWORDS, TermStats, terms

WEIGHT = 0.5  # share of a paraphrased word's IDF weight counted (tune + fresh sets)
# A period's length or unit: a near one is another period ("month" -> "week", "year").
PERIOD_WORDS = frozenset("hour hours day days daily week weeks weekly month months monthly year years yearly annual "
                         "annually quarterly decade decades".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def soft_words(question: str, skip: Collection[str] = ()) -> list[tuple[str, str]]:
    """(word, stem) of each question word a near word may stand in for: lower-case, ``MIN_LENGTH`` letters or more,
    not a stopword, number or date word, nor a stem in ``skip`` (pure)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for word in _WORD.findall(question):
        low = word.lower().strip("'’-")
        if (word[:1].isupper() or not low.isalpha() or len(low) < MIN_LENGTH or low in STOPWORDS
                or low in EXACT_WORDS or low in PERIOD_WORDS):
            continue  # a capitalised word is a name (or starts the question: its asking word, "Which", "How")
        stems = terms(low)
        if len(stems) != 1 or stems[0] in skip or stems[0] in seen:
            continue
        seen.add(stems[0])
        out.append((low, stems[0]))
    return out


def near_stems(words: Iterable[tuple[str, str]], near_words: Callable[[str], Collection[str]]) -> dict[str, frozenset[str]]:
    """Per question stem, the stems of the corpus words near its word (``near_words``), without the question's own
    stems and number or date words (pure given ``near_words``)."""
    words = list(words)
    own = {stem for _, stem in words}
    exact = set(terms(" ".join(sorted(EXACT_WORDS | PERIOD_WORDS))))
    out: dict[str, frozenset[str]] = {}
    for word, stem in words:
        found = {t for near in near_words(word) for t in terms(near.lower()) if t not in own and t not in exact}
        if found:
            out[stem] = frozenset(found)
    return out


def soft_coverage(query_terms: Iterable[str], text_terms: Iterable[str], stats: TermStats,
                  near: Mapping[str, Collection[str]], weight: float | None = None) -> float:
    """``terms.coverage`` where an absent query term with a near stem in the text counts ``weight`` of its IDF (pure)."""
    weight = WEIGHT if weight is None else weight
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    present = set(text_terms)
    total = sum(stats.idf(t) for t in wanted)
    if not total:
        return 0.0
    got = sum(stats.idf(t) if t in present else weight * stats.idf(t) if present & set(near.get(t, ())) else 0.0
              for t in wanted)
    return got / total
