"""What a question turns on, and whether a sentence meets it (``assistant/answering/constraints.py``).

Pure functions, no model: each example is a question, a sentence of the same kind that does *not*
answer it (another category, another report, another target), and one that does. The examples are
variants of the failures in issue 14, written afresh, and cases the rule must leave alone.
"""

from __future__ import annotations

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import (
    answer_type_match,
    asked_attribute,
    asks_two_things,
    canonical_numbers,
    question_constraints,
    typed_matches,
    unmet_constraints,
)
from assistant.answering.topics import topic_terms


def _kinds(question: str) -> set[tuple[str, str]]:
    return {(c.kind, c.text) for c in question_constraints(question)}


# -- labelled figures: "Category 1" is not met by "Category 2" ------------------------------------------------
@pytest.mark.parametrize(
    ("question", "wrong", "right"),
    [
        ("What is the Category 1 response standard for ambulances?",
         "Category 2 calls should be reached in 30 minutes on average.",
         "Category 1 calls should be reached in 7 minutes on average."),
        ("How many providers sit in segment 4?",
         "Twelve providers were placed in segment 3 this quarter.",
         "Nine providers were placed in segment 4 this quarter."),
        ("What did version 2.1 of the constitution add?",
         "Version: V1.3 | Added the Deputy Chair role.",
         "Version: V2.1 | Added a voluntary sector member."),
    ],
)
def test_a_labelled_figure_is_met_only_by_that_label_and_number(question: str, wrong: str, right: str) -> None:
    assert unmet_constraints(question, wrong)  # the same label with another number
    assert unmet_constraints(question, right) == []


def test_a_labelled_figure_may_be_met_by_the_passage_around_a_sentence_that_names_no_other() -> None:
    question = "What is the Category 1 response standard?"
    assert unmet_constraints(question, "The mean is 7 minutes.", context="Category 1 calls are life-threatening.") == []
    assert unmet_constraints(question, "The mean is 30 minutes.", context="Category 2 calls are emergencies.")


def test_dates_and_bounds_are_not_labels() -> None:
    kinds = {k for k, _ in _kinds("What did the March 2026 update say about the minimum 4-hour standard?")}
    assert "labelled" not in kinds


# -- qualifiers: "the final report" is not "the interim report" -------------------------------------------------
def test_a_date_about_another_event_does_not_answer_when_the_report_came_out() -> None:
    question = "On what date was the commission's final report published?"
    passage = "An interim report is due in the spring. The chair served as minister from May 2005 to June 2007."
    other_event = "The chair served as minister from May 2005 to June 2007."
    assert answer_type_match(question, other_event)  # a date, so the type alone would let it answer...
    assert unmet_constraints(question, other_event, context=passage)  # ...but it is not about the final report
    answered = "The final report was published on 3 April 2024."
    assert unmet_constraints(question, answered, context=answered) == []


def test_a_target_of_another_kind_does_not_answer_a_question_about_the_dementia_target() -> None:
    question = "What memory-clinic dementia diagnosis target does this year's guidance set?"
    elective = "Deliver the 18-week referral to treatment target for 65% of patients by March 2026."
    assert unmet_constraints(question, elective, context=elective)
    dementia = "Maintain the dementia diagnosis target of 66.7%."
    assert unmet_constraints(question.replace("memory-clinic ", ""), dementia, context=dementia) == []


def test_qualifiers_are_asked_of_figure_date_and_name_questions_only() -> None:
    # an open question's qualifiers are often paraphrased by the passage that answers it
    assert not any(k == "qualifier" for k, _ in _kinds("What component plans should an integrated plan bring together?"))
    assert any(k == "qualifier" for k, _ in _kinds("When was the final report published?"))


def test_a_plain_answer_in_other_words_meets_the_question() -> None:
    question = "When is the interim report due?"
    sentence = "Before the year’s out, an interim report will be published with the full review next year."
    assert answer_type_match(question, sentence)  # "before the year's out" is a time
    assert unmet_constraints(question, sentence, context=sentence) == []


