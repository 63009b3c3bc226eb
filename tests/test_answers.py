"""End to end on the real model and real Chroma: cited answers, verbatim quotes, refusals, filters."""

from __future__ import annotations

import json
import re

import pytest
from conftest import LETTER, NEWS

from assistant import Answer, Assistant, QuestionError
from assistant.evaluation.questions import normalise
from assistant.ingest.loaders import load_file, read_manifest


def _document_text(assistant: Assistant, source: str) -> str:
    record = next(r for r in assistant.store.documents().values() if r.source == source)
    from pathlib import Path

    path = Path(record.path)
    return load_file(path, read_manifest(path.parent)).text


def _check_citations(assistant: Assistant, answer: Answer) -> None:
    """Every [n] names a citation, numbers are dense, and every quote is verbatim from its document."""
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert numbers, answer.text
    assert sorted({c.n for c in answer.citations}) == list(range(1, len(answer.citations) + 1))
    assert set(numbers) == {c.n for c in answer.citations}
    by_n = {c.n: c for c in answer.citations}
    # Each sentence is followed by its [n] and lies inside that citation's quote (a document label
    # such as "Title, 5 Dec 2024:" that heads a comparison's lines is the answer's, not a quote; so is
    # the "…" marking what a quote leaves out of its sentence).
    text = answer.text
    for head in answer.labels:
        text = text.replace(f"{head} ", "")
    for sentence, n in re.findall(r"(.+?) \[(\d+)\]", text):
        shown = sentence.strip().removeprefix("…").removesuffix("…")
        assert normalise(shown) in normalise(by_n[int(n)].quote), (sentence, by_n[int(n)].quote)
    for c in answer.citations:
        text = _document_text(assistant, c.source)
        assert text[c.start:c.end] == c.quote


