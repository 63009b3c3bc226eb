"""Synonyms from WordNet 3.0, read from its own data files (Debian package ``wordnet-base``).

A question may say what a document says in other words ("set up" / "established", "hiring" /
"employment"). ``WordNet`` reads the database's ``index.<pos>`` files (sorted lines, searched by
bisection in a memory map, so nothing is loaded up front) and the synsets they point to in
``data.<pos>``, with WordNet's own base-form rules (``morphy``: the ``<pos>.exc`` exceptions and
suffix detachment). ``synonyms`` gives, for a word or a two-word phrase, the other lemmas of its
most frequent senses only: WordNet lists a word's senses by their frequency in a tagged corpus, and
the rare senses are where the noise is ("work" as "a fortification"). Within a sense, the lemmas are
ordered by how often they were tagged in it (``cntlist.rev``: "establish" 50, "launch" 10, "found" 9
for "set up") and a lemma never tagged in it is left out ("piece" for "set up" as "assemble"). Only
single-word synonyms are returned (the keyword side matches words).

nltk's ``WordNetCorpusReader`` would read the same files but refuses paths outside its own data
directories, and loads every index at start-up (~1 s); this reader costs a few file seeks per word.

Without the database (``wordnet_root`` finds none), ``open_wordnet`` logs once and returns None.

Example::

    >>> wn = WordNet("/usr/share/wordnet")
    >>> wn.synonyms("set up")  # its first sense's lemmas, the most often tagged first
    ['establish', 'launch', 'found']
"""

from __future__ import annotations

import logging
import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

POS = ("noun", "verb", "adj", "adv")
_SS_TYPE = {"n": "1", "v": "2", "a": "3", "r": "4", "s": "5"}  # a sense key's synset type digit
ROOTS = ("/usr/share/wordnet", "/usr/local/share/wordnet", "/opt/homebrew/share/wordnet")
MAX_SENSES = 1  # senses looked at per word and part of speech (the most frequent first)

# WordNet's suffix detachment rules (morphy), per part of speech: (suffix, replacement).
_DETACH: dict[str, tuple[tuple[str, str], ...]] = {
    "noun": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}


@dataclass(frozen=True)
class Entry:
    """A lemma's line of ``index.<pos>``: its synset offsets, most frequent sense first."""

    lemma: str
    pos: str
    offsets: tuple[int, ...]
    tagged: int  # senses seen in the tagged corpus (the rest are rarer than any of these)


def parse_index_line(line: str, pos: str) -> Entry:
    """An ``index.<pos>`` line: lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offsets... (pure)."""
    parts = line.split()
    count = int(parts[2])
    pointers = int(parts[3])
    tagged = int(parts[5 + pointers])
    return Entry(parts[0], pos, tuple(int(x) for x in parts[-count:]), tagged)


def parse_synset_words(line: str) -> list[tuple[str, str]]:
    """The lemmas of a ``data.<pos>`` line (offset lex_filenum ss_type w_cnt(hex) [word lex_id]...) with
    each one's sense key less its head fields ("establish%2:41:00"); adjective markers ("(a)") dropped (pure)."""
    parts = line.split()
    count = int(parts[3], 16)
    ss_type = _SS_TYPE.get(parts[2], "0")
    out = []
    for word, lex_id in zip(parts[4 : 4 + 2 * count : 2], parts[5 : 5 + 2 * count : 2]):
        lemma = word.split("(")[0].lower()
        out.append((lemma.replace("_", " "), f"{lemma}%{ss_type}:{parts[1]}:{int(lex_id, 16):02d}"))
    return out


