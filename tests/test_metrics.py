"""The metric registry and the scoring functions behind it (the real checker as judge where one is needed)."""

from __future__ import annotations

import json
import math

import pytest

from assistant.answering.verification import FaithfulnessChecker
from assistant.evaluation.metrics import BY_NAME, FIELDS, METRICS, Metric, NotApplicable, Sample, score
from assistant.evaluation.questions import Evidence, Question
from assistant.evaluation.results import QuestionResult, summarise
from assistant.evaluation.scores import (
    citation_recall_precision,
    cited_sentences,
    must_include_coverage,
    ndcg,
    token_f1,
)
from assistant.results import Passage

EVIDENCE = [
    "Chancellor Jeremy Hunt announced that he had asked Patricia Hewitt to oversee an independent review "
    "into how ICSs can best succeed. The review will report by 15 March 2023. There are 42 integrated care "
    "boards in England, and the review will not set new national targets."
]


@pytest.fixture(scope="module")
def checker() -> FaithfulnessChecker:
    return FaithfulnessChecker()


def passage(text: str, source: str = "a.txt", page: int | None = None, page_end: int | None = None) -> Passage:
    return Passage(source=source, title="t", text=text, score=0.5, page=page, page_end=page_end or page, chunk_id=text[:8])


# -- the registry ------------------------------------------------------------------------------------
def test_every_metric_declares_known_fields_and_a_description() -> None:
    assert len({m.name for m in METRICS}) == len(METRICS)
    for m in METRICS:
        assert m.needs and set(m.needs) <= set(FIELDS), m.name
        assert m.description and m.label


def test_applicability_follows_the_fields() -> None:
    unanswerable = Question("u1", "Who chairs the CQC?", "The documents don't say.", type="unanswerable")
    reference_only = Question("r1", "What did the review find?", "A long reference answer.")
    retrieval_only = Sample(Question("f1", "Q?", "A.", ("A",), "a.txt", "quote"), (passage("the quote"),))
    assert BY_NAME["hit_at_k"].applies(Sample(unanswerable, (passage("x"),), "no", True)) == "unanswerable question"
    assert BY_NAME["must_include"].applies(Sample(reference_only, (), "x")) == "the question lists no must_include facts"
    assert BY_NAME["hit_at_k"].applies(Sample(reference_only, (passage("x"),), "x")) == "the question has no evidence quote"
    assert BY_NAME["token_f1"].applies(Sample(reference_only, (), "x")) is None
    assert BY_NAME["faithfulness"].applies(retrieval_only) == "no answer (retrieval only)"
    assert BY_NAME["faithfulness"].applies(Sample(reference_only, (passage("x"),), "x", refused=True)) == "refused"


def test_one_failing_metric_loses_only_itself() -> None:
    def boom(_: object) -> float:
        raise RuntimeError("broken")

    def declines(_: object) -> float:
        raise NotApplicable("not today")

    metrics = (Metric("boom", "boom", "d", ("answer",), boom), Metric("declines", "d", "d", ("answer",), declines),
               Metric("nan", "nan", "d", ("answer",), lambda s: math.nan), BY_NAME["token_f1"])
    scored = score(Sample(Question("q", "Q?", "Patricia Hewitt"), (), "Patricia Hewitt [1]."), None, 5, metrics)
    assert scored.values == {"boom": None, "declines": None, "nan": None, "token_f1": 1.0}
    assert scored.not_applicable["boom"] == "error: RuntimeError: broken"
    assert scored.not_applicable["declines"] == "not today"
    assert scored.not_applicable["nan"].startswith("error: ValueError")


