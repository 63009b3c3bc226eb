"""Keyword-side word forms: a question word the corpus never uses, matched by the corpus's own form of it.

The English stemmer joins inflections ("recruits", "recruiting" -> "recruit") but not every
derivation: "abolished" stems to "abolish", "abolition" to "abolit", "complain" and "complaint"
differ, "pricey" is not "price". A question word whose stem is in no chunk adds nothing to BM25, so a
question asked with the verb misses a passage written with the noun. For such a word only, the
corpus stems that share all but its last letters (``prefix_variants``) are candidates, and one is
kept when the model finds the two words alike (a word the corpus uses, read from a chunk holding it,
against the question's word): "abolished"/"abolition" 0.68, "outpaced"/"outpatient" 0.35, so
"outpaced" is not read as "outpatient". The kept stems are scored at a lower weight beside the
question's own (``KeywordRetriever``). A stem the corpus has is never expanded: its own matches are
what BM25 is for, and expanding known words (acronyms, RM3) diluted them (docs/retrieval.md).

Example::

    >>> prefix_variants("abolish", ["abolit", "abl", "abolish"])
    ['abolit']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from assistant.retrieval.sparse import TOKEN_PATTERN, keyword_query, stemmer

MIN_PREFIX = 4  # with the last-letter rule: "merg"/"merger", "leak"/"leakag"; shorter ones join unrelated words
MIN_SIMILARITY = 0.6  # cosine of the two words' embeddings (all-MiniLM-L6-v2): derivations ~0.65-0.85, look-alikes < 0.5
WEIGHT = 0.5  # of a variant's BM25 score beside the question's own terms
MAX_VARIANTS = 8  # candidates looked at per word (each needs a chunk's text and an embedding)


def question_words(query: str, stopwords: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The keyword query's words with their stems, as BM25 tokenises them (lower case, stopwords out), once each (pure)."""
    words = [w.lower() for w in re.findall(TOKEN_PATTERN, keyword_query(query))]
    words = list(dict.fromkeys(w for w in words if w not in stopwords))
    return list(zip(words, stemmer().stemWords(words))) if words else []


def prefix_variants(stem: str, vocab: Sequence[str]) -> list[str]:
    """Stems of ``vocab`` (sorted) that could be another form of ``stem``: they share its first
    ``MIN_PREFIX`` letters and all but the last letter of the shorter of the two (pure).

    "abolish"/"abolit", "complain"/"complaint", "pricey"/"price"; not "commit"/"communiti".
    """
    if len(stem) < MIN_PREFIX:
        return []
    head = stem[:MIN_PREFIX]
    at = bisect.bisect_left(vocab, head)
    out = []
    while at < len(vocab) and vocab[at].startswith(head):
        other = vocab[at]
        at += 1
        if other == stem or abs(len(other) - len(stem)) > 4:
            continue
        shared = len(_common_prefix(stem, other))
        if shared >= min(len(stem), len(other)) - 1:
            out.append(other)
    return out


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def surface_form(stem: str, text: str) -> str | None:
    """A word of ``text`` whose stem is ``stem`` (lower case), or None (pure)."""
    words = list(dict.fromkeys(w.lower() for w in re.findall(TOKEN_PATTERN, text)))
    for word, word_stem in zip(words, stemmer().stemWords(words) if words else []):
        if word_stem == stem:
            return str(word)
    return None


def corpus_variants(
    words: Sequence[tuple[str, str]],
    vocab: Sequence[str],
    known: Callable[[str], bool],
    text_of: Callable[[str], str | None],
    similarity: Callable[[str, Sequence[str]], Sequence[float]],
) -> list[str]:
    """The corpus stems to add for the question ``words`` ((word, stem) pairs): for each word whose stem is
    not ``known`` to the corpus, its ``prefix_variants`` in ``vocab`` (sorted) whose form in the corpus
    (``surface_form`` of ``text_of(stem)``, a chunk holding it) ``similarity`` finds alike (>= MIN_SIMILARITY)."""
    out: list[str] = []
    for word, stem in words:
        if known(stem):
            continue
        candidates = []
        for other in prefix_variants(stem, vocab)[:MAX_VARIANTS]:
            form = surface_form(other, text_of(other) or "")
            if form is not None:
                candidates.append((other, form))
        if not candidates:
            continue
        scores = similarity(word, [form for _, form in candidates])
        out += [other for (other, _), s in zip(candidates, scores) if s >= MIN_SIMILARITY and other not in out]
    return out
