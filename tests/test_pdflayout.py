"""Layout-aware PDF text on real files: the three PDFs in ../shared/realdocs and the fixtures in
tests/fixtures/pdf (Word files converted by LibreOffice; see tests/fixtures/make_pdf_fixtures.py).

OCR tests need Debian's tesseract-ocr; without it they are skipped, and its absence is simulated
(PATH without tesseract) to check the warning and the error.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from assistant.ingest.loaders.pdf import NoTextLayerError, PdfText, PdfTextError, extract, quote_boxes, render_page
from assistant.ingest.loaders.pdf.textnorm import join_hyphenated, list_marker

# ../shared beside the clone, as tests/conftest.py has it; ICS_SHARED_DIR points a git worktree elsewhere at it.
REALDOCS = Path(os.environ.get("ICS_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared") / "realdocs"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
IFR = "Commissioning-policy-individual-funding-requests-v3.pdf"
SOP = "Standard-operating-procedures-individual-funding-requests-February-2023.pdf"
INSULIN = "Prescribing-of-Insulin-Needles.pdf"
HAS_TESSERACT = shutil.which("tesseract") is not None


def _real(name: str) -> bytes:
    path = REALDOCS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (CI clones the repo with ../shared beside it)")
    return path.read_bytes()


_CACHE: dict[str, PdfText] = {}


def doc(name: str) -> PdfText:
    if name not in _CACHE:
        raw = (FIXTURES / name).read_bytes() if (FIXTURES / name).is_file() else _real(name)
        _CACHE[name] = extract(raw, ocr=False)
    return _CACHE[name]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- furniture -------------------------------------------------------------------------------------

FURNITURE = {
    IFR: re.compile(r"^\d+\s*\|\s*individual funding requests$"),
    SOP: re.compile(r"^(\d+|\d+ \| Standard operating procedures: Individual funding requests)$"),
    INSULIN: re.compile(r"^Page \d+ of 4$"),
    "dosing-guidance.pdf": re.compile(r"^(Page \d of 3|© Example ICB 2025\. All rights reserved\.|SGLT2 inhibitors: prescribing guidance \| Example Integrated Care Board)$"),
    "nhs-style-policy.pdf": re.compile(r"^\d \| individual treatment requests$"),
}


@pytest.mark.parametrize("name", list(FURNITURE))
def test_no_line_is_running_header_footer_or_page_number(name: str) -> None:
    text = doc(name).text
    assert [line for line in lines(text) if FURNITURE[name].match(line)] == []
    assert not re.search(r"Page \d+ of \d+|© Example ICB|\| individual (funding|treatment) requests", text)


@pytest.mark.parametrize("name", [IFR, INSULIN, "dosing-guidance.pdf"])
def test_the_old_parser_did_carry_that_furniture(name: str) -> None:
    """The counts above could fail: pypdf's text (the loader before this engine) holds these lines."""
    from pypdf import PdfReader

    raw = (FIXTURES / name).read_bytes() if (FIXTURES / name).is_file() else _real(name)
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    old = [line for line in lines(text) if FURNITURE[name].match(line)]
    assert len(old) >= 3


# --- sentences over page breaks --------------------------------------------------------------------

def test_sentence_over_a_page_break_is_whole_and_maps_to_both_pages() -> None:
    d = doc(IFR)
    sentence = ("the question is whether there is sufficient justification, including consideration of factors "
                "such as clinical effectiveness of the treatment in question")
    start = d.text.find(sentence)
    assert start >= 0, "the sentence is split or has furniture in it"
    end = start + len(sentence)
    assert d.pages_of(start, end) == [10, 11]
    assert d.page_at(start) == 10 and d.page_at(end - 1) == 11
    assert d.label_of(10) == "9" and d.label_of(11) == "10"  # NHS England prints one lower


