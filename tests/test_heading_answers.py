"""A heading answers a question picking one part of a document or one item of a set it lists.

``answering/heading_answers.py``. Real failure class: "Which of the six core components of neighbourhood health
takes a 'Home First' approach?" was refused, since the only text writing 'Home First' is the heading "E. Integrated
intermediate care with a 'Home First' approach" and headings were never quoted; "Which appendix of the SOP contains
the IFR Panel's terms of reference?" was answered from a cross-reference sentence, or not at all.
"""

from __future__ import annotations

import pytest

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.heading_answers import (
    AskedPart,
    answers_part,
    asked_part,
    heading_candidates,
    heading_held_whole,
    introduces_part,
    is_labelled,
    with_part_heading,
)
from assistant.answering.heading_series import asked_series, heading_series, listed_by_headings
from assistant.api import embed_model_for
from assistant.results import Passage
from assistant.settings import Settings
from assistant.text.terms import TermStats


def _idf(term: str) -> float:
    return 1.0


@pytest.mark.parametrize(
    ("question", "kind", "predicate", "labelled_by"),
    [
        ("Which of the six core components of neighbourhood health takes a 'Home First' approach?", "compon",
         ("home", "first", "approach"), None),
        ("Which step of the segmentation process adjusts for financial deficit?", "step",
         ("adjust", "financi", "deficit"), "step"),
        ("Which appendix of the IFR standard operating procedures contains the IFR application form?", "appendix",
         ("applic", "form"), "appendix"),
        ("Which section of the ICB constitution sets out the arrangements for public involvement?", "section",
         ("arrang", "public", "involv"), None),
        ("Which core component of neighbourhood health is about standardising community health services?", "compon",
         ("standardis", "communiti", "servic"), None),
        ("Which annex of the 2025/26 planning guidance sets out principles for local prioritisation?", "annex",
         ("principl", "local", "prioritis"), "annex"),
        ("Which of the planning framework's principles requires plans to be realistic about workforce?", "principl",
         ("requir", "plan", "realist", "workforc"), None),
    ],
)
def test_a_question_picking_one_part_names_the_kind_and_what_the_part_must_hold(
        question: str, kind: str, predicate: tuple[str, ...], labelled_by: str | None) -> None:
    asked = asked_part(question)
    assert asked is not None
    assert (asked.kind, asked.predicate, asked.labelled_by) == (kind, predicate, labelled_by)


@pytest.mark.parametrize(
    "question",
    [
        "Which minister announced the 10 Year Health Plan?",  # a person, not a part of a document
        "What are the six core components of neighbourhood health?",  # not picking one
        "Which pen needle length does FIT UK consider safest?",
        "Who chairs the IFR Panel?",
        "Which of these applies?",  # no predicate
    ],
)
def test_other_questions_pick_no_part(question: str) -> None:
    assert asked_part(question) is None


@pytest.mark.parametrize(
    ("heading", "labelled"),
    [
        ("E. Integrated intermediate care with a ‘Home First’ approach", True),
        ("3.2 Disqualification Criteria for Board Membership", True),
        ("9 Arrangements for Public Involvement", True),
        ("Step 3: adjusting for financial deficit", True),
        ("Appendix three – pre-panel screening document", True),
        ("Annex A: Development of plans for the five-year period", True),
        ("Safety Needle Devices", False),
        ("Integrated intermediate care", False),
    ],
)
def test_an_item_heading_opens_with_its_label(heading: str, labelled: bool) -> None:
    assert is_labelled(heading) is labelled


def test_the_heading_must_hold_the_quoted_phrase_and_most_of_the_predicate() -> None:
    asked = asked_part("Which of the six core components of neighbourhood health takes a 'Home First' approach?")
    assert asked is not None
    assert answers_part(asked, "E. Integrated intermediate care with a ‘Home First’ approach", _idf)
    assert not answers_part(asked, "F. Urgent neighbourhood services", _idf)
    assert not answers_part(asked, "E. Home care: a first approach", _idf)  # the words, not the phrase
    # holds it but is not one of the set: an unlabelled heading for a "which of the N components" question
    assert not answers_part(asked, "Integrated intermediate care with a ‘Home First’ approach", _idf)


def test_a_near_miss_heading_that_holds_only_the_linking_words_does_not_answer() -> None:
    asked = asked_part("Which step of the segmentation process adjusts for patient satisfaction?")
    assert asked is not None
    assert not answers_part(asked, "Step 3: adjusting for financial deficit", _idf)


