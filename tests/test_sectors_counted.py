"""The sector a figure is stated for, what a number counts, and a time said in a negated clause (issue 14)."""

from __future__ import annotations

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import typed_matches, unmet_constraints
from assistant.answering.counted import counts_parts_of, day_of_month, share_of_other
from assistant.answering.negated_dates import negated_time
from assistant.answering.sectors import asked_sectors, other_sector, sectors_in

ACUTE = ("Combining these estimates with expenditure by acute trusts shows that overall acute productivity has "
         "improved by 1.8% in H1 2024/25 compared to the same period last year.")


@pytest.mark.parametrize(("question", "sectors"), [
    ("What was the productivity growth of NHS mental health services in 2024/25?", ("mental health",)),
    ("By how much did community health services activity grow?", ("community",)),
    ("How many GP appointments are delivered each day?", ("primary care",)),
    ("What was acute productivity growth in 2024/25?", ("acute",)),
    ("How many new community diagnostic centres will open?", ()),  # a diagnostic centre is no community service
    ("What rate of acute kidney injury is expected?", ()),  # a clinical word, not a setting
    ("How did productivity in non-acute sectors change?", ("non-acute",)),
])
def test_asked_sectors(question: str, sectors: tuple[str, ...]) -> None:
    assert asked_sectors(question) == sectors


def test_a_figure_for_another_sector_does_not_answer() -> None:
    assert other_sector(("mental health",), ACUTE)
    assert other_sector(("community",), "Elective activity in acute hospitals grew by 7.4%.")
    assert other_sector(("primary care",), "Ambulance response times averaged 30 minutes.")


def test_a_sentence_naming_the_asked_sector_or_none_is_no_conflict() -> None:
    assert not other_sector(("acute",), ACUTE)
    assert not other_sector(("mental health",), "NHS staff numbers have increased by 4.0%.")
    assert not other_sector(("mental health",), "In the non-acute sectors including mental health, primary care and "
                                                 "community services, data quality issues have prevented measurement.")
    assert not other_sector((), ACUTE)
    assert sectors_in("patients in post-acute care") == ()


def test_sector_constraint_through_unmet_constraints() -> None:
    question = "What was the productivity growth of NHS mental health services in 2024/25?"
    assert "mental health" in unmet_constraints(question, ACUTE, context="NHS productivity")
    acute = "What was acute productivity growth in the first half of 2024/25?"
    assert "acute" not in unmet_constraints(acute, ACUTE, context="NHS productivity")
    # a question that asks for no figure, date or name is not narrowed by it
    assert "mental health" not in unmet_constraints("Why does mental health matter?", ACUTE)


def test_day_of_a_date_counts_nothing() -> None:
    s = "ensure additional capacity is commissioned GP contract (including recent 1 October changes)"
    assert day_of_month(s, s.index("1 "), s.index("1 ") + 1)
    s2 = "Plans are due by March 31st."
    assert day_of_month(s2, s2.index("31"), s2.index("31") + 2)
    s3 = "Around 10 practices will open in October."
    assert not day_of_month(s3, s3.index("10"), s3.index("10") + 2)
    question = "What is the 2026/27 target for the number of GP appointments delivered per day?"
    assert typed_matches(question, "• ensure practices are delivering the 2025/26 GP contract (including recent "
                                   "1 October changes) and the 2026/27 GP contract") == []
    assert typed_matches(question, "Practices should deliver 1,200 GP appointments per day by 2026/27.") != []


def test_a_percentage_of_another_thing_is_no_count() -> None:
    s = "Changes have generated nearly £500 million of savings, and an organisation almost 35% smaller."
    assert share_of_other(s, s.index("35"), s.index("35") + 2, "post")
    assert typed_matches("How many posts will NHS England cut as it becomes smaller?", s) == []
    staff = "This includes a reduction in the number of agency staff by 33%."
    assert not share_of_other(staff, staff.index("33"), staff.index("33") + 2, "staff")
    assert typed_matches("How many fewer agency staff were there?", staff) != []
    # a plain count keeps the looser rule: the counted noun may be paraphrased
    assert typed_matches("How many people will be offered a budget?", "We will offer 1 million a budget by 2030.") != []
    # "what percentage of" asks for a share, whatever the sentence counts
    assert typed_matches("What percentage of posts will go?", s) != []


def test_a_number_counting_parts_of_the_asked_thing_is_no_count_of_it() -> None:
    s = "The regulator has set out the following as the three main duties of regional dental networks:"
    assert counts_parts_of(s, s.index("three"), s.index("three") + 5, "network")
    assert typed_matches("How many regional dental networks are there?", s) == []
    # asked for the parts themselves, the number counts them
    assert typed_matches("How many main duties do regional dental networks have?", s) != []
    # the asked thing counted directly, one of a set, or a share of it
    for other in ("We will work with all 12 regional dental networks.", "It is one of the 12 regional dental networks.",
                  "Two thirds of regional dental networks reported."):
        assert typed_matches("How many regional dental networks are there?", other) != [], other


def test_a_time_in_a_negated_clause_does_not_date_the_event() -> None:
    s = "Although integrated care boards (ICBs) will not be segmented this year, their scores will be published."
    a = s.index("this year")
    assert negated_time(s, a, a + 9)
    assert typed_matches("In which year will ICBs start being segmented?", s) == []
    for bounded in ("Segmentation will not start until 2027.", "Plans must be submitted not later than 31 March 2026.",
                    "The review will not be complete before 2027."):
        year = bounded.index("20")
        assert not negated_time(bounded, year, year + 4), bounded
    assert typed_matches("When will segmentation start?", "Segmentation will not start until 2027.") != []
    assert typed_matches("When will ICBs be segmented?", "ICBs will be segmented from 2026/27.") != []


def test_which_year_asks_for_a_date() -> None:
    assert answer_kind("In which year will ICBs start being allocated to segments?") == "date"
    assert answer_kind("By what year will the NHS App be a full front door?") == "date"
    assert typed_matches("In which year will ICBs start being allocated to segments?",
                         "Further details can be found in the NHS Oversight Framework.") == []


def test_a_number_in_a_web_address_is_no_date_or_figure() -> None:
    s = ("The NHS Oversight Framework metrics list (Annex A (https://www.england.nhs.uk/long-read/"
         "nhs-oversight-framework-2025-26/#annex-a-delivery-metrics)) lists both the scoring and contextual metrics.")
    assert typed_matches("When will the contextual metric scores be published?", s) == []
    assert typed_matches("When will the scores be published?", "Scores will be published (see www.example.org) in 2026.") != []


def test_non_acute_is_every_sector_but_acute() -> None:
    assert other_sector(("non-acute",), ACUTE)
    assert not other_sector(("non-acute",), "Mental health productivity rose by 2%.")
    assert not other_sector(("non-acute",), "Productivity in non-acute sectors is not yet measured.")

