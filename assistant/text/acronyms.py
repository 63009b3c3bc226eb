"""Abbreviations and their expansions, mined from the corpus itself: "integrated care boards (ICBs)".

A small embedding model reads "ICB" and "integrated care board" as different things; a question
using one form misses a passage using the other. The keyword index mines every definition the
chunks hold while it is built (``retrieval/sparse.py``; one table per store state, saved beside
the index) and the retriever adds the other form to the query text it embeds (``HybridRetriever``).
The keyword side is left alone: there, the acronym itself is already a rare, exact term, and the
long form's common words only dilute it (measured, ``docs/retrieval.md``).

Example::

    >>> table = AcronymTable.from_texts(["Integrated care boards (ICBs) plan services."])
    >>> table.expand("What must ICBs publish?")
    'What must ICBs publish? (integrated care boards)'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.text.terms import DEFINITION, initials_match, terms

# An acronym as a question writes it: a capital, then letters (mostly capitals); "ICBs" is looked up as "ICB".
_ACRONYM = re.compile(r"(?<![\w&])([A-Z][A-Za-z&]{1,7})(?![\w&])")
_MAX_WORDS = 8  # the longest long form a definition can have (terms.DEFINITION)


@dataclass
class AcronymTable:
    """Each acronym's long forms with how often the corpus defines it that way; the commonest is its expansion."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    _by_long: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "AcronymTable":
        table = cls()
        table.add(texts)
        return table

    def add(self, texts: Iterable[str]) -> None:
        """Count the definitions in a batch of further texts in."""
        for text in texts:
            if "(" not in text:
                continue
            for m in DEFINITION.finditer(text):
                acronym = m.group(2)
                letters = [ch.lower() for ch in acronym if ch.isalpha()]
                words = initials_match(re.findall(r"[A-Za-z][\w'’-]*", m.group(1)), letters)
                if words and len(words) >= 2:
                    self.counts[acronym][" ".join(words).lower()] += 1
                    self._by_long = None

    def __len__(self) -> int:
        return len(self.counts)

    def long_form(self, acronym: str) -> str | None:
        """The corpus's commonest expansion of ``acronym`` (or of its singular, for "ICBs")."""
        for key in (acronym, acronym[:-1] if acronym.endswith("s") else None):
            if key and key in self.counts:
                return self.counts[key].most_common(1)[0][0]
        return None

    def expand(self, query: str) -> str:
        """``query`` with the other form of each abbreviation it uses, in brackets at the end (pure).

        "ICB" brings "integrated care board"; "integrated care boards" brings "ICB". Unchanged when
        it has neither.
        """
        extra: list[str] = []
        query_terms = terms(query)
        said = f" {' '.join(query_terms)} "
        for acronym in dict.fromkeys(_ACRONYM.findall(query)):
            long_form = self.long_form(acronym)
            if long_form and long_form not in extra and f" {' '.join(terms(long_form))} " not in said:
                extra.append(long_form)
        by_long = self._long_forms()
        for n in range(min(len(query_terms), _MAX_WORDS), 1, -1):
            for i in range(len(query_terms) - n + 1):
                acronym = by_long.get(" ".join(query_terms[i:i + n]))
                if acronym and acronym not in extra and not re.search(rf"\b{re.escape(acronym)}s?\b", query):
                    extra.append(acronym)
        return f"{query} ({'; '.join(extra)})" if extra else query

    def _long_forms(self) -> dict[str, str]:
        """Stemmed long form -> acronym, built once (the most defined acronym when two share a long form)."""
        if self._by_long is None:
            ranked = sorted(self.counts, key=lambda a: -sum(self.counts[a].values()))
            by_long: dict[str, str] = {}
            for acronym in ranked:
                stems = terms(self.counts[acronym].most_common(1)[0][0])
                if 2 <= len(stems) <= _MAX_WORDS:
                    by_long.setdefault(" ".join(stems), acronym)
            self._by_long = by_long
        return self._by_long

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {acronym: dict(forms) for acronym, forms in sorted(self.counts.items())}

    @classmethod
    def from_dict(cls, data: object) -> "AcronymTable":
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise ValueError("an acronym table maps each acronym to its long forms and their counts")
        table = cls()
        for acronym, forms in data.items():
            table.counts[str(acronym)] = Counter({str(k): int(v) for k, v in forms.items()})
        return table
