"""The extractive answerer's rules, one by one (pure functions, no model, no index).

What the answerer quotes, and when it refuses, is decided by ``assistant/answering/extractive.py``:
``is_statement`` (headings are not answers), ``answer_type_match`` (a "who" question wants a name,
"how many" a figure...), ``select_sentences`` (near the best, above the floor, not redundant, typed
sentences only when any is supported) and ``expand_lead_ins`` (a chosen "...four things:" brings its
whole list). The end-to-end answers are in tests/test_answers.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering.constraints import answer_type_match
from assistant.answering.extractive import (
    LIST_LIMIT,
    MARGIN,
    PLAIN,
    REDUNDANT,
    TYPED_CREDIT,
    ScoredSentence,
    expand_lead_ins,
    is_statement,
    select_sentences,
)
from assistant.answering.spans import MIN_CUT, answer_span, elided, emphasis
from assistant.results import Passage

PASSAGE = Passage(source="framework.md", title="NHS Oversight Framework", section="Segmentation", text="", score=1.0)


def _scored(supports: list[float], texts: list[str] | None = None, ranks: list[int] | None = None) -> list[ScoredSentence]:
    texts = texts or [f"Sentence {i} says something." for i in range(len(supports))]
    ranks = ranks or [0] * len(supports)
    return [ScoredSentence(r, 10 * i, 10 * i + 9, t, s, s, s) for i, (s, t, r) in enumerate(zip(supports, texts, ranks))]


def _distinct(n: int) -> np.ndarray:
    """Unit vectors that repeat nothing (cosine 0 between any two)."""
    return np.eye(n, dtype=np.float32)


# -- is_statement: headings and titles are not answers ------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICBs will be assessed quarterly.", True),
        ("The review will consider four things:", True),  # a lead-in, with its colon
        ("Funding rises to £1.2 billion", True),  # a figure without end punctuation is still a fact
        ("Integrated care boards lead local delivery across each of the 42 systems in England", True),
        ("Providers are placed in one of four segments according to the support they need", True),  # long line
        ("Introduction", False),  # one word
        ("Next steps for integrated care", False),  # a short heading: no punctuation, colon or figure
        ("NHS Oversight Framework", False),  # the document's title
        ("Segmentation.", False),  # one word, even with a full stop
        ("NHS OVERSIGHT FRAMEWORK", False),  # the title again, whatever its case
        ("NHS Oversight Framework.", True),  # ...but with a full stop it reads as a sentence
        ("- Segmentation and support", False),  # a list marker and a short heading
    ],
)
def test_is_statement(text: str, expected: bool) -> None:
    assert is_statement(text, PASSAGE) is expected


def test_the_section_heading_is_not_a_statement_but_a_sentence_about_it_is() -> None:
    section = Passage(source="a.md", title="Plan", section="Oversight and assessment: 2025", text="", score=1.0)
    assert not is_statement("Oversight and assessment: 2025", section)  # has a colon and a figure, but is the heading
    assert is_statement("Oversight and assessment: 2025 brings new segments.", section)


# -- answer_type_match: what kind of thing the question asks for -----------------------------------------------
@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("How many ICBs are there?", "There are 42 ICBs.", True),
        ("How many ICBs are there?", "There are forty-two, in seven regions.", True),  # a number word
        ("How many ICBs are there?", "The boards were set up in 2022.", False),  # a bare year is not a count
        ("How much will the programme cost?", "It costs £1.2 billion.", True),
        ("What percentage of spend goes to primary care?", "Primary care receives 12% of spend.", True),
        ("What percentage of spend goes to primary care?", "Primary care receives a large share.", False),
        ("When will the review report?", "The review will report in March.", True),
        ("When will the review report?", "The review reports by 2025.", True),
        ("When will the review report?", "The review will report soon.", False),
        ("What is the publication reference of the letter?", "Publication reference: PR00557.", True),
        ("What is the publication reference of the letter?", "The reference is given below.", False),
        ("Who leads the review?", "Patricia Hewitt will lead the review.", True),
        ("Who leads the review?", "The former health secretary will lead it.", False),  # no proper name
        ("Who leads the review?", "Rt Hon Patricia Hewitt leads it.", True),
    ],
)
def test_answer_type_match(question: str, sentence: str, expected: bool) -> None:
    assert answer_type_match(question, sentence) is expected


@pytest.mark.parametrize("question", ["What does the framework say about segmentation?", "Why were ICSs created?",
                                      "Describe the oversight cycle."])
def test_questions_that_ask_for_no_particular_kind_of_thing(question: str) -> None:
    assert answer_type_match(question, "Patricia Hewitt said 42 things in March 2023 (PR00557).") is None


def test_the_first_matching_kind_wins() -> None:
    # "how many" (a figure) is checked before "when" (a date): a year alone does not answer it
    question = "How many reviews were published when the act passed?"
    assert answer_type_match(question, "The act passed in 2022.") is False
    assert answer_type_match(question, "Three reviews were published.") is True


# -- select_sentences: near the best, above the floor, not redundant ---------------------------------------------
def test_nothing_above_the_floor_is_a_refusal() -> None:
    scored = _scored([0.30, 0.25])
    assert select_sentences(scored, _distinct(2), max_sentences=3, min_support=0.31) == []
    assert select_sentences(scored, _distinct(2), max_sentences=3, min_support=0.30) == [0]
    assert select_sentences([], np.zeros((0, 2)), max_sentences=3, min_support=0.0) == []


def test_sentences_far_below_the_best_are_left_out_and_the_rest_come_best_first() -> None:
    best = 0.9
    supports = [best - MARGIN - 0.01, best, best - MARGIN + 0.01, best - 0.05]
    chosen = select_sentences(_scored(supports), _distinct(4), max_sentences=5, min_support=0.3)
    assert chosen == [1, 3, 2]  # by support; index 0 is just beyond the margin


def test_the_floor_is_never_below_min_support() -> None:
    chosen = select_sentences(_scored([0.50, 0.45, 0.41]), _distinct(3), max_sentences=5, min_support=0.46)
    assert chosen == [0]  # 0.45 is within the margin of the best but below the floor


def test_at_most_max_sentences() -> None:
    assert select_sentences(_scored([0.9] * 6), _distinct(6), max_sentences=2, min_support=0.3) == [0, 1]


def test_a_sentence_that_repeats_a_chosen_one_is_skipped_for_the_next() -> None:
    vecs = _distinct(3)
    for cosine, expected in ((REDUNDANT + 0.01, [0, 2]), (REDUNDANT - 0.01, [0, 1])):  # with sentence 0
        vecs[1] = [cosine, np.sqrt(1 - cosine**2), 0]
        assert select_sentences(_scored([0.9, 0.85, 0.8]), vecs, max_sentences=2, min_support=0.3) == expected


def test_when_the_question_asks_for_a_kind_of_thing_only_sentences_holding_one_are_quoted() -> None:
    scored = _scored([0.9, 0.6, 0.85])
    typed = [False, True, False]
    assert select_sentences(scored, _distinct(3), max_sentences=3, min_support=0.5, typed=typed) == [1]
    assert select_sentences(scored, _distinct(3), max_sentences=3, min_support=0.5) == [0, 2]  # untyped: 0.6 is beyond the margin


def test_a_typed_question_with_no_supported_typed_sentence_is_refused_unless_another_plainly_answers() -> None:
    # "When is a panel quorate?" may be answered by a condition, not a date: only a plain answer is quoted
    below_plain = _scored([PLAIN - 0.01, 0.2])
    assert select_sentences(below_plain, _distinct(2), 3, 0.5, typed=[False, True], plain=PLAIN) == []
    plain = _scored([PLAIN + 0.01, PLAIN - 0.01, 0.2])
    assert select_sentences(plain, _distinct(3), 3, 0.5, typed=[False, False, True], plain=PLAIN) == [0]
    assert select_sentences(plain, _distinct(3), 3, 0.5, typed=[False, False, True]) == []  # a code, a name: refused


def test_sentences_that_miss_the_question_s_constraint_are_never_quoted() -> None:
    scored = _scored([0.9, 0.6])
    assert select_sentences(scored, _distinct(2), max_sentences=3, min_support=0.5, allowed=[False, True]) == [1]
    assert select_sentences(scored, _distinct(2), max_sentences=3, min_support=0.5, allowed=[False, False]) == []


def test_holding_the_kind_of_thing_asked_for_counts_as_support() -> None:
    just_below = 0.5 - TYPED_CREDIT + 0.01  # below min_support, within the typed credit
    scored = _scored([just_below])
    assert select_sentences(scored, _distinct(1), max_sentences=3, min_support=0.5, typed=[True]) == [0]
    assert select_sentences(scored, _distinct(1), max_sentences=3, min_support=0.5) == []
    too_low = _scored([0.5 - TYPED_CREDIT - 0.01])
    assert select_sentences(too_low, _distinct(1), max_sentences=3, min_support=0.5, typed=[True]) == []


# -- expand_lead_ins: a chosen "...four things:" brings its list ------------------------------------------------
def _passage(text: str, start: int = 0, rank_source: str = "review.txt") -> Passage:
    return Passage(source=rank_source, title="Review", text=text, score=1.0, start=start, end=start + len(text), path=rank_source)


def _quote(passages: list[Passage], rank: int, sentence: str) -> tuple[int, int, int, str]:
    p = passages[rank]
    at = p.text.index(sentence)
    return rank, p.start + at, p.start + at + len(sentence), sentence


def _texts(quotes: list[tuple[int, int, int, str]]) -> list[str]:
    return [q[3] for q in quotes]


LIST = "The review will consider four things:\n  1. autonomy\n  2. accountability\n  3. targets\n  4. the CQC\n\nAnother paragraph follows."


def test_a_chosen_lead_in_brings_its_whole_list_and_no_more() -> None:
    passages = [_passage(LIST)]
    lead = _quote(passages, 0, "The review will consider four things:")
    assert _texts(expand_lead_ins([lead], passages)) == [
        "The review will consider four things:", "1. autonomy", "2. accountability", "3. targets", "4. the CQC"]
    prose = _quote(passages, 0, "Another paragraph follows.")
    assert expand_lead_ins([prose], passages) == [prose]  # no colon: nothing added


def test_a_list_split_between_two_retrieved_chunks_is_brought_whole() -> None:
    cut = LIST.index("  3.")
    passages = [_passage(LIST[:cut]), _passage(LIST[cut:], start=cut)]  # the chunks as retrieved, second ranked lower
    lead = _quote(passages, 0, "The review will consider four things:")
    assert _texts(expand_lead_ins([lead], passages))[-2:] == ["3. targets", "4. the CQC"]


def test_lead_in_items_are_capped_never_repeated_and_a_lead_in_alone_is_dropped() -> None:
    text = "Systems must:\n" + "\n".join(f"- item {i}" for i in range(LIST_LIMIT + 5))
    passages = [_passage(text)]
    lead, second = _quote(passages, 0, "Systems must:"), _quote(passages, 0, "- item 1")
    assert len(expand_lead_ins([lead], passages)) == LIST_LIMIT + 1
    # an item chosen before its lead-in brings the list there, whole and in order (not "item 1, lead-in, item 0, ...")
    assert _texts(expand_lead_ins([second, lead], passages))[:3] == ["Systems must:", "- item 0", "- item 1"]
    assert _texts(expand_lead_ins([second, lead], passages)).count("- item 1") == 1
    alone = [_passage("Complaints should be sent to:")]
    assert expand_lead_ins([_quote(alone, 0, "Complaints should be sent to:")], alone) == []  # says nothing alone
    announced = [_passage("Complaints should be sent to:\nTelephone: 0300 311 22 33. Post: PO Box 16738.")]
    assert _texts(expand_lead_ins([_quote(announced, 0, "Complaints should be sent to:")], announced)) == [
        "Complaints should be sent to:", "Telephone: 0300 311 22 33."]  # what the colon announces


# -- readable quotes: the clause that answers, the words in bold ------------------------------------
def test_a_long_sentence_is_quoted_from_the_clauses_that_answer_with_its_offsets() -> None:
    sentence = ("Amid a crowded afternoon of announcements on tax, pensions and energy bills, the Chancellor said "
                "that Maria Lopez would chair the review of waiting lists, which ministers expect to take a year.")
    question = "Who will chair the review of waiting lists?"
    a, b = answer_span(question, sentence)
    assert sentence[a:b].startswith("the Chancellor said that Maria Lopez would chair the review")
    assert a >= MIN_CUT and b <= len(sentence)
    shown = elided(sentence, (a, b), sentence[a:b])
    assert shown.startswith("… ") and sentence[a:b] in shown
    assert "Maria Lopez" in emphasis(question, sentence[a:b])


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What does the review cover?", "A " + "long sentence about the review, " * 8 + "and its scope."),  # open question
        ("Who chairs it?", "Maria Lopez chairs it."),  # short
        ("Who chairs it?", "• Maria Lopez chairs it, " + "with a long list of other duties, " * 6),  # a list item
    ],
)
def test_sentences_quoted_whole(question: str, sentence: str) -> None:
    assert answer_span(question, sentence) == (0, len(sentence))


def test_the_answering_words_are_the_kind_asked_for_and_not_the_question_s_own() -> None:
    assert emphasis("How many hubs will open by 2028?", "Some 250 hubs will open by 2028.") == ["250"]
    assert emphasis("When will the interim report be published?",
                    "Before the year’s out, an interim report will be published.") == ["year’s out"]
    assert emphasis("What does the plan say?", "The plan says 42.") == []


def test_bold_skips_what_the_question_already_names_and_a_leading_article() -> None:
    question = "Who was asked to lead the review of integrated care systems?"
    sentence = "The Government asked Maria Lopez to lead the review of Integrated Care Systems."
    assert emphasis(question, sentence) == ["Maria Lopez"]


def test_a_figure_is_bold_whole_with_its_currency_and_renders_as_bold() -> None:
    from assistant.serving.chat.rendering import escape_answer_text

    assert emphasis("How much are staff paid per mile?", "The rate rises to £0.52 per mile.") == ["£0.52"]
    # "**" against a digit is not emphasis in Markdown: a partial phrase is widened to its whole token
    assert escape_answer_text("It rises to £0.52. [1]", emphasis=["£"]) == "It rises to **£0\\.52**\\. [1]"
    assert escape_answer_text("By 15 March 2023, it reports. [1]", emphasis=["March"]) == "By 15 **March** 2023, it reports\\. [1]"


def test_a_financial_year_before_the_measure_still_asks_for_a_figure() -> None:
    from assistant.answering.answer_kinds import answer_kind

    assert answer_kind("What is the 2026/27 target for the number of GP appointments per day?") == "figure"
    assert answer_kind("What was the 2023/24 agency spend total?") == "figure"