def test_an_always_labelled_part_must_carry_the_asked_word() -> None:
    asked = AskedPart("appendix", ("term", "refer", "panel"), (), "appendix")
    assert answers_part(asked, "Appendix six – Terms of reference IFR Panel", _idf)
    assert not answers_part(asked, "6. Terms of reference IFR Panel", _idf)  # a numbered section, not an appendix
    section = AskedPart("section", ("safeti",), (), None)
    assert answers_part(section, "Safety Needle Devices", _idf)  # sections are often unnumbered


def test_a_part_named_by_its_own_opening_sentence() -> None:
    asked = asked_part("Which appendix of the neighbourhood health guidelines describes the core components?")
    assert asked is not None
    body = "\n\nThe foundations are in place. This appendix describes 6 core components (A to F).\n"
    assert introduces_part(asked, "Appendix 1", body, _idf)
    assert not introduces_part(asked, "Appendix 1", "\n\nThe core components are described elsewhere.\n", _idf)
    assert not introduces_part(asked, "Next steps", body, _idf)  # not an appendix


APPENDIX = (
    "Initial 6 core components\n\n"
    "Local systems will need to consider each component within the context of local needs.\n\n"
    "E. Integrated intermediate care with a ‘Home First’ approach\n\n"
    "Systems should deliver reablement, rehabilitation and recovery services that support people to stay at home.\n\n"
    "F. Urgent neighbourhood services\n\n"
    "Systems should provide same-day access to urgent care for people with an unplanned need.\n"
)
HEADINGS = ("Initial 6 core components", "E. Integrated intermediate care with a ‘Home First’ approach",
            "F. Urgent neighbourhood services")


def _passage(text: str = APPENDIX, start: int = 500) -> Passage:
    spans = [(start + text.index(h), start + text.index(h) + len(h)) for h in HEADINGS]
    return Passage(source="neighbourhood.md", title="Neighbourhood health guidelines", section="Initial 6 core components",
                   text=text, score=1.0, start=start, end=start + len(text), path="neighbourhood.md", unquotable=spans)


def test_heading_candidates_carry_the_headings_own_offsets() -> None:
    passage = _passage()
    (found,) = heading_candidates("Which of the core components takes a 'Home First' approach?", [passage], _idf)
    rank, start, end, text = found
    assert text == HEADINGS[1] and APPENDIX[start - passage.start:end - passage.start] == text
    assert heading_candidates("What does a 'Home First' approach involve?", [passage], _idf) == []


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embed_model_for(Settings.load()))


def test_the_heading_is_quoted_verbatim_for_the_question_picking_it(answerer: ExtractiveAnswerer) -> None:
    passage = _passage()
    answer = answerer.answer("Which of the six core components of neighbourhood health takes a 'Home First' approach?",
                             [passage], TermStats.from_texts([APPENDIX]))
    assert not answer.refused
    assert answer.text.startswith("E. Integrated intermediate care with a ‘Home First’ approach [1]")
    assert all(APPENDIX[c.start - passage.start:c.end - passage.start] == c.quote for c in answer.citations)


