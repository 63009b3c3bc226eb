"""Guideline-style documents (NICE guidelines and technology appraisals) the seed corpus lacks: numbered
recommendations hung from a tab, a contents page with drawn leaders, "Who should be offered X?" questions.

The PDFs are made by tests/fixtures/make_nice_fixtures.py (Debian's chromium) from text written for these
tests; they are committed, so these tests need no browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import answer_type_match
from assistant.answering.pointers import asks_where, is_pointer
from assistant.answering.recipients import asks_for_recipients
from assistant.ingest.facts import find_date
from assistant.ingest.loaders import load_file
from assistant.ingest.loaders.pdf.textnorm import outline_marker

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
GUIDELINE = FIXTURES / "nice-style-guideline.pdf"
APPRAISAL = FIXTURES / "nice-style-appraisal.pdf"


# --- numbered recommendations ----------------------------------------------------------------------------

def test_a_multi_level_number_set_off_by_a_tab_is_a_marker_and_one_followed_by_a_space_is_not() -> None:
    assert outline_marker("1.3.4", gap_after=28.0, size=10.5) == "1.3.4"
    assert outline_marker("3.2", gap_after=24.0, size=10.5) == "3.2"
    assert outline_marker("1.3.4", gap_after=2.6, size=10.5) is None  # "1.3.4 above": a reference in running text
    assert outline_marker("2025", gap_after=28.0, size=10.5) is None
    assert outline_marker("12.5%", gap_after=28.0, size=10.5) is None


@pytest.fixture(scope="module")
def guideline():
    return load_file(GUIDELINE)


def _blocks(doc, kind: str) -> list[str]:
    return [doc.text[a:b] for a, b, k in doc.metadata["blocks"] if k == kind]


def test_each_numbered_recommendation_is_its_own_item_and_keeps_its_date_tag(guideline) -> None:
    items = [t for t in _blocks(guideline, "list_item") if re.match(r"1\.\d\.\d ", t)]
    numbers = [t.split()[0] for t in items]
    assert numbers == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6",
                       "1.3.1", "1.3.2", "1.3.3"]
    assert all(t.rstrip().endswith("[2025]") for t in items)
    assert not any(re.search(r"\[2025\]\s+1\.\d\.\d", t) for t in items)  # no tag runs into the next number


def test_a_contents_page_with_drawn_leaders_is_not_indexed_text(guideline) -> None:
    toc = _blocks(guideline, "toc")
    assert any("Recommendations for research" in t for t in toc)
    assert any(t.startswith("Overview") for t in toc)  # the first entry, right under the "Contents" heading
    paragraphs = " ".join(_blocks(guideline, "paragraph"))
    assert "Rationale and impact 9" not in paragraphs


# --- who receives care -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "Who should be offered a statin for primary prevention?",
    "Who is eligible for the shingles vaccine?",
    "Who can be referred to the weight management service?",
    "Who should not be prescribed the medicine?",
])
def test_who_receives_care_asks_for_people_not_a_name(question: str) -> None:
    assert asks_for_recipients(question)
    assert answer_kind(question) is None
    # a sentence naming the group, in no capitalised name, is not ruled out
    assert answer_type_match(question, "Offer it to adults aged 40 to 75 whose risk is 10% or more.") is None


@pytest.mark.parametrize("question", [
    "Who should approve the request?",
    "Who is the Deputy Chair of the board?",
    "Who has given approval for the policy?",
    "Who was given the lead for the review?",
])
def test_other_who_questions_still_ask_for_a_name(question: str) -> None:
    assert not asks_for_recipients(question)
    assert answer_kind(question) == "name"


# --- cross-reference lines -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "For a short explanation of why the panel made these recommendations, see the rationale section on dosing.",
    "1.4.2 For more detail on monitoring, see appendix C.",
    "To find related guidance on asthma, see the web page on respiratory conditions.",
    "See section 6 for the appeals process.",
    "Return to the recommendations.",
])
def test_a_sentence_that_only_points_elsewhere_is_a_pointer(sentence: str) -> None:
    assert is_pointer(sentence)


@pytest.mark.parametrize("sentence", [
    "See a GP if the rash spreads or you feel unwell.",
    "Refer to the specialist panel if the request is urgent.",
    "Stop the medicine 2 days before surgery; see the table for doses.",
    "The committee considered the evidence summarised in section 3 and agreed to see the results of the trial.",
    "Return to work is expected within 6 weeks of the procedure.",
])
def test_a_sentence_with_content_of_its_own_is_no_pointer(sentence: str) -> None:
    assert not is_pointer(sentence)


def test_a_pointer_is_quotable_only_for_a_question_asking_where() -> None:
    assert asks_where("Where can I find the list of committee members?")
    assert asks_where("Which section covers the appeals process?")
    assert not asks_where("What are the safety considerations when prescribing the medicine?")


# --- dose questions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "What dose of atorvastatin is used for primary prevention?",
    "What is the dosage of the new injection?",
    "Which starting dose should be used in older people?",
])
def test_a_dose_question_asks_for_an_amount_of_medicine(question: str) -> None:
    assert answer_kind(question) == "dose"
    assert answer_type_match(question, "Dosing | 20 mg once daily, taken at night.")
    assert answer_type_match(question, "Take the dosage and price per dose into account when choosing.") is False


def test_questions_about_other_things_are_not_dose_questions() -> None:
    assert answer_kind("A patient on 70 units per dose says insulin leaks. What should we advise?") != "dose"
    assert answer_kind("How much funding is allocated to the programme?") == "money"


# --- the cover page's publication date -------------------------------------------------------------------

def test_a_cover_page_read_as_one_line_still_gives_its_publication_date(guideline) -> None:
    assert guideline.metadata["date"] == "2025-03-12"
    assert load_file(APPRAISAL).metadata["date"] == "2025-06-04"
    assert find_date("Asthma care\n\nNICE guideline Published: 2 December 2015 Last updated: 29 June 2022 www.x") == "2015-12-02"
    assert find_date("The first report was published in May 2023 and the second a year later.") == ""


# --- end to end: the two documents ingested (real embedding model, Chroma) and asked as a new user would ----

FOOTER = re.compile(r"©\s*NICE 2025|Notice of rights|Page \d+ of \d+|\((?:NG|TA)999\)\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def nice_answers(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from assistant import Assistant

    a = Assistant(index_dir=tmp_path_factory.mktemp("nice-index"))
    summary = a.ingest([GUIDELINE, APPRAISAL])
    assert summary.ok and len(summary.added) == 2, str(summary)
    questions = (
        "What are the key safety considerations when prescribing SGLT2 inhibitors?",
        "Who should be offered an SGLT2 inhibitor for kidney protection?",
        "What research does the committee recommend on SGLT2 inhibitors?",
        "What is the dosage of zelnorimab?",
    )
    return {q: a.ask(q) for q in questions}


def test_no_answer_quotes_the_contents_page_a_pointer_or_the_footer(nice_answers) -> None:
    for question, answer in nice_answers.items():
        assert not answer.refused, question
        for c in answer.citations:
            assert not FOOTER.search(c.quote), (question, c.quote)
            assert not is_pointer(c.quote), (question, c.quote)
            assert not re.search(r"\b\d{1,2} (?:\d\.\d )?[A-Z][a-z]+(?: [a-z]+)* \d{1,2} \d\.\d ", c.quote), (question, c.quote)
            assert not c.quote.lstrip().startswith("["), (question, c.quote)  # no "[2025]" carried into the next item


def test_the_safety_recommendations_dose_row_and_eligible_group_are_quoted(nice_answers) -> None:
    text = {q.split()[3]: a.text for q, a in nice_answers.items()}
    # a recommendation of "1.2 Safety when prescribing" (1.2.5, 1.2.6), quoted from its sentence: a quote starts at
    # the sentence, not at the recommendation's number (paragraph_numbers.py); the citation says where it is
    assert re.search(r"caution in people at risk of volume depletion|consider reducing the dose", text["key"])
    assert "Offer an SGLT2 inhibitor, in addition to" in text["offered"]
    assert not re.search(r"(?:^|\] )1\.\d\.\d ", text["key"] + " " + text["offered"])
    assert "What is the clinical and cost effectiveness of starting an SGLT2 inhibitor" in text["the"]
    assert "300 mg by intravenous infusion" in text["dosage"]