def test_summary_never_nan() -> None:
    rows = [
        QuestionResult(id="a", question="Q", type="unanswerable", refused=True, latency_ms=10.0,
                       metrics={"hit_at_k": None, "refusal_rate": 1.0}, not_applicable={"hit_at_k": "unanswerable question"}),
        QuestionResult(id="b", question="Q", type="factoid", error="ask failed: RuntimeError: boom"),
    ]
    summary = summarise(rows)
    text = json.dumps(summary, allow_nan=False)
    assert summary["overall"]["hit_at_k"] == {"mean": None, "n": 0, "not_applicable": 1}
    assert summary["overall"]["refusal_rate"]["mean"] == 1.0 and summary["failed"][0]["id"] == "b"
    assert "NaN" not in text and "by_half" not in summary


# -- citation metrics (ALCE) -----------------------------------------------------------------------------
def test_cited_sentences_reads_both_marker_styles() -> None:
    assert cited_sentences("One fact. [1] Two facts. [2]") == [("One fact.", [1]), ("Two facts.", [2])]
    assert cited_sentences("One fact [1][3]. Two [2, 3].") == [("One fact.", [1, 3]), ("Two.", [2, 3])]


def test_citation_recall_and_precision_follow_alce() -> None:
    passages = {1: "alpha", 2: "beta", 3: "gamma"}

    def entails(sentence: str, evidence: list[str]) -> bool:  # a word-overlap judge: the rule under test is ALCE's
        return all(word in " ".join(evidence) for word in sentence.split())

    recall, precision = citation_recall_precision([("alpha", [1, 2]), ("beta gamma", [2, 3]), ("delta", [1])], passages, entails)
    assert recall == pytest.approx(2 / 3)
    # "alpha" [1, 2]: 2 is irrelevant; "beta gamma" [2, 3]: both needed; "delta" [1]: not entailed
    assert precision == pytest.approx(3 / 5)


def test_citation_scores_with_the_checker(checker: FaithfulnessChecker) -> None:
    passages = {1: EVIDENCE[0], 2: "The weather in Leeds was mild on Tuesday."}
    recall, precision = citation_recall_precision(cited_sentences("There are 42 integrated care boards in England. [1] [2]"),
                                                  passages, checker.supports)
    assert recall == 1.0 and precision == 0.5


# -- other answer and retrieval metrics ---------------------------------------------------------
def test_answer_metrics() -> None:
    assert must_include_coverage("It is PATRICIA  hewitt [1].", ["Patricia Hewitt"]) == 1.0
    assert token_f1("Patricia Hewitt leads it [1].", "Patricia Hewitt leads it.") == 1.0
    assert token_f1("nothing alike", "Patricia Hewitt") == 0.0
    quotes = (Evidence("asked Patricia Hewitt", "a.txt"), Evidence("report by 15 March", "b.txt"))
    got = ndcg([passage("x"), passage("he asked Patricia Hewitt"), passage("will report by 15 March")], quotes, 5)
    assert got == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    # a second chunk repeating the same evidence does not add gain
    twice = ndcg([passage("asked Patricia Hewitt"), passage("asked Patricia Hewitt")], quotes, 5)
    assert twice == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_a_whole_row_with_the_checker(checker: FaithfulnessChecker) -> None:
    q = Question("q1", "Who was asked to oversee the independent review of ICSs?", "Patricia Hewitt.", ("Patricia Hewitt",),
                 "a.txt", "asked Patricia Hewitt to oversee")
    retrieved = (passage("The weather was mild."), passage(EVIDENCE[0]))
    sample = Sample(q, retrieved, "Jeremy Hunt asked Patricia Hewitt to oversee an independent review. [1]", False,
                    {1: EVIDENCE[0]})
    scored = score(sample, checker, k=5)
    assert scored.rank == 2 and scored.values["hit_at_k"] == 1.0 and scored.values["mrr"] == 0.5
    assert scored.values["must_include"] == 1.0 and scored.values["faithfulness"] == 1.0
    assert scored.values["citation_recall"] == 1.0 and scored.values["citation_precision"] == 1.0
    assert scored.values["false_refusal_rate"] == 0.0 and scored.values["refusal_rate"] is None
    assert scored.not_applicable == {"refusal_rate": "answerable question"}
