"""Quotes cut off by their chunk's end, completed from the next chunk (``assistant/answering/completion.py``), and
lines that go on a sentence with a figure or a bracket (``rows.carries_on``). Texts are made up, in the shape PDF
conversion gives (one line of a sentence per paragraph), not copied from the corpus."""

from __future__ import annotations

import pytest

from assistant.answering.citations import CitedSentence
from assistant.answering.completion import (
    complete_quotes,
    continued_end,
    cut_short,
    drop_contained,
    next_among,
    widened,
)
from assistant.answering.rows import carries_on, dangles, join_lines
from assistant.results import Passage
from assistant.text.sentences import split_sentences

DOC = (
    "The trust will send its first plan in March. That plan will cover staffing, money\n\n"
    "and waiting-list trajectories, as well as a board statement.\n\n"
    "Final plans follow in May."
)
CUT = DOC.index("\n\nand waiting")  # the first chunk ends inside the second sentence


def _passage(start: int, end: int, path: str = "plan.txt", chunk: str = "") -> Passage:
    return Passage(source=path, title="Plan", text=DOC[start:end], score=1.0, start=start, end=end, path=path,
                   chunk_id=chunk or f"{path}:{start}")


def _quote(passage: Passage, rank: int = 0) -> tuple[int, int, int, str]:
    start = DOC.index("That plan")
    end = passage.end
    return rank, start, end, DOC[start:end]


def test_a_quote_cut_by_its_chunk_s_end_runs_on_into_the_next_chunk_to_its_sentence_end() -> None:
    first = _passage(0, CUT)
    second = _passage(DOC.index("That plan"), len(DOC))  # overlaps by the cut line, as chunks do
    end = continued_end(_quote(first), first, second)
    assert end is not None and DOC[:end].endswith("as well as a board statement.")
    quotes, wide, stops = complete_quotes([_quote(first)], [first], lambda p: second)
    assert stops == [None]
    assert quotes[0][3].endswith("a board statement.") and quotes[0][3] in DOC
    # the passage runs on to the quote's end, no further (the rest of the next chunk was not retrieved)
    assert wide[0].text == DOC[: wide[0].end] and DOC[: wide[0].end].endswith("a board statement.")


def test_the_next_chunk_must_meet_the_quote_s_chunk() -> None:
    first = _passage(0, CUT)
    # no overlap: what lies between the chunks is not known (a blank line, or a page number left out)
    assert continued_end(_quote(first), first, _passage(CUT + 2, len(DOC))) is None
    end = continued_end(_quote(first), first, _passage(CUT, len(DOC)))  # meets it: the blank line is in the next chunk
    assert end is not None and DOC[:end].endswith("a board statement.")


def test_nothing_is_added_across_a_gap_or_to_a_closed_quote() -> None:
    first = _passage(0, CUT)
    gap = _passage(CUT + 10, len(DOC))  # text left out between the chunks (a page's foot)
    assert continued_end(_quote(first), first, gap) is None
    closed = DOC.index("March.") + len("March.")
    assert continued_end((0, 0, closed, DOC[:closed]), _passage(0, closed), _passage(closed, len(DOC))) is None


def test_a_quote_stopping_on_a_word_no_sentence_ends_with_takes_the_figure_on_the_next_line() -> None:
    text = "Response times\n\nwith 90% of calls responded to within\n\n40 minutes\n\nPrimary care"
    passage = Passage(source="t", title="T", text=text, score=1.0, start=0, end=len(text), path="t")
    start, end = text.index("with 90%"), text.index("\n\n40")
    new_end = continued_end((0, start, end, text[start:end]), passage)
    assert new_end is not None and text[start:new_end].endswith("within\n\n40 minutes")
    # a line a sentence may end on does not take the next line's figure
    end = text.index("\n\nPrimary")
    assert continued_end((0, start - 16, end, text[start - 16:end]), passage) is None


def test_a_next_line_that_starts_something_else_is_not_added() -> None:
    text = "The plan will cover staffing, money\n\nFinal plans follow in May."
    first = Passage(source="a", title="A", text=text[:35], score=1.0, start=0, end=35, path="a")
    second = Passage(source="a", title="A", text=text[35:], score=1.0, start=35, end=len(text), path="a")
    assert continued_end((0, 0, 35, text[:35]), first, second) is None


def test_the_next_chunk_is_found_among_the_passages_before_the_store_is_asked() -> None:
    first, second = _passage(0, CUT), _passage(DOC.index("That plan"), len(DOC))
    other = _passage(0, len(DOC), path="other.txt")
    assert next_among(first, [other, first, second]) is second
    asked: list[Passage] = []
    complete_quotes([_quote(first)], [first, second], lambda p: asked.append(p))  # type: ignore[func-returns-value]
    assert not asked


def test_widened_passage_keeps_pages_of_both_chunks() -> None:
    first = Passage(source="d.pdf", title="D", text="abc def", score=1.0, start=0, end=7, path="d.pdf",
                    page_map=[(0, 1, "1")], page=1, page_end=1)
    second = Passage(source="d.pdf", title="D", text="def ghi", score=1.0, start=4, end=11, path="d.pdf",
                     page_map=[(4, 1, "1"), (8, 2, "2")], page=1, page_end=2)
    wide = widened(first, second, 11)
    assert wide.text == "abc def ghi" and wide.end == 11 and wide.page_map == [(0, 1, "1"), (8, 2, "2")]
    assert wide.pages_of(8, 11) == [(2, "2")] and wide.page_end == 2
    assert widened(first, second, 9).text == "abc def g" and widened(first, second, 7).page_end == 1


