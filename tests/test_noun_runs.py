"""Issue 14, fifteenth pass (w25-support): a verb or a participle glued to a noun is no part of the thing a question
names, so one paraphrased noun ("trust" for "provider") is not a two-word thing the documents never name.
Made-up texts; no dev-set question."""

from __future__ import annotations

import pytest
from conftest import make_passage, whole_candidates

from assistant.answering.answerability import constrained
from assistant.answering.asked_things import asked_things
from assistant.answering.constraints import ASKING, GENERIC
from assistant.answering.noun_runs import ends_noun_run, starts_clause

SKIP = ASKING | GENERIC


def _things(question: str) -> list[str]:
    return [text for text, _ in asked_things(question, SKIP)]


@pytest.mark.parametrize(
    ("word", "following", "starts"),
    [
        ("running", "a", True),  # "a clinic running a deficit"
        ("leading", "the", True),  # "the person leading the review"
        ("monitoring", None, False),  # "equality monitoring?": the question's end does not tell
        ("parking", "at", False),  # "staff parking at the hospital"
        ("parking", "charges", False),  # "car parking charges": a gerund inside a compound
        ("funding", "the", False),  # a noun in -ing
        ("goes", "into", True),
        ("took", None, True),
        ("spend", None, False),  # "agency spend": as often a noun
        ("uses", "the", False),
        ("deficit", None, False),
    ],
)
def test_starts_clause(word: str, following: str | None, starts: bool) -> None:
    assert starts_clause(word, following) is starts


def test_ends_noun_run_unchanged_for_focus() -> None:
    # the focus of a figure question keeps its older, looser rule: any -ing participle or common verb ends the run
    assert [ends_noun_run(w) for w in ("parking", "spend", "funding", "goes", "ward")] == [True, True, False, True, False]


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("What is the lowest band a clinic running a deficit can be put in?", ["lowest band"]),
        ("Who decides whether a failing clinic goes into the special measures scheme?", ["failing clinic", "special measures scheme"]),
        ("Which person leading the audit signs the report?", ["audit signs"]),
        # compounds and plain two-noun things are kept: a near-miss keeps its guard
        ("What car parking charges apply to visitors?", ["car parking charges apply"]),
        ("What flu jab uptake did porters reach?", ["flu jab uptake"]),
        ("What agency spend ceiling applies this year?", ["agency spend ceiling applies"]),
    ],
)
def test_asked_things_end_at_a_clause(question: str, things: list[str]) -> None:
    assert _things(question) == things


def test_paraphrased_noun_with_a_glued_verb_is_answered_and_a_missing_thing_still_refused() -> None:
    text = ("Oversight rules. Any provider that reports a deficit will have its band lowered to 3. "
            "Providers in band 4 may be offered extra support by the regional team.")
    passages = [make_passage(text, source="rules.md", title="Oversight rules"),
                make_passage("Clinics are reviewed every year by the board.", source="other.md", title="Other")]
    candidates = whole_candidates(passages)
    deficit = 0
    # "clinic running" is not a thing the documents must name: "clinic" alone may be their "provider"
    assert constrained("What band is a clinic running a deficit given?", candidates, passages)[deficit]
    # "dental practice" is still a two-word thing no word of which the rules name
    assert not constrained("What band is a dental practice running a deficit given?", candidates, passages)[deficit]
