"""Keyword-side synonyms: the corpus's words for what a question says in other words.

People ask when an ICB was "set up"; the document says it was "established". BM25 matches neither
way, and the embedding model does not bridge every such pair. For each two-word run of the question
(phrasal verbs and collocations WordNet lists: "set up", "set aside") and each word the corpus
rarely uses, ``question_synonyms`` takes the usual word for its most frequent sense
(``text/thesaurus.py``: WordNet, the sense's most often tagged lemma) when the corpus uses it and
the question does not. Its stem is scored beside the question's own terms (``KeywordRetriever``):
a phrase's synonym at ``PHRASE_WEIGHT`` (its own words, "set" and "up", match every page), a word's
at ``WEIGHT``, so a passage holding the question's own words still ranks first.

Guards against noise, each from a measured failure (docs/evaluation.md, eleventh pass): one sense,
one synonym per term ("launch" and "found" for "set up" lifted unrelated passages); a word the
corpus uses often is not expanded (it is how the documents say it: "better", "plan", "share");
the words of a phrase WordNet knows are read as the phrase ("set up", not "set"); stopwords
("has", "being") are never expanded; synonyms shorter than ``MIN_LENGTH`` are dropped.

Example::

    >>> table = {"set up": ["establish", "found"], "hire": ["employ"]}
    >>> [s.word for s in question_synonyms("When was the board set up?", table.get, lambda s: s in {"establish", "found"})]
    ['establish']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.retrieval.sparse import TOKEN_PATTERN, keyword_query, stemmer

PHRASE_WEIGHT = 1.0  # of a two-word run's synonym: "set up" has one meaning per sense, and its own words are on every page
WEIGHT = 0.3  # of a synonym's BM25 score beside the question's own terms (a corpus variant has variants.WEIGHT)
MAX_PER_WORD = 1  # synonyms kept per word or phrase
RARE_SHARE = 0.01  # a single word is expanded when at most this share of the chunks use it
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
