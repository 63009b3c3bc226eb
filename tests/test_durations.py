"""A period or deadline answers a timing question only when it times the event asked about (synthetic text)."""

import pytest

from assistant.answering.answer_kinds import answer_kind
from assistant.answering.constraints import typed_matches
from assistant.answering.durations import clause_of, event_key, period_extent, timed_event, times_event
from assistant.answering.spans import emphasis


def _span(sentence: str, phrase: str) -> tuple[int, int]:
    start = sentence.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize(("question", "verb", "thing"), [
    ("How long does the council have to make a planning decision?", set(), {"decis"}),
    ("Within how many days must a tenant request a repair of the boiler?", {"reques"}, {"repair"}),
    ("How soon must the appeals committee be convened?", {"conven"}, set()),
    ("By when must the trust publish its annual accounts?", {"publis"}, {"accoun"}),
    ("What is the deadline for lodging an appeal against the fine?", {"lodg"}, {"appeal"}),
    ("How quickly is the result of the audit communicated?", {"commun"}, set()),
    ("What is the time limit for a tenant to ask for a repair?", {"ask"}, {"repair"}),
])
def test_timed_event_reads_the_verb_and_what_it_acts_on(question: str, verb: set[str], thing: set[str]) -> None:
    event = timed_event(question)
    assert event is not None
    assert set(event.verb) == verb and set(event.thing) == thing
    assert len(event.actor) <= 1  # the subject's head


def test_questions_that_time_nothing_have_no_event() -> None:
    assert timed_event("Who chairs the appeals committee?") is None
    assert timed_event("What does the policy say about appeals?") is None
    assert timed_event("How long is the notice period for non-executive members?") is None  # a noun: not read
    assert timed_event("What post did she hold when she was appointed?") is None  # "when" sets the scene


def test_a_passive_verb_has_no_object_after_it() -> None:
    event = timed_event("How soon must the papers be circulated to board members?")
    assert event is not None and set(event.verb) == {"circul"} and not event.thing


def test_word_families_share_a_key() -> None:
    assert event_key("decid") == event_key("decis")  # decide / decision
    assert event_key("respond") == event_key("respons")
    assert event_key("publish") == event_key("public")  # publish / publication
    assert event_key("submit") == event_key("submiss")
    assert event_key("call") != event_key("cover")
    assert event_key("complet") != event_key("complaint")


def test_the_anchor_of_a_period_is_what_it_runs_from() -> None:
    s = "Appeals must be lodged within 15 working days of the date of the planning decision."
    (a, b), (c, d) = period_extent(s, _span(s, "15"))
    assert s[a:b] == "15 working days"
    assert s[c:d].strip() == "of the date of the planning decision."


def test_a_period_that_runs_from_the_asked_event_does_not_time_it() -> None:
    q = "How long does the council have to make a planning decision?"
    wrong = "Appeals must be lodged within 15 working days of the date of the planning decision."
    right = "A planning decision will be made within 8 weeks of a valid application being received."
    assert not times_event(q, wrong, _span(wrong, "15 working days"))
    assert times_event(q, right, _span(right, "8 weeks"))
    assert answer_kind(q) == "duration"
    assert typed_matches(q, wrong) == []  # the only period there times the appeal
    assert [right[a:b] for a, b in typed_matches(q, right)] == ["8 weeks"]


def test_a_verb_said_in_the_period_clause_times_it() -> None:
    q = "Within how many days must a tenant request a repair?"
    s = "All requests for a repair must be made within 10 days of the damage being found."
    assert times_event(q, s, _span(s, "10"))
    other = "Repairs will be completed within 28 days of the tenant's request."
    assert not times_event(q, other, _span(other, "28"))


def test_a_leading_condition_is_its_own_clause() -> None:
    s = "If the secretary fails to reply within seven days of a petition, the members may hold a vote."
    days = _span(s, "seven days")
    assert s[slice(*clause_of(s, days[0]))] == "If the secretary fails to reply within seven days of a petition"
    assert times_event("How long does the secretary have to reply to a petition?", s, days)
    assert not times_event("How soon may the members hold a vote?", s, days)  # the vote is the main clause's
    listed = "The chair will write to the clerk, and the treasurer within five days of the meeting."
    assert times_event("How soon must the chair write to the clerk?", listed, _span(listed, "five days"))


def test_a_paraphrased_verb_is_rescued_by_the_actor_not_by_the_anchor() -> None:
    q = "How long does the review board have to decide on an objection?"
    rescued = "The review board will determine, normally within 12 working days of receiving the objection, whether it stands."
    assert times_event(q, rescued, _span(rescued, "12 working days"))
    q2 = "How soon must the agency publish the inspector's report?"
    not_rescued = "Comments must be sent within 20 days of the date of the letter from the agency enclosing the report."
    assert not times_event(q2, not_rescued, _span(not_rescued, "20 days"))
    q3 = "How soon must the review board chair sign the letter?"
    other_actor = "The review board will meet within 10 days of the letter from its chair."
    assert not times_event(q3, other_actor, _span(other_actor, "10 days"))  # the board is not its chair


def test_a_sentence_that_never_names_the_event_is_not_judged() -> None:
    q = "How long does the council have to make a planning decision?"
    s = "The standard turnaround is eight weeks from validation."
    assert [s[a:b] for a, b in typed_matches(q, s)] == ["eight weeks"]


def test_a_sentence_naming_none_of_verb_thing_and_actor_times_something_else() -> None:
    q = "How long does the regulator have to respond to a complaint?"
    unrelated = "The completed form will be sent within seven days of the hearing."
    assert typed_matches(q, unrelated) == []  # "completed" is not "complaint"
    actor = "The regulator will reply within 20 days of receiving it."
    assert [actor[a:b] for a, b in typed_matches(q, actor)] == ["20 days"]


def test_dates_for_by_when_questions_are_checked_too() -> None:
    q = "By when must the trust publish its annual accounts?"
    wrong = "Auditors will be appointed by June 2026, after the trust has published its annual accounts."
    right = "The trust will publish its annual accounts by September 2026."
    assert typed_matches(q, wrong) == [] or "June" not in " ".join(wrong[a:b] for a, b in typed_matches(q, wrong))
    assert "September" in " ".join(right[a:b] for a, b in typed_matches(q, right))


def test_only_the_period_that_times_the_event_is_bold() -> None:
    q = "How long does the council have to make a planning decision?"
    s = ("A planning decision will be made within 8 weeks of a valid application; appeals must be lodged within "
         "15 working days of the decision.")
    assert emphasis(q, s) == ["8 weeks"]


def test_a_verb_timed_up_to_another_act_is_the_event_not_the_act() -> None:
    # "count | before withdrawing the pen": the period ends at the withdrawing, it times the counting
    event = timed_event("How long should the carer count before withdrawing the pen?")
    assert event is not None and event.verb == {event_key("count")} and not event.thing
    sentence = "The carer should count slowly to 15 seconds before withdrawing the pen."
    assert [sentence[a:b] for a, b in typed_matches("How long should the carer count before withdrawing the pen?", sentence)] \
        == ["15 seconds"]
    # with an object the verb is read as before: "hold the inhaler | before breathing out"
    held = timed_event("How long should the patient hold the inhaler before breathing out?")
    assert held is not None and held.verb == {event_key("hold")} and held.thing == {"inhal"}  # the keys ``_keys`` gives


def test_seconds_are_a_length_of_time() -> None:
    assert answer_kind("How long should the carer count?") == "duration"
    assert [m for m in typed_matches("How long should the carer count?", "Count to 30 seconds.")]
