"""The keyword index on disk: only what ranking needs, built a page of chunks at a time, read memory-mapped.

One directory holds a bm25s sparse score matrix (``data/indices/indptr``, ``vocab``, ``params``:
``bm25s.BM25.save``'s format, loaded with ``mmap=True``), the chunk id of each row (``ids.npy``),
the chunks' metadata as columns for filters (``columns.py``), the answerer's term statistics
(``termstats.json``) and the abbreviations the chunks define (``acronyms.json``, ``text/acronyms.py``),
all from one pass over the chunks. Texts and metadata stay in Chroma and are
read for the top candidates only.

The scores are exactly llama-index's ``BM25Retriever``'s over a ``bm25s.BM25(k1=K1, b=B)`` (the same
``bm25s.tokenize`` call on the same text, ``MetadataMode.EMBED``; English stemmer and stopwords;
lucene, float32), computed with the same floating-point operations as
``bm25s.BM25.build_index_from_ids``, so a question ranks the same chunks in the same order. Building
them ourselves instead of with ``BM25.index`` keeps memory to the matrix (``BM25.index`` wants every
chunk's token list in memory at once: gigabytes at 300,000 chunks). A question's own wording ("what
does ... say") is left out of its keyword query (``keyword_query``).

Example::

    >>> builder = SparseBuilder()
    >>> for ids, texts, metas in store.iter_chunks():
    ...     builder.add(ids, texts, metas)
    >>> builder.save(path, state="..."); index = SparseIndex.load(path)
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.retrieval.columns import Columns, ColumnsBuilder
from assistant.retrieval.related import best_forms, word_counts
from assistant.text.acronyms import AcronymTable
from assistant.text.terms import QUESTION_WORDS, TermStats, without_future_going

if TYPE_CHECKING:
    import bm25s

# llama-index BM25Retriever's defaults (tokenisation) and bm25s.BM25's (scoring).
LANGUAGE = "en"
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# k1 0.9, b 0.3 rather than bm25s's 1.5, 0.75: fitted on the tune documents of the development set and
# checked on confirm (docs/retrieval.md). Chunks are cut to a fixed size, so a short one is a heading or
# a document's header rather than a focused passage (less length normalisation); and an early-saturating
# term frequency favours a chunk holding more of the question's terms over one repeating a title word.
K1, B = 0.9, 0.3
FORMAT = 5  # 2: acronyms.json; 3: K1, B; 4: small numbers spelt out; 5: forms.json (an older index is rebuilt on opening)
_SLICE = 1 << 22  # pairs scored per numpy step (bounds the float64 temporaries)

_local = threading.local()


def stemmer() -> Any:
    """This thread's English stemmer (PyStemmer objects must not be shared between threads)."""
    if not hasattr(_local, "stemmer"):
        import Stemmer

        _local.stemmer = Stemmer.Stemmer("english")
    return _local.stemmer


def tokenize_query(query: str) -> Any:
    """A query as ``BM25Retriever._retrieve`` tokenises it (a ``bm25s`` ``Tokenized``)."""
    import bm25s

    return bm25s.tokenize(query, stemmer=stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False)


_NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()
# A whole number 1-12 standing alone: not a decimal, ratio, range, date part, percentage, amount or ordinal.
_SMALL_NUMBER = re.compile(r"(?<![\w.,/:£$€-])(1[0-2]|[1-9])(?![\w%]|[.,/:–-]\d)")


def spell_small_numbers(text: str) -> str:
    """Whole numbers 1-12 written as words, so "three shifts" and "3 shifts" share a keyword (pure).

    NHS documents write "3 radical shifts", "6 core components"; people ask about "the three shifts".
    The tokeniser drops a single digit (two characters at least) and never joins "3" with "three".
    Applied to chunks and questions alike; "3.5", "2025/26", "5%", "£6" and "1st" are left alone.

    >>> spell_small_numbers("3 shifts, 6 core components, 4.5% and 2025/26")
    'three shifts, six core components, 4.5% and 2025/26'
    """
    return _SMALL_NUMBER.sub(lambda m: _NUMBER_WORDS[int(m.group(1)) - 1], text)


def keyword_query(question: str) -> str:
    """The words of a question BM25 should rank by: all but its question words ("what", "does", "say",
    "according"), which the chunks use too and which would favour chunks that ask questions (pure).
    A question of nothing else is kept whole."""
    words = re.findall(TOKEN_PATTERN, spell_small_numbers(without_future_going(question)))
    kept = [w for w in words if w.lower() not in QUESTION_WORDS]
    return " ".join(kept) if kept else spell_small_numbers(question)


