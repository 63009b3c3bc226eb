"""The first quote names what a "what/which <N>" question asks about (issue 14, tenth pass: quote order).

Pure functions, no model. The questions and sentences are made up; none is a dev-set question. The class of
failure: a sentence worded like the question's topic ("Before agreeing to fund a new therapy, the board will need
reassurance:") outscored the one about the asked thing ("The options open to the board are:") and was quoted first.
"""

from __future__ import annotations

import pytest

from assistant.answering.quote_order import asked_noun, drop_repeats, lead_first, names_noun, new_names


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("What options does the trust have when a drug is unlicensed?", "options"),  # an auxiliary ends the run
        ("Which sectors do care partnerships bring together?", "sectors"),
        ("What planning horizon does the framework move councils towards?", "horizon"),  # the run's head
        ("Which five digital tools does the plan name?", "tools"),
        ("In which circumstances may a safety needle be prescribed?", "circumstances"),
        ("Which minister announced the workforce plan?", "minister"),  # a past-tense verb ends it
    ],
)
def test_asked_noun_is_the_head_after_what_or_which(question: str, word: str) -> None:
    found = asked_noun(question)
    assert found is not None and found[0] == word


@pytest.mark.parametrize(
    "question",
    [
        "What is the deadline for an appeal?",  # no noun run: "what is ..."
        "What percentage of staff left in 2023?",  # an answer kind: the figure is looked for by kind
        "Which year did the board first meet?",
        "What opening hours will the new clinics have?",  # a measure: the answer is a figure
        "Which needle length is safest for children?",
        "What annual productivity improvement is expected?",
        "In what form should the evidence be sent?",  # a manner: "the request form" is another sense
        "In which way are members appointed?",
        "Who chairs the panel?",  # no what/which
        "Which of these applies to dentists?",
    ],
)
def test_no_asked_noun(question: str) -> None:
    assert asked_noun(question) is None


def test_names_noun_by_stem() -> None:
    assert names_noun("sector", "It joins councils and the voluntary sector.")
    assert names_noun("option", "The options open to the board are:")
    assert not names_noun("option", "The board will need reassurance:")


QUESTION = "What options does the board have when it considers an unproven therapy?"


def test_the_quote_naming_the_asked_noun_goes_first() -> None:
    texts = {4: "Before agreeing to fund an unproven therapy, the board will need reassurance:",
             9: "This section explains how unproven therapies are judged.",
             2: "The options open to the board in these cases are: not to fund; fund a trial of treatment."}
    assert lead_first([4, 9, 2], texts, QUESTION) == [2, 4, 9]  # the rest keep their order


def test_order_kept_when_the_best_quote_names_it() -> None:
    texts = {1: "The board has two options: fund or decline.", 5: "Options are reviewed yearly."}
    assert lead_first([1, 5], texts, QUESTION) == [1, 5]


def test_order_kept_when_no_quote_names_it() -> None:
    # the documents may call the answer something else ("the pack holds ..."): then nothing moves
    texts = {1: "Members receive a pack with the request form.", 5: "The pack is sent a week before."}
    assert lead_first([1, 5], texts, "What papers do panel members get?") == [1, 5]


def test_order_kept_for_questions_without_an_asked_noun() -> None:
    texts = {1: "Appeals must be lodged within 20 days.", 5: "The deadline options are listed in annex B."}
    assert lead_first([1, 5], texts, "What is the deadline for an appeal?") == [1, 5]
    assert lead_first([5], texts, QUESTION) == [5]


def test_only_the_order_changes() -> None:
    texts = {i: f"Sentence {i} about options." if i == 7 else f"Sentence {i}." for i in range(10)}
    chosen = [3, 0, 7, 9]
    assert sorted(lead_first(chosen, texts, QUESTION)) == sorted(chosen)


# -- drop_repeats: a later quote of the asked kind about something else ------------------------------------------
REVIEW = "Within how many working days must a request for review of a panel decision be made?"
REVIEW_TEXTS = {
    1: "Requests for a review of a panel decision must be made within 20 working days.",
    2: "The review panel will be convened within 10 working days.",  # another duration, in words already quoted
    3: "The appeal fee is refunded within 30 days of a successful request.",
}


def test_a_later_quote_adding_none_of_the_questions_words_is_dropped() -> None:
    assert drop_repeats([1, 2], REVIEW_TEXTS, REVIEW) == [1]


