"""Refusal rules of issue 14, second pass: "a related thing of the same kind" is not an answer.

Pure functions, no model. Each example is a made-up question, a sentence of the same kind that does not
answer it (another year, another document's figure, the standard case for the urgent one, a count with
no figure of the right kind), and, where it matters, one that does. None is a dev-set question.
"""

from __future__ import annotations

import pytest
from conftest import make_passage, whole_candidates

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.answerability import constrained, names_document, typed_candidates
from assistant.answering.constraints import answer_type_match, question_constraints, unmet_constraints
from assistant.results import Passage


def _passage(text: str, source: str, title: str, date: str = "", period: str = "") -> Passage:
    return make_passage(text, source, title, date=date, period=period)



# -- a figure the question asks about must be in the supporting sentence's own document ---------------------
def test_a_year_found_only_in_another_document_does_not_meet_the_question() -> None:
    question = "How many walk-in clinics will be open by 2031?"
    passages = [
        _passage("Ninety walk-in clinics will be open by March 2027.", "clinics.md", "Clinic programme"),
        _passage("The workforce plan runs to 2031.", "workforce.md", "Workforce plan"),
    ]
    assert constrained(question, whole_candidates(passages), passages) == [False, False]
    # nor does the year in another passage of its own document: the sentence dates its figure to March 2027
    # (``asked_periods``: the period must be stated by the sentence or its own passage)
    own = [passages[0], _passage("The programme's horizon is 2031.", "clinics.md", "Clinic programme")]
    assert not constrained(question, whole_candidates(own), own)[0]
    dated = [_passage("Clinic programme.\nNinety walk-in clinics will be open by 2031.", "clinics.md", "Clinic programme")]
    assert constrained(question, whole_candidates(dated), dated)[0]


def test_a_figure_that_names_a_document_may_be_met_by_any_retrieved_passage() -> None:
    question = "Which platform hosts the metrics described in the March 2023 Board paper?"
    passages = [
        _passage("The metrics are published on the Data Platform.", "manual.md", "Oversight manual"),
        _passage("Productivity metrics are benchmarked nationally.", "board.md", "Productivity: Board paper", date="2023-03-02"),
    ]
    figure = next(c for c in question_constraints(question) if c.kind == "figure")
    assert names_document(question, figure, passages)
    assert constrained(question, whole_candidates(passages), passages)[0]
    # a year beside no title word ("a score in 2023") dates a fact, not a document
    plain = "What was the average survey score in 2023?"
    figure = next(c for c in question_constraints(plain) if c.kind == "figure")
    assert not names_document(plain, figure, passages)


# -- answer types: a figure (or a sum of money, a version) that the question asks for ------------------------
@pytest.mark.parametrize(
    ("question", "kind", "wrong", "right"),
    [
        ("What was community trust staff growth in 2022/23?", "figure",
         "Staff numbers kept growing across all trusts.", "Community trust staff grew by 3.1% in 2022/23."),
        ("What is the population of the county the board serves?", "figure",
         "The board serves the City of Exeter and the districts of Mid Devon and Torridge.",
         "The board serves a population of around 1.2 million people."),
        ("How much capital is the strategy putting into new hospitals?", "money",
         "New hospitals will open over the next 3 to 4 years.", "The strategy commits £1.5 billion of capital to new hospitals."),
        ("Above what drug cost must a request go to the full committee?", "money",
         "Two questions are answered before the request goes to committee.", "Requests above £20,000 go to the full committee."),
        ("Which version of the referral form should practices use?", "version",
         "Practices should use the referral form on the website.", "Practices should use version 3.2 of the referral form."),
    ],
)
def test_the_kind_of_thing_asked_for_must_be_there(question: str, kind: str, wrong: str, right: str) -> None:
    assert answer_kind(question) == kind
    assert answer_type_match(question, wrong) is False
    assert answer_type_match(question, right) is True


def test_a_cost_may_be_answered_as_a_share() -> None:
    assert answer_type_match("How much did the new rota cost the trusts?", "Costs rose by 3.9% in real terms.") is True
    assert answer_type_match("How much did the new rota cost the trusts?", "Costs rose in two of the trusts.") is False


