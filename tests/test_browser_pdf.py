"""A PDF citation's real page in the chat (issue 12), in a real browser: Debian's chromium driven by
Playwright (headless), against ``python app.py`` serving a fresh index of the default corpus (two
seed texts and two NHS England PDFs). Nothing is mocked.

The page image is read back from the browser and checked for highlight-coloured pixels where the
engine finds the quote on that page, and for none elsewhere; the screenshot goes to
``test-artifacts/pdf-page-view.png``. The time from the click to the image is measured by
``benchmarks/page_view.py``, not here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_page import CHROMIUM, CHROMIUM_ARGS, ask, open_chat
from conftest import CORPUS, CORPUS_DOCS
from page_view import click_citation, highlight_share, pdf_citations, quote_pixel_boxes, shown_image, shown_page
from PIL import Image
from test_browser import ARTIFACTS, serve_app

pytestmark = pytest.mark.slow

QUESTION = "What is an individual funding request?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("browser-pdf")
    with serve_app(root, [CORPUS]) as (url, log_path):
        assert f"{CORPUS_DOCS} added" in log_path.read_text(), log_path.read_text()
        yield url, root / "index"


@pytest.fixture(scope="module")
def browser(server: tuple[str, Path]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_a_pdf_citation_shows_its_page_with_the_quote_highlighted(browser: Any, server: tuple[str, Path]) -> None:
    url, index = server
    page = open_chat(browser, url, width=1400, height=1000)
    ask(page, QUESTION)
    cited = pdf_citations(page, 0)
    assert cited, "the answer cites a PDF"
    n, name = cited[0]
    click_citation(page, 0, n)

    quote = " ".join(page.locator(f"#src-0-{n} mark").inner_text().split())
    number = shown_page(page)
    caption = page.inner_text("#page-caption")
    assert f"[{n}] {name}" in caption and "highlighted" in caption
    card_meta = page.locator(f"#src-0-{n} .src-meta").inner_text()
    assert f"p. {number} (printed {number - 1})" in card_meta or f"pp. {number}-" in card_meta  # NHS England prints one lower

    png = shown_image(page)
    width, height = Image.open(io.BytesIO(png)).size
    boxes = quote_pixel_boxes(CORPUS / name, number, quote, width)
    assert boxes, f"the engine finds the quote on page {number}"
    inside, overall = highlight_share(png, boxes), highlight_share(png)
    assert inside > 0.5, f"only {inside:.0%} of the quote's boxes are highlight-coloured"
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes) / (width * height)
    assert overall < area * 1.6 + 0.01, f"highlight colour over {overall:.1%} of the page, the quote covers {area:.1%}"
    assert list((index / "pages").glob("*.png")), "the rendered page is cached beside the index"
    page.locator("#page-view").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "pdf-page-view.png"), full_page=True)

    # Next page: the document's next page, nothing highlighted; previous: back to the quote.
    page.click("#page-next")
    page.wait_for_function(f"document.querySelector('#page-caption')?.innerText.includes('page {number + 1} of')")
    page.wait_for_function("() => { const i = document.querySelector('#page-view img'); return i && i.complete && i.naturalWidth > 0; }")
    assert "highlighted" not in page.inner_text("#page-caption")
    assert highlight_share(shown_image(page)) < 0.002
    page.click("#page-prev")
    page.wait_for_function(f"document.querySelector('#page-caption')?.innerText.includes('page {number} of')")
    assert "highlighted" in page.inner_text("#page-caption")


def test_a_text_citation_keeps_the_text_view_only(browser: Any, server: tuple[str, Path]) -> None:
    url, _ = server
    page = open_chat(browser, url)
    ask(page, "Who was asked to lead the independent review of integrated care systems?")
    cards = page.eval_on_selector_all("#turn-0 .source-card .src-meta", "ms => ms.map(m => m.innerText)")
    text_n = next(i + 1 for i, meta in enumerate(cards) if ".txt" in meta)
    page.locator(f'#chat a[href="#src-0-{text_n}"]').first.click()
    page.locator(f"#src-0-{text_n} mark").wait_for(state="visible")
    page.wait_for_timeout(1500)  # the page view's event has run
    assert page.locator("#page-view img").count() == 0 or not page.locator("#page-view").is_visible()