# -- the thing counted or dated must be in the sentence --------------------------------------------------------
def test_how_many_wants_the_counted_thing_in_the_sentence_when_the_passage_names_it() -> None:
    question = "How many community hubs will open by 2028?"
    passage = "Community hubs are part of the plan. 170 diagnostic centres will be open by March 2025."
    wrong = "170 diagnostic centres will be open by March 2025."
    assert "hubs" in unmet_constraints(question, wrong, context=passage)
    assert unmet_constraints(question, "250 community hubs will open by 2028.", context=passage) == []


def test_a_counted_thing_the_passage_never_names_is_a_paraphrase_not_a_mismatch() -> None:
    question = "How many extra staff will the plan recruit?"
    assert unmet_constraints(question, "The plan recruits 5,000 more nurses by 2027.", context="") == []


# -- names, codes, quoted phrases, figures --------------------------------------------------------------------
def test_names_and_codes_must_be_found_somewhere_in_what_was_retrieved() -> None:
    question = "Who was the guest on episode 9 of the Pulse Check podcast?"
    assert unmet_constraints(question, "Amanda Pritchard spoke at the conference.")
    question = "What are the key safety considerations when prescribing SGLT2 inhibitors?"
    assert "SGLT2" in unmet_constraints(question, "Metformin is first line.", context="Type 2 diabetes guideline")
    assert unmet_constraints(question, "Advise on the risk of diabetic ketoacidosis.",
                             retrieved="SGLT2 inhibitors: safety advice") == []


def test_an_acronym_is_met_by_the_long_form_the_passage_defines() -> None:
    question = "When will ICBs publish their plans?"
    context = "Integrated care boards (ICBs) lead local planning."
    assert unmet_constraints(question, "Integrated care boards will publish plans in March 2026.", context=context) == []


def test_a_preamble_is_background_only_the_asking_sentence_sets_constraints() -> None:
    question = "Agency spend fell to £3bn by 2023/24. What further cut did the guidance require?"
    assert unmet_constraints(question, "Systems must cut agency spend by 30%.") == []


def test_figures_are_compared_as_numbers() -> None:
    assert canonical_numbers("£1,500 in 2025/26, 1.70 and 12") >= {"1500", "2025/26", "2026", "1.7", "12"}
    assert unmet_constraints("What happened to the 1,500 beds?", "The 1500 beds were reopened.") == []
    assert unmet_constraints("What happened in 2025/26?", "Little happened.", context="In 2025/26 it grew.") == []


# -- what the question asks for ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("When will the first findings appear?", "Before the year’s out, first findings will appear.", True),
        ("When will the first findings appear?", "First findings will appear by the end of the year.", True),
        ("When will the first findings appear?", "First findings will appear next spring.", True),
        ("When will the first findings appear?", "A review may appear.", False),  # "may" is not May
        ("When does the plan start?", "The autumn statement announced the plan.", False),  # a statement, not a time
        ("How many boards are there?", "4. This section describes boards.", False),  # a list marker is not a count
        ("How much is the 10 Year Plan investing?", "The 10 Year Plan sets out the vision.", False),  # its own figure
        ("How much is the 10 Year Plan investing?", "The 10 Year Plan invests £2 billion.", True),
        ("How many courses were delivered in 2025/26?", "Courses grew in 2025/26.", False),  # a year is not a count
        ("How much does the fund hold?", "See www.example.org/2025-26-fund for the fund.", False),  # a web address
        ("How much is the chair paid?", "The chair is one of the members.", False),  # "one of" counts nothing
        ("How many chairs are there?", "There is one chair.", True),
        ("How long does a review take?", "See Appendix eight and section 14 for reviews.", False),  # labels, not amounts
        ("How long does a review take?", "See Appendix eight: a review takes 20 working days.", True),
    ],
)
def test_answer_types(question: str, sentence: str, expected: bool) -> None:
    assert answer_type_match(question, sentence) is expected