def test_a_line_quoted_from_one_chunk_and_its_whole_sentence_from_the_next_are_quoted_once() -> None:
    p, q = _passage(0, CUT), _passage(DOC.index("That plan"), len(DOC))
    start = DOC.index("That plan")
    line = CitedSentence(p, start, CUT, DOC[start:CUT])
    whole = CitedSentence(q, start, DOC.index("\n\nFinal"), DOC[start:DOC.index("\n\nFinal")])
    assert drop_contained([whole, line]) == [whole]
    assert drop_contained([line, whole]) == [whole]
    lead = CitedSentence(p, 0, DOC.index(" That"), DOC[: DOC.index(" That")])
    assert drop_contained([line, lead, whole]) == [whole, lead]  # quoted where its line was
    twice = CitedSentence(q, start, CUT, DOC[start:CUT])
    assert drop_contained([line, twice]) == [line]
    other_doc = CitedSentence(_passage(0, CUT, path="b.txt"), start, CUT, DOC[start:CUT])
    assert len(drop_contained([whole, other_doc])) == 2


@pytest.mark.parametrize(
    ("before", "line", "expected"),
    [
        ("with 90% of calls responded to within", "40 minutes", True),  # a figure after a word no sentence ends with
        ("can be found at https://example.org/long-read/framework-", "2025-26/#annex) each year.", True),
        ("to £3.0 billion in 2023/24", "(3.7% of total pay), and falling.", True),  # a bracketed figure
        ("using the Added Roles Scheme", "(ARS) staff.", True),  # an abbreviation in brackets
        ("the payment rises by", "2.1 Scope of this policy", False),  # an outline number: a heading
        ("clinicians must show that it is to", "3 In this context the rule means a policy.", False),  # a footnote
        ("the plans cover staffing", "12 Other matters", False),
        ("the plans cover staffing", "40 minutes", False),  # a figure after a word a sentence may end with
        ("the plans cover staffing, money", "and waiting lists.", True),  # lower-case: as before
        ("the plans cover staffing", "(b) waiting lists", False),  # a list marker
    ],
)
def test_carries_on(before: str, line: str, expected: bool) -> None:
    assert carries_on(before, line) is expected


@pytest.mark.parametrize(("line", "expected"), [("responded to within", True), ("the framework-", True),
                                                ("in 2023/24", False), ("Response times", False), ("and", True)])
def test_dangles(line: str, expected: bool) -> None:
    assert dangles(line) is expected


def test_figures_join_only_when_asked_and_up_to_two_lines_past_the_limit_to_finish_a_dangling_line() -> None:
    text = "\n\n".join(["Response times", "Improve so that", "by the end of", "2028/29 the", "average time",
                        "is 18 minutes, with 90% of", "calls responded to within", "40 minutes", "Primary care"])
    spans = split_sentences(text)
    plain = [text[a:b] for a, b in join_lines(text, spans)]
    assert "40 minutes" in plain  # reading candidates: as before
    lines = [text[a:b] for a, b in join_lines(text, spans, figures=True)]
    assert any(x.endswith("within\n\n40 minutes") for x in lines)
    assert "Primary care" in lines


def test_a_merged_answer_keeps_each_passage_as_run_on_furthest() -> None:
    from assistant.answering.currency import _widest
    from assistant.results import Answer

    short = _passage(0, CUT, chunk="c1")
    longer = widened(short, _passage(DOC.index("That plan"), len(DOC), chunk="c2"), DOC.index("\n\nFinal"))
    other = _passage(DOC.index("That plan"), len(DOC), chunk="c2")
    answers = [Answer(question="q", text="", refused=False, passages=[short, other]),
               Answer(question="q", text="", refused=False, passages=[longer, other])]
    assert _widest([short, other], answers) == [longer, other]


LONG = ("There is guidance that governs whether to fund the treatment for the patient's condition, "
        "and a clinician can show")


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        (LONG, "\n\n1 To note: in parts of this policy ...", LONG.index(", and")),  # a footnote interrupts it
        (LONG, "\n\nThe panel meets monthly.", None),  # what follows is no footnote: it may end there
        (LONG, "\n\n2.1 Scope", None),  # an outline number is no footnote
        ("The board will publish the results of the review in", "\n\nAnnex A", len("The board will publish the results of the review in")),
        ("The plans cover staffing, money and the", "", len("The plans cover staffing")),  # a word no sentence ends with
        ("The plans, as agreed, cover staffing and the", "", len("The plans, as agreed, cover staffing and the")),  # no clause leaves half
        ("Effective date: 11 July 2025", "\n\n1 Version history", None),  # a cell: no prose under way
        ("The plans cover staffing.", "\n\n1 To note", None),  # closed
        ("• the severity of the condition is far greater than in the group; and", "", None),  # an item's connector
        ("• the likely outcomes for the patient of the treatment, or", "", None),
    ],
)
def test_cut_short(text: str, after: str, expected: int | None) -> None:
    assert cut_short(text, after) == expected


def test_a_quote_broken_off_by_a_footnote_ends_after_its_last_clause_marked_as_going_on() -> None:
    from assistant.answering.extractive import ExtractiveAnswerer

    passage = Passage(source="p", title="P", text=LONG, score=1.0, start=0, end=len(LONG), path="p")
    cited = ExtractiveAnswerer._cited("What must a clinician show?", passage, 0, len(LONG), LONG, cut_short(LONG, "1 To note"))
    assert cited.text.endswith("the patient's condition …") and cited.end == LONG.index(", and")
