"""A question word the corpus never uses is matched by the corpus's own form of it (retrieval/variants.py).

Pure parts on their own; then a real index (Chroma, bm25s, the real embedding model) of three small
text files, where "abolished" must find the passage that says "abolition".
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from conftest import indexed_assistant

from assistant import Assistant
from assistant.retrieval.variants import MIN_SIMILARITY, corpus_variants, prefix_variants, question_words, surface_form

VOCAB = sorted(["abl", "abolit", "merger", "commit", "communiti", "interim", "complaint", "compli", "outpati", "price", "provid", "provis"])


@pytest.mark.parametrize(("stem", "expected"), [
    ("abolish", ["abolit"]),  # abolished / abolition
    ("complain", ["complaint", "compli"]),  # "compli" (comply) too: the embedding check (below) rules it out
    ("pricey", ["price"]),
    ("outpac", ["outpati"]),  # a look-alike by spelling: the embedding check (below) rules it out
    ("commiss", ["commit"]),  # not "communiti"; "commit" is ruled out by the embedding check
    ("intervent", []),  # "interim" shares only "inter": too little in common
    ("merg", ["merger"]),  # merge / merger
    ("abo", []),  # too short to say
    ("provid", ["provis"]),
])
def test_prefix_variants_share_all_but_the_last_letter_of_the_shorter_stem(stem: str, expected: list[str]) -> None:
    assert prefix_variants(stem, VOCAB) == expected


def test_surface_form_is_a_word_of_the_text_with_that_stem() -> None:
    assert surface_form("abolit", "The proposed Abolition of NHS England is already under way.") == "abolition"
    assert surface_form("abolit", "Nothing about it here.") is None


def test_question_words_leave_out_the_question_wording_and_stopwords() -> None:
    assert question_words("What does the plan say about abolishing NHS England?", frozenset({"the", "about"})) == [
        ("plan", "plan"), ("abolishing", "abolish"), ("nhs", "nhs"), ("england", "england")]


def _similarity(table: dict[tuple[str, str], float]):  # noqa: ANN202 - a test stand-in for the embedding model
    def similarity(word: str, forms: Sequence[str]) -> list[float]:
        return [table.get((word, form), 0.0) for form in forms]
    return similarity


TEXTS = {"abolit": "the abolition of the body", "outpati": "outpatient appointments", "complaint": "a complaints process",
         "compli": "comply with the act"}


def test_only_a_word_the_corpus_lacks_is_expanded_and_only_to_a_form_the_model_finds_alike() -> None:
    words = [("abolished", "abolish"), ("outpaced", "outpac"), ("complain", "complain"), ("provide", "provid")]
    sims = _similarity({("abolished", "abolition"): 0.68, ("outpaced", "outpatient"): 0.35, ("complain", "complaints"): 0.74})
    known = {"provid"}.__contains__  # "provide" is in the corpus: never expanded, whatever looks like it
    assert corpus_variants(words, VOCAB, known, TEXTS.get, sims) == ["abolit", "complaint"]
    assert MIN_SIMILARITY > 0.35


def test_nothing_is_looked_up_when_every_word_is_known() -> None:
    def fail(*_args: object) -> list[float]:
        raise AssertionError("a known word was expanded")
    assert corpus_variants([("provide", "provid")], VOCAB, lambda _s: True, fail, fail) == []


# -- the real retriever ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return indexed_assistant(tmp_path_factory.mktemp("variants"), {
        "reform.txt": ("Reform of national bodies.\n\nThe proposed abolition of the national agency is already under way, with its "
        "functions moving into the department over two years.\n"),
        "agency.txt": ("The national agency.\n\nThe national agency publishes guidance for local bodies every year and answers their "
        "questions about the national agency's guidance.\n"),
        "clinics.txt": ("Outpatient clinics.\n\nOutpatient clinics see patients referred by their family doctor; most outpatient "
        "appointments are now booked online.\n"),
    })


def test_a_verb_the_corpus_never_uses_finds_the_passage_written_with_its_noun(assistant: Assistant) -> None:
    retriever = assistant.retriever
    assert retriever.keyword_variants("Is the national agency being abolished?") == ["abolit"]
    sparse = assistant.keyword_index.retriever(3, extra_terms=["abolit"])
    assert sparse is not None
    top = sparse.retrieve("Is the national agency being abolished?")[0]
    assert "abolition" in top.node.get_content()
    plain = assistant.keyword_index.retriever(3)
    assert plain is not None and "abolition" not in plain.retrieve("Is the national agency being abolished?")[0].node.get_content()


def test_a_look_alike_with_another_meaning_is_not_added(assistant: Assistant) -> None:
    assert assistant.retriever.keyword_variants("Has demand outpaced the national agency?") == []  # not "outpatient"
    assert assistant.retriever.keyword_variants("What does the national agency publish?") == []  # every word known
