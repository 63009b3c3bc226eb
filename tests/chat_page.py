"""The chat in a real browser: open it, ask a question, watch the answer arrive (not a test module).

Shared by tests/test_browser.py (behaviour) and benchmarks/ui_latency.py (Enter → first words).
Playwright drives Debian's chromium; nothing here downloads a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Records, in the page, when Enter is pressed in the question box, when the newest bot message first
# shows answer text (not the "Searching" placeholder) and when it last changed, plus every text it
# shows on the way. Times are the page's performance.now() (milliseconds).
WATCH_JS = """
() => {
  const lat = {enter: null, first: null, last: null, texts: []};
  window.__lat = lat;
  const box = document.querySelector('#question textarea');
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey && lat.enter === null) lat.enter = performance.now(); }, true);
  const before = document.querySelectorAll('#chat [data-testid="bot"]').length;
  const look = () => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    if (lat.enter === null || bots.length <= before) return;
    const text = bots[bots.length - 1].innerText.trim();
    if (!text || text.includes('Searching the documents')) return;
    if (lat.first === null) lat.first = performance.now();
    if (lat.texts[lat.texts.length - 1] !== text) { lat.texts.push(text); lat.last = performance.now(); }
  };
  new MutationObserver(look).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
}
"""

# True once the newest bot message is a finished answer: linked [n] markers or a refusal's quote
# block, or text that is neither the placeholder nor a partial answer (which ends in "…").
ANSWERED_JS = """
(n) => { const bots = document.querySelectorAll('#chat [data-testid="bot"]');
         if (bots.length <= n) return false;
         const last = bots[bots.length - 1];
         return last.querySelector('a[href^="#src-"], blockquote') !== null
                || (/\\S/.test(last.innerText) && !/Searching the documents|…$/.test(last.innerText.trim())); }
"""


def open_chat(browser: Any, url: str, width: int = 1280, height: int = 800) -> Any:
    """A new page on the chat, once the index status has loaded."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(120_000)  # answers take seconds on a busy 2-core machine
    page.goto(url)
    page.wait_for_selector("#question textarea")
    page.wait_for_function("document.querySelector('#index-status')?.innerText.includes('Index:')")
    return page


def ask(page: Any, question: str) -> dict[str, Any]:
    """Type a question, press Enter, wait for the finished answer; returns the in-page record (``WATCH_JS``)."""
    page.evaluate(WATCH_JS)
    bots = page.locator('#chat [data-testid="bot"]').count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(ANSWERED_JS, arg=bots)
    return page.evaluate("window.__lat")
