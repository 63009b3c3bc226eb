"""Passages in reading order (answering/reading.py): the ones the answerer can answer from go first.

The pure ordering rule, the answerer's per-passage support it uses (real embedding model), and the
assistant end to end (real Chroma index of the seed corpus)."""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant import Assistant
from assistant.answering.extractive import RANK_DECAY, ExtractiveAnswerer
from assistant.answering.reading import RESCUE_MARGIN, promoted, read_ranked, rescued
from assistant.text.terms import TermStats


def scored(text: str, score: float):  # noqa: ANN201 - a Passage
    p = make_passage(text, source=f"{text[:8]}.txt")
    p.score = score
    return p


def test_a_passage_that_answers_goes_before_a_closer_match_that_does_not() -> None:
    near, answers, other = scored("near", 0.9), scored("answers", 0.7), scored("other", 0.5)
    assert [p.text for p in read_ranked([near, answers, other], [0.0, 0.6, 0.0])] == ["answers", "near", "other"]


def test_without_support_the_retrieval_order_stands() -> None:
    passages = [scored(t, s) for t, s in (("a", 0.9), ("b", 0.9), ("c", 0.4))]
    assert [p.text for p in read_ranked(passages, [0.0, 0.0, 0.0])] == ["a", "b", "c"]


def test_between_passages_that_both_answer_a_small_support_edge_does_not_beat_retrieval() -> None:
    # the retrieval scores' span counts 1; support counts WEIGHT times: 0.05 more support (0.15) is not enough,
    # 0.4 more (1.2) is
    first, second = scored("first", 0.9), scored("second", 0.8)
    assert read_ranked([first, second], [0.50, 0.55])[0].text == "first"
    assert read_ranked([first, second], [0.40, 0.80])[0].text == "second"


def test_one_support_per_passage() -> None:
    with pytest.raises(ValueError):
        read_ranked([scored("a", 1.0)], [])


def test_a_passage_below_joins_when_its_support_beats_every_top_passage() -> None:
    assert promoted([0.5, 0.0, 0.6], [0.0, 0.7, 0.61, 0.3]) == [1, 2]


def test_a_passage_below_that_only_equals_the_best_or_answers_nothing_stays_out() -> None:
    assert promoted([0.5, 0.6], [0.6, 0.0, 0.2]) == []


def test_when_no_top_passage_answers_nothing_below_joins() -> None:
    # a question the top passages leave unanswered stays refused rather than answered from weaker passages
    assert promoted([0.0, 0.0], [0.0, 0.4]) == []
    assert promoted([], [0.4]) == []


@pytest.fixture(scope="module")
def answerer(seed_assistant: Assistant) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(seed_assistant.embed_model)


STATS = TermStats.from_texts(["The review will report by 15 March 2023.", "Integrated care boards plan services.",
                              "The board met in public.", "Systems were asked to plan for growth."])


def test_support_is_the_best_quotable_sentence_and_zero_where_the_answerer_would_quote_nothing(
    answerer: ExtractiveAnswerer,
) -> None:
    question = "When will the review report?"
    answers = make_passage("Integrated care boards plan services. The review will report by 15 March 2023.", "a.txt")
    topical = make_passage("The review looks at how integrated care boards plan services for their populations.", "b.txt")
    low, high = answerer.supports(question, [topical, answers], STATS)
    assert high >= answerer.min_support
    assert low == 0.0  # asks "when": no date, nothing to quote


def test_a_passage_is_judged_at_its_rank(answerer: ExtractiveAnswerer) -> None:
    # so that one too weak to be quoted from where it is does not move up and get quoted
    question = "When will the review report?"
    answers = make_passage("The review will report by 15 March 2023.", "a.txt")
    fillers = [make_passage(f"Paragraph {i} is about something else entirely, such as car parking.", f"f{i}.txt")
               for i in range(int(1 / RANK_DECAY))]
    (top,) = answerer.supports(question, [answers], STATS)
    assert answerer.supports(question, [*fillers[:2], answers], STATS)[-1] == pytest.approx(top - 2 * RANK_DECAY)
    assert answerer.supports(question, [*fillers, answers], STATS) == [0.0] * (len(fillers) + 1)


