"""Yes/no questions: the sentence that settles one is quoted first (issue 14, sixth pass).

The class of failure: for "Will the committee consider late evidence?" the answer led with a sentence that
shares the topic's words ("Written submissions to the committee are considered in the order they arrive")
and decides nothing, above the one that says "no". The texts are made up; none is a dev-set question.
The pure rules first, then the real embedding model over a synthetic passage.
"""

from __future__ import annotations

import pytest

from assistant.answering import yes_no
from assistant.answering.context import ScoredSentence
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.yes_no import DECIDES, asked_alone, credited, is_yes_no, settles
from assistant.api import embed_model_for
from assistant.results import Passage
from assistant.settings import Settings
from assistant.text.terms import TermStats, terms


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is the regional office being closed?", True),
        ("Can a carer submit the form on the patient's behalf?", True),
        ("Our board meets in June. Does it still need a quorum of five?", True),  # a preamble, then the question
        ("Need the chair attend every meeting?", True),
        ("What does the panel consider?", False),
        ("Which office is closing?", False),
        ("The chair may vote.", False),
    ],
)
def test_a_yes_no_question_opens_with_an_inverted_auxiliary(question: str, expected: bool) -> None:
    assert is_yes_no(question) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Late evidence will not be considered by the committee.", True),  # "not" two words from "considered"
        ("Evidence cannot be heard after the deadline.", True),
        ("Evidence is heard regardless of its length.", True),
        ("The committee can't consider evidence sent late.", True),
        ("Written evidence is considered in the order it arrives.", False),  # on the topic, decides nothing
        ("Not all members were present when the budget for the new year was agreed by the board of the trust "
         "and its evidence considered.", False),  # the negation is far from the question's words
        ("The panel has no less than three evidence reviewers.", False),  # a bound on a figure, not a "no"
    ],
)
def test_a_settling_sentence_has_a_negation_or_limit_next_to_the_question_words(sentence: str, expected: bool) -> None:
    assert settles(set(terms("Will the committee consider late evidence?")), sentence) is expected


def _scored(texts_supports: list[tuple[str, float]]) -> list[ScoredSentence]:
    return [ScoredSentence(0, 10 * i, 10 * i + 9, t, s, s, s) for i, (t, s) in enumerate(texts_supports)]


def test_the_credit_orders_but_never_answers_a_refused_question() -> None:
    topical, settling = "Evidence is considered in the order it arrives.", "Late evidence will not be considered."
    scored = _scored([(topical, 0.55), (settling, 0.5)])
    out = credited("Will the committee consider late evidence?", scored, min_support=0.42)
    assert [s.support for s in out] == [0.55, pytest.approx(0.5 + DECIDES)]
    # a question that is not yes/no, and one whose best sentence is below the floor, are left as they are
    assert credited("What evidence does the committee consider?", scored, min_support=0.42) == scored
    low = _scored([(topical, 0.40), (settling, 0.38)])
    assert credited("Will the committee consider late evidence?", low, min_support=0.42) == low


TEXT = ("The appeals committee meets every month to consider written submissions from clinicians. "
        "Written submissions to the appeals committee are considered in the order they arrive. "
        "Late evidence will not be considered by the committee once the hearing has begun.")
QUESTION = "Will the appeals committee consider written evidence sent in after the hearing starts?"


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embed_model_for(Settings.load()))


def test_the_sentence_that_says_no_is_quoted_first(answerer: ExtractiveAnswerer, monkeypatch: pytest.MonkeyPatch) -> None:
    passage = Passage(source="appeals.md", title="Appeals procedure", text=TEXT, score=1.0, start=0, end=len(TEXT),
                      chunk_id="appeals-0", path="/docs/appeals.md")
    # an index of many passages: the question's words are in few of them (a word in most would be its topic: ``COMMON``)
    stats = TermStats.from_texts([TEXT, "Funding panels meet quarterly.", "The chair signs the minutes.",
                                  *(f"Budget note {i} for the finance team." for i in range(8))])
    settling = "Late evidence will not be considered"
    answer = answerer.answer(QUESTION, [passage], stats)
    assert answer.text.startswith(settling)
    # the premise: without the credit, a sentence that only shares the topic's words comes first
    monkeypatch.setattr(yes_no, "DECIDES", 0.0)
    assert not answerer.answer(QUESTION, [passage], stats).text.startswith(settling)


@pytest.mark.parametrize(
    ("question", "alone"),
    [
        ("Our clinic moved last year. Must we still send the annual return?", "Must we still send the annual return?"),
        ("Must we still send the annual return?", None),  # no preamble: the question is searched as it is
        ("Our clinic moved last year. What must we send each year?", None),  # not yes/no: the preamble stays
    ],
)
def test_after_a_preamble_the_dense_side_searches_with_the_yes_no_sentence(question: str, alone: str | None) -> None:
    assert asked_alone(question) == alone


# Issue 14, twelfth pass: a negation settles the question only where it denies the sentence's own statement, in the
# same clause as the question's word; a condition ("If ... is not sent") or a relative clause ("that is not ...")
# describes a case instead.
CARER = "Can a carer send in an application themselves?"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("12. Applications will not be accepted from a carer or relative.", True),  # five words from "carer"
        ("No application is accepted from a carer.", True),  # "no" opening the clause
        ("Although carers may not apply directly, they can help the clinician.", True),  # a concessive states a fact
        ("If an application is not sent through the portal, the carer is asked to resend it.", False),  # a condition
        ("The fund pays for a treatment that is not available to a carer.", False),  # a relative clause
        ("Fees will not be refunded if the carer withdraws the application.", False),  # the "if" clause holds the words
        ("Applications are sent in by the clinician, not the carer.", True),  # a contrast denies the other one
        ("Funding follows organisational not carer need.", False),  # no verb denied
    ],
)
def test_a_negation_settles_only_when_it_denies_the_statement(sentence: str, expected: bool) -> None:
    assert settles(set(terms(CARER)), sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "word", "expected"),
    [
        ("Requests will not be accepted", "not", True),
        ("Members cannot vote", "cannot", True),
        ("Members never vote", "never", True),
        ("None of the members may vote", "None", True),
        ("organisational not system-wide performance", "not", False),
        ("as a distribution , not the values", "not", True),
        ("a case where the request is not complete", "not", False),
    ],
)
def test_what_a_negation_denies(sentence: str, word: str, expected: bool) -> None:
    tokens = sentence.split()
    assert yes_no.denies(tokens, tokens.index(word)) is expected


def test_a_negation_next_to_a_word_in_most_passages_settles_nothing() -> None:
    question = "Can a carer send the form to the Trust themselves?"
    topical = "The form is checked and the Trust does not have a policy on it."  # "not" next to "Trust" only
    settling = "Forms will not be accepted from a carer."
    scored = _scored([(topical, 0.5), (settling, 0.45)])
    common = {"trust": 0.6}  # the corpus's topic: in most passages
    out = credited(question, scored, min_support=0.42, idf=lambda t: common.get(t, 4.0))
    assert [s.support for s in out] == [0.5, pytest.approx(0.45 + DECIDES)]
    # without the index's IDF, the topical sentence is credited too
    assert credited(question, scored, min_support=0.42)[0].support == pytest.approx(0.5 + DECIDES)