def test_typed_matches_are_spans_of_the_sentence() -> None:
    sentence = "The plan invests £2 billion by 2030."
    spans = typed_matches("How much does the plan invest?", sentence)
    assert [sentence[a:b] for a, b in spans] == ["£", "2"]


def test_the_verb_after_who_and_a_preamble_s_figures_are_not_constraints() -> None:
    question = "The plan was signed off in December. Who leads neighbourhood health plans, and by when?"
    kinds = _kinds(question)
    assert not any(text.startswith("leads ") for _, text in kinds)
    assert answer_type_match(question, "Local authorities lead them from December.")  # December is not the question's own


def test_a_passage_that_never_names_what_a_figure_measures_cannot_give_it() -> None:
    question = "What memory assessment rate target does the guidance set?"
    elective = "Deliver 65% of elective care within 18 weeks by March 2026."
    assert "memory" in unmet_constraints(question, elective, context="Elective care and cancer targets.")
    assert unmet_constraints(question, "Raise it to 67%.", context="Memory assessment rates vary by area.") == []


@pytest.mark.parametrize(("question", "kind"), [
    ("When is the panel quorate?", "date"), ("How many boards are there?", "figure"),
    ("What is the publication reference of the letter?", "code"), ("Who chairs the board?", "name"),
    ("Why were boards created?", None),
    # "when" that sets the scene is not what is asked
    ("What post did she hold when she was appointed?", None), ("What should boards weigh when making decisions?", None),
    ("Where is it sent, and by when?", "date"), ("By when must plans be final?", "date"), ("When?", "date"),
    # who a document is for, or applies to, is a group of people, not a name
    ("Who is this guideline for?", None), ("Who does the policy apply to?", None), ("Who is the guidance aimed at?", None),
    ("Who is responsible for approving requests?", "name"), ("Who does the Chair report to?", "name"),
])
def test_answer_kind(question: str, kind: str | None) -> None:
    assert answer_kind(question) == kind


def test_asked_attribute_is_what_a_what_is_the_question_asks_for() -> None:
    assert asked_attribute("What is the booking reference of the Trust's letter?") == ("book", "refer")
    assert asked_attribute("What is the population of the area?") == ("popul",)
    assert asked_attribute("Why was it done?") == ()


@pytest.mark.parametrize(("question", "expected"), [
    ("Who signed the letter, and when is it due for review?", True),
    ("What must the trust do, and from what date is funding paid?", True),
    ("Which needle is first choice and what does it cost?", True),
    ("What are the quorum and voting rules?", False),  # one question about two things
    ("The plan set targets and budgets. Who leads it?", False),  # "and" in the preamble
])
def test_asks_two_things(question: str, expected: bool) -> None:
    assert asks_two_things(question) is expected


# -- the asked-for kind met only by something of another kind (issue 14, wave 6) --------------------------------
@pytest.mark.parametrize(("question", "wrong", "right"), [
    # a sum of funding is not a share: "the cohort accounts for 30% of A&E costs" gives no amount
    ("How much capital funding is set aside for new community hubs in 2026/27?",
     "This group makes up around 5% of the population and around 30% of emergency admission costs.",
     "The plan sets aside £120 million of capital for new community hubs in 2026/27."),
    ("How much investment will go to school-based mental health teams?",
     "Coverage of schools will reach 50% by 2025.",
     "We will invest an extra £40 million in school-based mental health teams."),
])
def test_a_sum_of_funding_is_not_met_by_a_share(question: str, wrong: str, right: str) -> None:
    assert answer_kind(question) == "money"
    assert not answer_type_match(question, wrong)
    assert answer_type_match(question, right)


def test_a_cost_or_a_change_in_it_may_still_be_put_as_a_share() -> None:
    assert answer_type_match("How much did agency spending rise last year?", "Agency costs rose by 3.9% in the year.")
    assert answer_type_match("How much funding growth will ICBs get?", "Allocations grow by 2.8% in real terms.")


