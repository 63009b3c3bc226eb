"""A sentence naming the asked thing only as another kind does not give its amount (``constraints`` checks an amount
question's qualifiers with ``sibling_kinds.sibling_of``, the one sibling check)."""

from assistant.answering.constraints import question_constraints, unmet_constraints
from assistant.answering.sibling_kinds import sibling_of


def other_kind(qualifier: str, head: str, sentence: str) -> bool:
    """The check as ``constraints.meets`` makes it for one qualifier (a stem) of one head (a stem)."""
    return sibling_of([(qualifier, qualifier, head)], sentence) is not None


def test_another_kind_of_the_head_is_a_conflict():
    assert other_kind("local", "headcount", "reducing central headcount by 50%")
    assert other_kind("mental", "trust", "expenditure by acute trusts rose 3.9%")


def test_the_qualifier_anywhere_in_the_sentence_or_a_bare_mention_is_no_conflict():
    assert not other_kind("local", "headcount", "local authority headcount will fall by 10%")
    assert not other_kind("local", "headcount", "the headcount will fall by 10%")
    assert not other_kind("dementia", "target", "The national target remains 66.7%.")
    assert not other_kind("dementia", "target", "the 18-week target is 65%")  # a number narrows nothing here
    assert not other_kind("local", "headcount", "reducing spending by 50%")  # no head: not this rule's business


def test_only_amount_questions_in_one_part_are_exclusive():
    amount = question_constraints("By how much will local authority headcount be reduced?")
    assert all(c.exclusive for c in amount if c.kind == "qualifier") and amount
    dated = question_constraints("When are final plans due?")
    assert not any(c.exclusive for c in dated)
    two = question_constraints("How many declared interests are kept, and how long are historic records kept?")
    assert not any(c.exclusive for c in two)


def test_unmet_reports_the_qualifier_for_another_kind():
    q = "By how much will local authority headcount be reduced?"
    assert unmet_constraints(q, "reducing central headcount by 50%", "Local government and the NHS ...")
    assert not unmet_constraints(q, "Local authority headcount will be reduced by 10%.")


def test_a_compound_cut_by_a_page_break_is_the_same_kind():
    """"Block-" ends one page and "chain market size ..." opens the next: "chain" is the asked "blockchain" cut in two."""
    q = "What is the projected growth rate of the blockchain market from 2020 to 2025?"
    sentence = "chain market size is expected to grow from USD 3.0 billion in 2020 to USD 39.7 billion in 2025, at a CAGR of 67.3%."
    assert not other_kind("blockchain", "market", sentence)
    passage = f"{sentence} As organizations have started to explore and experiment with blockchain's potential ..."
    assert not unmet_constraints(q, sentence, passage)
    assert other_kind("blockchain", "market", "the equity market grew 5% in 2025")


def test_a_non_word_is_its_own_kind_in_a_question_and_in_a_sentence():
    q = "How many non-executive members does the ICB appoint?"
    assert not unmet_constraints(q, "The ICB will appoint five Non-executive Members.")
    assert unmet_constraints("How many executive members does the ICB appoint?", "The ICB will appoint five Non-executive Members.")