def test_fixture_sentence_over_a_page_break() -> None:
    d = doc("dosing-guidance.pdf")
    spans = [m.span() for m in re.finditer(r"The fluid intake of frail people should be reviewed by the care home team each week\.", d.text)]
    assert [1, 2] in [d.pages_of(a, b) for a, b in spans]
    d2 = doc("nhs-style-policy.pdf")
    spans = [m.span() for m in re.finditer(r"The efficacy of the class is similar, so the least costly suitable product should be chosen\.", d2.text)]
    assert [2, 3] in [d2.pages_of(a, b) for a, b in spans]


def test_every_character_has_a_page_and_pages_are_in_order() -> None:
    for name in (IFR, "dosing-guidance.pdf"):
        d = doc(name)
        offsets = [o for o, _, _ in d.pages]
        assert offsets == sorted(set(offsets)) and offsets[0] == 0
        assert [p for _, p, _ in d.pages] == sorted(p for _, p, _ in d.pages)
        assert all(d.page_at(i) >= 1 for i in range(0, len(d.text), 97))


# --- lists, tables, headings, blocks --------------------------------------------------------------

def test_numbered_and_bulleted_items_are_lines_with_markers() -> None:
    text = lines(doc("dosing-guidance.pdf").text)
    for item in ("1. whether the indication is still appropriate", "2. the person's renal function and volume status",
                 "3. the dose, which should not be increased above the licensed maximum",
                 "4. the person's understanding of sick-day rules",
                 "• heart failure with reduced ejection fraction (HFrEF)",
                 "• heart failure with preserved ejection fraction (HFpEF)"):
        assert item in text
    # Word's Courier "o" bullets come out as bullets.
    assert "• the patient is likely to gain significantly more benefit from the intervention" in lines(doc("nhs-style-policy.pdf").text)
    insulin = lines(doc(INSULIN).text)
    assert "• All needles are for single use only, this should be emphasised when counselling patients." in insulin
    ifr = doc(IFR)
    assert any(line.startswith("10. The fact that a patient has failed to respond to") for line in lines(ifr.text))
    # The number's tab set too tight to read as a space, before an abbreviation or a one-letter word too
    for opening in ("49. NHS England expects providers", "34. A treatment may be considered", "90. IFRs are applications"):
        assert any(line.startswith(opening) for line in lines(ifr.text)), opening
    assert not re.search(r"(?m)^\s*\d{1,3}\.[A-Z]", ifr.text)
    kinds = [kind for a, b, kind, _ in ifr.blocks if ifr.text[a:b].startswith("• given regard to the need to reduce")]
    assert kinds == ["list_item"]


def test_table_rows_carry_their_headers() -> None:
    d = doc("dosing-guidance.pdf")
    row = "Drug: Dapagliflozin | Indication: Heart failure | Dose: 10 mg once daily"
    assert row in lines(d.text)
    start = d.text.index(row)
    assert (start, start + len(row), "table_row", 2) in d.blocks
    assert "Stage: Panel | Who decides: IFR panel | Time limit: 20 working days" in lines(doc("nhs-style-policy.pdf").text)
    insulin = lines(doc(INSULIN).text)
    assert any(line.startswith("Formulary choice: 1st | Insulin Pen Needle: Apollo ProShield | Price as per the Drug Tariff")
               for line in insulin)


def test_headings_are_sections_with_levels() -> None:
    sections = {title: level for _, title, level in doc("dosing-guidance.pdf").sections}
    assert sections["1. Introduction"] == 1 and sections["2.1 Monitoring"] == 2 and "3. Information for patients" in sections
    ifr = {title for _, title, _ in doc(IFR).sections}
    assert {"Clinical exceptionality: severity", "Personal health budgets", "Decisions on funding"} <= ifr
    insulin = doc(INSULIN)
    assert {"Safety Needle Devices", "References"} <= {t for _, t, _ in insulin.sections}
    for offset, title, _ in insulin.sections:
        assert insulin.text[offset:].startswith(title)


