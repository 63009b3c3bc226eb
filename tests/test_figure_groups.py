"""A sentence naming two groups answers a figure question only with a figure of the asked one
(``populations.figures_of``, through ``another_group(..., figure=True)``)."""

from assistant.answering.populations import another_group, figures_of

_BOTH = ("reduce the average length of stay in adult acute beds, and improve access to children's services, "
         "to reach 345,000 additional CYP aged 0 to 25 compared to 2019")


def test_a_figure_in_another_groups_clause_is_that_groups() -> None:
    assert another_group(["adults"], _BOTH, figure=True) == "children"
    assert figures_of("adults", ["children"], "For adults, 5%; for children, 10%.") is None
    assert figures_of("children", ["adults"], "For adults, 5%; for children, 10%.") is None
    assert figures_of("adults", ["children"], "Children wait 12 weeks, while adults are seen sooner.") == "children"
    assert figures_of("hospitals", ["general practice"],
                      "Hospitals should cut agency use, and primary care should save £3 million.") == "general practice"


def test_a_figure_of_the_asked_group_or_of_both_answers() -> None:
    assert another_group(["children"], _BOTH, figure=True) is None
    assert figures_of("children", ["adults"], "FIT recommends a 4mm needle for adults and children alike.") is None
    # a figure no group is named before: it may be the asked group's
    assert figures_of("adults", ["children"], "Around 7% of the population, mostly children.") is None
    # years, financial years and paragraph numbers are no figures
    assert figures_of("adults", ["children"], "3.12.7 Adults are seen from 2025/26, and children from 2019.") is None


def test_without_a_figure_question_both_groups_named_answer() -> None:
    assert another_group(["adults"], _BOTH) is None  # "what does the plan say for adults?"
    # the lead-in is not searched for figures: its figure is not the one quoted
    assert another_group(["adults"], "Children: 345,000 more.\nAdults are also a focus.", figure=True) is None
