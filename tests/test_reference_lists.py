"""A reference list's entries are what a document cites, not what it says: they are no answer.

``answering/reference_lists.py``; the answerer leaves them out unless the question asks what the
document cites. Real failure class: "• PrescQIPP (2015) Bulletin 103: Insulin Needle" quoted for a
question about insulin needles, because the entry shares its words and holds a date.
"""

from __future__ import annotations

import pytest

from assistant.answering.reference_lists import asks_for_sources, outside_reference_lists, reference_regions
from assistant.results import Passage

TEXT = (
    "Needle length\n"
    "Use a 4mm needle for most adults.\n"
    "References\n"
    "• Diabetes UK (2019) Injection technique for insulin needles\n"
    "• Example ICB formulary, insulin needles, 2024\n"
    "Document control\n"
    "Review date: June 2027\n"
)


def _passage(text: str = TEXT, start: int = 1000, section: str | None = "Needle length", headings=("Needle length", "References", "Document control")) -> Passage:  # noqa: ANN001
    spans = [(start + text.index(h), start + text.index(h) + len(h)) for h in headings if h in text]
    return Passage(source="needles.pdf", title="Insulin needles", section=section, text=text, score=1.0,
                   start=start, end=start + len(text), unquotable=spans)


def _candidates(passage: Passage) -> list[tuple[int, int, int, str]]:
    out = []
    for line in passage.text.splitlines():
        a = passage.text.index(line)
        out.append((0, passage.start + a, passage.start + a + len(line), line))
    return out


def test_entries_under_a_references_heading_are_left_out_until_the_next_heading() -> None:
    passage = _passage()
    keep = dict(zip([c[3] for c in _candidates(passage)],
                    outside_reference_lists("Which needle length suits adults?", _candidates(passage), [passage])))
    assert keep["Use a 4mm needle for most adults."]
    assert not keep["• Diabetes UK (2019) Injection technique for insulin needles"]
    assert not keep["• Example ICB formulary, insulin needles, 2024"]
    assert keep["Review date: June 2027"]  # the next section is the document again


def test_a_passage_that_starts_inside_the_reference_list_knows_it_from_its_section() -> None:
    text = "• NICE (2022) Type 2 diabetes in adults\n• Local formulary 2024\nGlossary\nBBV: blood borne virus.\n"
    passage = _passage(text, section="Bibliography", headings=("Glossary",))
    (region,) = reference_regions(passage)
    assert passage.text[region[0] - passage.start:region[1] - passage.start] == text[:text.index("Glossary")]


def test_a_section_that_only_mentions_references_is_not_a_reference_list() -> None:
    passage = _passage(section="Referral process and references to the panel", headings=("Needle length",))
    assert reference_regions(passage) == []


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which sources does the guidance cite?", True),
        ("What references does the policy list?", True),
        ("Which guidance documents does the policy refer to?", True),
        ("Where can I find further reading on injection technique?", True),
        ("What is the publication reference of the letter?", False),  # a code, not a reference list
        ("Which needle length should adults use?", False),
        ("When should a GP refer a patient to the specialist team?", False),
    ],
)
def test_questions_that_ask_what_a_document_cites(question: str, asks: bool) -> None:
    assert asks_for_sources(question) is asks


def test_a_question_about_sources_may_quote_the_entries() -> None:
    passage = _passage()
    assert all(outside_reference_lists("Which sources does it cite?", _candidates(passage), [passage]))
