"""Where the best quote's paragraph stops (``tails``, ``pointers.points_elsewhere``, ``context.continuation``'s
``ends``): a quote that already states the quantity asked for, and a next sentence that only says where more is.
Made-up texts."""

from __future__ import annotations

import numpy as np

from assistant.answering.context import ScoredSentence, continuation
from assistant.answering.extractive import NEXT_CREDIT, REPEAT_MARGIN, select_sentences
from assistant.answering.pointers import points_elsewhere
from assistant.answering.tails import asks_quantity, cut_short, states_quantity
from assistant.text.sentences import split_sentences


def test_a_what_or_which_question_asking_for_a_measure_noun_asks_a_quantity() -> None:
    assert asks_quantity("Which catheter length does the society consider safest for infants?")
    assert asks_quantity("What is the frequency of the review board's meetings?")
    assert asks_quantity("What price limit per pack did the region set in 2021?")
    assert asks_quantity("What is the maximum term of office for a lay governor?")
    assert asks_quantity("What is the trust's current rate of missed appointments?")


def test_other_what_or_which_questions_do_not() -> None:
    assert not asks_quantity("Which tier do hospitals enter once they join the recovery scheme?")
    assert not asks_quantity("What planning horizon does the strategy move boards towards?")
    assert not asks_quantity("What does the policy limit?")  # a verb after an auxiliary
    assert not asks_quantity("What term describes a patient who cannot be identified?")  # "term" as a word
    assert not asks_quantity("How should a clinic reduce the rate of missed appointments?")


def test_a_number_or_frequency_is_a_quantity_but_a_year_or_the_paragraph_number_is_not() -> None:
    assert states_quantity("The board will normally meet three times a month.")
    assert states_quantity("Clinics should only buy catheters that cost <£7 per pack.")
    assert states_quantity("Reviews are held annually.")
    assert not states_quantity("In 2021 the region advised clinics to review their purchasing.")
    assert not states_quantity("12. Board meetings are scheduled in a rolling programme for 2024/25.")


def test_a_sentence_that_names_an_appendix_annex_or_paragraph_points_elsewhere() -> None:
    assert points_elsewhere("The terms of reference for the board are in Appendix four.")
    assert points_elsewhere("A further provision on re-appointment is set out at paragraph 4.12")
    assert points_elsewhere("Please read this handbook alongside the technical guide.")
    assert not points_elsewhere("Members are more likely to favour a named patient (see paragraphs 9-11).")
    assert not points_elsewhere("If the board is split, the chair has the casting vote.")


TEXT = ("The board meets three times a month. Meetings will have adequate breaks. Its terms of reference are in "
        "Appendix two. Minutes are kept.\n")


def test_continuation_stops_at_a_sentence_that_ends_it() -> None:
    cands = [(0, a, b, TEXT[a:b]) for a, b in split_sentences(TEXT)]
    before: list[int | None] = [None, *range(len(cands) - 1)]

    def run(best: int, ends: bool) -> list[str]:
        found = continuation(best, before, cands, [0.8] * len(cands), lambda i, j: TEXT[cands[i][2]:cands[j][1]],
                             0.3, 3, 60, (lambda k: points_elsewhere(cands[k][3])) if ends else lambda _: False)
        return [cands[k][3] for k in found]

    assert run(1, ends=False) == [cands[2][3], cands[3][3]]
    assert run(1, ends=True) == []  # "... are in Appendix two." only says where more is; what follows it is not taken
    assert run(0, ends=True) == [cands[1][3]]


def test_a_sentence_cut_off_by_its_passage_end_is_cut_short() -> None:
    assert cut_short("The Mental Health Act 1983", "")
    assert cut_short("The Mental Health Act 1983", "  \n")
    assert not cut_short("The Act requires councils to assess carers.", "")
    assert not cut_short("These include phone triage and online booking", "\n• next item")  # an item with no full stop
    assert not cut_short("He said the service was ‘outstanding.’", "")


def test_the_sentence_after_a_best_that_states_the_quantity_asked_gets_no_credit_for_following_it() -> None:
    texts = ["The society recommends a 4mm catheter for all ages.", "Shorter catheters help to prevent injury.", "Other."]
    best = 0.8
    supports = [best, best - REPEAT_MARGIN - NEXT_CREDIT / 2, 0.1]
    scored = [ScoredSentence(0, 100 * i, 100 * i + len(t), t, s, s, s) for i, (t, s) in enumerate(zip(texts, supports))]
    no_gain = lambda chosen, i: 0.0  # noqa: E731
    follows: list[int | None] = [None, 0, 1]
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain, before=follows) == [0, 1]
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain, before=follows, complete=states_quantity) == [0]
    # a best sentence without the quantity keeps the credit ("If no consensus is reached, ...")
    plain = [ScoredSentence(0, 0, 10, "The society recommends short catheters.", best, best, best), *scored[1:]]
    assert select_sentences(plain, np.eye(3), 3, 0.3, gain=no_gain, before=follows, complete=states_quantity) == [0, 1]
