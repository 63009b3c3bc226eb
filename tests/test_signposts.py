"""Signposts: a sentence that only announces what its section covers is no answer, unless the question asks what
a text covers (``answering/signposts.py``; the extractive answerer's ``allowed``). Made-up texts."""

from __future__ import annotations

import pytest

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.signposts import announces_scope, asks_scope
from assistant.api import embed_model_for
from assistant.results import Passage
from assistant.settings import Settings
from assistant.text.terms import TermStats


@pytest.mark.parametrize(
    "sentence",
    [
        "This section outlines how the funding rules will be applied where the device being sought is untested.",
        "12. This document sets out how the process for handling complaints about parking permits will operate.",
        "This guidance provides further information on reviewing and switching patients to cheaper inhalers.",
        "4.1.2 This chapter describes the approach to planning community dental services in 2025/26.",
        "• This policy explains each of the criteria in turn.",
        "This framework is intended as a guide for local leaders responsible for shaping plans.",
    ],
)
def test_a_sentence_announcing_its_section_s_topic_is_a_signpost(sentence: str) -> None:
    assert announces_scope(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "This appendix describes 6 core components of an effective dental service.",  # it counts what it announces
        "This section sets out a two-phase process for building a plan.",
        "This document sets out the following principles:",  # a lead-in: its list follows
        "Complaints, which this document outlines, will be screened four times each week.",  # not its subject
        "This plan will transform the service into an engine for growth.",  # says something itself
        "The section outlines nothing else.",  # not "this" section
        "A device may be considered untested where it has no marketing approval.",
    ],
)
def test_other_sentences_are_no_signposts(sentence: str) -> None:
    assert not announces_scope(sentence)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the inhaler guidance for?", True),
        ("What does the parking policy set out?", True),
        ("Who is the planning framework intended for?", True),
        ("What is the purpose of the complaints procedure?", True),
        ("When may a device be considered untested?", False),
        ("How should used inhalers be disposed of?", False),
    ],
)
def test_which_questions_ask_what_a_text_covers(question: str, expected: bool) -> None:
    assert asks_scope(question) is expected


POLICY = ("31. This section outlines how the funding criteria will be interpreted and applied where the device being "
          "sought is untested or experimental.\n"
          "32. A device may be considered experimental where it has no marketing approval or is still in clinical trials.\n")


def _passage(text: str = POLICY) -> Passage:
    return Passage(source="devices.md", title="Device funding policy", section="Experimental devices", text=text,
                   score=1.0, start=0, end=len(text), path="devices.md")


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embed_model_for(Settings.load()))


def test_the_sentence_after_the_signpost_answers(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("What makes a device experimental under the device funding policy?", [_passage()],
                             TermStats.from_texts([POLICY]))
    assert not answer.refused
    assert "marketing approval" in answer.text and "This section outlines" not in answer.text


def test_a_question_asking_what_a_section_covers_may_quote_it(answerer: ExtractiveAnswerer) -> None:
    answer = answerer.answer("What does the experimental devices section of the funding policy set out?", [_passage()],
                             TermStats.from_texts([POLICY]))
    assert "This section outlines" in answer.text


def test_a_signpost_alone_is_no_answer(answerer: ExtractiveAnswerer) -> None:
    text = POLICY.split("\n")[0] + "\n"
    answer = answerer.answer("What makes a device experimental under the device funding policy?", [_passage(text)],
                             TermStats.from_texts([text]))
    assert answer.refused
