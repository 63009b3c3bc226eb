"""Whose duty a question asks about, and sentences that state another body's duty (``answering.actors``)."""

from __future__ import annotations

import pytest

from assistant.answering.actors import (
    asked_actor,
    names_actor,
    passes_to_other,
    passive_duty,
    receives,
    states_other_duty,
)

KNOWN = {"icb": ["integr", "care", "board"], "icbs": ["integr", "care", "board"]}


@pytest.mark.parametrize(("question", "actor"), [
    ("Within how many working days must the Review Board notify applicants of the outcome?", "the Review Board"),
    ("How many days does the Triage Team have to decide a referral?", "the Triage Team"),
    ("What must ICBs publish each year?", "ICBs"),
    ("How quickly must a care coordinator return a call?", "a care coordinator"),
    ("By when must the patient's pharmacist record the dose?", "the patient's pharmacist"),
])
def test_asked_actor_is_the_subject_of_the_asked_verb(question: str, actor: str) -> None:
    assert asked_actor(question) == actor


@pytest.mark.parametrize("question", [
    "What does NHS England expect ICBs to do about waiting lists?",  # a report of another's duty
    "What did the Review Board say hospitals should publish?",
    "What should I tell a patient who gets pain?",  # a pronoun
    "When will the annual report be published?",  # no actor: a passive
    "What is the deadline for appeals?",
])
def test_no_actor_when_the_verb_reports_or_nobody_acts(question: str) -> None:
    assert asked_actor(question) is None


def test_advise_someone_of_something_is_an_act_of_the_actor() -> None:
    assert asked_actor("How soon must the Triage Team advise clinicians of the result?") == "the Triage Team"
    assert asked_actor("How soon must the Triage Team tell the patient's carer that a referral failed?") == "the Triage Team"
    assert asked_actor("What does the Triage Team tell the patient's carer to do?") is None  # another's duty


@pytest.mark.parametrize("sentence", [
    "12. The Review Board will decide, normally within 15 working days, whether to proceed.",
    "To balance the books, providers will need to cut their costs by 2%.",
    "In 2027/28, NHS England will publish a new framework.",
])
def test_another_named_actor_s_duty_is_not_an_answer(sentence: str) -> None:
    assert states_other_duty("the Triage Team", sentence, KNOWN)


@pytest.mark.parametrize(("actor", "sentence"), [
    ("the Triage Team", "The Triage Team will decide within 15 working days."),  # the actor itself
    ("the Triage Team", "A decision must be made within 15 working days."),  # a passive names no other actor
    ("ICBs", "NHS organisations will need to cut their costs by 2%."),  # generic: speaks for the actor too
    ("ICBs", "• systems should publish their plans by June."),
    ("ICBs", "Integrated care boards must publish their plans by June."),  # the long form of the acronym
    ("an integrated care board", "The ICB will publish its plan by June."),  # the acronym of the long form
    ("trusts", "Providers will need to cut their costs by 2%."),  # kindred: a trust is a provider
    ("the Triage Team", "Funding will support new posts in 2026."),  # one capitalised word is not a name
    ("the Triage Team", "They will then decide within 15 working days."),  # a pronoun
])
def test_own_passive_generic_or_kindred_sentences_answer(actor: str, sentence: str) -> None:
    assert not states_other_duty(actor, sentence, KNOWN)


def test_a_noun_used_as_an_adjective_is_not_the_actor() -> None:
    # "individual" qualifies "funding request": nobody acts, and "funding" is no base-form verb
    assert asked_actor("What criteria must an individual funding request meet before the Board will fund it?") is None


def test_a_document_that_never_names_the_role_does_not_answer_for_it() -> None:
    plan = "Ambulance services: Category 2 calls answered in 30 minutes on average."
    assert not names_actor("a care coordinator", plan, KNOWN)
    assert names_actor("a care coordinator", "Assign a care coordinator to every person in the cohort.", KNOWN)
    assert names_actor("an organisation", plan, KNOWN)  # generic: any document may speak for it
    assert names_actor("trusts", "Providers must cut costs.", KNOWN)  # kin


