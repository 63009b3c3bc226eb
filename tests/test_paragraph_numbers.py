"""A quote starts at its sentence, not at its paragraph's number, and a list the answer quotes keeps its markers
(``assistant/answering/paragraph_numbers.py``). Texts are made up, in the shapes policies, constitutions and NICE
guidelines number their paragraphs."""

from __future__ import annotations

import pytest

from assistant.answering.citations import quotable_sentences
from assistant.answering.completion import lists_run_on
from assistant.answering.extractive import ExtractiveAnswerer, _list_of, expand_lead_ins, listed_items
from assistant.answering.paragraph_numbers import marker_length, unnumbered
from assistant.api import embed_model_for
from assistant.results import Passage
from assistant.settings import Settings
from assistant.text.terms import TermStats


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("73. Where the panel has not supported funding, it will write.", 4),
        ("1.5.1 The board was established on 1 July 2022.", 6),
        ("1.3.2 Offer a review to adults with type 2 diabetes.", 6),  # a NICE recommendation's number
        ("a) Members of the board", 3),
        ("• improve waiting times", 2),
        ("(iv) the chair of the committee", 5),
        ("2.5 million people were seen last year.", 0),  # a figure, not a number before a capitalised word
        ("The panel meets monthly.", 0),
        ("4.", 0),  # a marker alone: nothing to start at
    ],
)
def test_marker_length(text: str, cut: int) -> None:
    assert marker_length(text) == cut


def _quotes(doc: str, sentences: list[str], rank: int = 0) -> list[tuple[int, int, int, str]]:
    out = []
    for s in sentences:
        start = doc.index(s)
        out.append((rank, start, start + len(s), s))
    return out


DOC = ("44. The team sends the panel a pack.\n"
       "45. A nominated clinical member of the panel will introduce the case at the meeting.\n"
       "2.2.1 The board has three partner members:\n"
       "a) One partner member from trusts\n"
       "b) One partner member from primary care\n"
       "c) One partner member from local authorities\n"
       "3.6.2 The chair applies the following criteria:\n"
       "3.6.3 The chair may appoint a deputy.\n")


def test_a_numbered_paragraph_quoted_on_its_own_starts_at_its_sentence_with_its_offsets_moved() -> None:
    quotes = _quotes(DOC, ["45. A nominated clinical member of the panel will introduce the case at the meeting.",
                           "44. The team sends the panel a pack."])
    out = unnumbered(quotes, set())
    assert [q[3] for q in out] == ["A nominated clinical member of the panel will introduce the case at the meeting.",
                                   "The team sends the panel a pack."]
    for _, start, end, text in out:
        assert DOC[start:end] == text  # still an exact substring of the document, at its offsets


def test_items_of_a_quoted_list_keep_their_markers_and_nothing_else_does() -> None:
    sentences = ["2.2.1 The board has three partner members:", "a) One partner member from trusts",
                 "b) One partner member from primary care", "c) One partner member from local authorities"]
    quotes = _quotes(DOC, sentences)
    out = unnumbered(quotes, {(q[1], q[2]) for q in quotes[1:]})
    assert [q[3] for q in out] == ["The board has three partner members:", *sentences[1:]]
    assert unnumbered(quotes[2:3], set())[0][3] == "One partner member from primary care"  # an item alone


def test_a_table_row_is_quoted_as_it_is() -> None:
    row = (0, 0, 30, "1. Timeline | 30 working days")
    assert unnumbered([row], set()) == [row]


def _doc_passage(text: str) -> Passage:
    return Passage(source="c.docx", title="Constitution", text=text, score=1.0, start=0, end=len(text),
                   chunk_id="c-0", path="/docs/c.docx")


@pytest.mark.parametrize(
    ("text", "lead", "items"),
    [
        (DOC, "2.2.1 The board has three partner members:", 3),  # a colon
        ("a) The chief executive appoints three directors.\ni. Director of Places\nii. Director of Strategy\n"
         "iii. Director of Services\nb) Two members are elected.", "a) The chief executive appoints three directors.", 3),
        (DOC, "3.6.2 The chair applies the following criteria:", 0),  # the next paragraph is not its item
        ("• The panel may decline on two grounds:\n• that the evidence is weak\n• that the cost is too high\n",
         "• The panel may decline on two grounds:", 2),  # a bullet lead-in over its sub-items, flattened to its bullet
    ],
)
def test_listed_items_are_what_the_answerer_reads_after_a_lead_in(text: str, lead: str, items: int) -> None:
    passage = _doc_passage(text)
    sentences = [(0, a, b, text[a:b]) for a, b in quotable_sentences(passage)]
    first = next(i for i, q in enumerate(sentences) if q[3] == lead)
    quoted = sentences[first:first + 1 + max(items, 1)]
    assert len(listed_items(quoted, [passage])) == items