def test_a_number_that_only_labels_is_no_sum_of_money() -> None:
    assert answer_type_match("How much funding will each hub receive?", "Each hub will receive funding in phase 2.") is False
    assert answer_type_match("How much funding will each hub receive?", "Each hub will receive £250,000.") is True


# -- a word before an acronym qualifies it, in any question: "an urgent IFR" is not "an IFR" -----------------
def test_the_standard_case_does_not_answer_a_question_about_the_urgent_one() -> None:
    question = "What is the longest wait for a decision on an urgent PA?"
    assert ("qualifier", "urgent PA") in {(c.kind, c.text) for c in question_constraints(question)}
    assert unmet_constraints(question, "A decision on a PA request is made within 20 working days.")
    assert unmet_constraints(question, "An urgent PA request is decided within 2 working days.") == []
    # the passage names the head and never the qualifier: another thing of the same kind
    assert unmet_constraints(question, "Contact the team on 0100 000 000.", context="PA requests are sent by email.")
    # a sentence and passage that never name the head are a paraphrase and are left alone
    assert unmet_constraints(question, "Urgent cases are decided within 2 days.", retrieved="The PA policy") == []


def test_a_name_after_another_name_and_its_verb_is_not_qualified_by_the_verb() -> None:
    kinds = {(c.kind, c.text) for c in question_constraints("When did NHS England send letter ABC to ICBs?")}
    assert not any(kind == "qualifier" and text.startswith("send") for kind, text in kinds)


def test_a_light_verb_qualifies_nothing() -> None:
    question = "When did version 2.0 of the constitution take effect?"
    assert unmet_constraints(question, "Version: V2.0 | Effective date: 1 April 2024") == []


def test_how_much_of_a_mass_noun_may_be_paraphrased() -> None:
    question = "How much extra cost-weighted work did community trusts do in 2023/24?"
    assert not any(c.kind == "focus" for c in question_constraints(question))
    assert unmet_constraints(question, "Community trusts delivered 4.2% more activity (weighted for cost) in 2023/24.") == []
    # "how many" counts a thing the answer names
    assert any(c.kind == "focus" for c in question_constraints("How many walk-in clinics opened in 2023/24?"))


def test_only_one_word_right_before_an_acronym_qualifies_it() -> None:
    kinds = {(c.kind, c.text) for c in question_constraints("What are the benefits of shared storage systems like IPFS?")}
    assert not any(kind == "qualifier" and text.endswith("IPFS") for kind, text in kinds)


def test_modality_does_not_narrow_a_figure() -> None:
    question = "What is the projected growth rate of the drone market to 2030?"
    assert not any(c.kind == "measured" for c in question_constraints(question))
    assert unmet_constraints(question, "The drone market is expected to grow at a CAGR of 12% to 2030.") == []


def test_a_telephone_number_question_needs_a_telephone_number() -> None:
    question = "What telephone number should GPs ring about an urgent referral?"
    assert answer_kind(question) == "phone"
    assert answer_type_match(question, "For urgent referrals, GPs should seek advice from their clinical lead.") is False
    assert answer_type_match(question, "Urgent referrals: telephone 0113 825 0000.") is True
    assert answer_type_match(question, "Referrals are decided within 5 working days.") is False  # a figure, not a number to ring


def test_a_lead_in_holds_what_the_sentence_it_announces_holds() -> None:
    question = "What phone number should patients use to complain?"
    text = "Complaints should be sent to:\nTelephone: 0113 825 0000\nThe team replies within 20 days."
    first, second = text.index("Telephone"), text.index("The team")
    candidates = [(0, 0, first - 1, text[:first - 1]), (0, first, second - 1, text[first:second - 1]),
                  (0, second, len(text), text[second:])]
    assert typed_candidates(question, candidates) == [True, True, False]
    assert typed_candidates("Who handles complaints?", candidates[2:]) == [False]
    assert typed_candidates("Why do complaints matter?", candidates) is None


