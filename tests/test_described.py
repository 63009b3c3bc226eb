"""A person or body the question describes by its role, resolved to the name the documents give it (issue 14,
twelfth pass).

The class of failure: "When was the person leading the inquiry health minister?" refused although one sentence
names who leads the inquiry and another says when that person was health minister: the second holds none of the
description's words. The texts are made up; none is a dev-set question or a corpus sentence.
"""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant.answering.described import Hop, about, asks_of, descriptions, names_in, resolve, resolved, rewritten

ARTICLE = [
    "At the spring summit, Mayor Olu Adebayo announced that he had asked Miriam Castell to lead an inquiry into "
    "rural ambulance delays.",
    "Like Adebayo, Castell is a former health minister, serving from 2009 to 2012.",
    "She now chairs the Eastfield Health Board.",
    "The Regional Appeals Panel will consider requests for out-of-area treatment.",
    "The Regional Appeals Panel will be chaired by a lay member.",
]


def _idf(term: str) -> float:
    return 1.0


@pytest.mark.parametrize(
    ("question", "described"),
    [
        ("When was the person leading the rural ambulance inquiry health minister?", "the person leading the rural ambulance inquiry"),
        ("Which board does the woman asked to lead the inquiry chair?", "the woman asked to lead the inquiry"),
        ("Who chairs the panel that considers out-of-area requests?", "the panel that considers out-of-area requests"),
        ("When was the chair of the ambulance inquiry appointed?", "the chair of the ambulance inquiry"),
    ],
)
def test_descriptions_find_a_role_described(question: str, described: str) -> None:
    found = descriptions(question)
    assert found and question[found[0].span[0]:].startswith(described)


@pytest.mark.parametrize(
    "question",
    [
        "Who is the person leading the inquiry?",  # the name is the answer, nothing to resolve
        "What is the name of the panel that considers appeals?",
        "The panel asked our consultant for more letters. What happens next?",  # a sentence's subject and verb
        "How has the agency staffing target changed?",  # "staffing" names a kind of target
        "What if the clinician does not send the letters the panel asked for?",  # what the panel did, not to it
        "Can an organisation running a deficit be placed in segment 1?",  # any such organisation, not a named one
        "What does the inquiry say about delays?",
    ],
)
def test_no_description_to_resolve(question: str) -> None:
    assert descriptions(question) == []


def test_names_in_people_bodies_and_posts() -> None:
    assert [n for n, _, _ in names_in(ARTICLE[0], "person")] == ["Olu Adebayo", "Miriam Castell"]
    assert [n for n, _, _ in names_in("The request (RAP) Panel meets weekly.", "body")] == ["RAP Panel"]
    assert [n for n, _, _ in names_in("Its work passes to the Department of Transport and Roads (DTR).", "body")] == [
        "Department of Transport and Roads"]
    assert [n for n, _, _ in names_in("4.1 The Chair of the Board shall preside over meetings.", "post")] == ["Chair of the Board"]
    assert names_in("The Panel meets weekly.", "body") == []  # the kind, not a name


def test_person_resolved_by_the_words_nearest_the_name() -> None:
    # two people in the naming sentence: the inquiry is said of Castell, the announcing of the mayor
    question = "When was the person leading the rural ambulance inquiry health minister?"
    found = resolve(descriptions(question)[0], ARTICLE, _idf)
    assert found is not None and found.name == "Miriam Castell" and found.sentence == 0
    assert rewritten(question, found) == "When was Miriam Castell health minister?"
    mayor = resolve(descriptions("Which board is chaired by the mayor who announced the inquiry?")[0], ARTICLE, _idf)
    assert mayor is not None and mayor.name == "Olu Adebayo"


def test_body_resolved_to_a_name_of_its_kind() -> None:
    question = "Who chairs the panel that considers out-of-area treatment requests?"
    hop = resolved(question, ARTICLE, _idf)
    assert hop is not None and hop.question == "Who chairs the Regional Appeals Panel?" and hop.kind == "body"


def test_body_is_not_what_it_acts_on() -> None:
    sentences = ["The Agency will be closed and its functions absorbed into the Office for Rivers and Roads."]
    hop = resolved("Who leads the body that will absorb the Agency?", sentences, _idf)
    assert hop is None or hop.name != "Agency"


def test_unclear_or_absent_role_holder_is_not_resolved() -> None:
    # the words of the description are in no sentence naming anyone
    assert resolved("When was the person running the coastal survey appointed?", ARTICLE, _idf) is None
    # two people said to preside, as much as each other
    tied = ["The Chair of the Board shall preside over meetings of the board.",
            "If absent, the Deputy Chair of the Board shall preside over meetings of the board."]
    assert resolved("Who appoints the person who presides over meetings of the board?", tied, _idf) is None


def test_what_is_asked_must_be_said_of_the_name() -> None:
    hop = Hop("When was Miriam Castell born?", 0, frozenset({"born"}), "Miriam Castell")
    assert not asks_of(hop, ARTICLE[1])  # said of her, but not when she was born
    hop = Hop("Which board does Miriam Castell chair?", 0, frozenset({"board", "chair"}), "Miriam Castell")
    assert asks_of(hop, ARTICLE[2], " ".join(ARTICLE[:2]))  # "She" stands for Castell, the subject named before
    mayor = Hop("Which board does Olu Adebayo chair?", 0, frozenset({"board", "chair"}), "Olu Adebayo")
    assert not about(mayor, ARTICLE[2], " ".join(ARTICLE[:2]))


def test_extractive_answer_quotes_the_naming_sentence_and_the_answer() -> None:
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.api import embed_model_for
    from assistant.settings import Settings
    from assistant.text.terms import TermStats

    text = " ".join(ARTICLE[:3])
    passages = [make_passage(text, source="article.txt", title="Inquiry launched")]
    answerer = ExtractiveAnswerer(embed_model_for(Settings.load()))
    stats = TermStats.from_texts([text, "An unrelated text about rivers.", "Another about roads."])
    answer = answerer.answer("When was the person leading the rural ambulance inquiry health minister?", passages, stats)
    assert not answer.refused
    assert "Miriam Castell to lead an inquiry" in answer.text and "2009 to 2012" in answer.text
    near_miss = answerer.answer("When was the person leading the rural ambulance inquiry born?", passages, stats)
    assert near_miss.refused


def test_a_body_the_question_names_is_not_the_one_described() -> None:
    sentences = ["The Appeals Review Panel checks whether the Regional Appeals Panel followed its procedures."]
    hop = resolved("What can't the panel that checks whether the Regional Appeals Panel followed its procedures do?",
                   sentences, _idf)
    assert hop is not None and hop.name == "Appeals Review Panel"
    assert asks_of(hop, "The Appeals Review Panel cannot fund treatment.")  # nothing else asked: about it is enough


def test_a_body_is_named_by_its_name_or_its_kind_as_a_name() -> None:
    hop = Hop("How often does the Audit Committee meet?", 0, frozenset({"meet"}), "Audit Committee", "body")
    assert about(hop, "The Committee will meet monthly.")
    assert not about(hop, "Each committee will meet as needed.")
