"""Partial credit for a question word a sentence says in another word (``answering.soft_terms``), on made-up texts."""

import numpy as np

from assistant.answering.extractive import score_sentences
from assistant.answering.soft_terms import near_stems, soft_coverage, soft_words
from assistant.text.terms import TermStats, coverage, terms

NEAR = {"hiring": ("recruitment", "jobs"), "overseas": ("international", "abroad", "three"),
        "nurses": ("nursing",), "doctors": ("clinicians",)}


def near(word: str) -> tuple[str, ...]:
    return NEAR.get(word, ())


def test_soft_words_skip_names_numbers_dates_and_kinds() -> None:
    words = soft_words("How many doctors from Scotland were hired in March 2025, three or more nurses?", skip={"nurs"})
    got = [w for w, _ in words]
    assert "doctors" in got
    assert "scotland" not in got and "march" not in got and "three" not in got  # a name, a month, a number word
    assert "nurses" not in got  # a kind word the sibling guards check
    assert "How".lower() not in got  # the asking word


def test_near_stems_drop_own_stems_and_number_words() -> None:
    got = near_stems(soft_words("What is the ambition for hiring staff from overseas?"), near)
    assert got[terms("hiring")[0]] == frozenset(terms("recruitment jobs"))
    assert got[terms("overseas")[0]] == frozenset(terms("international abroad"))  # "three" never stands in


def test_soft_coverage_counts_a_near_word_partly() -> None:
    stats = TermStats.from_texts(["reduce international recruitment", "staff numbers", "hiring policy", "a b"])
    question = terms("hiring staff from overseas")
    sentence = terms("reduce international recruitment")
    table = near_stems(soft_words("hiring staff from overseas"), near)
    hard = coverage(question, sentence, stats)
    soft = soft_coverage(question, sentence, stats, table, weight=0.5)
    full = coverage(question, terms("hiring staff from overseas"), stats)
    assert hard == 0.0
    assert 0.0 < soft < full
    assert soft_coverage(question, sentence, stats, table, weight=0.0) == hard
    # the word itself present: full credit, no extra for a near word beside it
    both = terms("hiring from overseas international")
    assert soft_coverage(question, both, stats, table, weight=0.5) == coverage(question, both, stats)


def test_a_sentence_with_no_near_word_gains_nothing() -> None:
    stats = TermStats.from_texts(["nurses in Wales", "doctors", "x y"])
    question = terms("how many doctors work in Wales")
    table = near_stems(soft_words("how many doctors work in Wales"), near)
    sentence = terms("nurses in Wales")
    assert soft_coverage(question, sentence, stats, table) == coverage(question, sentence, stats)


def test_score_sentences_lifts_the_paraphrasing_sentence_only() -> None:
    stats = TermStats.from_texts(["reduce international recruitment", "car parking charges", "hiring overseas"])
    question = "hiring staff from overseas"
    candidates = [(0, 0, 10, "We will reduce international recruitment."), (0, 11, 20, "Car parking charges rise.")]
    vecs = np.array([[1.0, 0.0], [0.0, 1.0]])
    qvec = np.array([0.5, 0.5])
    table = near_stems(soft_words(question), near)
    plain = score_sentences(terms(question), qvec, candidates, vecs, stats)
    soft = score_sentences(terms(question), qvec, candidates, vecs, stats, near=table)
    assert soft[0].support > plain[0].support
    assert soft[1].support == plain[1].support
