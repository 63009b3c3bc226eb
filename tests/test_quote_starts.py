"""Quotes that open mid-sentence, run back to their sentence's start (``completion.begin_quotes``): a line that goes
on the one before it ("(3.7% of pay), and ..." after "... in 2023/24"), inside a chunk or across the chunk before.
Texts are made up, in the shape PDF conversion gives (one line of a sentence per paragraph)."""

from __future__ import annotations

from assistant.answering.completion import begin_quotes, carries_back, opened_start, previous_among, widened_back
from assistant.results import Passage

DOC = (
    "Costs fell last year. Spend went from £2.1 billion in 2021/22 to £1.8 billion in 2022/23\n\n"
    "(2.9% of pay), and is now £0.8 billion for the half year.\n\n"
    "Staff numbers rose."
)
LINE = DOC.index("(2.9%")
LINE_END = DOC.index("half year.") + len("half year.")


def _passage(start: int, end: int, path: str = "cost.txt") -> Passage:
    return Passage(source=path, title="Costs", text=DOC[start:end], score=1.0, start=start, end=end, path=path,
                   chunk_id=f"{path}:{start}")


def _quote(rank: int = 0) -> tuple[int, int, int, str]:
    return rank, LINE, LINE_END, DOC[LINE:LINE_END]


def test_a_bracketed_figure_line_runs_back_to_its_sentence_inside_its_chunk() -> None:
    whole = _passage(0, len(DOC))
    start = opened_start(_quote(), whole)
    assert start is not None and DOC[start:].startswith("Spend went from £2.1 billion")


def test_a_quote_opening_its_chunk_runs_back_over_the_chunk_before() -> None:
    first = _passage(0, LINE_END)  # overlaps the next by the line, as chunks do
    second = _passage(LINE, len(DOC))
    quotes, passages = begin_quotes([_quote(1)], [first, second])
    (rank, start, end, text), = quotes
    assert rank == 1 and text.startswith("Spend went from") and text.endswith("for the half year.")
    assert passages[1].start == start and passages[1].text[:end - start] == text  # still a slice of its passage


def test_the_chunk_before_is_read_from_the_store_when_not_retrieved() -> None:
    second = _passage(LINE, len(DOC))
    asked: list[str] = []

    def previous(p: Passage) -> Passage | None:
        asked.append(p.chunk_id or "")
        return _passage(0, LINE + 3)

    quotes, passages = begin_quotes([_quote()], [second], previous)
    assert asked == [f"cost.txt:{LINE}"] and quotes[0][3].startswith("Spend went from")
    assert DOC[quotes[0][1]:quotes[0][2]] == quotes[0][3]


def test_a_sentence_that_opens_itself_or_a_list_item_is_left_alone() -> None:
    text = "The plan is due in May.\n\nit was late last year.\n\nItems:\n\n(a) first item\n\n2. second item"
    passage = Passage(source="t", title="T", text=text, score=1.0, start=0, end=len(text), path="t")
    closed = text.index("it was")  # the line before ends closed: a lower-case opening starts nothing here
    assert opened_start((0, closed, closed + 21, text[closed:closed + 21]), passage) is None
    item = text.index("(a)")
    assert not carries_back("(a) first item") and not carries_back("2. second item")
    assert opened_start((0, item, item + 14, text[item:item + 14]), passage) is None
    assert not carries_back("Costs fell last year.")


def test_nothing_is_taken_across_a_gap_or_from_another_document() -> None:
    second = _passage(LINE, len(DOC))
    apart = _passage(0, DOC.index("Spend") - 1)  # ends before the line: a gap between
    other = _passage(0, LINE_END, path="other.txt")
    assert previous_among(second, [other, second]) is None
    quotes, passages = begin_quotes([_quote(1)], [apart, second])
    assert quotes[0][1] == LINE and passages[1] is second


def test_widened_back_keeps_the_pages_of_both_chunks() -> None:
    first = Passage(source="d.pdf", title="D", text="abc def", score=1.0, start=0, end=7, path="d.pdf",
                    page=1, page_map=[(0, 1, "1"), (4, 2, "2")])
    second = Passage(source="d.pdf", title="D", text="def ghi", score=1.0, start=4, end=11, path="d.pdf",
                     page=2, page_map=[(4, 2, "2")])
    back = widened_back(second, first, 0)
    assert back.text == "abc def ghi" and back.start == 0 and back.page == 1
    assert (0, 1, "1") in back.page_map and (4, 2, "2") in back.page_map
