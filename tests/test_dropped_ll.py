"""The "ll" that PDF-to-text conversion dropped ("wil be", "col aboration"), put back at loading (pure; the real
word list of the embedding model package, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.questions import contains_evidence
from assistant.evaluation.scores import must_include_coverage
from assistant.ingest.loaders.dropped_ll import is_damaged, restore_ll, vocabulary
from assistant.ingest.loaders.markdown import parse as parse_markdown

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus-nhs"

DAMAGED = [
    "We wil continue to refine specific requirements and ways of working in col aboration with you.",
    "ICBs wil be expected to refresh these plans annual y as part of a rol ing five-year planning horizon.",
    "Al organisations wil be asked to prepare plans; the NHS App saved £249 mil ion, as wel as 2 mil ion hours.",
    "It wil receive a score of 0 and the metric wil not contribute to the organisation’s overal score.",
]


def test_a_damaged_text_reads_whole_again() -> None:
    fixed = restore_ll(DAMAGED, vocabulary())
    assert fixed == [
        "We will continue to refine specific requirements and ways of working in collaboration with you.",
        "ICBs will be expected to refresh these plans annually as part of a rolling five-year planning horizon.",
        "All organisations will be asked to prepare plans; the NHS App saved £249 million, as well as 2 million hours.",
        "It will receive a score of 0 and the metric will not contribute to the organisation’s overall score.",
    ]


@pytest.mark.parametrize("line", [
    "As Smith et al found, local government and social care will work with all partners.",
    "Tel: 0300 311 22 33. The pal of a patient may call.",
    "A wil is not a word, nor is al, but one of each is no damage.",
])
def test_text_without_the_damage_is_left_alone(line: str) -> None:
    """Undamaged text: "et al", "Tel:", "local government" and a stray "wil" or "al" stay as they are."""
    assert not is_damaged([line] * 2, vocabulary())
    assert restore_ll([line], vocabulary()) == [line]


def test_a_damaged_word_is_not_mended_into_another_word() -> None:
    """"local government" is two words; "pal iative" no word list knows: neither is joined or half-mended."""
    lines = DAMAGED + ["Adults with pal iative care needs and local government partners."]
    assert restore_ll(lines, vocabulary())[-1] == "Adults with pal iative care needs and local government partners."


def test_without_a_word_list_nothing_changes() -> None:
    assert restore_ll(DAMAGED, frozenset()) == DAMAGED


def test_evidence_and_key_facts_copied_from_either_form_match_the_other() -> None:
    """Quotes in the question files were copied from the damaged text; answers now read the mended one."""
    assert contains_evidence("ICBs will be expected to refresh these plans annually.", "ICBs wil be expected to refresh these plans annual y")
    assert contains_evidence("We wil work in col aboration with you.", "work in collaboration with you")
    assert must_include_coverage("saved £249 million in 2023/24", ["£249 mil ion"]) == 1.0
    assert not contains_evidence("ICBs will refresh plans.", "ICBs will review plans")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus-nhs is not beside the repository")
def test_the_damaged_nhs_documents_are_mended_and_the_clean_ones_untouched() -> None:
    damaged = parse_markdown((SHARED / "nhse_planning_framework_for_the_nhs_in_england_v1.md").read_bytes()).text
    assert " wil " not in damaged and "col aboration" not in damaged and "collaboration" in damaged
    clean_file = SHARED / "nhse_medium_term_planning_framework_2026_27_to_2028_29.md"
    lines = clean_file.read_text(encoding="utf-8").split("\n")
    assert not is_damaged(lines, vocabulary()) and restore_ll(lines, vocabulary()) == lines