def test_who_leads_the_review_is_patricia_hewitt_cited_to_the_news_article(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Who was asked to lead the independent review of integrated care systems?")
    assert not answer.refused
    hewitt = [c for c in answer.citations if "Patricia Hewitt" in c.quote]
    assert hewitt and all(c.source == NEWS for c in hewitt)
    assert "Patricia Hewitt" in answer.text
    _check_citations(seed_assistant, answer)


def test_what_a_document_said_about_a_topic_is_quoted_from_the_topic_not_the_document_s_name(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did the Hewitt Review say about national targets?")
    assert not answer.refused
    assert "national targets" in answer.citations[0].quote, str(answer)
    _check_citations(seed_assistant, answer)
    # the same question about a topic the documents never raise: sentences about the review are no answer
    assert seed_assistant.ask("What did the Hewitt Review say about dentistry contracts?").refused


def test_publication_reference_is_pr00557(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What is the publication reference of NHS England's letter on the Hewitt Review?")
    assert not answer.refused
    assert "PR00557" in answer.text
    assert any(c.source == LETTER and "PR00557" in c.quote for c in answer.citations)
    _check_citations(seed_assistant, answer)


def test_a_numbered_list_is_quoted_whole_with_its_lead_in(seed_assistant: Assistant) -> None:
    """Issue 12: the fourth item used to be lost ("... locally and nationally 4.")."""
    answer = seed_assistant.ask("What four things will the review consider?")
    assert not answer.refused
    items = re.findall(r"(?:^|\] )(\d)\. ", answer.text)
    assert items == ["1", "2", "3", "4"], answer.text
    assert "The DHSC say the review will consider four things:" in answer.text
    assert "4. The general relationship between ICSs and organisations like NHS England and the Care Quality Commission" in answer.text
    assert not re.search(r"nationally \d\.", answer.text)  # no marker glued to the item before it
    quote = next(c.quote for c in answer.citations if "four things" in c.quote)
    assert " ".join(quote.split()).endswith("as well looking into the CQC’s role as an ICS overseer")
    _check_citations(seed_assistant, answer)


def test_a_time_said_in_words_answers_a_when_question(seed_assistant: Assistant) -> None:
    """Issue 14: "Before the year's out, an interim report will be published" answers "when"."""
    answer = seed_assistant.ask("By when should we see the review's interim report?")
    assert not answer.refused, answer.text
    assert any("interim report" in c.quote for c in answer.citations)
    assert any("year" in w for w in answer.emphasis)  # the words that answer, shown in bold
    _check_citations(seed_assistant, answer)


@pytest.mark.parametrize("question", [
    "On what date was the interim report published?",
    "What date will the Hewitt Review final report come out?",
])
def test_a_time_in_words_does_not_answer_on_what_date(seed_assistant: Assistant, question: str) -> None:
    """"Before the year's out" says when, not on what date: "when" is answered (above), "what date" refused."""
    answer = seed_assistant.ask(question)
    assert answer.refused, answer.text


@pytest.mark.parametrize("question", [
    "On what date was the Hewitt Review's final report published?",  # a date about another event is not an answer
    "What is the Category 1 ambulance response time target?",  # the Category 2 target is not an answer
])
def test_a_sentence_of_the_same_kind_about_another_thing_is_not_an_answer(full_assistant: Assistant, question: str) -> None:
    assert full_assistant.ask(question).refused


@pytest.mark.parametrize("question", [
    "How many dentists work in Norfolk?",
    "What will the national tariff price for a hip replacement be in 2026/27?",
])
def test_unanswerable_questions_are_refused(seed_assistant: Assistant, full_assistant: Assistant, question: str) -> None:
    for assistant in (seed_assistant, full_assistant):
        answer = assistant.ask(question)
        assert answer.refused, answer.text
        assert answer.citations == []
        assert "don't say" in answer.text
        assert answer.passages, "a refusal still shows what was searched"


def test_furniture_is_never_cited(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Who was the guest on episode 14 of the Finger on the Pulse podcast?")
    assert "Craig Jackson" not in answer.text
    for passage in seed_assistant.retrieve("Finger on the Pulse podcast NHE365 virtual events magazine", top_k=10):
        assert "Finger on the Pulse" not in passage.text
        assert "Female doctor in a team meeting" not in passage.text


def test_answers_on_the_nhs_corpus_cite_verbatim(full_assistant: Assistant) -> None:
    for question in [
        "What productivity target did the government set for 2025/26?",
        "How often will NHS England run the segmentation process?",
        "What did the Hewitt Review say about national targets?",
    ]:
        answer = full_assistant.ask(question)
        assert not answer.refused, (question, answer.text)
        _check_citations(full_assistant, answer)


def test_passages_and_citations_carry_their_location(full_assistant: Assistant) -> None:
    passages = full_assistant.retrieve("segmentation process quarterly", top_k=5)
    assert len(passages) == 5
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    top = passages[0]
    assert top.source.endswith(".md") and top.title and top.section
    assert top.publisher == "NHS England" and top.date
    assert top.end > top.start


def test_filters_restrict_documents_publishers_and_dates(full_assistant: Assistant) -> None:
    q = "What are the priorities for integrated care boards?"
    only = full_assistant.retrieve(q, top_k=5, filters={"documents": [LETTER]})
    assert only and {p.source for p in only} == {LETTER}
    dhsc = full_assistant.retrieve(q, top_k=5, filters={"publishers": ["DHSC / HM Government"]})
    assert dhsc and {p.publisher for p in dhsc} == {"DHSC / HM Government"}
    recent = full_assistant.retrieve(q, top_k=8, filters={"date_from": "2025-06"})
    assert recent and all(p.date >= "2025-06" or p.date == "2025" for p in recent)
    old = full_assistant.retrieve(q, top_k=8, filters={"date_to": "2024-12"})
    assert old and all(p.date[:7] <= "2024-12" for p in old)
    answer = full_assistant.ask(q, filters={"documents": [NEWS]})
    assert all(c.source == NEWS for c in answer.citations)


def test_bad_filters_and_questions_are_clear_errors(seed_assistant: Assistant) -> None:
    from assistant.retrieval.filters import FilterError

    with pytest.raises(FilterError, match="date_from"):
        seed_assistant.retrieve("targets", filters={"date_from": "last year"})
    with pytest.raises(FilterError, match="unknown filter"):
        seed_assistant.retrieve("targets", filters={"author": "x"})
    with pytest.raises(QuestionError):
        seed_assistant.ask("   \n\t ")
    long_answer = seed_assistant.ask("national targets " * 20000)
    assert any("truncated" in n for n in long_answer.notes)


def test_results_serialise_to_json_and_html(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did the Hewitt Review say about national targets?")
    data = json.loads(answer.to_json())
    assert set(data) >= {"text", "refused", "citations", "passages"}
    assert set(data["citations"][0]) >= {"n", "source", "title", "page", "section", "quote", "start", "end"}
    assert set(data["passages"][0]) >= {"source", "title", "text", "score", "page", "section"}
    html = answer._repr_html_()
    assert "<blockquote>" in html and "[1]" in html
    assert str(answer).startswith(answer.text)


def test_notebook_views_show_document_text_as_text() -> None:
    from assistant.results import Citation, IndexStatus, IngestSummary, Passage

    bad = "<script>alert(1)</script> ${x} {{ 7*7 }}"
    cite = Citation(n=1, source=f"{bad}.txt", title=bad, quote=bad, start=0, end=9, page=3, section=bad)
    passage = Passage(source="a.txt", title=bad, text=bad, score=0.5)
    views = [
        cite._repr_html_(), passage._repr_html_(),
        Answer(question=bad, text=bad, refused=True, citations=[cite], passages=[passage])._repr_html_(),
        IngestSummary(failed=[{"path": bad, "reason": bad}])._repr_html_(),
        IndexStatus(location=bad, documents=1, chunks=2, titles=[bad])._repr_html_(),
    ]
    for html in views:
        assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "{{ 7*7 }}" in html and "49" not in html
    assert "p. 3, § &lt;script&gt;" in views[0] and "[1]" in views[2] and "border-left" in views[2]
    assert "<td>failed</td><td>1</td>" in views[3]


def test_the_answering_words_are_bold_in_the_notebook_and_the_pieces_join_back() -> None:
    from assistant.results import emphasised

    text = "The mileage rate rises to £0.52 from April <2024>. [1]"
    answer = Answer(question="How much?", text=text, refused=False, emphasis=["£", "<2024>"])
    assert "".join(piece for piece, _ in answer.pieces()) == text
    # a partial phrase is widened to its whole token; the bold words are still escaped
    assert [piece for piece, bold in answer.pieces() if bold] == ["£0.52", "<2024>"]
    html = answer._repr_html_()
    assert "<b>£0.52</b>" in html and "<b>&lt;2024&gt;" in html and "<2024>" not in html
    assert emphasised("No bold here.", []) == [("No bold here.", False)]


def test_the_cli_prints_bold_only_on_a_terminal(monkeypatch) -> None:  # noqa: ANN001
    from assistant.serving import cli

    answer = Answer(question="Who?", text="Maria Lopez chairs it. [1]", refused=False, emphasis=["Maria Lopez"])
    monkeypatch.setattr(cli.sys.stdout, "isatty", lambda: False, raising=False)
    assert cli._bold_for_terminal(answer) == answer.text
    monkeypatch.setattr(cli.sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._bold_for_terminal(answer) == "\033[1mMaria Lopez\033[0m chairs it. [1]"