def parse_counts(text: str) -> dict[str, int]:
    """``cntlist.rev`` (sense_key sense_number tag_cnt per line) as {sense key less its head fields: count} (pure)."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            key = ":".join(parts[0].split(":")[:3])
            out[key] = out.get(key, 0) + int(parts[2])
    return out


def morphy_candidates(word: str, pos: str, exceptions: dict[str, list[str]]) -> list[str]:
    """Base forms to look up for ``word`` as ``pos``: its exceptions, itself, then its detached forms (pure)."""
    out = list(exceptions.get(word, []))
    out.append(word)
    for suffix, repl in _DETACH[pos]:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            out.append(word[: len(word) - len(suffix)] + repl)
    return list(dict.fromkeys(out))


def _find_line(data: "mmap.mmap | bytes", key: bytes) -> bytes | None:
    """The line of a sorted file (licence lines, which start with spaces, first) that starts with ``key`` + space."""
    lo, hi = 0, len(data)
    target = key + b" "
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        if line.startswith(b"  ") or line[: len(target)] < target:
            lo = end + 1
        elif line.startswith(target):
            return bytes(line)
        else:
            hi = start
    return None


class WordNet:
    """Read-only access to a WordNet 3.0 database directory (``index.*``, ``data.*``, ``*.exc``, ``cntlist.rev``).
    Thread-safe: the maps are only sliced, and the lazily read tables are built whole before they are kept."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._maps: dict[str, mmap.mmap] = {}
        self._exceptions: dict[str, dict[str, list[str]]] = {}
        self._counts: dict[str, int] | None = None

    def _map(self, name: str) -> mmap.mmap:
        if name not in self._maps:
            with open(self.root / name, "rb") as handle:
                self._maps[name] = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return self._maps[name]

    def _exc(self, pos: str) -> dict[str, list[str]]:
        if pos not in self._exceptions:
            table: dict[str, list[str]] = {}
            path = self.root / f"{pos}.exc"
            if path.is_file():
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    parts = line.split()
                    if len(parts) >= 2:
                        table.setdefault(parts[0], []).extend(parts[1:])
            self._exceptions[pos] = table
        return self._exceptions[pos]

    def entry(self, lemma: str, pos: str) -> Entry | None:
        """The index entry of ``lemma`` (spaces as underscores) as ``pos``, or None."""
        line = _find_line(self._map(f"index.{pos}"), lemma.lower().replace(" ", "_").encode("utf-8"))
        return parse_index_line(line.decode("utf-8", "replace"), pos) if line else None

    def entries(self, word: str) -> Iterator[Entry]:
        """The entries of ``word``'s base forms in each part of speech (WordNet's morphy), one per part of speech."""
        word = word.lower().replace(" ", "_")
        head, _, rest = word.partition("_")
        for pos in POS:
            # A phrase is looked up with its first word's base forms ("getting better" -> "get better").
            bases = [b + ("_" + rest if rest else "") for b in morphy_candidates(head, pos, self._exc(pos))]
            for base in dict.fromkeys([*morphy_candidates(word, pos, self._exc(pos)), *bases]):
                found = self.entry(base, pos)
                if found is not None:
                    yield found
                    break

    def synset_words(self, offset: int, pos: str) -> list[tuple[str, str]]:
        """The synset's lemmas with their sense keys (``parse_synset_words``)."""
        data = self._map(f"data.{pos}")
        end = data.find(b"\n", offset)  # sliced, not seek()+readline(): one map is shared by concurrent questions
        return parse_synset_words(data[offset : end if end >= 0 else len(data)].decode("utf-8", "replace"))

    def tag_count(self, key: str) -> int:
        """How often the sense (key less its head fields) was tagged in WordNet's sense-tagged corpus (0 if never)."""
        if self._counts is None:
            path = self.root / "cntlist.rev"
            self._counts = parse_counts(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else {}
        return self._counts.get(key, 0)

    def _first_sense_count(self, entry: Entry) -> int:
        """How often ``entry``'s lemma was tagged in its first sense."""
        if not entry.offsets:
            return 0
        keys = [key for w, key in self.synset_words(entry.offsets[0], entry.pos) if w == entry.lemma.replace("_", " ")]
        return self.tag_count(keys[0]) if keys else 0

    def _has_counts(self) -> bool:
        self.tag_count("")
        return bool(self._counts)

    def synonyms(self, word: str, senses: int = MAX_SENSES) -> list[str]:
        """Other single-word lemmas of the first ``senses`` senses of ``word`` (a word or "set up"), in its usual
        part of speech: the one whose first sense of it was tagged most often ("parent" as a noun, not the
        verb "raise"; all of them without counts)."""
        entries = list(self.entries(word))
        own = {word.lower(), *(e.lemma.replace("_", " ") for e in entries)}
        if self._has_counts() and len(entries) > 1:
            entries = [max(entries, key=self._first_sense_count)]  # max keeps the first of equals (nouns first)
        out: list[str] = []
        for found in entries:
            for offset in found.offsets[: max(1, min(senses, found.tagged or 1))]:
                # The usual ways of saying the sense first ("establish" 50, "found" 9 for "set up"); a lemma never
                # tagged in this sense is a rare way of saying it and is left out (unless there are no counts).
                words = [(w, self.tag_count(key)) for w, key in self.synset_words(offset, found.pos) if " " not in w and "-" not in w]
                out += [w for w, n in sorted(words, key=lambda x: -x[1]) if n > 0 or not self._has_counts()]
        return [w for w in dict.fromkeys(out) if w not in own]


def wordnet_root(candidates: tuple[str, ...] | None = None) -> Path | None:
    """The first directory holding a WordNet database (``$WNSEARCHDIR`` first, then ``candidates``, by default
    ``ROOTS``), or None."""
    env = os.environ.get("WNSEARCHDIR")
    for root in ((env,) if env else ()) + (ROOTS if candidates is None else candidates):
        if (Path(root) / "index.noun").is_file() and (Path(root) / "data.noun").is_file():
            return Path(root)
    return None


@lru_cache(maxsize=1)
def open_wordnet() -> WordNet | None:
    """The installed WordNet, or None (logged once): the thesaurus bridge is then off."""
    root = wordnet_root()
    if root is None:
        log.info("WordNet not found (Debian package wordnet-base); questions are not bridged by synonyms")
        return None
    return WordNet(root)
