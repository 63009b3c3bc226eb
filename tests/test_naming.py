"""Which indexed documents a question names (retrieval/naming.py), and the passages it is then answered from.

The names come from each document's own metadata (title, file name, publisher, kind), so the catalogues here mix
titles of the development corpus with others no question was written for."""

from __future__ import annotations

import pytest
from conftest import make_passage

from assistant import Assistant
from assistant.retrieval.naming import DocName, from_named, mentions, named_documents, named_in_asking

DOCS = [
    DocName("mtpf.md", "Medium term planning framework – delivering change together 2026/27 to 2028/29",
            publisher="NHS England"),
    DocName("pf.md", "Planning framework for the NHS in England (Version 1)", publisher="NHS England"),
    DocName("pg.md", "2025/26 priorities and operational planning guidance (PRN01625)", publisher="NHS England"),
    DocName("nh.md", "Neighbourhood health guidelines 2025/26", publisher="NHS England"),
    DocName("tyhp.md", "Fit for the Future: 10 Year Health Plan for England – Executive Summary", publisher="DHSC"),
    DocName("ifr-policy.pdf", "Commissioning policy: individual funding requests", publisher="NHS England"),
    DocName("ifr-sop.pdf", "Standard operating procedures: individual funding requests", publisher="NHS England"),
    DocName("NHS-Cambridgeshire-and-Peterborough-constitution-V1.6---Approved.docx",
            "NHS Cambridgeshire and Peterborough ICB constitution", publisher="NHS Cambridgeshire and Peterborough ICB"),
    DocName("Hewitt.txt", "Hewitt Review and Health and Social Care Select Committee report on integrated care system "
            "autonomy and accountability", publisher="NHS England", kind="letter"),
    DocName("safeguarding.pdf", "Safeguarding adults policy", publisher="NHS Kent and Medway ICB"),
    DocName("abx.pdf", "Antimicrobial prescribing guideline for lower urinary tract infection", publisher="NICE"),
    DocName("wound_care_formulary_2024.pdf", "Wound care formulary", publisher="NHS Norfolk and Waveney ICB"),
]


def named(question: str, docs: list[DocName] = DOCS) -> list[str]:
    return sorted(n.key for n in named_documents(question, docs))


@pytest.mark.parametrize("question, keys", [
    ("How many new community diagnostic centres does the medium term planning framework commit to opening?", ["mtpf.md"]),
    ("What does the Medium Term Planning Framework say about Category 2 response times?", ["mtpf.md"]),
    ("Under the planning framework for the NHS in England, when does accountability transfer?", ["pf.md"]),  # the whole title
    ("What does the 2025/26 priorities and operational planning guidance aim for?", ["pg.md"]),
    ("According to the neighbourhood health guidelines, who are the cohorts?", ["nh.md"]),
    ("Does the neighbourhood health guidance define carers?", ["nh.md"]),  # guidance for guidelines
    ("What elective standard does the 10 Year Health Plan restore?", ["tyhp.md"]),
    ("Under the IFR policy, who considers a review?", ["ifr-policy.pdf"]),  # IFR: the initials of the title's words
    ("What does the IFR SOP say about late replies?", ["ifr-sop.pdf"]),  # the longer name wins over "IFR" alone
    ("Do the IFR documents agree on the panel?", ["ifr-policy.pdf", "ifr-sop.pdf"]),
    ("Do the IFR policy and the IFR SOP agree on the panel?", ["ifr-policy.pdf", "ifr-sop.pdf"]),
    ("What does the ICB constitution say about the Chair's terms?", [
        "NHS-Cambridgeshire-and-Peterborough-constitution-V1.6---Approved.docx"]),
    ("Who signed NHS England's letter on the Hewitt Review?", ["Hewitt.txt"]),
    ("Who must be told first under the Kent and Medway safeguarding adults policy?", ["safeguarding.pdf"]),
    ("What does the SAP say about consent?", ["safeguarding.pdf"]),  # an acronym of the title
    ("Which antibiotic does the NICE antimicrobial prescribing guideline recommend first?", ["abx.pdf"]),
    ("Which dressing does the wound care formulary list for burns?", ["wound_care_formulary_2024.pdf"]),
])
def test_a_question_names_the_document_its_words_call_by_its_title(question: str, keys: list[str]) -> None:
    assert named(question) == keys


@pytest.mark.parametrize("question", [
    "What does the NHS guidance say about waiting times?",  # generic words name nothing
    "What does the policy say about appeals?",
    "What is in the plan for 2025/26?",
    "What does the planning framework say about five-year plans?",  # two frameworks, and only generic words
    "What is a neighbourhood health centre?",  # a topic, not a document: no word for a document beside it
    "How many community diagnostic centres will be open by March 2025?",
    "What constitutional standard applies to elective waits?",  # "constitutional" is no constitution
    "How are individual funding requests decided?",  # the IFR documents' subject, not their name
    "What should be in board-approved plans?",  # "Approved" in a file name is its status
])
def test_generic_words_and_topics_name_no_document(question: str) -> None:
    assert named(question) == []