def test_a_later_quote_adding_the_questions_words_is_kept() -> None:
    texts = {1: "The review panel will be convened within 10 working days.",
             2: "Requests for a review of a panel decision must be made within 20 working days."}
    assert drop_repeats([1, 2], texts, REVIEW) == [1, 2]  # the right one may come second: it is kept


def test_the_first_quote_is_always_kept() -> None:
    texts = {5: "The fee is refunded in 30 days.", 6: "Fees rose by 4% last year."}
    assert drop_repeats([5, 6], texts, "How many days does the board have to publish its accounts?") == [5]
    assert drop_repeats([5], texts, REVIEW) == [5]


def test_questions_not_asking_for_one_kind_keep_every_quote() -> None:
    texts = {1: "The panel considers the original request.", 2: "The panel considers new evidence."}
    assert drop_repeats([1, 2], texts, "What does the panel consider?") == [1, 2]  # no asked kind
    two = {1: "The guidance was ratified by the prescribing group.", 2: "It is due for review in December 2027."}
    assert drop_repeats([1, 2], two, "Who ratified the guidance, and when is it due for review?") == [1, 2]


def test_an_acronym_counts_as_the_words_it_stands_for() -> None:
    texts = {1: "The region has 3 boards.", 2: "It has 5 ICSs.", 3: "Integrated care systems (ICSs) began in 2022."}
    question = "How many integrated care systems does the region have?"
    assert drop_repeats([1, 2, 3], texts, question) == [1, 2]  # "ICSs" adds "integrated care systems"; 3 adds nothing


def test_a_restatement_of_the_quoted_figure_is_kept() -> None:
    texts = {1: "If the chair fails to call a meeting, members may call one by giving 14 days' notice.",
             2: "The chair may call a meeting by giving 14 days' notice."}
    assert drop_repeats([1, 2], texts, "How much notice must the chair give to call a meeting?") == [1, 2]


def test_a_quote_going_on_with_a_kept_one_is_kept() -> None:
    texts = {1: "The boards will take on screening from April 2026.",
             2: "It is anticipated that the whole of it will transfer from April 2027."}
    question = "When will the boards take on screening?"
    assert drop_repeats([1, 2], texts, question) == [1]
    assert drop_repeats([1, 2], texts, question, before={1: None, 2: 1}) == [1, 2]  # 2 right after 1 in its document


def test_a_quote_saying_more_of_the_question_than_the_first_is_kept() -> None:
    # text converted from two columns: the first quote holds the question's words scattered, the later one says it
    texts = {1: "Funding over the period up to £226 billion in real terms, revenue growth and increase capital",
             2: "Revenue funding will increase by 3% in real terms over the period."}
    question = "By how much will revenue funding increase in real terms over the period?"
    assert drop_repeats([1, 2], texts, question, covers={1: 0.9, 2: 0.6}) == [1]
    assert drop_repeats([1, 2], texts, question, covers={1: 0.45, 2: 0.62}) == [1, 2]


# -- "which N" answered by a named instance ------------------------------------------------------------------------
def test_which_question_keeps_a_best_quote_naming_an_instance_first() -> None:
    # the instance ("Sharpguard") needn't repeat the asked noun; the sentence that does names nothing
    question = "Which sharps bins can be prescribed for needles?"
    texts = {1: "• Sharpguard yellow 1 litre and Safebox red are suitable for needles and can be prescribed.",
             2: "• Patients should be taught to dispose of needles in a sharps bin."}
    assert lead_first([1, 2], texts, question) == [1, 2]
    # "what N" asks for no instance: the quote naming N goes first all the same
    assert lead_first([1, 2], texts, "What sharps bins can be prescribed for needles?") == [2, 1]


def test_which_question_moves_a_naming_quote_that_names_things_too() -> None:
    question = "Which sectors do care partnerships bring together?"
    texts = {1: "The Minister, Jane Smith, said care partnerships will be reviewed.",
             2: "They bring together councils, the NHS and the voluntary sector."}
    assert lead_first([1, 2], texts, question) == [2, 1]


def test_new_names_skips_sentence_openers_and_the_questions_words() -> None:
    question = "Which bins does NHS Kent supply?"
    assert new_names("• Sharpguard bins. Patients use them. NHS Kent supplies Safebox.", question) == {"Safebox"}
    assert new_names("“By working with partners, I said.", question) == set()
