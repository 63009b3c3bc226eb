"""Issue 14, seventh pass: questions a new user asks of real NHS/NICE guidance (populations, medicines, "who").

Pure functions, no model. Made-up questions and passages (none is a dev-set question):

- a population or setting the question asks about (pregnancy, children, care homes) must be one the answering
  sentence's own document covers (``populations``);
- a medicine's generic name in lower case is a name the answer must be about (``medicines``);
- a relative "who" ("a patient who ...") asks for no name, and a lower-case role that acts ("the governance lead
  will ...", "provided by the employer") answers a "who" (``asking_who``);
- the verb after "who <modal>" qualifies nothing ("Who should *supply* ..."), and "X will assume responsibility for
  chairing" says who chairs (``post_holders``).
"""

from __future__ import annotations

from conftest import make_passage, whole_candidates

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.answerability import constrained
from assistant.answering.asking_who import ASKS_WHO
from assistant.answering.constraints import question_constraints, typed_matches, unmet_constraints
from assistant.answering.definitions import answers_heading, defined_term, under_asked_heading
from assistant.answering.medicines import is_medicine
from assistant.answering.populations import asked_groups, covers
from assistant.answering.post_holders import holder_spans
from assistant.text.nhs_acronyms import standard_long_form

# --- populations -------------------------------------------------------------------------------------------------

def test_the_groups_a_question_names_are_found_in_any_of_their_words() -> None:
    assert asked_groups("Can a statin be taken while breast-feeding?") == ["pregnancy"]
    assert asked_groups("Which inhaler for teenagers with asthma?") == ["children"]
    assert asked_groups("Is the review different for residents of nursing homes?") == ["care homes"]
    assert asked_groups("What dose for people aged 80 and over in pregnancy?") == ["pregnancy", "older people"]
    assert asked_groups("What is the maximum dose for adults?") == []


def test_a_group_is_covered_by_another_of_its_words() -> None:
    assert covers(["children"], "For children and adolescents there is no clinical reason to ...")
    assert covers(["children"], "Young people under 18 should be referred.")
    assert covers(["pregnancy"], "Avoid in women who are pregnant or planning a pregnancy.")
    assert not covers(["pregnancy"], "Offer a statin to adults with type 2 diabetes.")
    assert not covers(["older people"], "Use with caution in people taking loop diuretics.")  # no age group named


def test_a_recommendation_for_adults_does_not_answer_a_question_about_pregnancy() -> None:
    question = "What dose of atorvastatin is recommended in pregnancy?"
    passages = [make_passage("Offer atorvastatin 20 mg daily to adults with a 10-year risk of 10% or more.",
                             "lipids.pdf", "Lipid modification")]
    assert constrained(question, whole_candidates(passages), passages) == [False]
    said = [make_passage("Stop atorvastatin 3 months before a planned pregnancy.", "lipids.pdf", "Lipid modification")]
    assert constrained(question, whole_candidates(said), said) == [True]


def test_the_group_may_be_named_anywhere_in_the_sentences_own_document() -> None:
    question = "Can children use the shorter needles?"
    passages = [
        make_passage("For children and adolescents there is no reason for needles longer than 6mm.", "n.pdf", "Needles"),
        make_passage("Shorter needles are suitable for all people regardless of their BMI.", "n.pdf", "Needles", start=200),
        make_passage("Shorter needles reduce the risk of injection into muscle.", "other.pdf", "Other guidance"),
    ]
    # the second sentence's document names children (in another of its passages); the third's does not
    assert constrained(question, whole_candidates(passages), passages) == [True, True, False]


def test_a_setting_the_guidance_never_names_is_not_answered() -> None:
    question = "Which pen needle should district nurses use in care homes?"
    passages = [make_passage("Prescribe 4mm pen needles costing less than £3 per 100.", "n.pdf", "Needles")]
    assert constrained(question, whole_candidates(passages), passages) == [False]


# --- medicines -----------------------------------------------------------------------------------------------------

def test_generic_medicine_names_are_recognised_by_their_stems() -> None:
    for name in ("ertugliflozin", "adalimumab", "semaglutide", "ramipril", "atorvastatin", "metformin", "apixaban"):
        assert is_medicine(name), name
    for word in ("april", "cholesterol", "accept", "concept", "stimulus", "insulin", "patients"):
        assert not is_medicine(word), word


def test_a_lower_case_medicine_name_is_a_constraint() -> None:
    assert "ertugliflozin" in [c.text for c in question_constraints("What is the dose of ertugliflozin for kidney protection?")]


def test_another_medicines_price_in_another_document_does_not_answer() -> None:
    question = "What is the list price of apixaban?"
    passages = [
        make_passage("The list price is £2,150 per 200-mg pen (excluding VAT).", "ta.pdf", "Drug X for colitis"),
        make_passage("The list price of apixaban is £53.20 per 56 tablets.", "af.pdf", "Atrial fibrillation"),
    ]
    # the first price is of another medicine, in a document that never names apixaban
    assert constrained(question, whole_candidates(passages), passages) == [False, True]


# --- who ----------------------------------------------------------------------------------------------------------

def test_a_relative_who_asks_for_no_name() -> None:
    assert answer_kind("What should I tell a patient who occasionally feels a sharp pain?") is None
    assert answer_kind("Can a patient who already has a budget still apply?") is None
    assert answer_kind("Who approves the request?") == "name"
    assert answer_kind("Under the constitution who appoints the secretary?") == "name"
    assert answer_kind("The board cannot meet. Who can take the decision?") == "name"
    assert answer_kind("What is the panel's role, and who chairs it?") == "name"
    assert bool(ASKS_WHO.search("Does the policy say who decides?"))