@pytest.mark.parametrize(("question", "wrong", "right"), [
    # a price, or the base of a price ("per 100 strips"), counts nothing to prescribe
    ("How many test strips should be supplied each month to a patient testing twice a day?",
     "Prescribers should choose strips that cost less than £8 per 50 strips.",
     "Supply 60 test strips for each month of twice-daily testing."),
    # a dose or a length counts units or millimetres, not the things asked about
    ("How many lancets does a patient need per week?",
     "Lancets of 1.8 mm depth suit most adults; doses above 40 units need review.",
     "Most patients need 14 lancets a week."),
    ("How many reviews should a patient have while on the drug?",
     "Hold the injection for 10 seconds before withdrawing.",
     "Patients should have two reviews in the first year."),
])
def test_a_count_is_not_met_by_a_price_a_rate_base_or_another_unit(question: str, wrong: str, right: str) -> None:
    assert not answer_type_match(question, wrong)
    assert answer_type_match(question, right)


@pytest.mark.parametrize(("question", "wrong", "right"), [
    # a score or share measures neither money nor time: "£90 million ... 3 million hours" is about something else
    ("What was the average patient experience score in the 2023 inpatient survey?",
     "The new booking system saved £90 million and freed up 3 mil ion hours of clinical time.",
     "The average inpatient experience score was 7.9 out of 10."),
    ("What proportion of referrals were seen within two weeks?",
     "Referrals cost £35 each and waits fell by 12 days.",
     "Some 78% of referrals were seen within two weeks."),
])
def test_a_score_or_share_is_not_met_by_money_or_a_span_of_time(question: str, wrong: str, right: str) -> None:
    assert answer_kind(question) == "figure"
    assert not answer_type_match(question, wrong)
    assert answer_type_match(question, right)


@pytest.mark.parametrize(("question", "wrong", "right"), [
    # "who is the <post>" asks for the person: how the post is filled, or another post's title, names no one
    ("Who is the current Vice Chair of the trust board?",
     "Two Non-executive Directors (one of which, but not the Finance Committee Chair, will be appointed Vice Chair).",
     "The Vice Chair of the trust board is Amira Patel."),
    ("Who is the Senior Independent Director?",
     "The Remuneration Committee Chair may not also be the Senior Independent Director.",
     "Dr Owen Hughes was appointed Senior Independent Director in May."),
])
def test_who_holds_a_post_is_met_only_by_a_persons_name(question: str, wrong: str, right: str) -> None:
    assert answer_kind(question) == "name"
    assert not answer_type_match(question, wrong)
    assert answer_type_match(question, right)


@pytest.mark.parametrize(("question", "sentence"), [
    # a post or a body answers who *acts as*, *approves*, *is responsible*
    ("Who acts as the board's Freedom to Speak Up Guardian?", "The board has appointed the Audit Committee Chair as Guardian."),
    ("Who is responsible for approving the annual plan?", "The Finance Committee approves the annual plan."),
])
def test_a_post_may_answer_who_does_something(question: str, sentence: str) -> None:
    assert answer_type_match(question, sentence)


@pytest.mark.parametrize(("question", "wrong", "right"), [
    # a length of time about another step of the same process does not say how long before *this* step
    ("How long before a supply agreement expires must the pharmacist send an extension of the agreement?",
     "The panel gives its decision within 20 working days of receiving the agreement form.",
     "An extension must be sent at least 6 weeks before the supply agreement expires."),
    ("When must the applicant submit the appeal form?",
     "The panel will meet within 10 days to consider the case.",
     "The applicant must submit the appeal form within 28 days of the decision."),
])
def test_a_time_is_about_the_thing_the_question_times(question: str, wrong: str, right: str) -> None:
    # the passage names the thing, so a sentence about another step is not an answer
    context = f"{wrong} {right}"
    assert unmet_constraints(question, wrong, context=context)
    assert unmet_constraints(question, right, context=context) == []


def test_a_timed_thing_the_passages_never_name_asks_nothing() -> None:
    # paraphrase: the documents call it something else, so the sentence is not held to the question's word
    question = "How long before the licence ends must the holder send a renewal request?"
    sentence = "Holders should apply to extend at least 6 weeks before expiry."
    assert unmet_constraints(question, sentence, context=sentence) == []