def test_titles_and_contents_are_blocks_that_can_be_refused() -> None:
    insulin = doc(INSULIN)
    by_kind: dict[str, list[str]] = {}
    for a, b, kind, _ in insulin.blocks:
        by_kind.setdefault(kind, []).append(insulin.text[a:b])
    assert by_kind["title"] == ["Prescribing of Insulin Pen Needles"]
    assert "Contents" in by_kind["toc"] and any(t.startswith("Safety Needle Devices....") for t in by_kind["toc"])
    ifr = doc(IFR)
    assert any(ifr.text[a:b].startswith("Plain language summary ....") and kind == "toc" for a, b, kind, _ in ifr.blocks)
    assert "Commissioning policy: individual funding requests" in [ifr.text[a:b] for a, b, k, _ in ifr.blocks if k == "title"]


def test_blocks_cover_the_text() -> None:
    for name in (IFR, SOP, "dosing-guidance.pdf"):
        d = doc(name)
        covered = sum(b - a for a, b, _, _ in d.blocks)
        separators = len(d.text) - covered
        assert separators <= 2 * len(d.blocks) and all(d.text[a:b].strip() for a, b, _, _ in d.blocks)


# --- characters: ligatures, hyphenation, two columns --------------------------------------------

def test_ligatures_and_hyphenation() -> None:
    d = doc("dosing-guidance.pdf")
    assert not re.search("[\ufb00-\ufb06\u00ad\x02]", d.text)
    for word in ("efficacy", "Difficult", "Official", "affordability", "first"):
        assert word in d.text
    # LibreOffice hyphenated "restart" and "pharmacist" at line ends; "sick-day" keeps its hyphen.
    assert "and to restart it before discharge" in d.text and "re-start" not in d.text
    assert "advice from their pharmacist." in d.text and "sick-day advice" in d.text


def test_join_hyphenated_uses_the_documents_own_words() -> None:
    assert join_hyphenated("treat-", "ment", set()) == "treatment"
    assert join_hyphenated("long-", "term", {"long-term"}) == "long-term"
    assert join_hyphenated("evidence-", "based", {"evidence", "based"}) == "evidence-based"
    assert join_hyphenated("co-", "operation", {"cooperation"}) == "cooperation"
    assert join_hyphenated("NHS-", "England", set()) is None  # a capital after the hyphen: not a broken word
    assert list_marker("o", 8.0, 11.0) == "•" and list_marker("o", 2.0, 11.0) is None and list_marker("2023.", 3, 11) is None


def test_two_columns_read_left_column_first() -> None:
    text = doc("dosing-guidance.pdf").text
    left = text.index("Left column first paragraph. People starting treatment should be given the patient information leaflet")
    right = text.index("Right column material follows. A person who becomes unwell with vomiting or diarrhoea")
    assert left < right < text.index("This guidance will be reviewed in December 2027")


# --- labels, metadata ------------------------------------------------------------------------------

def test_printed_labels() -> None:
    assert doc("nhs-style-policy.pdf").label_of(2) == "1"
    assert [label for _, _, label in doc(INSULIN).pages] == ["1", "2", "3", "4"]
    assert doc(SOP).label_of(2) == "1" and doc(SOP).label_of(20) == "19"


