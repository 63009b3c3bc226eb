"""Corpus words the embedding model finds nearest a question's rare words, added on the keyword side (retrieval/related.py).

Pure parts with a made-up embedding (words as fixed vectors); then a real index (Chroma, bm25s, the real
embedding model) of small text files, where "hiring" must find the passage that says "recruitment".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import indexed_assistant

from assistant import Assistant
from assistant.retrieval import related, sparse
from assistant.retrieval.related import RelatedTable, best_forms, related_terms, word_counts

# A made-up embedding: each word a fixed direction; cosines are the dot products of these (unit) rows.
_AXES = {
    "hiring": [1.0, 0.0, 0.0, 0.0], "recruitment": [0.8, 0.6, 0.0, 0.0], "employment": [0.7, 0.0, 0.714, 0.0],
    "vacancy": [0.61, 0.0, 0.0, 0.792], "boards": [0.0, 0.0, 0.0, 1.0], "eight": [0.0, 1.0, 0.0, 0.0],
    "nine": [0.0, 0.99, 0.141, 0.0], "staff": [0.5, 0.0, 0.0, 0.866], "several": [0.0, 0.9, 0.436, 0.0],
}


def _embed(words: Sequence[str]) -> np.ndarray:
    return np.asarray([_AXES.get(w, [0.0, 0.0, 0.0, 0.0]) for w in words], dtype=np.float32)


Q = "hiring"  # the made-up embedding's whole question: as near each candidate as the word itself


def _table(*words: str) -> RelatedTable:
    return RelatedTable.build(best_forms(Counter({w: 1 for w in words})), _embed)


def test_word_counts_keep_long_alphabetic_words_in_lower_case() -> None:
    assert word_counts(["The Recruitment of 12 GPs, and recruitment", "job"]) == Counter({"recruitment": 2})


def test_best_forms_take_the_most_frequent_form_of_each_stem() -> None:
    forms = best_forms(Counter({"recruits": 1, "recruitment": 4, "recruit": 2, "boards": 3}))
    assert forms == {"board": "boards", "recruit": "recruitment"}


def test_best_forms_keep_the_most_frequent_stems_within_the_limit() -> None:
    assert list(best_forms(Counter({"boards": 1, "staff": 5, "vacancy": 3}), limit=2)) == ["staff", "vacanc"]


def test_a_rare_word_brings_its_nearest_corpus_words_above_the_threshold() -> None:
    table = _table("recruitment", "employment", "vacancy", "boards")
    got = related_terms(Q, [("hiring", "hire")], table, _embed, lambda _s: True)
    # recruitment 0.8 is kept (MAX_PER_WORD 1); employment 0.7, vacancy 0.61 come after it; boards 0.0 is too far
    assert got == {"recruit": related.WEIGHT}
    assert related.MAX_PER_WORD == 1 and related.MIN_SIMILARITY > 0.0


def test_a_word_the_corpus_uses_often_is_not_expanded() -> None:
    table = _table("recruitment", "employment")
    assert related_terms(Q, [("hiring", "hire")], table, _embed, lambda _s: False) == {}


def test_a_stem_the_question_holds_is_not_added_again() -> None:
    table = _table("recruitment", "employment", "vacancy")
    got = related_terms(Q, [("hiring", "hire"), ("recruitment", "recruit")], table, _embed, lambda s: s == "hire")
    assert "recruit" not in got and "employ" in got


def test_number_and_date_words_are_never_related() -> None:
    table = _table("nine", "eight", "boards")
    assert related_terms(Q, [("eight", "eight")], table, _embed, lambda _s: True) == {}  # "eight" is not expanded
    # nor is a number word added for another word near it ("several"/"nine" 0.95)
    assert related_terms("several", [("several", "sever")], _table("nine"), _embed, lambda _s: True) == {}


def test_nothing_below_the_threshold_is_added() -> None:
    table = _table("boards")
    assert related_terms(Q, [("hiring", "hire")], table, _embed, lambda _s: True) == {}


def test_of_the_words_near_a_word_those_nearest_the_whole_question_are_kept() -> None:
    # all three are near "hiring"; a question about boards is near "vacancy" only (0.79), the others at 0.0
    table = _table("recruitment", "employment", "vacancy")
    got = related_terms("boards", [("hiring", "hire")], table, _embed, lambda _s: True)
    assert got == {"vacanc": related.WEIGHT}


def test_the_keyword_index_saves_the_corpus_forms(tmp_path: Path) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    nodes = [TextNode(id_="a", text="International recruitment of staff; recruitment fell."), TextNode(id_="b", text="Boards meet.")]
    builder = sparse.SparseBuilder()
    builder.add([n.node_id for n in nodes], [n.get_content() for n in nodes], [node_to_metadata_dict(n) for n in nodes])
    builder.save(tmp_path, state="s")
    forms = sparse.SparseIndex.load(tmp_path).forms
    assert forms["recruit"] == "recruitment" and forms["intern"] == "international" and forms["board"] == "boards"


# -- the real retriever ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return indexed_assistant(tmp_path_factory.mktemp("related"), {
        "nursing.txt": ("Nursing plan.\n\nThe trust will reduce international recruitment and train more of its own nurses, "
        "so that recruitment from abroad falls below a tenth of new posts.\n"),
        "estates.txt": ("Estates.\n\nThe trust will sell surplus land and keep the receipts for new buildings and equipment.\n"),
        "boards.txt": ("Board meetings.\n\nThe board meets in public every two months; papers are published a week before.\n"),
    })


def test_the_ingestion_leaves_the_word_table_beside_the_keyword_index(assistant: Assistant) -> None:
    # Embedded when the index is published, so no fresh process embeds the corpus's words on a first question.
    index = assistant.keyword_index.current()
    assert index is not None
    kept = list(index.path.glob("related-*.npy"))
    assert len(kept) == 1 and np.load(kept[0]).shape[0] == len(index.forms)


def test_a_question_in_other_words_adds_the_corpus_word_for_it(assistant: Assistant) -> None:
    got = assistant.retriever.related("Will the trust rely less on hiring nurses?")
    assert "recruit" in got


def test_a_question_in_the_documents_words_adds_nothing_for_them(assistant: Assistant) -> None:
    got = assistant.retriever.related("When does the board meet?")
    assert "board" not in got and "meet" not in got


def test_the_answerer_is_given_the_corpus_words_near_a_word(assistant: Assistant) -> None:
    # what ``sibling_kinds.unnamed`` asks of a thing no document names: "hiring" is said as "recruitment" here
    assert "recruitment" in assistant._near_words("hiring")
    assert "recruitment" not in assistant._near_words("strips")
    assert getattr(assistant.answerer, "near_words", None) is not None


def test_the_word_table_is_embedded_once_and_read_back_by_a_later_process(tmp_path):
    calls: list[int] = []

    def embed(words):
        calls.append(len(words))
        return np.eye(3)[: len(words)]

    forms = {"intern": "international", "recruit": "recruitment", "hire": "hiring"}
    path = tmp_path / "related-x.npy"
    first = RelatedTable.cached(path, forms, embed)
    again = RelatedTable.cached(path, forms, embed)
    assert calls == [3] and path.exists()
    assert again.stems == first.stems and np.allclose(again.vectors, first.vectors, atol=1e-3)
    # A table of another size (the corpus changed under the same name) is embedded afresh.
    RelatedTable.cached(path, {"recruit": "recruitment"}, embed)
    assert calls == [3, 1]


def test_a_store_that_cannot_be_written_still_gets_its_table(tmp_path):
    path = tmp_path / "missing-dir" / "related-x.npy"
    table = RelatedTable.cached(path, {"recruit": "recruitment"}, lambda words: np.ones((len(words), 2)))
    assert table.stems == ("recruit",) and not path.exists()


def test_the_words_near_one_word_are_those_above_the_threshold_nearest_first() -> None:
    from assistant.retrieval.related import near_words

    table = _table("recruitment", "employment", "vacancy", "boards")
    assert near_words("hiring", table, _embed) == ("recruitment", "employment", "vacancy")
    assert near_words("hiring", table, _embed, least=0.75) == ("recruitment",)
    assert near_words("several", table, _embed) == ()  # nothing the corpus says is near it
    assert near_words("hiring", _table(), _embed) == () and near_words(" ", table, _embed) == ()
