"""The metric registry and the scoring functions behind it (the real checker as judge where one is needed)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import EVIDENCE, SHARED
from llama_index.core.schema import NodeWithScore

from assistant import Assistant
from assistant.answering.verification import FaithfulnessChecker
from assistant.evaluation.facts import key_fact_coverage, key_facts
from assistant.evaluation.metrics import BY_NAME, FIELDS, METRICS, Metric, NotApplicable, Sample, score
from assistant.evaluation.questions import Evidence, Question, contains_evidence
from assistant.evaluation.reports import RELEVANCE_FLAG
from assistant.evaluation.results import QuestionResult, summarise
from assistant.evaluation.scores import (
    cell_values,
    citation_recall_precision,
    cited_sentences,
    first_relevant_rank,
    holds,
    must_include_coverage,
    ndcg,
    reads_along,
    token_f1,
)
from assistant.results import Passage
from assistant.retrieval.hybrid import node_to_passage

NEEDLES = SHARED / "realdocs" / "Prescribing-of-Insulin-Needles.pdf"
RETRIEVAL = tuple(m for m in METRICS if m.name in ("hit_at_k", "mrr", "ndcg_at_k"))


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


def test_cited_sentences_splits_cited_list_items() -> None:
    # items end in ";" or nothing, so only the marker and the bullet show where one claim ends
    text = "Apply when: [1] • it is on trial; [1] • it is unlicensed; or [2] • it is novel. [1] Next fact. [3]"
    assert cited_sentences(text) == [("Apply when:", [1]), ("• it is on trial;", [1]), ("• it is unlicensed; or", [2]),
                                     ("• it is novel.", [1]), ("Next fact.", [3])]
    # a hyphen inside a sentence, or a bullet not after a marker, does not split
    assert cited_sentences("A long-term plan - in part [1] and more. [2]") == [
        ("A long-term plan - in part and more.", [1, 2])]


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
    assert scored.not_applicable == {"refusal_rate": "answerable question", "period_stated": "the question names no period"}


# -- page-aware hits ---------------------------------------------------------------------------------
def test_a_page_makes_a_hit_page_aware() -> None:
    quote = Evidence("count slowly to 10 seconds", "needles.pdf", page=2)
    right = passage("The individual should count slowly to 10 seconds before withdrawing.", "needles.pdf", page=2)
    wrong_page = passage("The individual should count slowly to 10 seconds before withdrawing.", "needles.pdf", page=3)
    wrong_file = passage("The individual should count slowly to 10 seconds before withdrawing.", "other.pdf", page=2)
    spanning = passage("... count slowly to 10 seconds ...", "needles.pdf", page=1, page_end=2)
    assert holds(right, quote) and holds(spanning, quote)  # a chunk over a page break counts for both pages
    assert not holds(wrong_page, quote) and not holds(wrong_file, quote)
    assert holds(wrong_page, Evidence(quote.text, "needles.pdf"))  # without a page, any page of any file
    assert first_relevant_rank([wrong_page, wrong_file, right], [quote]) == 3


def test_a_table_row_also_matches_as_its_bare_cell_values() -> None:
    header = "Choice | Pen needle | Price | Size"
    row = "Choice: 1st | Pen needle: Acme Fine | Price: £2.49 | Size: 5mm/31g"
    other = "Choice: 2nd | Pen needle: Beta Thin | Price: £2.75"
    text = f"Needles we prescribe.\n\n{header}\n\n{row}\n\n{other}"
    start = 100  # the passage's offset in its document: units are in document offsets
    units = [(start + text.index(line), start + text.index(line) + len(line), "table_row") for line in (header, row, other)]
    table = Passage(source="n.pdf", title="t", text=text, score=0.5, page=2, page_end=2, chunk_id="x", start=start, units=units)
    assert cell_values(text, [u[:2] for u in units], start).endswith("1st Acme Fine £2.49 5mm/31g\n\n2nd Beta Thin £2.75")
    # A quote copied along the printed row (pdftotext -layout), with the page; and across two rows.
    assert holds(table, Evidence("1st Acme Fine £2.49", "n.pdf", 2))
    assert holds(table, Evidence("£2.49 5mm/31g 2nd Beta Thin", "n.pdf", 2))
    assert holds(table, Evidence("Pen needle: Acme Fine", "n.pdf", 2))  # as the loader wrote it, still
    assert not holds(table, Evidence("1st Beta Thin", "n.pdf", 2))  # cells of different rows
    assert not holds(table, Evidence("1st Acme Fine £2.49", "n.pdf", 3))  # the page still counts
    # Without row units the text is matched as it stands: "Label: value" of a sentence is not a table.
    prose = passage("Note: the price is £2.49 each.", "n.pdf", 2)
    assert not holds(prose, Evidence("the price is £2.49 each. Note", "n.pdf", 2))
    assert not holds(prose, Evidence("Note the price", "n.pdf", 2))


def test_a_quote_along_a_printed_row_may_leave_out_a_wrapped_cells_tail() -> None:
    # pdftotext -layout prints "1st  Insupen  £2.49  Yes" with "Original" on the line below: the cell wrapped.
    header = "Choice | Pen needle | Price | 4mm | 5mm"
    row = "Choice: 1st | Pen needle: Insupen Original | Price: £2.49 | 4mm: Yes | 5mm: Yes"
    other = "Choice: 2nd | Pen needle: GlucoRx CarePoint | Price: £2.75 | 5mm: Yes"
    text = f"{header}\n\n{row}\n\n{other}"
    units = [(text.index(line), text.index(line) + len(line), "table_row") for line in (header, row, other)]
    table = Passage(source="n.pdf", title="t", text=text, score=0.5, page=2, page_end=2, chunk_id="x", start=0, units=units)
    assert holds(table, Evidence("1st Insupen £2.49 Yes Yes", "n.pdf", 2))
    assert holds(table, Evidence("Insupen £2.49", "n.pdf", 2))  # from a cell's start onwards
    assert holds(table, Evidence("2nd GlucoRx £2.75 Yes", "n.pdf", 2))
    # Never a cell's middle, never a skipped cell, never across rows.
    assert not holds(table, Evidence("1st Original £2.49", "n.pdf", 2))
    assert not holds(table, Evidence("1st £2.49", "n.pdf", 2))
    assert not holds(table, Evidence("1st Insupen £2.75", "n.pdf", 2))
    assert not holds(table, Evidence("1st Insupen £2.49", "n.pdf", 3))  # the page still counts
    assert reads_along([["a", "b"], ["c"]], ["b", "c"]) and not reads_along([["a", "b"], ["c"]], ["a", "c", "b"])


@pytest.fixture(scope="module")
def needles(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A real index of a real 4-page PDF (../shared/realdocs)."""
    if not NEEDLES.is_file():
        pytest.skip(f"{NEEDLES} is absent (CI clones the repo with ../shared beside it)")
    a = Assistant(index_dir=tmp_path_factory.mktemp("needles"))
    assert a.ingest([NEEDLES]).ok
    return a