@pytest.mark.parametrize("wrong", [
    "The Chief Operating Officer reports to the Executive Leadership Team.",  # other posts, a team
    "NHS Norfolk Integrated Care Board is also known as NHS Norfolk.",  # a body
    "The duties include confirming the ICB Pay Policy.",  # a document
])
def test_a_body_or_a_document_does_not_hold_a_post(wrong: str) -> None:
    question = "Who is the current Chief Executive of the ICB?"
    assert not answer_type_match(question, wrong)
    assert answer_type_match(question, "The Chief Executive, Sarah Okafor, took up post in June.")


def test_a_timed_act_may_have_a_subject_without_an_article() -> None:
    question = "How long before a panel meeting must members send a declaration of interests?"
    wrong = "Papers are circulated to members at least five working days before the meeting."
    context = f"{wrong} Any declaration must be made within 28 days."
    assert unmet_constraints(question, wrong, context=context)


def test_a_sum_spent_is_about_what_it_is_spent_on() -> None:
    question = "How much did the trust spend on interim managers in 2023/24?"
    wrong = "Agency spend stood at £3.1 million for 2023/24."
    context = f"{wrong} The trust also reviewed its use of interim managers."
    assert unmet_constraints(question, wrong, context=context)
    assert unmet_constraints(question, "Spending on interim managers was £0.4 million in 2023/24.", context=context) == []


def test_a_specialist_post_holds_no_post_of_its_own() -> None:
    question = "Who is the Medical Director of the review panel?"
    assert not answer_type_match(question, "Cases are first seen by a Public Health Consultant and the Regional Medical Director.")
    assert answer_type_match(question, "The panel's Medical Director is Dr Helen Marsh.")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What did the Hewitt Review say about national targets?", ["nation", "target"]),
        ("What does the ICB constitution state regarding conflicts of interest?", ["conflict", "interest"]),
        ("What does NHS England's letter set out on oversight?", ["oversight"]),
        ("What are the national targets?", ["nation", "target"]),  # no "say about": every term counts
    ],
)
def test_a_say_about_question_is_scored_on_its_topic(question: str, topic: list[str]) -> None:
    assert topic_terms(question) == topic


@pytest.mark.parametrize(
    "question",
    [
        "What salary does the ICB Chair receive?",
        "What fee does the trust charge for copies of records?",
        "What is the remuneration of the non-executive members?",
        "What does a box of 100 pen needles cost?",
    ],
)
def test_salary_fee_and_what_does_it_cost_questions_ask_for_money(question: str) -> None:
    assert answer_kind(question) == "money"
    # so a sentence about the post without a sum is no answer
    assert answer_type_match(question, "The Chair is appointed by NHS England for a term of three years.") is False


def test_a_cost_asked_in_the_second_part_leaves_the_first_part_s_kind() -> None:
    assert answer_kind("Which safety needle is the first choice, and what does a pack cost?") != "money"


def test_an_acronym_the_question_spells_out_is_one_constraint_met_by_either_form() -> None:
    from assistant.answering.constraints import meets
    from assistant.text.terms import spelled_out

    question = "How does the MRT (Mean Response Time) of the Rapid Team (RT) change after triage?"
    assert sorted((a, words) for a, _, words in spelled_out(question)) == [("MRT", ["Mean", "Response", "Time"]), ("RT", ["Rapid", "Team"])]
    found = question_constraints(question)
    names = {c.text: c for c in found if c.kind == "name"}
    assert set(names) == {"MRT", "RT"}  # "Mean", "Response", "Time", "Rapid", "Team" are the acronyms spelled out
    # the acronym or its long form meets it; neither does not
    assert meets(names["MRT"], "The mean response time fell by a third.", retrieved="The mean response time fell by a third.")
    assert meets(names["MRT"], "MRT fell by a third.", retrieved="MRT fell by a third.")
    assert not meets(names["MRT"], "Waiting times fell by a third.", retrieved="Waiting times fell by a third.")
    assert spelled_out("Is the ICB (see page 4) right?") == []  # brackets that spell nothing out