def test_a_role_that_acts_answers_who() -> None:
    def found(question: str, sentence: str) -> list[str]:
        return [sentence[a:b] for a, b in typed_matches(question, sentence)]

    assert found("Who keeps the register?", "4.2.1 The governance lead, or their nominee, will keep the register.") == [
        "The governance lead"]
    assert found("Who pays for the equipment?", "It is not prescribed but provided by the school’s nursing team.") == [
        "the school’s nursing team"]
    assert found("Who appoints the Secretary?", "2.1 The Secretary will be appointed by the Chair of the ICB.") == ["the Chair"]
    # the one written to, or a role in a clause, does not act
    assert found("Who sends the letter?", "The letter goes to the requesting clinician within 7 days.") == []
    assert found("Who decides?", "If a patient is unwell and the doctor responsible thinks so, it is given.") == []


def test_the_verb_after_who_and_its_auxiliary_qualifies_nothing() -> None:
    texts = [c.text for c in question_constraints("Who should supply safety needles for school staff?")]
    assert "supply needles" not in texts and "safety needles" in texts


def test_assuming_responsibility_for_chairing_names_who_chairs() -> None:
    sentence = "If the Chair is absent, the Deputy Medical Director will assume responsibility for chairing the panel."
    spans = holder_spans("Who chairs the panel when the Chair is absent?", sentence)
    assert [sentence[a:b] for a, b in spans] == ["Deputy Medical Director"]


# --- standard NHS acronyms, sizes -----------------------------------------------------------------------------------

def test_a_standard_nhs_acronym_is_met_by_its_long_form_in_a_document_that_never_defines_it() -> None:
    question = "How long do ICBs have to make the treatment available?"
    sentence = "The regulations require integrated care boards to comply within 90 days of publication."
    assert unmet_constraints(question, sentence) == []
    assert unmet_constraints("Can a GP apply?", "General practitioners will be advised to refer the patient.") == []
    assert standard_long_form("send") == ()  # a word, not the acronym


def test_a_size_with_units_is_matched_as_written() -> None:
    question = "Which pen needles come in a 4mm/31g size?"
    assert [c.text for c in question_constraints(question)] == ["4mm/31g"]
    assert unmet_constraints(question, "Brand: GlucoRx | 4mm/31g: Yes | 5mm/31g: Yes") == []
    assert unmet_constraints(question, "Brand: Insupen | 4mm/32g: Yes | 5mm/31g: Yes") == ["4mm/31g"]


# --- a heading that names what is asked ----------------------------------------------------------------------------

def test_the_term_a_question_asks_the_meaning_of() -> None:
    assert defined_term("What does the guideline mean by shared care?") == ("share", "care")
    assert defined_term("What is meant by a 'cooling-off period'?") == ("cool", "period")
    assert defined_term("What does step-down care mean in this policy?") == ("step", "down", "care")
    assert defined_term("Define shared care.") == ("share", "care")
    assert defined_term("What does the guideline recommend for shared care?") == ()


def test_a_heading_that_asks_the_question() -> None:
    assert answers_heading("Who is the guideline on asthma in adults for?", "Who is it for?")
    assert answers_heading("What makes a treatment experimental?", "What is an experimental treatment?")
    assert not answers_heading("What makes a treatment experimental?", "What is an unproven treatment?")
    assert not answers_heading("Who is it for?", "Who is it for")  # no question mark: a plain heading
    assert not answers_heading("When is it given?", "Who is it for?")


def test_the_sentence_under_the_glossary_heading_answers() -> None:
    text = "Terms used in this guideline\n\nShared care\n\nCare split between a specialist and a GP.\n\nStep-down care\n\nCare after discharge."
    heading = text.index("Shared care")
    under = text.index("Care split")
    later = text.index("Care after")
    passage = make_passage(text, "g.pdf", "Guideline", unquotable=[(0, 28), (heading, heading + 11),
                                                                   (text.index("Step-down"), text.index("Step-down") + 14)])
    question = "What does the guideline mean by shared care?"
    assert under_asked_heading(question, passage, under)
    assert not under_asked_heading(question, passage, later)
    assert not under_asked_heading("What does the guideline recommend?", passage, under)


# --- what a measure measures; a name asked for by "the name of" ----------------------------------------------------

def test_what_a_percentage_measures_when_it_follows_the_measure() -> None:
    question = "What percentage discount does the commercial arrangement give?"
    assert ("measured", "discount") in [(c.kind, c.text) for c in question_constraints(question)]
    assert "discount" in unmet_constraints(question, "In the trial, 31% of people were in remission at week 52.")
    assert not any(c.kind == "measured" for c in question_constraints("What percentage of staff are nurses?"))


def test_the_name_of_a_post_holder_is_a_persons_name_not_a_role() -> None:
    question = "What is the name of the independent Chair of the panel?"
    assert answer_kind(question) == "name"
    role = "If the independent Chair is absent, the Medical Director will assume responsibility for chairing the panel."
    assert holder_spans(question, role) == []
    named = "The independent Chair of the panel is Dr Helen Marsh."
    assert [named[a:b] for a, b in holder_spans(question, named)] == ["Dr Helen Marsh"]
    assert answer_kind("What is the name for a bias towards identified patients?") is None


def test_how_often_a_thing_is_checked_is_answered_by_a_sentence_about_that_thing() -> None:
    question = "How often should ALT be checked after starting a statin?"
    assert ("focus", "ALT") in [(c.kind, c.text) for c in question_constraints(question)]
    # another test's timing, in a passage that names ALT elsewhere, does not answer
    assert unmet_constraints(question, "Recheck the lipid profile 3 months after starting a statin.",
                             "Before starting, measure ALT and the lipid profile.") == ["ALT"]
    assert unmet_constraints(question, "Check ALT again 3 months after starting a statin.") == []
