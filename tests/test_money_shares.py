"""Issue 14, twelfth pass (w20-nearmiss): a percentage answers "how much was spent" only in a sentence about money.
Made-up texts; no dev-set question."""

from __future__ import annotations

from assistant.answering.constraints import typed_matches
from assistant.answering.money_shares import is_percentage, names_money

SPEND = "How much did the Trust spend on locum porters in 2021/22?"


def test_a_share_of_something_else_holds_no_sum() -> None:
    assert typed_matches(SPEND, "The Trust saw 12% more visits and has 9% more porters.") == []
    assert typed_matches(SPEND, "Locum porter numbers fell by a third, by 33%.") == []


def test_a_share_in_a_sentence_about_money_holds_one() -> None:
    sentence = "Locum spending fell by 12% on the year."
    assert [sentence[a:b] for a, b in typed_matches(SPEND, sentence)] == ["12%"]
    sentence = "It spent £4.2 million, 3% of total pay."
    assert "£4.2 million" in [sentence[a:b] for a, b in typed_matches(SPEND, sentence)]


def test_names_money_and_is_percentage() -> None:
    assert names_money("Real terms costs rose by 3.9%.") and names_money("a £5 limit")
    assert not names_money("Porter numbers rose by 4.0% in the first half of the year.")
    assert is_percentage("3.9%") and is_percentage("12 per cent") and not is_percentage("£3.9 million")
