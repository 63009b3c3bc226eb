"""Keyword-side synonyms: the corpus's words for what a question says in other words.

People ask when an ICB was "set up"; the document says it was "established". BM25 matches neither
way, and the embedding model does not bridge every such pair. For each word of the question, and
each two-word run (phrasal verbs and collocations: "set up", "set aside"), ``question_synonyms``
takes the synonyms of its most frequent senses (``text/thesaurus.py``, WordNet) and keeps those
whose stem the corpus uses and the question does not. They are scored at ``WEIGHT`` beside the
question's own terms (``KeywordRetriever``), so a passage holding the question's own words still
ranks first, and a synonym only lifts a passage that says it the other way.

Guards against noise: only a word's first senses (WordNet orders them by frequency), only
single-word synonyms of at least ``MIN_LENGTH`` letters, stopwords neither expanded nor added, and
at most ``MAX_PER_WORD`` synonyms of a word, preferring the ones the corpus uses least (rarer words
say more about a passage; "reduce" is on every page).

Example::

    >>> table = {"set up": ["establish", "found"], "hire": ["employ"]}
    >>> [s.word for s in question_synonyms("When was the board set up?", table.get, lambda s: s in {"establish", "found"})]
    ['establish', 'found']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.retrieval.sparse import TOKEN_PATTERN, keyword_query, stemmer

import os
PHRASE_WEIGHT = float(os.environ.get("SYN_PW", "1.0"))  # of a two-word run's synonym: "set up" has one meaning per sense, and its own words are on every page
WEIGHT = float(os.environ.get("SYN_W", "0.3"))  # of a synonym's BM25 score beside the question's own terms (a corpus variant has variants.WEIGHT)
MAX_PER_WORD = int(os.environ.get("SYN_MAX", "1"))  # synonyms kept per word or phrase
RARE_SHARE = float(os.environ.get("SYN_RARE", "0.01"))  # a single word is expanded when at most this share of the chunks use it
MIN_LENGTH = 4  # letters: "up", "go", "bit" are too ambiguous to search by


def question_terms(query: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """The query's content words and its two-word runs that hold one, lower case, in order, once each (pure).

    >>> question_terms("When was the board set up?", frozenset({"when", "was", "the", "up"}))
    ['board', 'set', 'the board', 'board set', 'set up']
    """
    words = [w.lower() for w in re.findall(TOKEN_PATTERN, keyword_query(query)) if not w.isdigit()]
    single = [w for w in words if w not in stopwords]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:]) if a not in stopwords or b not in stopwords]
    return list(dict.fromkeys(single + pairs))


@dataclass(frozen=True)
class Synonym:
    """A synonym the corpus uses for a term of the question: ``term`` ("set up"), ``word`` ("establish"), its ``stem``."""

    term: str
    word: str
    stem: str

    @property
    def phrase(self) -> bool:
        """Whether it stands for a two-word run (WordNet's "set up", "set aside": specific, so trusted more)."""
        return " " in self.term


def question_synonyms(
    query: str,
    synonyms_of: Callable[[str], "Sequence[str] | None"],
    known: Callable[[str], bool],
    stopwords: frozenset[str] = frozenset(),
    rare: Callable[[str], bool] = lambda _stem: True,
) -> list[Synonym]:
    """The synonyms to add for ``query``: of each of its terms (``question_terms``), the synonyms
    (``synonyms_of``, most frequent sense first) whose stem the corpus uses (``known``) and the query
    does not, at most ``MAX_PER_WORD`` per term, one per stem. A single word is expanded only when the
    corpus uses it ``rare``ly (by its stem): a word the documents use often is how they say it (pure given its callables)."""
    terms = question_terms(query, stopwords)
    words = [t for t in terms if " " not in t]
    seen = set(stemmer().stemWords(words)) if words else set()
    out: list[Synonym] = []
    covered: set[str] = set()  # words of a phrase WordNet knows are read as the phrase ("set up", not "set")
    for term in sorted(terms, key=lambda t: " " not in t):
        if term in covered or (" " not in term and not rare(stemmer().stemWord(term))):
            continue
        found = [s for s in (synonyms_of(term) or []) if len(s) >= MIN_LENGTH and s.isalpha() and s not in stopwords]
        kept = 0
        for word, stem in zip(found, stemmer().stemWords(found) if found else []):
            if kept < MAX_PER_WORD and stem not in seen and known(stem):
                seen.add(stem)
                out.append(Synonym(term, word, str(stem)))
                kept += 1
        if " " in term and found:
            covered.update(term.split())
    return out


def weighted_stems(found: Sequence[Synonym]) -> dict[str, float]:
    """Each synonym's stem with its keyword weight: ``PHRASE_WEIGHT`` for a phrase's, ``WEIGHT`` for a word's (pure)."""
    out: dict[str, float] = {}
    for s in found:
        out[s.stem] = max(out.get(s.stem, 0.0), PHRASE_WEIGHT if s.phrase else WEIGHT)
    return out
