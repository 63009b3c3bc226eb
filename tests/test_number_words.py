"""Numbers asked in words and written in digits, and a share of people as a share of the population
(``assistant/text/number_words.py``, the qualifier and focus checks of ``assistant/answering/constraints.py``).

Pure, no model. Made-up sentences in the documents' style: a question asks about "four hours" or
"eighteen weeks" where the document writes "4-hour" or "18-week"; it asks "what share of people" where
the document says "of the population". Each has a sentence that answers and one about another measure.
"""

from __future__ import annotations

import pytest

from assistant.answering.constraints import unmet_constraints
from assistant.text.number_words import spelled_stems


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("4-hour A&E", {"four"}),
        ("within 18 weeks, 12 months and 30 days", {"eighteen", "twelv", "thirti"}),
        ("2025/26, 4.5%, £3 and 1,000 posts", set()),  # a period, a decimal, an amount, a big number
        ("72% and 65 per cent", set()),  # a share counts nothing
        ("a 1 in 3 chance", {"one", "three"}),
        ("category 101", set()),
        ("over 52 weeks", {"fifti", "two"}),  # "fifty-two weeks": terms gives both words
    ],
)
def test_spelled_stems_names_small_whole_numbers_only(text: str, stems: set[str]) -> None:
    assert spelled_stems(text) == stems


def test_a_number_asked_in_words_is_met_by_its_digits() -> None:
    question = "What share of patients should be seen within four hours in A&E by March 2026?"
    answer = "A minimum of 78% of patients should be seen within 4 hours in March 2026."
    assert unmet_constraints(question, answer, context=answer) == []
    question = "What proportion of patients should start treatment within eighteen weeks?"
    answer = "The standard is that 92% of patients start treatment within 18 weeks of referral."
    assert unmet_constraints(question, answer, context=answer) == []


def test_a_compound_number_in_words_is_met_by_its_digits() -> None:
    question = "What share of patients should be waiting over fifty-two weeks by March 2026?"
    answer = "Reduce the proportion of patients waiting over 52 weeks to less than 1% of the waiting list by March 2026."
    assert unmet_constraints(question, answer, context=answer) == []
    assert unmet_constraints(question, "No more than 14% of patients should wait over 6 weeks by March 2026.")


def test_a_sentence_on_the_same_unit_with_another_number_does_not_answer() -> None:
    question = "What share of patients should be seen within four hours in A&E by March 2026?"
    passage = ("A minimum of 78% of patients should be seen within 4 hours in March 2026. "
               "Fewer than 2% of patients should wait over 12 hours in March 2026.")
    other = "Fewer than 2% of patients should wait over 12 hours in March 2026."
    assert unmet_constraints(question, other, context=passage)  # the passage says four; the sentence is on 12
    two = "What share of patients should be seen within two hours in A&E by March 2026?"
    assert unmet_constraints(two, "A minimum of 78% of patients should be seen within 4 hours in March 2026.")


def test_one_counts_before_a_unit() -> None:
    question = "What proportion of patients should be seen within one hour in A&E in March 2026?"
    assert unmet_constraints(question, "A minimum of 78% of patients should be seen within 4 hours in March 2026.")
    answer = "90% of patients should be seen within 1 hour in March 2026."
    assert unmet_constraints(question, answer, context=answer) == []


def test_a_sentence_that_states_no_such_measure_does_not_answer() -> None:
    # a lead-in ("The priorities for 2025/26 are:") or a target of another kind says nothing of the hours asked about
    question = "What proportion of patients should be seen within two hours in A&E in March 2026?"
    lead_in = "The national priorities to improve patient outcomes in 2025/26 are:"
    elective = "Improve the percentage of patients waiting no longer than 18 weeks to 65% by March 2026."
    assert unmet_constraints(question, lead_in, context=f"{lead_in} Patients seen within 2 hours.")
    assert unmet_constraints(question, elective, context=f"{elective} Patients seen within 2 hours.")


def test_one_is_no_count() -> None:
    # "in one term" says "a single term": a sentence on terms need not say "one" (another retrieved passage does)
    question = "How long can the chair serve in one term, and how many terms are allowed?"
    answer = "The term of office for the Chair is a maximum of three years and a Chair may serve two terms."
    elsewhere = "A one-off extension of up to 12 months may be granted."
    assert unmet_constraints(question, answer, context=answer, retrieved=elsewhere) == []


def test_a_share_of_people_is_a_share_of_the_population() -> None:
    question = "Roughly what proportion of people have complex needs?"
    answer = "This cohort has been estimated at around 7% of the population."
    context = f"Adults and children with complex needs need joined-up care. {answer} People value continuity."
    assert unmet_constraints(question, answer, context=context) == []
    # another counted group is still another thing: "patients" is not met by "the population"
    staff = "What proportion of staff have complex needs?"
    assert unmet_constraints(staff, answer, context=f"{context} Staff are supported.")