# -- the kind of thing asked for, read more closely (second pass) --------------------------------------------
def test_a_question_about_a_length_of_time_needs_a_duration() -> None:
    question = "What is the maximum response time for an expedited grant appeal?"
    assert answer_kind(question) == "duration"
    assert not answer_type_match(question, "Expedited appeals are prioritised according to how urgent they are.")
    assert answer_type_match(question, "A decision is normally made within 15 further working days of the appeal.")
    assert answer_type_match("How long are the standard lancets?", "Standard lancets are 6 mm long.")
    assert answer_kind("What is the time of year when audits happen?") != "duration"


def test_a_count_of_things_is_not_answered_by_a_span_of_time() -> None:
    question = "How many patients are waiting for a hip operation?"
    assert not answer_type_match(question, "Cut the share of patients waiting over 18 weeks for a hip operation.")
    assert answer_type_match(question, "Some 41,000 patients are waiting for a hip operation.")
    assert answer_type_match("How many weeks may a patient wait?", "No patient should wait over 18 weeks.")


def test_a_score_is_a_figure_and_a_footnote_or_reference_entry_holds_none() -> None:
    question = "What was the average patient satisfaction score in 2023?"
    assert answer_kind(question) == "figure"
    assert not answer_type_match(question, "3 Patient Satisfaction Survey.")  # a footnote's number is its marker
    assert not answer_type_match(question, "2 Smith J. 'A review of satisfaction' 2023. https://example.org/review")
    assert not answer_type_match(question, "publications/satisfaction-review (viewed on 3 May 2024)")
    assert answer_type_match(question, "The average satisfaction score was 7.2 out of 10 in 2023.")


def test_who_is_not_answered_by_the_role_the_question_names() -> None:
    question = "Who is the current Vice Chair of the Northshire trust board?"
    assert not answer_type_match(question, "The Vice Chair is appointed by the board from its members.")
    assert answer_type_match(question, "The Vice Chair is Dr Amira Khan, appointed in 2024.")


def test_what_share_of_the_thing_counts_that_thing_past_its_determiner_and_up_to_its_verb() -> None:
    focus = {q: [c.text for c in question_constraints(q) if c.kind == "focus"] for q in (
        "What percentage of the ICB budget goes to primary care?",  # "the" skipped, "goes" ends the run
        "What proportion of all trusts meet the 4-hour standard?",
        "How many people receive care at home?",
    )}
    assert list(focus.values()) == [["budget"], ["trusts"], ["people"]]
    question = "What percentage of the ICB budget goes to primary care?"
    # another share, of another thing: not an answer
    assert unmet_constraints(question, "Around 62% of patients were seen in primary care within two weeks.",
                             retrieved="ICB budget allocations are published each year.")
    # money is said many ways: a share of the budget may be a share of the funding
    assert unmet_constraints(question, "About 9% of ICB funding is spent on primary care.",
                             retrieved="ICB budget allocations are published each year.") == []
    # ... but "spending" may be time, not money
    assert unmet_constraints(question, "3% of patients were spending over 12 hours in A&E.",
                             retrieved="ICB budget allocations are published each year.")


def test_what_a_target_measures_counts_when_said_after_the_measure() -> None:
    """"the target for <dementia diagnosis> rates" names what it measures as "the <dementia diagnosis> target" does."""
    for question in ("What is the 2025/26 target for dementia diagnosis rates?", "What dementia diagnosis target is set for 2025/26?"):
        measured = {c.text for c in question_constraints(question) if c.kind == "measured"}
        assert measured == {"dementia", "diagnosis"}, question
        # a target for another diagnosis, in a passage that never mentions dementia: not an answer
        assert unmet_constraints(question, "Improve the 28-day Faster Diagnosis Standard to 80% by March 2026.",
                                 context="Cancer: improve the 28-day Faster Diagnosis Standard.")
    # a month or an "extra" after the measure is not what it measures ("additional" may say "extra")
    assert not any(c.kind == "measured" for c in question_constraints("What is the target for March 2026?"))
    assert {c.text for c in question_constraints("What is the ambition for extra children treated?") if c.kind == "measured"} == {"children"}