def test_page_aware_hits_on_a_real_pdf(needles: Assistant, checker: FaithfulnessChecker) -> None:
    text = "count slowly to 10 seconds before withdrawing the needle"
    question = "How long should the individual count before withdrawing the needle?"
    on_page = Question("p2", question, "10 seconds.", ("10 seconds",), NEEDLES.name, text, page=2)
    off_page = Question("p3", question, "10 seconds.", ("10 seconds",), NEEDLES.name, text, page=3)
    retrieved = tuple(needles.retrieve(question, top_k=5))
    holding = [p for p in retrieved if contains_evidence(p.text, text)]
    assert holding and all(p.page == 2 and p.page_end == 2 for p in holding)  # the quote is on physical page 2
    assert score(Sample(on_page, retrieved), None, 5, RETRIEVAL).values["hit_at_k"] == 1.0
    wrong = score(Sample(off_page, retrieved), None, 5, RETRIEVAL)
    assert wrong.values["hit_at_k"] == 0.0 and wrong.values["mrr"] == 0.0 and wrong.rank is None


def test_a_quote_of_a_real_table_row_as_printed_is_found(needles: Assistant) -> None:
    # The formulary table on page 2 as pdftotext -layout prints its first row; the chunk holds it as
    # "Formulary choice: 1st | Insulin Pen Needle: Insupen Original | Price ...: £2.49 | ...".
    quote = Evidence("1st Insupen Original £2.49", NEEDLES.name, 2)
    chunks = [node_to_passage(NodeWithScore(node=n, score=0.0)) for n in needles.store.all_nodes()]
    assert not any(contains_evidence(p.text, quote.text) for p in chunks)
    assert [p.page for p in chunks if holds(p, quote)] == [2]


