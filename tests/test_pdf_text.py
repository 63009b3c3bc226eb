"""Page furniture in text converted from PDF (loaders/pdf_text.py), and the Markdown and TXT loaders that use it."""

from __future__ import annotations

from assistant.ingest.loaders import markdown, plaintext
from assistant.ingest.loaders.pdf_text import page_number_lines, running_header, strip_furniture

HEADER = "Regional planning handbook for community services"


def _pages(bodies: list[tuple[str, str]]) -> list[str]:
    """A converted document: each page's first line glued to the running header, its own paragraphs, its last
    line (which may stop mid-sentence), then its number on a line of its own."""
    lines: list[str] = []
    for n, (first, last) in enumerate(bodies, start=2):
        filler = [f"Paragraph {k} of page {n} says something of its own." for k in range(3)]
        lines += [f"{HEADER} {first}", ""] + [x for line in [*filler, last] for x in (line, "")] + [str(n), "", ""]
    return lines


BODIES = [
    ("**Introduction**", "The handbook sets out how services are planned. Plans are agreed each spring and the"),
    ("boards review them every quarter.", "Waiting times for the cancer 62-"),
    ("day standard should improve to 80% by March.", "Each board publishes its plan."),
    ("Community teams report monthly.", "Providers share data with the board."),
    ("The board meets in public.", "Its papers are published a week before."),
    ("Appeals go to the regional panel.", "The panel replies within 20 working days."),
]


def test_running_header_and_page_numbers_are_found() -> None:
    lines = _pages(BODIES)
    assert running_header(lines) == HEADER
    assert sorted(int(lines[i]) for i in page_number_lines(lines)) == [2, 3, 4, 5, 6, 7]


def test_sentences_cut_by_furniture_are_joined_and_the_furniture_is_gone() -> None:
    text = "\n".join(strip_furniture(_pages(BODIES)))
    assert HEADER not in text
    assert "Plans are agreed each spring and the boards review them every quarter." in text
    assert "Waiting times for the cancer 62-day standard should improve to 80% by March." in text  # cut at the hyphen
    assert not any(line.strip().isdigit() for line in text.split("\n"))
    # a sentence that ended on its page is not joined to the next page's first line
    assert "Each board publishes its plan.\n" in text and "\nCommunity teams report monthly." in text


def test_repeated_openings_that_are_not_headers_are_kept() -> None:
    # a label opening several lines with the same words after it (a table's rows), a list, and a prose phrase
    # that opens only a few lines: none is page furniture
    lines = [f"Success measure for the year: 80% of {who}" for who in ("trusts", "ICBs", "GPs", "boards", "teams", "sites")]
    lines += ["• by the end of March: item"] * 6
    lines += ["NHS England will work with systems to publish data.", "NHS England will work with systems on plans."]
    assert running_header(lines) is None
    assert strip_furniture(lines) == lines


def test_a_column_of_figures_is_not_page_numbers() -> None:
    lines = ["Beds by region", "", "40", "", "12", "", "37", "", "8", "", "22", "", "15"]
    assert page_number_lines(lines) == set()
    assert strip_furniture(lines) == lines


def test_markdown_and_text_loaders_take_furniture_out() -> None:
    raw = "\n".join(_pages(BODIES)).encode()
    for parsed in (markdown.parse(raw), plaintext.parse(raw)):
        assert HEADER not in parsed.text
        assert "the cancer 62-day standard should improve" in parsed.text
    # the header was glued to a bold heading: once it is gone, the heading is a section again
    assert any(title == "Introduction" for _, title, _ in markdown.parse(raw).sections)


def test_text_without_furniture_is_unchanged() -> None:
    raw = b"A plain article.\n\nIt has 2 paragraphs and a list:\n\n- one\n- two\n"
    assert plaintext.parse(raw).text == raw.decode()
