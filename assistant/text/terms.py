"""Lexical terms: the stemmed content words of a text, and their corpus document frequencies.

Shared by retrieval-side scoring and the extractive answerer so "the same word" means the same
thing everywhere (English Snowball stems, as BM25 uses).

Example::

    >>> terms("Who leads the reviews?")
    ['lead', 'review']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_WORD = re.compile(r"(?u)\b\w\w+\b")
# Question words and fillers on top of the usual stopwords: they say nothing about the topic.
STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing for from had has have
    having he her here hers him his how i if in into is it its itself me more most my no nor not of
    off on once only or other our ours out over own same she should so some such than that the their
    theirs them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours also about against
    between both during each few further just now any all again say said says tell according
    document documents mention mentioned give given many much""".split()
)


# The wording of a question rather than its topic ("What does the document say about..."): left out of
# the keyword query. Fewer than STOPWORDS: "more", "under", "between" or "only" can be what a question turns on.
QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how does do did say says said tell according document
    documents mention mentioned""".split()
)
# "Is X *going to* be abolished?": a future tense, like "will", not a word about going anywhere ("go private",
# "goes to the panel"); the keyword query and the question's terms leave it out.
_GOING_TO = re.compile(r"\bgoing to (?=(?:be|have|become|get)\b)", re.I)


def without_future_going(question: str) -> str:
    """``question`` without a "going to" that only marks the future ("going to be", "going to have") (pure)."""
    return _GOING_TO.sub("", question)


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    import Stemmer

    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words (stopwords removed), in order."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return list(_stemmer().stemWords(words)) if words else []


DEFINITION = re.compile(r"((?:[A-Za-z][\w'’-]*[\s,]+){1,8})\(([A-Z][A-Za-z&]{1,7}?)s?\)")
_SMALL_WORDS = frozenset("and of the for in on to with".split())


def acronyms(texts: Iterable[str]) -> dict[str, list[str]]:
    """Acronyms the texts define, as stemmed terms: "integrated care system (ICS)" gives ``{"ics": [...]}``.

    A definition counts when the acronym's letters are the initials of the words right before it
    (small words like "and", "of" may be skipped). The plural ("ICSs") maps to the same terms.
    """
    found: dict[str, list[str]] = {}
    for text in texts:
        for m in DEFINITION.finditer(text):
            letters = [ch.lower() for ch in m.group(2) if ch.isalpha()]
            words = re.findall(r"[A-Za-z][\w'’-]*", m.group(1))
            long_form = initials_match(words, letters)
            if long_form:
                key = m.group(2).lower()
                found[key] = found[key + "s"] = terms(" ".join(long_form))
    return found


# "TPS (Transactions Per Second)": an acronym, then its long form in brackets (the other order is DEFINITION)
_ACRONYM_FIRST = re.compile(r"(?<![\w&])([A-Z][A-Za-z&]{1,7}?)s?\s*\(([A-Za-z][^()]{2,80})\)")


def spelled_out(text: str) -> list[tuple[str, tuple[int, int], list[str]]]:
    """Acronyms ``text`` spells out, either way round: ``(acronym, span of its long form, the long form's words)``
    (pure). "the TPS (Transactions Per Second)" and "Transactions Per Second (TPS)" both give ``("TPS", ...)``."""
    out: list[tuple[str, tuple[int, int], list[str]]] = []
    for m in DEFINITION.finditer(text):
        words = re.findall(r"[A-Za-z][\w'’-]*", m.group(1))
        long_form = initials_match(words, [ch.lower() for ch in m.group(2) if ch.isalpha()])
        if long_form:
            start = text.rfind(long_form[0], m.start(1), m.end(1))
            out.append((m.group(2), (start, m.end(1)), long_form))
    for m in _ACRONYM_FIRST.finditer(text):
        words = re.findall(r"[A-Za-z][\w'’-]*", m.group(2))
        letters = [ch.lower() for ch in m.group(1) if ch.isalpha()]
        matched = initials_match(words, letters)
        if matched and (matched == words or len(words) <= len(letters) + 2):  # the brackets hold the long form, not prose
            out.append((m.group(1), m.span(2), words))
    return out


def initials_match(words: list[str], letters: list[str]) -> list[str] | None:
    """The shortest run of words ending at the acronym whose initials spell ``letters`` (small words optional)."""
    picked: list[str] = []
    i = len(letters) - 1
    for word in reversed(words):
        if i >= 0 and word[0].lower() == letters[i]:
            picked.append(word)
            i -= 1
            if i < 0:
                return picked[::-1]
        elif word.lower() in _SMALL_WORDS and picked:
            picked.append(word)
        else:
            return None
    return None


def expand(text_terms: Iterable[str], known: dict[str, list[str]]) -> list[str]:
    """``text_terms`` plus the long form of every acronym among them (pure)."""
    out = list(text_terms)
    for term in list(out):
        out.extend(known.get(term, ()))
    return out


def distinct_terms(texts: Iterable[str]) -> list[set[str]]:
    """``set(terms(text))`` for each text, stemming each distinct word once for the whole batch."""
    words = [{w for w in _WORD.findall(text.lower()) if w not in STOPWORDS} for text in texts]
    unique = sorted(set().union(*words))
    stems = dict(zip(unique, _stemmer().stemWords(unique))) if unique else {}
    return [{stems[w] for w in ws} for ws in words]


@dataclass
class TermStats:
    """Document frequencies over a corpus of chunks, for IDF weights."""

    documents: int = 0
    df: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "TermStats":
        stats = cls()
        stats.add(texts)
        return stats

    def add(self, texts: Iterable[str]) -> None:
        """Count a batch of further texts (documents) in."""
        for distinct in distinct_terms(texts):
            self.documents += 1
            self.df.update(distinct)

    def to_dict(self) -> dict[str, object]:
        return {"documents": self.documents, "df": dict(self.df)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "TermStats":
        documents, df = data["documents"], data["df"]
        if not isinstance(documents, int) or not isinstance(df, dict):
            raise ValueError("term statistics must hold an integer 'documents' and a 'df' mapping")
        return cls(documents, Counter({str(k): int(v) for k, v in df.items()}))

    def idf(self, term: str) -> float:
        """BM25-style IDF, always positive; unseen terms weigh the most."""
        n, df = max(self.documents, 1), self.df.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def coverage(query_terms: Iterable[str], text_terms: Iterable[str], stats: TermStats) -> float:
    """IDF-weighted share of the query's distinct terms that occur in the text, in [0, 1]."""
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    present = set(text_terms)
    total = sum(stats.idf(t) for t in wanted)
    return sum(stats.idf(t) for t in wanted if t in present) / total if total else 0.0
