"""Keyword-side related words mined from the corpus by the embedding model: "hiring" -> "recruitment".

A question asks about "hiring staff from overseas"; the document says "international recruitment".
BM25 matches neither word, WordNet's usual sense of "hiring" is not "recruitment", and
``variants.py`` only joins forms of one word ("abolished"/"abolition"). Here every word the corpus
uses (its most frequent surface form per stem, ``forms.json`` of the keyword index) is embedded
alone once per corpus state (``RelatedTable``); a question word the corpus uses rarely or never is
embedded alone too; of the corpus words near it (cosine >= ``MIN_SIMILARITY``), the ``MAX_PER_WORD``
nearest the whole question (cosine >= ``MIN_CONTEXT``: a word alone is ambiguous, the question says which
sense) are scored beside the question's own terms at ``WEIGHT`` (``KeywordRetriever``'s ``synonym_terms``),
so a passage holding the question's own words still ranks first.

Guards, as for WordNet synonyms (``synonyms.py``): a word the corpus uses often is not expanded (it is
how the documents say it); stopwords, short words and number or date words are not ("million" would
bring "billion"); a related stem the question already holds is not added.

Example::

    >>> forms = best_forms(Counter({"recruitment": 5, "recruit": 2, "international": 3}))
    >>> sorted(forms.items())
    [('intern', 'international'), ('recruit', 'recruitment')]
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

MIN_LENGTH = 4  # letters, for corpus words and question words alike: "go", "set", "bit" are too ambiguous
MIN_SIMILARITY = 0.6  # cosine of two words embedded alone (all-MiniLM-L6-v2); fitted on tune
MIN_CONTEXT = 0.2  # cosine of a related word with the whole question: drops other senses and opposites; fitted on tune
MAX_PER_WORD = 1  # related corpus words added per question word, the nearest the question; fitted on tune (2: lower MRR)
WEIGHT = 0.3  # of a related word's BM25 score beside the question's own terms (as a WordNet synonym's)
RARE_SHARE = 0.03  # a question word is expanded when at most this share of the chunks use it; fitted on tune
MAX_FORMS = 50_000  # corpus stems kept in the table (the most frequent): ~2,000 words a second are embedded on first use
_LOOK = 12  # nearest corpus words looked at per question word (before the thresholds)
_WORD = re.compile(r"[A-Za-z]+")
# Words that name a number or a date are never related to another: a nearby one is a different fact
# ("eight" -> "nine", "million" -> "billion", "March" -> "April").
EXACT_WORDS = frozenset(
    ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
     "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion "
     "first second third fourth fifth sixth seventh eighth ninth tenth half quarter "
     "january february march april june july august september october november december "
     "monday tuesday wednesday thursday friday saturday sunday").split()
)


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """Lower-case alphabetic words of ``texts`` of ``MIN_LENGTH`` letters or more, counted (pure)."""
    out: Counter[str] = Counter()
    for text in texts:
        out.update(w.lower() for w in _WORD.findall(text) if len(w) >= MIN_LENGTH)
    return out


def best_forms(counts: Mapping[str, int], limit: int = MAX_FORMS) -> dict[str, str]:
    """Per stem, its most frequent surface form in ``counts`` (ties: the shorter, then alphabetical),
    for the ``limit`` most frequent stems (pure)."""
    from assistant.retrieval.sparse import stemmer  # here: sparse.py builds its table with this module

    words = sorted(counts, key=lambda w: (-counts[w], len(w), w))
    stems = stemmer().stemWords(words) if words else []
    out: dict[str, str] = {}
    totals: Counter[str] = Counter()
    for word, stem in zip(words, stems):
        out.setdefault(stem, word)
        totals[stem] += counts[word]
    kept = sorted(out, key=lambda s: (-totals[s], s))[:limit]
    return {s: out[s] for s in sorted(kept)}


@dataclass(frozen=True)
class RelatedTable:
    """The corpus's words (one surface form per stem) and their unit embeddings, one row each."""

    stems: tuple[str, ...]
    forms: tuple[str, ...]
    vectors: np.ndarray  # (len(stems), dim), unit rows

    @classmethod
    def build(cls, forms: Mapping[str, str], embed: Callable[[Sequence[str]], np.ndarray]) -> "RelatedTable":
        stems = tuple(sorted(forms))
        words = tuple(forms[s] for s in stems)
        vectors = _unit(np.asarray(embed(list(words)), dtype=np.float32)) if words else np.zeros((0, 0), np.float32)
        return cls(stems, words, vectors)

    @classmethod
    def cached(cls, path: Path, forms: Mapping[str, str], embed: Callable[[Sequence[str]], np.ndarray]) -> "RelatedTable":
        """``build``, kept beside the keyword index it belongs to (``path``, one corpus state and model): a
        large corpus has ~50,000 words (~25 s to embed), which every fresh process would pay on its first
        question. A store that cannot be written is only slower."""
        stems = tuple(sorted(forms))
        try:
            vectors = np.load(path, mmap_mode="r")
            if vectors.shape[0] == len(stems):
                return cls(stems, tuple(forms[s] for s in stems), np.asarray(vectors, dtype=np.float32))
        except (OSError, ValueError):
            pass
        built = cls.build(forms, embed)
        # Rounded as stored, so the process that embeds the words ranks exactly as those that read them.
        table = cls(built.stems, built.forms, built.vectors.astype(np.float16).astype(np.float32))
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        try:
            np.save(tmp, table.vectors.astype(np.float16))  # a reader sees a whole file or none
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
        return table

    @cached_property
    def rows(self) -> dict[str, int]:
        """Each stem's row."""
        return {stem: row for row, stem in enumerate(self.stems)}

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows nearest ``vector`` (unit), with their cosines, best first (pure)."""
        if not self.stems or k <= 0:
            return []
        sims = self.vectors @ vector.astype(np.float32)
        top = np.argsort(-sims, kind="stable")[:k]
        return [(int(i), float(sims[i])) for i in top]


def related_terms(
    question: str,
    words: Sequence[tuple[str, str]],
    table: RelatedTable,
    embed: Callable[[Sequence[str]], np.ndarray],
    rare: Callable[[str], bool],
    question_vec: Sequence[float] | None = None,
) -> dict[str, float]:
    """The related corpus stems to add for ``question`` and its ``words`` ((word, stem) pairs, stopwords out),
    each with its keyword weight: for each word of ``MIN_LENGTH`` letters whose stem is ``rare`` in the
    corpus, of the corpus words at ``MIN_SIMILARITY`` or more to it whose stems the question does not
    hold, the ``MAX_PER_WORD`` nearest the whole question, if at ``MIN_CONTEXT`` or more (pure given its callables).

    A word alone is ambiguous: "hiring" is as near "jobs" as "recruitment", "stay" is near "leave" and
    "trial" near "court"; the question says which sense is meant. ``question_vec``: the question's vector, if known."""
    exact = _exact_stems()
    asked = [(w, s) for w, s in words if len(w) >= MIN_LENGTH and w.isalpha() and s not in exact and rare(s)]
    if not asked or not table.stems:
        return {}
    own = {s for _, s in words}
    # A word the table holds in the same spelling is not embedded again; the question's own vector may be given
    # (the dense side has it): each model call costs ~10-25 ms on 2 cores.
    rows = table.rows
    known = [rows.get(s) if rows.get(s) is not None and table.forms[rows[s]] == w.lower() else None for w, s in asked]
    fresh = ([] if question_vec is not None else [question]) + [w for (w, _), row in zip(asked, known) if row is None]
    embedded = list(_unit(np.asarray(embed(fresh), dtype=np.float32))) if fresh else []
    context = _unit(np.asarray([question_vec], dtype=np.float32))[0] if question_vec is not None else embedded.pop(0)
    vectors = [context] + [table.vectors[row] if row is not None else embedded.pop(0) for row in known]
    out: dict[str, float] = {}
    for vector in vectors[1:]:
        near = [row for row, sim in table.nearest(vector, _LOOK)
                if sim >= MIN_SIMILARITY and table.stems[row] not in own and table.stems[row] not in exact]
        scored = [(float(table.vectors[row] @ vectors[0]), table.stems[row]) for row in near]
        for context, stem in sorted(scored, reverse=True)[:MAX_PER_WORD]:
            if context >= MIN_CONTEXT:
                out[stem] = WEIGHT
    return out


def near_words(word: str, table: RelatedTable, embed: Callable[[Sequence[str]], np.ndarray],
               least: float = MIN_SIMILARITY) -> tuple[str, ...]:
    """The corpus words (surface forms) at cosine ``least`` or more to ``word`` embedded alone, nearest first, at most
    ``_LOOK`` of them: how the documents might say a word they never use ("hiring": "jobs", "employment",
    "recruitment"; "strips": none) (pure given ``embed``)."""
    if not table.stems or not word.strip():
        return ()
    row = table.rows.get(_stem(word.lower()))
    vector = table.vectors[row] if row is not None and table.forms[row] == word.lower() else \
        _unit(np.asarray(embed([word]), dtype=np.float32))[0]
    return tuple(table.forms[r] for r, sim in table.nearest(vector, _LOOK) if sim >= least)


def _stem(word: str) -> str:
    from assistant.retrieval.sparse import stemmer

    return str(stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _exact_stems() -> frozenset[str]:
    from assistant.retrieval.sparse import stemmer

    return frozenset(stemmer().stemWords(sorted(EXACT_WORDS)))


def _unit(vectors: np.ndarray) -> np.ndarray:
    if vectors.ndim != 2 or not len(vectors):
        return vectors
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