def test_a_phrase_many_documents_share_names_none_of_them() -> None:
    docs = [DocName(f"g{i}.pdf", f"{area} operational planning guidance 2025/26") for i, area in
            enumerate(("Norfolk", "Suffolk", "Essex"))]
    assert named("What does the operational planning guidance say about beds?", docs) == []
    assert named("What does the Suffolk operational planning guidance say about beds?", docs) == ["g1.pdf"]


def test_a_document_is_named_by_its_file_name_too() -> None:
    docs = [DocName("nhse_productivity_update.md", "NHS productivity – NHS England Board paper, agenda item 5")]
    assert named("How many networks does the productivity update say were set up?", docs) == ["nhse_productivity_update.md"]


def test_another_document_that_quotes_the_named_one_by_name_mentions_it() -> None:
    naming = named_documents("What does the 10 Year Health Plan say about dentists?", DOCS)[0]
    assert mentions("As the 10 Year Health Plan sets out, we will recruit more dentists.", naming)
    assert not mentions("We will recruit more dentists over the next ten years.", naming)
    ifr = named_documents("Under the IFR policy, who considers a review?", DOCS)[0]
    assert mentions("The IFR policy says a review is considered by a consultant.", ifr)  # the question's own words


def test_a_question_naming_a_document_is_answered_from_it_and_from_what_quotes_it_by_name() -> None:
    namings = named_documents("How many new community diagnostic centres does the medium term planning framework "
                              "commit to opening?", DOCS)
    other = make_passage("170 community diagnostic centres will be open by March 2025.", source="nh.md")
    quoting = make_passage("The medium term planning framework sets out diagnostics plans.", source="pg.md")
    same_doc = make_passage("Diagnostic capacity will grow.", source="pg.md", start=900)  # no name: not a quote
    own = [make_passage(f"Diagnostics section {i}.", source="mtpf.md", start=100 * i) for i in range(5)]
    named, quotes = from_named([other, quoting, own[0], same_doc], own, namings, 5)
    assert [p.source for p in named] == ["mtpf.md"] * 4 and named[0] is own[0]  # the retrieved one first
    assert len({(p.start, p.text) for p in named}) == 4  # no passage twice
    assert quotes == [quoting]  # the other document's passages never
    assert from_named([other, own[0]], own, namings, 5) == (own, [])


def test_a_document_of_another_kind_than_the_question_says_is_its_subject_not_it() -> None:
    # the catalogue says 004 is a letter: "the Hewitt review" is the review it is about (not indexed)
    assert named("Whose expertise will the full Hewitt review draw on?") == []
    assert named("What does NHS England's letter on the Hewitt Review say about oversight?") == ["Hewitt.txt"]
    kindless = [DocName("Hewitt.txt", DOCS[8].title)]  # no kind given: nothing to tell them apart
    assert named("Whose expertise will the full Hewitt review draw on?", kindless) == ["Hewitt.txt"]


def test_an_acronym_with_a_standard_meaning_is_not_a_title_s_initials() -> None:
    docs = [DocName("pg.md", "2025/26 priorities and operational planning guidance (PRN01625)")]
    assert named("How many GP consultations are about debt?", docs) == []  # not "Guidance (PRN01625)"


def test_a_preamble_naming_another_document_leaves_the_question_to_both() -> None:
    question = ("The neighbourhood health guidelines promised 170 centres. What does the medium term planning framework "
                "say about diagnostics?")
    asked = "What does the medium term planning framework say about diagnostics?"
    assert named_in_asking(question, asked, DOCS) == []
    alone = named_in_asking(asked, asked, DOCS)
    assert [n.key for n in alone] == ["mtpf.md"]
    same = "The medium term planning framework is long. What does the medium term planning framework say about beds?"
    beds = "What does the medium term planning framework say about beds?"
    assert [n.key for n in named_in_asking(same, beds, DOCS)] == ["mtpf.md"]
    other = "NHS England's Hewitt-response letter promised X. What does the medium term planning framework say about beds?"
    assert named_in_asking(other, "What does the medium term planning framework say about beds?", DOCS) == []
    framework = ("The September 2025 planning framework expected medium term plans in December. When does the medium "
                 "term planning framework say plans are due?")
    due = "When does the medium term planning framework say plans are due?"
    assert named_in_asking(framework, due, DOCS) == []  # "medium term plans" is not the framework it speaks of
    plain = "Beds are scarce. What does the medium term planning framework say about beds?"  # background, no document
    assert [n.key for n in named_in_asking(plain, beds, DOCS)] == ["mtpf.md"]


def test_the_assistant_answers_a_named_document_s_question_from_it_or_refuses(seed_assistant: Assistant) -> None:
    # the SOP says what happens after 10 working days without a reply; the commissioning policy does not
    sop = seed_assistant.ask("What does the IFR SOP say happens if the requester does not respond within 10 working days?")
    assert not sop.refused and "closed" in sop.text
    assert {c.source for c in sop.citations} == {"Standard-operating-procedures-individual-funding-requests-February-2023.pdf"}
    policy = seed_assistant.ask("According to the IFR commissioning policy, what happens if the requester does not "
                                "respond within 10 working days?")
    assert policy.refused or "closed" not in policy.text
