"""Who holds a post: a person's name beside the post or the role said to fill it, never a post's title or definition."""

from __future__ import annotations

import pytest

from assistant.answering.constraints import answer_type_match, asked_attribute
from assistant.answering.post_holders import asked_post, holder_spans, person_names


@pytest.mark.parametrize(("question", "post"), [
    ("Who is the current Chief Executive of the Northshire ICB?", ("Chief", "Executive")),
    ("Who is Northshire Trust's Director of Finance?", ("Director",)),
    ("Who is the accountable officer for the trust?", ("accountable", "officer")),
    ("Who was the Trust Chair quoted in the press release?", ("Trust", "Chair")),
    ("Who's the Medical Director?", ("Medical", "Director")),
    ("Who is the Audit and Risk Committee Chair?", ("Audit", "and", "Risk", "Committee", "Chair")),
    ("Who currently holds the post of Chief Executive at the trust?", ("Chief", "Executive")),
    ("Who chairs the appeals panel?", ("chair",)),  # a post's word used as a verb
    ("Who is responsible for approving the annual plan?", ()),  # who does something: a role or body answers
    ("Who was the speaker at the spring conference?", ()),  # no post
    # the owner before "'s" after "the" is not the post ("the board's" is whose, "Chief Executive" what)
    ("Who is the board's Chief Executive?", ("Chief", "Executive")),
    ("Who is the trust's Medical Director?", ("Medical", "Director")),
    ("Who is the Northshire board's Safeguarding Guardian?", ()),  # a post named in no title words: a role or body answers
    ("Who is the chair of the trust's board?", ("chair",)),  # "of": the chair is asked, the board is whose
])
def test_the_post_a_question_asks_the_holder_of(question: str, post: tuple[str, ...]) -> None:
    assert asked_post(question) == post


@pytest.mark.parametrize(("sentence", "names"), [
    ("The Chief Executive, Sarah Okafor, took up post in June.", ["Sarah Okafor"]),
    ("The review is led by Professor Ann Lee and Mr O'Brien.", ["Professor Ann Lee", "Mr O'Brien"]),
    ("Board Chair Tomasz Nowak opened the meeting.", ["Tomasz Nowak"]),  # a post's words before the name
    # a post's other name, the name of a function it directs, a body, a law: no one
    ("Finance Director (known as the Executive Director Estates Management) of the trust.", []),
    ("The Clinical Director of Elective Recovery sits on the Northshire Integrated Care Board.", []),
    ("The Freedom of Information Act applies to the Audit and Risk Committee.", []),
])
def test_what_is_shaped_like_a_persons_name(sentence: str, names: list[str]) -> None:
    assert [sentence[a:b] for a, b in person_names(sentence)] == names


@pytest.mark.parametrize(("question", "wrong"), [
    # a definitions row, a list of posts, the way a post is filled, a name beside another post
    ("Who is the Medical Director of the Northshire ICB?",
     "Medical Director (known as the Executive Director of Clinical Effectiveness) | The Medical Director of the ICB, "
     "appointed under part 3.9 of this Constitution."),
    ("Who is the Director of Nursing?",
     "b) Either the Medical Director (known as the Executive Director Patient Outcomes) or the Director of Nursing "
     "(known as the Executive Director Care Standards)"),
    ("Who is the Chief Executive of the ICB?",
     "The Chief Executive will be appointed by the Chair of the ICB, subject to the approval of the regulator."),
    ("Who is the Chief Executive of the ICB?", "Report by: Priya Shah, Chief Financial Officer"),
    ("Who is the Vice Chair?", "Pen Needle Supplies guidance was approved by the Vice Chair in May."),
    ("Who is the Deputy Chair?", "The meeting will be chaired by the Chief Executive."),
    ("Who chairs the appeals panel?", "The appeals panel Chair will write to the applicant within ten days."),
    ("Who is the Chief Executive?", "Jo Bloggs, former Chief Executive, spoke at the launch."),  # a former holder
    ("Who is the Medical Director?", "Dr Jones reviewed the MDT minutes."),  # initials and more: another thing
    ("Who is the Chief Executive?", "Mr Tom Brown stepped down as Chief Executive in 2023."),  # a former holder
    ("Who is the Chair of the trust?", "The trust's Deputy Chair, Jo Bloggs, chaired the meeting."),  # another post
    ("Who is the Chief Executive of the trust?", "Report by: Priya Shah, Chief Financial Officer/Deputy CEO"),
    # "its chair" is the chair of what "its" stands for (the review), not of the trust asked about
    ("Who was the Chair of Northshire Trust when the review began?",
     "We will work closely with its chair, Dr Anil Rao, to deliver for patients."),
    ("Who is the Chair of Northshire Trust?", "Since 2021, she has been the Chair of Southfield Council."),  # another body's
])
def test_a_post_defined_listed_or_filled_by_procedure_names_no_holder(question: str, wrong: str) -> None:
    assert answer_kind_is_name(question)
    assert not answer_type_match(question, wrong)