TEXT = ("44. The IFR team sends the panel members an information pack before each meeting.\n\n"
        "45. A nominated clinical member of the panel will introduce each case at the meeting.\n\n"
        "46. The panel makes funding decisions for individual cases on behalf of the commissioner.")


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embed_model_for(Settings.load()))


def test_the_answer_and_its_citation_start_at_the_sentence(answerer: ExtractiveAnswerer) -> None:
    passage = Passage(source="sop.pdf", title="Panel procedure", text=TEXT, score=1.0, start=0, end=len(TEXT),
                      chunk_id="sop-0", path="/docs/sop.pdf")
    stats = TermStats.from_texts([TEXT, "Funding panels meet quarterly.", "The chair signs the minutes.",
                                  *(f"Budget note {i} for the finance team." for i in range(8))])
    answer = answerer.answer("Who introduces the case at the panel meeting?", [passage], stats)
    assert answer.text.startswith("A nominated clinical member of the panel will introduce each case")
    quote = answer.citations[0]
    assert quote.quote.startswith("A nominated") and TEXT[quote.start:quote.end] == quote.quote


# Issue 14, thirteenth pass: a list cut by its chunk's end goes on in the next chunk (``completion.lists_run_on``).
LIST = ("Practices may prescribe any of the following needles:\n• Needle A at £2.49\n• Needle B at £2.75\n\n"
        "• Needle C at £2.75\n\nSafety needles are listed separately.")
SPLIT = LIST.index("\n\n• Needle C")


def _chunk(start: int, end: int, index: int) -> Passage:
    return Passage(source="needles.pdf", title="Needles", text=LIST[start:end], score=1.0, start=start, end=end,
                   chunk_id=f"needles-{index}", path="/docs/needles.pdf")


def test_a_list_cut_by_its_chunk_s_end_is_read_on_into_the_next_chunk_across_the_seam() -> None:
    first, second = _chunk(0, SPLIT, 0), _chunk(SPLIT + 2, len(LIST), 1)
    lead = (0, 0, LIST.index(":") + 1, LIST[:LIST.index(":") + 1])
    asked: list[Passage] = []

    def store(p: Passage) -> Passage | None:
        asked.append(p)
        return second

    passages = lists_run_on([lead], [first], _list_of, store)
    assert passages == [first, second] and asked == [first]
    quotes = expand_lead_ins([lead], passages)
    assert [q[3] for q in quotes][1:] == ["• Needle A at £2.49", "• Needle B at £2.75", "• Needle C at £2.75"]
    assert quotes[-1][0] == 1  # cited from the chunk that holds it: a slice of one chunk
    # a chunk that starts further on (something left out between) does not carry the list on
    assert lists_run_on([lead], [first], _list_of, lambda p: _chunk(SPLIT + 8, len(LIST), 1)) == [first]


def test_a_list_that_ends_inside_its_chunk_does_not_ask_for_the_next() -> None:
    whole = _chunk(0, len(LIST), 0)
    lead = (0, 0, LIST.index(":") + 1, LIST[:LIST.index(":") + 1])
    assert lists_run_on([lead], [whole], _list_of, lambda p: pytest.fail("asked the store")) == [whole]


def test_a_chunk_read_on_into_stays_with_the_merged_answer_s_passages() -> None:
    from assistant.answering.currency import _widest
    from assistant.results import Answer

    first, second = _chunk(0, SPLIT, 0), _chunk(SPLIT + 2, len(LIST), 1)
    answer = Answer(question="q", text="t [1]", refused=False, citations=[], passages=[first, second], backend="extractive")
    assert _widest([first], [answer]) == [first, second]  # its items' citations are slices of a passage


def test_a_chunk_from_the_store_takes_its_document_s_standing() -> None:
    from dataclasses import replace

    from assistant.answering.completion import same_standing

    retrieved = replace(_chunk(0, SPLIT, 0), period="2025/26", version="2", superseded_by="Plan 2026")
    read = same_standing(_chunk(SPLIT + 2, len(LIST), 1), retrieved)
    assert (read.period, read.version, read.superseded_by, read.text) == ("2025/26", "2", "Plan 2026", LIST[SPLIT + 2:])