def test_pdf_page_labels_win(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "dosing-guidance.pdf"))
    writer.set_page_label(0, 0, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(1, 2, style=PageLabelStyle.DECIMAL, start=1)
    out = io.BytesIO()
    writer.write(out)
    assert [label for _, _, label in extract(out.getvalue()).pages] == ["i", "1", "2"]


def test_info_and_json_round_trip() -> None:
    d = doc(IFR)
    assert d.info["author"] == "Thomas Waterman" and d.info["created"] == "2023-02-08T11:32:23+00:00"
    assert PdfText.from_json(d.to_json()) == d
    assert "<table>" in d._repr_html_()


# --- page images -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [IFR, INSULIN, "dosing-guidance.pdf", "nhs-style-policy.pdf"])
def test_every_quote_is_found_on_its_page(name: str) -> None:
    raw = (FIXTURES / name).read_bytes() if (FIXTURES / name).is_file() else _real(name)
    d = doc(name)
    checked = 0
    for a, b, kind, _ in d.blocks[::3]:
        if kind in ("toc",):
            continue
        quote = d.text[a:b][:160].rsplit(" ", 1)[0] if b - a > 160 else d.text[a:b]
        page = d.page_at(a)
        assert quote_boxes(raw, page, quote), f"not found on page {page}: {quote!r}"
        checked += 1
    assert checked >= 5


def _yellow_pixels(image: object) -> int:
    data = image.tobytes()  # type: ignore[attr-defined]
    return sum(1 for i in range(0, len(data), 3) if data[i] > 220 and data[i + 1] > 200 and data[i + 2] < 170)


def test_render_highlights_a_quote_over_two_pages() -> None:
    from PIL import Image

    raw = _real(IFR)
    quote = ("the question is whether there is sufficient justification, including consideration of factors "
             "such as clinical effectiveness of the treatment in question")
    first, second = quote_boxes(raw, 10, quote), quote_boxes(raw, 11, quote)
    assert "".join(b.text for b in first).startswith("thequestion") or "".join(b.text for b in first).startswith("the")
    assert "".join(b.text for b in second).startswith("including")
    png = render_page(raw, 11, quote, width_px=600)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 600
    yellow = _yellow_pixels(image)
    assert yellow > 500
    plain = Image.open(io.BytesIO(render_page(raw, 11, None, width_px=600))).convert("RGB")
    assert _yellow_pixels(plain) < yellow / 10
    with pytest.raises(PdfTextError, match="out of range"):
        render_page(raw, 99)


# --- scanned pages -----------------------------------------------------------------------------------

def _scanned_pdf(raw: bytes, page: int, with_text_page: bool) -> bytes:
    """A real page rendered to an image and wrapped back into a PDF (Pillow), after a text page if asked."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(raw)
    image = source[page - 1].render(scale=200 / 72).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, format="PDF", resolution=200.0)
    if not with_text_page:
        return scan.getvalue()
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(source, [0])
    mixed.import_pages(pdfium.PdfDocument(scan.getvalue()))
    out = io.BytesIO()
    mixed.save(out)
    return out.getvalue()


def test_scanned_page_without_tesseract_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tesseract's absence is simulated by a PATH without it."""
    raw = (FIXTURES / "dosing-guidance.pdf").read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NoTextLayerError, match="OCR needed, install tesseract-ocr"):
        extract(_scanned_pdf(raw, 2, with_text_page=False))
    mixed = extract(_scanned_pdf(raw, 2, with_text_page=True))
    assert mixed.warnings == ["page 2 of 2 has no text layer and was skipped (OCR needed: install tesseract-ocr)"]
    assert [p for _, p, _ in mixed.pages] == [1] and mixed.ocr_pages == []
    with pytest.raises(PdfTextError, match="tesseract"):
        extract(raw, ocr=True)
    assert isinstance(NoTextLayerError("x"), ValueError)


@pytest.mark.skipif(not HAS_TESSERACT, reason="needs Debian's tesseract-ocr")
def test_scanned_page_is_ocred_when_tesseract_is_there() -> None:
    raw = (FIXTURES / "dosing-guidance.pdf").read_bytes()
    mixed_raw = _scanned_pdf(raw, 2, with_text_page=True)
    mixed = extract(mixed_raw)
    assert mixed.ocr_pages == [2] and [p for _, p, _ in mixed.pages] == [1, 2]
    page2 = mixed.text[mixed.pages[1][0]:]
    assert "Dapagliflozin" in page2 and "Monitoring" in page2 and "10 mg once daily" in page2
    assert "Page 2 of 3" not in page2  # the scan's footer is not body text either
    assert quote_boxes(mixed_raw, 2, "The table gives the licensed doses for adults.")