class SparseBuilder:
    """Accumulates chunks a page at a time; ``save`` writes the index directory.

    Memory: the (chunk, term, count) triples of the matrix (12 bytes each) and one id per chunk;
    never the texts beyond the current page.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.vocab: dict[str, int] = {}
        self.columns = ColumnsBuilder()
        self.stats = TermStats()
        self.acronyms = AcronymTable()
        self.words: Counter[str] = Counter()  # surface forms, for the related-word table (related.py)
        self._doc_lens: array[int] = array("q")
        self._docs: list[np.ndarray] = []
        self._terms: list[np.ndarray] = []
        self._tfs: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        """A page of chunks: ids, texts and flat Chroma metadata (as ``ChunkStore.iter_chunks`` gives them)."""
        import bm25s
        from llama_index.core.schema import MetadataMode
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        if not ids:
            return
        # The text BM25Retriever indexes: the node's content with its embedded metadata (section).
        indexed = [spell_small_numbers(metadata_dict_to_node(m, text=t).get_content(metadata_mode=MetadataMode.EMBED))
                   for t, m in zip(texts, metadatas)]
        tokens = bm25s.tokenize(indexed, stopwords=LANGUAGE, stemmer=stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False)
        to_global = np.empty(len(tokens.vocab), dtype=np.int64)
        for term, local in tokens.vocab.items():
            to_global[local] = self.vocab.setdefault(term, len(self.vocab))
        lens = np.fromiter((len(doc) for doc in tokens.ids), dtype=np.int64, count=len(tokens.ids))
        flat = np.fromiter(itertools.chain.from_iterable(tokens.ids), dtype=np.int64, count=int(lens.sum()))
        rows = np.repeat(np.arange(len(self.ids), len(self.ids) + len(ids), dtype=np.int64), lens)
        pairs, counts = np.unique((rows << 32) | to_global[flat], return_counts=True)  # sorted by (row, term)
        self._docs.append((pairs >> 32).astype(np.int32))
        self._terms.append((pairs & 0xFFFFFFFF).astype(np.int32))
        self._tfs.append(counts.astype(np.int32))
        self._doc_lens.extend(lens.tolist())
        self.ids.extend(ids)
        self.columns.add(metadatas)
        self.stats.add(texts)  # the answerer's statistics: its own terms, over the chunk text alone
        self.acronyms.add(texts)
        self.words.update(word_counts(indexed))

    def save(self, directory: Path, state: str) -> None:
        """Write the index into ``directory`` (which must exist and be empty); ``state``: the store's it was read at."""
        import bm25s

        n_docs, n_vocab = len(self.ids), len(self.vocab)
        docs = np.concatenate(self._docs) if self._docs else np.zeros(0, np.int32)
        terms = np.concatenate(self._terms) if self._terms else np.zeros(0, np.int32)
        tfs = np.concatenate(self._tfs) if self._tfs else np.zeros(0, np.int32)
        self._docs, self._terms, self._tfs = [], [], []
        doc_lens = np.frombuffer(self._doc_lens, dtype=np.int64) if n_docs else np.zeros(0, np.int64)
        avg_doc_len = np.array(doc_lens).mean() if n_docs else np.float64(0.0)
        # Per term: df, then lucene IDF in Python floats cast to float32 (bm25s._build_idf_array).
        df = np.bincount(terms, minlength=n_vocab)
        idf = np.zeros(n_vocab, dtype=np.float32)
        for t, d in enumerate(df.tolist()):
            if d:
                idf[t] = math.log(1 + (n_docs - d + 0.5) / (d + 0.5))
        # Per (chunk, term): idf * tf / (k1 * (1 - b + b * len / avg) + tf), in float64, stored as float32.
        scores = np.empty(len(terms), dtype=np.float32)
        for i in range(0, len(terms), _SLICE):
            tf = tfs[i:i + _SLICE].astype(np.float32)
            doc_len = doc_lens[docs[i:i + _SLICE]]
            tfc = tf / (K1 * ((1 - B) + B * doc_len / avg_doc_len) + tf)
            scores[i:i + _SLICE] = idf[terms[i:i + _SLICE]] * tfc
        del tfs
        # CSC: columns are terms, rows (chunks) ascending within each (the triples come in row order).
        order = np.argsort(terms, kind="stable")
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        bm25 = bm25s.BM25()
        bm25.scores = {"data": scores[order], "indices": docs[order], "indptr": indptr, "num_docs": n_docs}
        bm25.vocab_dict = {**self.vocab, "": n_vocab}  # bm25s adds the empty token after building
        bm25.nonoccurrence_array = None
        del order, scores, docs, terms
        bm25.save(directory, show_progress=False)
        np.save(directory / "ids.npy", np.array([i.encode("utf-8") for i in self.ids], dtype=bytes) if n_docs else np.zeros(0, "S1"))
        self.columns.save(directory)
        (directory / "termstats.json").write_text(json.dumps(self.stats.to_dict()), encoding="utf-8")
        (directory / "acronyms.json").write_text(json.dumps(self.acronyms.to_dict()), encoding="utf-8")
        (directory / "forms.json").write_text(json.dumps(best_forms(self.words)), encoding="utf-8")
        # Written last: a directory without it is unfinished.
        (directory / "keyword.json").write_text(json.dumps({"format": FORMAT, "state": state, "chunks": n_docs}), encoding="utf-8")