@pytest.mark.parametrize(("question", "right", "holder"), [
    ("Who is the Chief Financial Officer of the trust?", "Report by: Priya Shah, Chief Financial Officer/Deputy CEO",
     "Priya Shah"),
    ("Who is the Vice Chair of the board?", "The Vice Chair of the board is Amira Patel.", "Amira Patel"),
    ("Who is the Chair of the trust?", "Trust Board Chair Amira Patel opened the meeting.", "Amira Patel"),
    ("Who is the Chair of the appeals panel?", "The appeals panel will be chaired by an independent Chair.",
     "independent Chair"),
    ("Who is the Chair of the appeals panel?", "The Chair of the panel is the Medical Director.", "Medical Director"),
    ("Who chairs the screening meeting?", "The Case Officer will chair the meeting and record its decision.",
     "The Case Officer"),
    ("Who chairs the screening meeting?", "The Case Officer chairs the meeting.", "The Case Officer"),
    ("Who chairs the appeals panel?", "After the review, the board agreed that Dr Ana Ruiz would chair the appeals panel.",
     "Dr Ana Ruiz"),  # a modal between the name and the post's verb
    ("Who is the Chief Delivery Officer?", "Yours sincerely,\n\nSam Boateng\nChief Delivery Officer\nNorthshire ICB",
     "Sam Boateng"),  # a letter's signature
    ("Who is the Chief Executive?", "Jo Bloggs, who became Chief Executive in 2022, leads the board.", "Jo Bloggs"),
    ("Who is the Chair of the Northshire ICB?", "Since 2021, she has been the Chair of the Northshire ICB.", "she"),
    ("Who is the Deputy Chief Executive of the trust?", "Report by: Priya Shah, Chief Financial Officer/Deputy CEO",
     "Priya Shah"),  # the post's last words by their initials
    ("Who is the Finance and Audit Committee Chair?",
     "The Finance and Audit Committee will be chaired by a Non-executive Member of the board.", "Non-executive Member"),
    ("Who is the chief executive?", "Amira Patel, the trust's chief executive, said the plan was ready.", "Amira Patel"),
    ("Who is the Chief Executive?", "Interim Chief Executive: Dr Kay Wu", "Dr Kay Wu"),
    ("Who is the accountable officer?", "The Chief Executive will be the Accountable Officer for the trust.",
     "The Chief Executive"),
])
def test_a_person_or_a_role_said_to_hold_the_post_answers(question: str, right: str, holder: str) -> None:
    assert answer_type_match(question, right)
    assert holder in [right[a:b] for a, b in holder_spans(question, right)]


def test_who_does_something_is_still_answered_by_a_role() -> None:
    question = "Who decides on the appeal?"
    assert asked_post(question) == ()
    assert answer_type_match(question, "The Appeals Committee decides on the appeal within 20 days.")


def test_a_holder_question_asks_for_its_post() -> None:
    # the post's words are what a sentence naming the holder must name (credited as "What is the X?" is)
    assert asked_attribute("Who is the current Chief Executive of the ICB?") == ("chief", "execut")


def answer_kind_is_name(question: str) -> bool:
    from assistant.answering.answer_kinds import answer_kind
    return answer_kind(question) == "name"


def test_who_does_what_a_post_does_may_be_said_without_the_posts_word() -> None:
    question = "Who leads the locality plans?"
    # the post's word, and no holder: no answer; another wording of leading: the body it names answers
    assert not answer_type_match(question, "The locality plans lead will report to the Programme Board quarterly.")
    assert answer_type_match(question, "Locality plans are drawn up under the direction of the Health and Wellbeing Board.")


def test_the_name_nearer_the_post_holds_it() -> None:
    sentence = "Jo Bloggs, Chief Executive, and Sam Lee, Chair, signed the report."
    assert [sentence[a:b] for a, b in holder_spans("Who is the Chair?", sentence)] == ["Sam Lee"]
    assert [sentence[a:b] for a, b in holder_spans("Who is the Chief Executive?", sentence)] == ["Jo Bloggs"]


@pytest.mark.parametrize(("question", "sentence", "typed"), [
    # a role after "from" says who may do it ("must come from ..."), as one after "by" says who does it
    ("Who can send in an application for funding?", "An application must come from a healthcare professional caring for the patient.", True),
    ("Who can send in an application for funding?", "An application is sent using the online form.", False),
    ("Who approves the funding?", "Funding is approved by the regional panel.", True),
])
def test_a_role_after_by_or_from_answers_who(question: str, sentence: str, typed: bool) -> None:
    assert bool(answer_type_match(question, sentence)) is typed
