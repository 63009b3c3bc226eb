"""A figure question's period must be stated as that period by the sentence or its passage (asked_periods)."""

from assistant.answering.asked_periods import AskedPeriod, asked_period, states_period
from assistant.answering.constraints import question_constraints, unmet_constraints


def test_asked_period_reads_financial_and_calendar_years_and_months():
    assert asked_period("2027/28") == AskedPeriod("fy", 2027)
    assert asked_period("2030") == AskedPeriod("year", 2030)
    assert asked_period("March 2028") == AskedPeriod("month", 2028, 3)
    assert asked_period("£3.5") is None
    assert asked_period("18") is None


def test_month_is_kept_on_the_figure_constraint():
    texts = [c.text for c in question_constraints("What percentage should wait under 18 weeks by March 2028?")]
    assert "March 2028" in texts


def test_another_financial_year_sharing_a_calendar_year_does_not_state_it():
    fy = asked_period("2027/28")
    assert not states_period(fy, "a 30% reduction in agency use in 2026/27", "")
    assert not states_period(fy, "National target of 85% as the average for the year", "4-hour A&E 82% by March 2027 2028/29 target")
    assert states_period(fy, "a 10% reduction in 2027/28", "")
    assert states_period(fy, "every trust to reach 90% by March 2028", "")


def test_a_run_of_years_covers_its_middle_only_in_the_sentence():
    fy = asked_period("2027/28")
    assert states_period(fy, "Target for all years 2026/27 to 2028/29: 100%", "")
    assert not states_period(fy, "Trusts should reach 80%.", "Medium term planning framework 2026/27 to 2028/29")
    # the run's own ends are written out, so they are stated anywhere in the passage
    assert states_period(asked_period("2026/27"), "Trusts should reach 80%.", "Framework 2026/27 to 2028/29")


def test_a_table_heading_in_the_passage_states_the_column_year():
    assert states_period(asked_period("2028/29"), "National target of 85% as the average for the year",
                         "Success measure 2026/27 target 2028/29 target 4-hour A&E ...")


def test_month_and_year_is_met_by_its_own_financial_year_not_the_next():
    march = asked_period("March 2028")
    assert not states_period(march, "at least 92% of patients waiting 18 weeks or less by 2028/29", "")
    assert states_period(march, "by the end of 2027/28, 70% nationally", "")
    assert states_period(march, "72% nationally by March 2028", "")
    assert not states_period(march, "72% nationally by March 2026", "")


def test_calendar_year_question():
    year = asked_period("2030")
    assert not states_period(year, "345,000 additional CYP aged 0 to 25 compared to 2019", "")
    assert states_period(year, "offer 1 million people a Personal Health Budget by 2030", "")
    assert states_period(year, "spending will reach £14.6 billion in 2029/30", "")


def test_a_passage_year_alone_does_not_state_a_financial_year():
    # a passage's other calendar years are publication dates and far horizons ("by 2035")
    assert not states_period(asked_period("2027/28"), "Today the NHS accounts for 38% of spending.", "by 2027 we will")
    assert states_period(asked_period("2027/28"), "We will do this by 2028.", "")


def test_unmet_constraints_reports_the_period():
    q = "What is the 4-hour A&E performance target for 2027/28?"
    assert "2027/28" in unmet_constraints(q, "4-hour A&E Every trust to maintain or improve to 82% by March 2027")
    assert "2027/28" not in unmet_constraints(q, "4-hour A&E: 83% in 2027/28")


def test_a_sentence_dated_by_another_month_does_not_state_the_asked_month():
    august = asked_period("August 2023")
    sentence = "In August 2024, the leaver rate was at 6.96%, below the target range for 2023/24."
    assert not states_period(august, sentence, sentence)
    assert states_period(august, "In August 2023, the leaver rate was 7.1%.", "")
    assert states_period(august, "The leaver rate was 7.1% in 2023/24.", "")  # no month of its own: its year


def test_a_sentence_dated_by_another_financial_year_does_not_borrow_its_passage_s() -> None:
    # the passage goes on about 2026/27; the figure is for 2025/26
    passage = "Productivity in 2026/27 and beyond. The NHS would have a productivity target of 2% for 2025/26."
    assert not states_period(asked_period("2026/27"), "The NHS would have a productivity target of 2% for 2025/26.", passage)
    # a baseline year does not date the figure: the passage's heading still does
    assert states_period(asked_period("2026/27"), "Reduce agency spend by 30% compared with 2024/25.", "Targets for 2026/27")
    # nor does a sentence that dates itself by both
    assert states_period(asked_period("2026/27"), "Set in 2025/26, the target for 2026/27 rises to 4%.", "")


def test_a_period_named_only_as_a_baseline_is_not_stated() -> None:
    fy = asked_period("2023/24")
    staff = "Staff numbers rose by 4.0% in the first half of 2024/25 compared to the same period in 2023/24."
    assert not states_period(fy, staff, staff)
    assert states_period(asked_period("2024/25"), staff, staff)
    assert not states_period(fy, "Activity grew 3% on 2023/24 levels.", "")
    assert not states_period(fy, "Productivity has risen at twice the historical rate since 2023/24.", "")
    assert not states_period(asked_period("2019"), "345,000 additional CYP compared to 2019", "")
    assert not states_period(fy, "Costs grew 2% faster than in 2023/24.", "")


def test_between_two_years_states_the_later_not_the_first() -> None:
    sentence = "We are continuing the c.2% productivity improvement seen between 2022/23 and 2023/24."
    passage = f"Spend fell from £3.5 billion in 2022/23 to £3.0 billion. {sentence}"
    assert not states_period(asked_period("2022/23"), sentence, passage)  # the passage's 2022/23 is the spend's
    assert states_period(asked_period("2023/24"), sentence, passage)


def test_a_deadline_or_a_start_date_is_not_a_baseline() -> None:
    assert states_period(asked_period("2028/29"), "This should be in place no later than the end of 2028/29.", "")
    assert states_period(asked_period("May 2024"), "Since May 2024 we have launched a national programme.", "")
    assert states_period(asked_period("2026/27"), "Targets for 2026/27 to 2028/29 are set.", "")


def test_a_question_naming_the_baseline_is_met_by_it() -> None:
    sentence = "to achieve the national ambition for 345,000 additional CYP aged 0 to 25 compared to 2019"
    assert not unmet_constraints("How many more children should be reached than in 2019?", sentence, "")
    assert unmet_constraints("How many children were reached in 2019?", sentence, "") == ["2019"]
    figure = next(c for c in question_constraints("How many more than in 2019/20?") if c.kind == "figure")
    assert figure.baseline
