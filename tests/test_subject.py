"""Issue 14, sixth pass: a sentence from a document that is not about the question's subject is no answer.

Pure functions, no model. Made-up questions and passages (none is a dev-set question): a name the question is
about must be in the answering sentence's own document, while a name that frames the question (who said it,
which document) may be met by any retrieved passage.
"""

from __future__ import annotations

from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.subject import defined_names, frame_terms
from assistant.results import Passage


def _passage(text: str, source: str, title: str, publisher: str = "") -> Passage:
    return make_passage(text, source, title, publisher=publisher)



def test_a_subject_name_found_only_in_another_document_does_not_meet_the_question() -> None:
    question = "How much funding did the council approve through CHC packages in 2021/22?"
    passages = [
        _passage("Locum spend fell from £2.1 billion in 2021/22 to £1.8 billion in 2022/23.", "board.md", "Workforce update"),
        _passage("Continuing healthcare (CHC) packages are agreed by the panel.", "chc.md", "CHC policy"),
    ]
    # the year matches the Board paper, and CHC is retrieved, but not in the Board paper: no answer
    assert constrained(question, whole_candidates(passages), passages) == [False, False]
    # the same figure sentence in a document that does name the subject answers it
    own = [_passage("The council approved CHC packages worth £40 million in 2021/22.", "chc.md", "CHC policy")]
    assert constrained(question, whole_candidates(own), own) == [True]


def test_a_speaker_after_according_to_frames_the_question() -> None:
    question = "According to Margaret Lowe, which bodies do the new trusts bring together?"
    assert {"margaret", "low"} <= frame_terms(question, [])
    passages = [
        _passage("Trusts bring together three bodies: councils, hospitals and charities.", "article.md", "Trust reform article"),
        _passage("Margaret Lowe led the review.", "letter.md", "Review letter"),
    ]
    # the answering article does not repeat the speaker's name: it still answers
    assert constrained(question, whole_candidates(passages), passages)[0]


def test_a_document_named_by_its_title_frames_the_question() -> None:
    question = "What stroke target does the Long Range Care Strategy set for Trusts?"
    passages = [
        _passage("Every trust should treat 90% of stroke patients within an hour.", "lrcs.md",
                 "Long range care strategy 2030"),
    ]
    assert {"long", "rang", "care", "strategi"} & frame_terms(question, passages)
    assert constrained(question, whole_candidates(passages), passages) == [True]


def test_a_capitalised_run_in_no_retrieved_title_is_the_subject() -> None:
    question = "How much did Northshire and Eastvale ICB spend on locums in 2023/24?"
    passages = [_passage("Locum spend was £3 billion in 2023/24.", "board.md", "NHS productivity Board paper",
                         publisher="NHS England")]
    assert frame_terms(question, passages) == set()
    assert constrained(question, whole_candidates(passages), passages) == [False]


def test_an_organisation_named_in_its_own_documents_title_is_still_the_subject() -> None:
    # the constitution's title holds the organisation's name, but so does its publisher (by its initials): the
    # question is about the organisation's spend, which a Board paper on national spend does not give
    question = "How much did Northshire Integrated Care Board spend on locums in 2023/24?"
    passages = [
        _passage("Locum spend was £3 billion in 2023/24.", "board.md", "National productivity Board paper",
                 publisher="NHS England"),
        _passage("The board meets in public.", "const.docx", "Northshire Integrated Care Board constitution",
                 publisher="NHS Northshire Integrated Care Board"),
    ]
    assert frame_terms(question, passages) == set()
    assert constrained(question, whole_candidates(passages), passages)[0] is False
    short = "How much did Northshire ICB spend on locums in 2023/24?"
    titled = [passages[0], _passage("The board meets in public.", "const.docx", "Northshire ICB constitution",
                                    publisher="NHS Northshire Integrated Care Board")]
    assert frame_terms(short, titled) == set()


def test_a_term_of_art_spelt_out_in_lower_case_is_a_subject_name() -> None:
    # "continuing health care" is a name (the passages define CHC) even in lower case: a sentence from a document
    # that names neither it nor CHC does not give its budget
    question = "What was the annual budget for continuing health care in 2026/27?"
    passages = [
        _passage("Extra funding of £2 billion is provided in 2026/27.", "plan.md", "Planning guidance"),
        _passage("Continuing health care (CHC) is arranged by the board.", "chc.md", "CHC policy"),
        _passage("The annual CHC budget is £9 billion in 2026/27.", "chc.md", "CHC policy"),
    ]
    assert [c.stems for c in defined_names(question, {"chc": ["continu", "health", "care"]})] == [("continu", "health", "care")]
    # the definition names it too, but states no year: the asked period must be in the sentence's own passage
    # (``asked_periods``), not merely elsewhere in its document
    assert constrained(question, whole_candidates(passages), passages) == [False, False, True]


def test_the_owner_of_a_retrieved_document_frames_the_question_but_not_the_owner_of_a_figure() -> None:
    review = _passage("The response was published today.", "letter.md", "Care review response", publisher="NHS England")
    assert {"margaret", "low"} <= frame_terms("What did ministers publish after Margaret Lowe's review?", [review])
    # "Northshire ICB's locum spend": what is owned is no retrieved document's word, so the ICB is the subject
    assert frame_terms("What was Northshire ICB's locum spend in 2023/24?", [review]) == set()
