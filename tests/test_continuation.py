"""The best sentence's paragraph or list item going on with the detail that answers (``context.continuation``).

"If leakage occurs, injection technique should be reviewed. The patient should count to 10 before withdrawing the
needle." holds the question's words in the first sentence and the answer in the second. Made-up texts.
"""

from __future__ import annotations

from assistant.answering.context import continuation
from assistant.text.sentences import split_sentences

TEXT = (
    "• If leakage occurs with short needles, technique should be reviewed. The patient should count to 10 before "
    "withdrawing the needle. Larger doses may be split between sites.\n"
    "• Patients should use up old needles first.\n"
    "7. Requests are screened weekly. The panel meets monthly:\n"
    "a) in person\n"
)


def _candidates(text: str) -> list[tuple[int, int, int, str]]:
    return [(0, a, b, text[a:b]) for a, b in split_sentences(text)]


def _chain(candidates: list[tuple[int, int, int, str]]) -> list[int | None]:
    return [None, *range(len(candidates) - 1)]


def _run(best: int, supports: list[float], floor: float = 0.3, limit: int = 2, words: int = 60) -> list[str]:
    cands = _candidates(TEXT)
    found = continuation(best, _chain(cands), cands, supports, lambda i, j: TEXT[cands[i][2]:cands[j][1]], floor, limit, words)
    return [cands[k][3] for k in found]


def test_the_sentences_after_the_best_in_its_item_are_taken_while_they_say_something_about_the_question() -> None:
    cands = _candidates(TEXT)
    assert cands[1][3].startswith("The patient should count")
    assert _run(0, [0.8, 0.4, 0.35, 0.5, 0.5, 0.5, 0.5]) == [cands[1][3], cands[2][3]]
    # a sentence about something else ends the run
    assert _run(0, [0.8, 0.4, 0.1, 0.5, 0.5, 0.5, 0.5]) == [cands[1][3]]


def test_the_next_item_or_paragraph_is_not_a_continuation() -> None:
    # the item ends at the line break: the next bullet is another item, whatever its support
    assert _run(2, [0.8, 0.4, 0.8, 0.9, 0.9, 0.9, 0.9]) == []


def test_a_lead_in_brings_its_list_elsewhere_and_is_not_continued_into() -> None:
    cands = _candidates(TEXT)
    assert cands[4][3].startswith("7. Requests are screened")
    assert _run(4, [0.5] * len(cands)) == []  # the next sentence is a lead-in ("... monthly:")
    assert _run(5, [0.5] * len(cands)) == []  # a lead-in's items are its list, not its continuation


def test_a_long_paragraph_is_not_quoted_whole() -> None:
    cands = _candidates(TEXT)
    assert _run(0, [0.8, 0.4, 0.4, 0.5, 0.5, 0.5, 0.5], limit=1) == [cands[1][3]]
    assert _run(0, [0.8, 0.4, 0.4, 0.5, 0.5, 0.5, 0.5], words=5) == []