# -- answer relevance and key facts --------------------------------------------------------------
def test_answer_relevance_flags_a_supported_answer_that_does_not_address_the_question(checker: FaithfulnessChecker) -> None:
    q = Question("r1", "How many integrated care boards are there in England?", "There are 42.")
    on = Sample(q, (passage(EVIDENCE[0]),), "There are 42 integrated care boards in England. [1]", False, {1: EVIDENCE[0]})
    off = Sample(q, (passage(EVIDENCE[0]),), "Jeremy Hunt asked Patricia Hewitt to oversee an independent review. [1]",
                 False, {1: EVIDENCE[0]})
    good, bad = score(on, checker, 5), score(off, checker, 5)
    assert bad.values["faithfulness"] == 1.0  # true to its source ...
    assert bad.values["answer_relevance"] < RELEVANCE_FLAG <= good.values["answer_relevance"]  # ... but not an answer
    # a "when" question answered without any date gets half the score
    when = Question("r2", "When will the review report?", "By 15 March 2023.")
    dated = score(Sample(when, (), "The review will report by 15 March 2023.", False), checker, 5)
    undated = score(Sample(when, (), "The review will report to the Chancellor.", False), checker, 5)
    assert undated.values["answer_relevance"] < 0.6 * dated.values["answer_relevance"]


def test_key_facts_of_a_long_reference() -> None:
    reference = ("Under the Medium Term Planning Framework every trust must reach 82% by March 2027, on the way to "
                 "a national 85% average in 2028/29, as FIT UK recommends for scalability.")
    facts = key_facts(reference, "What 4-hour A&E performance must every trust reach?")
    got = {(f.kind, f.text) for f in facts}
    assert {("figure", "82%"), ("figure", "85%"), ("figure", "2028/29"), ("month", "March"), ("figure", "2027"),
            ("name", "Medium Term Planning Framework"), ("name", "FIT UK"), ("word", "scalability")} <= got
    assert not any(f.text in ("trust", "every", "national") for f in facts)  # common words are not key facts
    assert key_fact_coverage("Trusts must reach 82% by March 2027 [1].", facts) == pytest.approx(3 / len(facts))


def test_a_real_chunk_over_a_page_break_counts_for_both_pages(tmp_path: Path) -> None:
    policy = SHARED / "realdocs" / "Commissioning-policy-individual-funding-requests-v3.pdf"
    if not policy.is_file():
        pytest.skip(f"{policy} is absent")
    a = Assistant(index_dir=tmp_path / "idx")
    assert a.ingest([policy]).ok
    passages = [node_to_passage(NodeWithScore(node=n, score=0.0)) for n in a.store.all_nodes()]
    spanning = [p for p in passages if p.page and p.page_end and p.page_end > p.page]
    assert spanning, "the policy PDF has chunks whose short page tail joins the next page"
    p = spanning[0]
    head, tail = p.text.strip()[:40], p.text.strip()[-40:]  # the first words are on `page`, the last on `page_end`
    assert holds(p, Evidence(head, policy.name, p.page)) and holds(p, Evidence(tail, policy.name, p.page_end))
    assert not holds(p, Evidence(tail, policy.name, (p.page_end or 0) + 1))