@dataclass
class SparseIndex:
    """A saved keyword index, memory-mapped: ranking touches only the postings of the query's terms."""

    path: Path
    state: str
    bm25: "bm25s.BM25"
    ids: np.ndarray
    stats: TermStats
    columns: Columns
    acronyms: AcronymTable
    forms: dict[str, str] = field(default_factory=dict)  # stem -> the corpus's most frequent form of it
    _order: np.ndarray | None = field(default=None, repr=False)
    _terms: list[str] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: Path) -> "SparseIndex":
        """Open a saved index; raises (``OSError``, ``ValueError``...) if it is unfinished or damaged."""
        import bm25s

        manifest = json.loads((path / "keyword.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"format {manifest.get('format')!r}, expected {FORMAT}")
        bm25 = bm25s.BM25.load(path, mmap=True, load_corpus=False, show_progress=False)
        ids = np.load(path / "ids.npy", mmap_mode="r")
        stats = TermStats.from_dict(json.loads((path / "termstats.json").read_text(encoding="utf-8")))
        columns = Columns(path)
        acronyms = AcronymTable.from_dict(json.loads((path / "acronyms.json").read_text(encoding="utf-8")))
        forms = {str(k): str(v) for k, v in json.loads((path / "forms.json").read_text(encoding="utf-8")).items()}
        n = int(manifest["chunks"])
        indptr = bm25.scores["indptr"]
        if not (bm25.scores["num_docs"] == len(ids) == columns.rows == stats.documents == n) or len(indptr) != len(bm25.vocab_dict) \
                or int(indptr[-1]) != len(bm25.scores["data"]) or len(bm25.scores["indices"]) != len(bm25.scores["data"]):
            raise ValueError("its parts disagree in size")
        return cls(path, str(manifest["state"]), bm25, ids, stats, columns, acronyms, forms)

    @property
    def chunks(self) -> int:
        return len(self.ids)

    def chunk_id(self, row: int) -> str:
        return bytes(self.ids[row]).decode("utf-8")

    def terms(self) -> list[str]:
        """The indexed stems, sorted (built on first use; for ``variants.prefix_variants``)."""
        if self._terms is None:
            self._terms = sorted(t for t in self.bm25.vocab_dict if t)
        return self._terms

    def has_term(self, term: str) -> bool:
        """Whether some chunk holds the stem ``term``."""
        col = self.bm25.vocab_dict.get(term)
        indptr = self.bm25.scores["indptr"]
        return col is not None and col + 1 < len(indptr) and int(indptr[col + 1]) > int(indptr[col])

    def first_row_with(self, term: str) -> int | None:
        """A chunk (row) holding the stem ``term``, or None."""
        if not self.has_term(term):
            return None
        return int(self.bm25.scores["indices"][int(self.bm25.scores["indptr"][self.bm25.vocab_dict[term]])])

    def rows_of(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """Row numbers of the given chunk ids that are in the index (for filters resolved by Chroma)."""
        if self._order is None:
            self._order = np.argsort(self.ids)
        width = self.ids.dtype.itemsize
        chunk_ids = [i for i in chunk_ids if len(i.encode("utf-8")) <= width]  # longer ones are in no row
        wanted = np.array([i.encode("utf-8") for i in chunk_ids], dtype=self.ids.dtype) if chunk_ids else np.zeros(0, self.ids.dtype)
        pos = np.searchsorted(self.ids, wanted, sorter=self._order)
        pos = np.minimum(pos, len(self._order) - 1) if len(self._order) else pos
        rows = self._order[pos] if len(self._order) else np.zeros(0, np.int64)
        return rows[self.ids[rows] == wanted] if len(rows) else rows