@pytest.mark.parametrize(("question", "sentence", "expected"), [
    # "when" takes a time said in words; "on what date" asks for a day on the calendar
    ("When will the interim report be published?", "Before the year’s out, an interim report will be published.", True),
    ("On what date will the interim report be published?", "Before the year’s out, an interim report will be published.", False),
    ("What date was the report published?", "The full review is expected sometime next year.", False),
    ("What date was the report published?", "The report was published on 21 March 2023.", True),
    ("From what date would funding apply?", "Funding will be back-dated to the date on which the application was made.", True),
    ("Which day-to-day tasks does the ICB keep?", "The ICB keeps its tasks next year.", None),  # not a date question
])
def test_on_what_date_asks_for_a_calendar_date(question: str, sentence: str, expected: bool | None) -> None:
    assert answer_type_match(question, sentence) is expected


def test_a_phrasal_verb_or_a_common_verb_is_not_the_head_of_a_qualifier() -> None:
    """"... will the final report *come out*?": the qualifier is "final" of "report", not of "come"."""
    assert [(c.kind, c.text) for c in question_constraints("What date will the final report come out?")] == [
        ("qualifier", "final report")]
    assert all(c.head != "get" for c in question_constraints("When will patients get the results?"))



@pytest.mark.parametrize(
    ("question", "sentence", "context"),
    [
        # a preposition is no qualifier: "beyond" does not make a kind of NHS
        ("Which groups should systems seek insight into beyond NHS datasets?",
         "Systems should complement these analytical approaches with insight into groups that might be under-represented.",
         "NHS England planning guidance"),
        # how many more is not which kind: "extra" appointments are "additional" ones
        ("How many extra urgent dental appointments has the government committed to?",
         "ICBs will commission additional urgent dental appointments towards the commitment of 700,000.", ""),
    ],
)
def test_prepositions_and_words_for_more_are_not_qualifiers(question: str, sentence: str, context: str) -> None:
    assert unmet_constraints(question, sentence, context) == []
    # the rest of the question still counts
    assert unmet_constraints(question.replace("dental", "eye").replace("groups", "clinics"), sentence, context) != []


@pytest.mark.parametrize(
    ("question", "wrong", "right"),
    [
        # a share is answered by a share, not by a count
        ("What percentage of appeals are upheld?", "An appeal on one ground alone is rarely upheld.", "Around 12% of appeals are upheld."),
        ("What proportion of patients are seen within a week?", "Patients are seen by one of two clinics within a week.",
         "One in five patients is seen within a week."),
        # "annual" says how often, not how many hours
        ("How many hours of training must new panel members complete?", "Members attend annual refresher training.",
         "New members complete 6 hours of training."),
    ],
)
def test_a_share_or_a_count_of_units_is_not_answered_by_another_kind_of_number(question: str, wrong: str, right: str) -> None:
    assert not typed_matches(question, wrong)
    assert typed_matches(question, right)


def test_annual_answers_how_often() -> None:
    assert typed_matches("How often is the policy reviewed?", "The policy is subject to annual review.")
    assert typed_matches("How many times a year does the board meet?", "The board meets quarterly.")


@pytest.mark.parametrize(("sentence", "held"), [
    ("Claims are checked almost every working day and the board meets several times a year.",
     ["every working day", "several times a year"]),
    ("The review group will be convened as required.", ["as required"]),
    ("Audits are carried out fortnightly.", ["fortnightly"]),
    ("Claims are checked by the finance team.", []),
])
def test_how_often_is_answered_by_a_frequency_in_words(sentence: str, held: list[str]) -> None:
    assert [sentence[a:b] for a, b in typed_matches("How often are claims checked?", sentence)] == held


def test_a_frequency_in_words_is_no_figure_for_how_many() -> None:
    assert typed_matches("How many claims are checked?", "Claims are checked every working day.") == []
