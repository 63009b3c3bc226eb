"""A payment, price or charge asked for is a sum of money (``answering.answer_kinds``)."""

from __future__ import annotations

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import answer_type_match


@pytest.mark.parametrize(("question", "kind"), [
    ("What payment per patient do practices get for joining the scheme?", "money"),
    ("What price limit applies to lancets?", "money"),
    ("What charge applies to visitors?", "money"),
    ("What are the payment arrangements for elective care?", None),  # "payment" modifies what is asked
])
def test_a_payment_or_price_asked_for_is_a_sum(question: str, kind: str | None) -> None:
    assert answer_kind(question) == kind


def test_a_payment_question_is_not_met_by_a_sentence_without_a_sum() -> None:
    question = "What payment per patient do practices get for joining the scheme?"
    assert not answer_type_match(question, "Practices should identify where demand is above capacity.")
    assert answer_type_match(question, "Practices receive £1.50 per registered patient.")