def test_alone_a_passage_is_judged_at_the_rank_it_is_given(answerer: ExtractiveAnswerer) -> None:
    question = "When will the review report?"
    answers = make_passage("The review will report by 15 March 2023.", "a.txt")
    topical = make_passage("The review looks at how integrated care boards plan services for their populations.", "b.txt")
    (top,) = answerer.supports(question, [answers], STATS)
    assert answerer.supports_alone(question, [topical, answers], STATS, None, 5) == pytest.approx(
        [0.0, top - 6 * RANK_DECAY])


def test_ask_lists_first_the_passage_the_answer_is_read_from(seed_assistant: Assistant) -> None:
    question = "Who was the NHS England Chair quoted responding to the announcement of the Hewitt review?"
    retrieved = seed_assistant.retrieve(question)
    answer = seed_assistant.ask(question)
    assert sorted(p.chunk_id for p in answer.passages) == sorted(p.chunk_id for p in retrieved)  # the same passages
    assert "Richard Meddings" not in retrieved[0].text, "the example needs retrieval to rank the answer below first"
    assert "Richard Meddings" in answer.passages[0].text
    assert "Richard Meddings" in answer.text


class _Judge:
    """An answerer stub: each passage's support read from a table by its text."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def supports(self, question, passages, stats, question_vec=None):  # noqa: ANN001, ANN201
        return [self.table.get(p.text, 0.0) for p in passages]

    def supports_below(self, question, passages, below, stats, question_vec=None):  # noqa: ANN001, ANN201
        return [self.table.get(p.text, 0.0) for p in below]


class _Keywords:
    def term_stats(self) -> TermStats:
        return TermStats()


def _read(table: dict[str, float], top: list, below: list) -> list[str]:  # noqa: ANN001 - Passages
    for p in (*top, *below):
        p.chunk_id = p.chunk_id or p.text
    assistant = Assistant(answerer=_Judge(table), keyword_index=_Keywords())  # type: ignore[arg-type]
    return [p.text for p in assistant._read_ranked("q?", top, [], below)]


def test_read_ranked_brings_up_the_passage_below_that_answers_best_and_keeps_the_top() -> None:
    top = [scored("near", 0.9), scored("topic", 0.8)]
    below = [scored("other", 0.5), scored("answers", 0.4)]
    # near 1 + 3 * 0.5 (retrieval min-max over the three) against answers 0 + 3 * 0.9; "other" does not beat "near"
    assert _read({"near": 0.5, "answers": 0.9, "other": 0.45}, top, below) == ["answers", "near", "topic"]


def test_read_ranked_leaves_the_top_alone_when_it_answers_nothing_or_better() -> None:
    top = [scored("near", 0.9), scored("topic", 0.8)]
    below = [scored("answers", 0.4)]
    assert _read({"answers": 0.44}, top, below) == ["near", "topic"]  # a refusal stays one unless clearly answered
    assert _read({"topic": 0.8, "answers": 0.7}, top, below) == ["topic", "near"]


def test_when_the_top_answers_nothing_one_passage_below_judged_clearly_above_the_floor_answers() -> None:
    top = [scored("near", 0.9), scored("topic", 0.8)]
    below = [scored("other", 0.5), scored("answers", 0.4), scored("also", 0.3)]
    floor = 0.42 + RESCUE_MARGIN  # the extractive answerer's min_support, plus the margin
    assert _read({"answers": floor + 0.05, "also": floor + 0.01}, top, below) == ["answers", "near", "topic"]
    assert _read({"answers": floor - 0.005}, top, below) == ["near", "topic"]


def test_rescued_takes_the_single_best_passage_at_or_above_the_floor() -> None:
    assert rescued([0.0, 0.5, 0.47], 0.45) == [1]
    assert rescued([0.44, 0.3], 0.45) == []
    assert rescued([0.45], 0.45) == [0]
    assert rescued([], 0.45) == []
    assert rescued([0.0, 0.0], 0.0) == []  # a passage the answerer would quote nothing from never answers


def test_read_ranked_does_not_bring_up_a_copy_of_a_top_passage() -> None:
    top = [scored("near", 0.9), scored("topic", 0.8)]
    copy = scored("near, as a top-up added it", 0.4)
    copy.chunk_id = "near"  # the same chunk as a top passage
    assert _read({"near": 0.5, "near, as a top-up added it": 0.9}, top, [copy]) == ["near", "topic"]