@pytest.mark.parametrize(("sentence", "passive"), [
    ("All needles are for single use only, this should be emphasised when counselling patients.", True),
    ("Requests must be made within 20 working days.", True),
    ("Plans will be shown to the board.", True),
    ("Category 2 response: an average of 30 minutes.", False),
    ("The Review Board will decide within 15 working days.", False),
])
def test_a_passive_duty_names_no_one(sentence: str, passive: bool) -> None:
    assert passive_duty(sentence) is passive


# The asked actor named only where another's act reaches it: the other's duty, not the asked one's.
@pytest.mark.parametrize(("question", "sentence", "other"), [
    # made-up texts; the asked actor is the object of another's act, a preposition or stop after it
    ("Within how many days must the area manager reply to the Review Board?",
     "The Review Board will write to the area manager, the tenant and the Housing Officer within five days.", True),
    ("How quickly must the Audit Panel tell applicants of the result?",
     "The Grants Team will advise applicants of the result within three days of the Audit Panel (by email).", True),
    ("How long does the Grants Team have to decide an appeal?",
     "If the applicant does not provide a reply to the Grants Team within 8 days the file will be closed.", True),
    ("How soon must the applicant reply?",  # a leading clause with no comma, then another's act
     "If papers are missing the Grants Team will write to the applicant within 4 days.", True),
    # the asked actor acts itself, or is the subject of a verb of its own, or the object's duty is imposed on it
    ("How long does an applicant have to reply to the Grants Team?",
     "If the applicant does not provide a reply to the Grants Team within 8 days the file will be closed.", False),
    ("Within how many days will the Review Board write to the area manager?",
     "The Review Board will write to the area manager, the tenant and the Housing Officer within five days.", False),
    ("By when must councils publish their plans?", "The Ministry will ensure councils publish their plans by May.", False),
    ("What must the area manager provide after approval?",
     "Where a grant is approved the Grants Team will require an update from the area manager within 6 months.", False),
    ("How soon must the applicant reply?", "The Grants Team will help the applicant to reply within 4 days.", False),
])
def test_an_actor_named_only_as_the_object_of_anothers_act(question: str, sentence: str, other: bool) -> None:
    actor = asked_actor(question)
    assert actor is not None
    assert states_other_duty(actor, sentence, as_object=not receives(question)) is other


def test_an_actor_that_receives_may_be_named_as_the_object() -> None:
    question = "What will councils get from the Housing Department?"
    sentence = "The Housing Department will provide councils with guidance in 2026."
    assert receives(question)
    assert states_other_duty("councils", sentence, as_object=False) is False
    assert states_other_duty("councils", sentence) is True


_TOLD = "The Triage Team will notify applicants (by email) of the result within three working days."


@pytest.mark.parametrize(("actor", "sentence", "before"), [
    ("the Review Board", "The signed letter will be posted within ten working days of the Review Board meeting.", _TOLD),
    ("the referring doctor", "The signed letter will aim to be sent within ten working days.", _TOLD),  # an informing act
    ("the Audit Group", "The completed form will be filed on the county database.",
     "The Case Officer will file the findings of the Audit Group against each heading."),  # the same verb
])
def test_a_passive_after_another_actors_same_act_is_that_actors(actor: str, sentence: str, before: str) -> None:
    assert passes_to_other(actor, sentence, before)


@pytest.mark.parametrize(("actor", "sentence", "before"), [
    ("the Triage Team", "The signed letter will be sent within ten working days.", _TOLD),  # the asked actor's own act
    ("the Review Board", "The signed letter will be sent within ten working days.", ""),  # nothing before
    ("councils", "Plans must be submitted by 30 April.", "The Ministry will publish guidance in March."),  # another act
    ("the Review Board", "The signed letter will be considered by the Review Board.", _TOLD),  # the doer is named
    ("the Review Board", "The Review Board will send the signed letter within ten days.", _TOLD),  # not passive
    ("the Review Board", "Applicants will be notified by receiving a letter.", "It is a long process."),  # no one before
])
def test_a_passive_that_may_be_anyones_still_answers(actor: str, sentence: str, before: str) -> None:
    assert not passes_to_other(actor, sentence, before)