def test_headings_stay_out_of_answers_to_other_questions(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("What should systems deliver to support people to stay at home?", [_passage()],
                             TermStats.from_texts([APPENDIX]))
    assert not answer.refused
    assert not any(h in answer.text for h in HEADINGS)


# -- heading_series: "What are the N X?" answered by the headings that list the Xs -------------------------------------

def _headings(*texts: str) -> list[tuple[int, int, str, int]]:
    out, at = [], 0
    for i, text in enumerate(texts):
        out.append((at, at + len(text), text, i))
        at += len(text) + 100
    return out


COMPONENTS = _headings("Appendix 1", "Initial 6 core components", "A. Population health management",
                       "B. Modern general practice", "Data sources", "C. Standardising community health services",
                       "D. Neighbourhood MDTs", "E. Intermediate care", "F. Urgent neighbourhood services",
                       "Secondary care contribution", "A. Another list")


@pytest.mark.parametrize(
    ("question", "count", "head"),
    [
        ("What are the six core components of neighbourhood health?", 6, "compon"),
        ("What are the 4 steps of the segmentation process?", 4, "step"),
        ("Which are the principles for local prioritisation?", None, "principl"),
        ("List the three phases of integrated planning.", 3, "phase"),
    ],
)
def test_a_question_asking_for_a_sets_items(question: str, count: int | None, head: str) -> None:
    asked = asked_series(question)
    assert asked is not None and (asked.count, asked.head) == (count, head)


@pytest.mark.parametrize("question", ["What are the requirements for 2025/26?", "What are the risks of delay?",
                                      "What is the first core component?", "What are ICBs asked to do?"])
def test_other_questions_ask_for_no_series(question: str) -> None:
    assert asked_series(question) is None


def test_the_series_follows_the_heading_naming_the_set_and_skips_sub_headings() -> None:
    asked = asked_series("What are the six core components of neighbourhood health?")
    assert asked is not None
    series = heading_series(asked, COMPONENTS)
    assert [h[2][:2] for h in series] == ["A.", "B.", "C.", "D.", "E.", "F."]  # "Data sources" passed over, a later "A." not


def test_a_series_of_another_length_than_asked_is_no_answer() -> None:
    asked = asked_series("What are the four core components of neighbourhood health?")
    assert asked is not None and heading_series(asked, COMPONENTS) == []
    assert heading_series(asked_series("What are the core components?"), COMPONENTS)  # type: ignore[arg-type]


def test_items_labelled_with_the_sets_own_word_need_no_parent() -> None:
    headings = _headings("Overview", "Step 1: individual metric scoring", "Selecting metrics",
                         "Step 2: producing a delivery score", "Step 3: adjusting for financial deficit", "Publication")
    asked = asked_series("What are the three steps of the segmentation process?")
    assert asked is not None
    assert [h[2] for h in heading_series(asked, headings)] == [headings[i][2] for i in (1, 3, 4)]
    missing = asked_series("What are the four steps of the segmentation process?")
    assert missing is not None and heading_series(missing, headings) == []  # the document's fourth is no heading
    uncounted = asked_series("What are the steps of the segmentation process?")
    assert uncounted is not None and heading_series(uncounted, headings) == []  # whole or cut short: no telling


def test_unlabelled_headings_are_no_series() -> None:
    headings = _headings("Core components", "Population health", "General practice", "Community services")
    asked = asked_series("What are the core components?")
    assert asked is not None and heading_series(asked, headings) == []


def test_the_series_is_quoted_verbatim_from_its_passages() -> None:
    passage = _passage()
    series_text = "Core components of care\n\nA. Population\n\nText.\n\nB. Practice\n\nMore text.\n"
    heads = ("Core components of care", "A. Population", "B. Practice")
    spans = [(2000 + series_text.index(h), 2000 + series_text.index(h) + len(h)) for h in heads]
    other = Passage(source="neighbourhood.md", title="Neighbourhood health guidelines", text=series_text, score=0.0,
                    start=2000, end=2000 + len(series_text), path="neighbourhood.md", unquotable=spans)
    # "Initial 6 core components" (the first passage) lists six, not two; the second passage's parent lists two
    quotes = listed_by_headings("What are the two core components?", [passage, other])
    assert [q[3] for q in quotes] == ["A. Population", "B. Practice"]
    assert all(series_text[a - 2000:b - 2000] == text for _, a, b, text in quotes)
    assert listed_by_headings("What are the two core components of care?", [passage]) == []


def test_a_deeper_passage_whose_heading_holds_more_of_the_predicate_takes_the_last_place() -> None:
    question = "Which appendix of the IFR SOP holds the terms of reference of the IFR review panel?"

    def chunk(cid: str, heading: str, start: int) -> Passage:
        text = f"{heading}\n\nThe panel meets monthly.\n"
        return Passage(source="sop.pdf", title="IFR SOP", text=text, score=1.0, start=start, end=start + len(text),
                       path="sop.pdf", chunk_id=cid, unquotable=[(start, start + len(heading))])

    top = [chunk("a", "Appendix six – Terms of reference IFR Panel", 0), chunk("b", "Review of decisions", 100)]
    deeper = [*top, chunk("c", "Appendix two – Terms of reference IFR Screening Group", 200),
              chunk("d", "Appendix nine – Terms of reference IFR review panel", 300)]
    assert [p.chunk_id for p in with_part_heading(question, top, deeper, _idf)] == ["a", "d"]
    assert not heading_held_whole(question, top, _idf) and heading_held_whole(question, deeper, _idf)
    # "Appendix six" misses one word of four: not an answer on its own (the cross-reference sentence answers instead)
    assert heading_candidates(question, top, _idf) == []
    whole = [top[0], deeper[3]]
    assert with_part_heading(question, whole, deeper, _idf) == whole  # nothing deeper can do better
    assert with_part_heading("Who chairs the IFR review panel?", top, deeper, _idf) == top  # not picking a part
