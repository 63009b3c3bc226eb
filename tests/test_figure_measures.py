"""A figure question about one kind of a measure is not answered by a figure sitting in another kind's clause
(``sibling_kinds.other_measure``, through ``populations.clause_owner``), and reduction / ambition questions ask for a
figure (``answer_kinds``). Made-up texts."""

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import ASKING, GENERIC, asking_part
from assistant.answering.populations import clause_owner
from assistant.answering.sibling_kinds import asked_kinds, other_measure, post_kinds


def _kinds(question: str) -> list[tuple[str, str, str]]:
    return asked_kinds(asking_part(question), ASKING | GENERIC)


def test_a_figure_in_another_kinds_clause_does_not_answer() -> None:
    kinds = _kinds("What reduction in locum use must every board deliver?")
    assert kinds and kinds[0][0] == "locum"
    # the asked kind is named, but only in a clause without a figure
    assert other_measure(kinds, "Boards should cut porter use by 20%, while locum use should stay level.") is not None
    assert other_measure(kinds, "Boards should cut porter use by 20%; locum use is under review.") is not None


def test_the_asked_kinds_own_figure_keeps_the_sentence() -> None:
    kinds = _kinds("What reduction in locum use must every board deliver?")
    assert other_measure(kinds, "Boards should cut porter use by 20%, and locum use by 15%.") is None
    assert other_measure(kinds, "A 15% reduction in locum use, and a 20% reduction in porter use.") is None
    # a figure no kind is said of keeps it too
    assert other_measure(kinds, "Boards should deliver 15%, with locum use reported monthly.") is None


def test_clause_owner_is_the_groups_mechanism_too() -> None:
    def named(clause: str) -> set[str]:
        return {w for w in ("red", "blue") if w in clause}
    assert clause_owner("red", named, "For blue, 5%; for red, 10%.") is None
    assert clause_owner("red", named, "For blue, 5%, and red is pending.") == "blue"
    assert clause_owner("red", named, "About 5% overall, for blue and red.") is None


def test_ambition_questions_ask_for_a_figure() -> None:
    assert answer_kind("What is the national ambition for clinic attendances next year?") == "figure"
    assert answer_kind("What is the ambition of the plan?") is None
    # "what year-on-year ..." asks for no year
    assert answer_kind("What year-on-year cut in porter spend is expected?") != "date"
    assert answer_kind("What year did the board start?") == "date"
    assert answer_kind("What does the plan say about reduction of harm?") is None


def test_a_change_in_another_thing_gives_no_figure_for_the_asked_one() -> None:
    post = post_kinds("What overall improvement in efficiency must trusts achieve?")
    assert [k[0] for k in post] == ["efficiency"]
    assert other_measure([], "Trusts must cut costs by 2% and achieve a 3% improvement in safety.", None, post) is not None
    assert other_measure([], "Trusts must achieve a 3% improvement in efficiency, and a 2% improvement in safety.",
                         None, post) is None
    # "spend on X": the spend is the measure, X its kind
    post = post_kinds("What reduction in spend on porters is expected?")
    assert [k[0] for k in post] == ["porters"]
    assert other_measure([], "A 10% reduction in spend on cleaners.", None, post) is not None


def test_a_sentence_naming_no_asked_word_is_left_to_the_sentence_rules() -> None:
    # a price row under its heading: "Pen Needle" is not another kind of the asked "safety needle" here
    kinds = _kinds("How much does a box of safety needles cost?")
    assert kinds and kinds[0][0] == "safety"
    assert other_measure(kinds, "Insulin Pen Needle: Brand X | Price: £9.95") is None


def test_use_is_the_measure_not_its_kind() -> None:
    assert post_kinds("What reduction in the use of porter shifts is expected?") == []
    post = post_kinds("What reduction in porter use is expected?")
    # the asked word anywhere in the clause owns its figure ("reduction in spend on porter staffing")
    assert other_measure([], "A 30% reduction in cleaner use, and a 10% reduction in spend on porter staffing.",
                         None, post) is None
