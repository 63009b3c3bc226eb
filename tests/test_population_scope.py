"""A sentence that speaks of another group of the asked group's kind does not answer for it (``populations.another_group``)."""

from assistant.answering.populations import another_group, asked_scoped


def test_asked_scoped_reads_groups_with_a_kind() -> None:
    assert asked_scoped("What price limit applies to pen needles in hospitals?") == ["hospitals"]
    assert asked_scoped("How many adults are in the eligible cohort?") == ["adults"]
    assert asked_scoped("What share of care home residents have complex needs?") == ["care homes"]
    assert asked_scoped("Can it be used during pregnancy?") == []  # pregnancy names the baby: no kind
    assert asked_scoped("What does the plan say about productivity?") == []


def test_another_group_in_the_sentence_or_its_lead_in() -> None:
    lead = "The focus should be supporting adults, children and young people with complex needs.\n"
    assert another_group(["care homes"], lead + "This cohort is around 7% of the population.") == "children"
    assert another_group(["hospitals"], "In primary care, prescribe needles under £3 per 100.") == "general practice"
    assert another_group(["adults"], "Increase access for 345,000 additional CYP aged 0 to 25.") == "children"


def test_the_asked_group_named_anywhere_it_leans_on_answers() -> None:
    assert another_group(["children"], "Support adults, children and young people with complex needs.") is None
    assert another_group(["children"], "Increase access for 345,000 additional CYP.") is None  # by its acronym
    # named only in the section heading: the sentence under it speaks of that group
    assert another_group(["adults"], "Around 220,000 people in primary care are eligible.", "Weight loss for adults") is None
    assert another_group(["hospitals"], "The limit is £3 per 100.", "", "secondary care and primary care") is None
    # older people are adults: a recommendation for adults is one for them; not the other way round
    assert another_group(["older people"], "Offer metformin to adults with type 2 diabetes.") is None
    assert another_group(["adults"], "Offer metformin to frail older people.") == "older people"


def test_a_sentence_naming_no_group_is_read_as_its_document() -> None:
    assert another_group(["hospitals"], "Apollo ProShield | £9.95 | 5mm") is None
    assert another_group(["hospitals"], "Apollo ProShield | £9.95 | 5mm", "", "prescribers in primary care") == "general practice"
    assert another_group(["hospitals"], "Apollo ProShield | £9.95 | 5mm", "", "inpatient wards and primary care") is None


def test_a_person_or_a_way_of_working_is_no_setting() -> None:
    assert asked_scoped("Can a GP send an IFR directly?") == []
    assert another_group(["hospitals"], "The Chair signs it off.", "", "letters are sent when working practices allow") is None


def test_a_group_of_another_kind_is_not_another_group() -> None:
    # hospitals are a setting, adults an age group: a sentence on adults in hospital may answer for hospitals
    assert another_group(["adults"], "Reduce length of stay in hospital beds by 2 days.") is None
    assert another_group(["hospitals"], "Reduce the stay of older people by 2 days.") is None
    # the sentence names a group of another kind only: it is about that group, not read as its document
    assert another_group(["adults"], "Primary care offers 220,000 checks.", "", "children and young people") is None
