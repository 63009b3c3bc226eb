"""Which sentences the extractive answerer quotes when one sentence alone does not show it answers (pure rules).

- A sentence that refers back ("These include ...") is read, scored and quoted with the sentence before it
  (``context.antecedents``, ``extractive.with_antecedents``, ``extractive.with_referents``).
- A question in parts gets the sentence that answers another part before another wording of the part already
  answered (``context.QuestionCover``, ``select_sentences(gain=...)``); a further sentence that adds none
  of the question's words must come closer to the best (``REPEAT_MARGIN``).
- A sentence that counts what follows ("will appoint three directors.") brings its list, without a colon
  (``announces_list``, ``expand_lead_ins``).

Made-up examples of each failure, not the dev questions.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering.context import (
    QuestionCover,
    ScoredSentence,
    announces_list,
    antecedents,
    lead_in_refers_back,
    list_items,
    nested_count,
    opens_inline_list,
    opens_with_reference,
    predecessors,
    same_marker_run,
    with_antecedents,
    with_lists,
    with_referents,
)
from assistant.answering.extractive import (
    GAIN,
    MARGIN,
    MIN_GAIN,
    NEXT_CREDIT,
    REPEAT_MARGIN,
    candidate_sentences,
    expand_lead_ins,
    select_sentences,
)
from assistant.results import Passage
from assistant.text.terms import TermStats, terms


def _passage(text: str, start: int = 0, path: str = "plan.txt") -> Passage:
    return Passage(source=path, title="Plan", text=text, score=1.0, start=start, end=start + len(text), path=path)


def _scored(supports: list[float], texts: list[str] | None = None) -> list[ScoredSentence]:
    texts = texts or [f"Sentence {i} says something." for i in range(len(supports))]
    return [ScoredSentence(0, 10 * i, 10 * i + 9, t, s, s, s) for i, (s, t) in enumerate(zip(supports, texts))]


def _blend(dense: float, lexical: float, rank: int) -> float:
    return 0.7 * dense + 0.3 * lexical - 0.02 * rank


# -- sentences that refer back -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("These include online booking, repeat prescriptions and messaging.", True),
        ("We expect these to include, as a minimum, faster access to care.", True),
        ("Together, they are tackling waiting lists and access to dentistry.", True),
        ("Now though, she is the Chair of the regional board.", True),
        ("This includes co-designing the programme with local leaders.", True),
        ("The board will meet quarterly.", False),
        ("This year the board will meet quarterly.", False),  # "this year" points at a time, not a sentence
        ("This document sets out the policy.", False),  # "this document": the whole, not the sentence before
        ("For this transitional year, each provider is scored.", False),  # a time, after an adjective
        ("This appendix describes six components.", False),
        ("These plans are the cornerstone of the planning system.", True),  # the plans just named
        ("• these are listed in annex B", False),  # a list item is tied to its lead-in, not the sentence before
    ],
)
def test_opens_with_reference(sentence: str, expected: bool) -> None:
    assert opens_with_reference(sentence) is expected


TEXT = ("All practices have enabled the core app features.\n"
        "These include online booking, repeat prescriptions and patient messaging.\n\n"
        "Funding is set each year. These rules apply to every region.")


def test_a_sentence_that_refers_back_leans_on_the_sentence_right_before_it_in_the_document() -> None:
    passages = [_passage(TEXT)]
    candidates = candidate_sentences(passages)
    texts = [c[3] for c in candidates]
    doc_text = {"plan.txt": TEXT}
    before = predecessors(candidates, lambda rank: "plan.txt", lambda doc, a, b: doc_text[doc][a:b])
    assert before[texts.index("Funding is set each year.")] == 1  # a paragraph break is still "right before"
    leans_on = antecedents(before, candidates)
    assert leans_on[texts.index("These include online booking, repeat prescriptions and patient messaging.")] == 0
    assert leans_on[texts.index("These rules apply to every region.")] == texts.index("Funding is set each year.")
    assert leans_on[0] is None and leans_on[texts.index("Funding is set each year.")] is None  # neither refers back
    # something not retrieved between the two: no predecessor
    assert predecessors(candidates, lambda rank: "plan.txt", lambda doc, a, b: None) == [None] * len(candidates)


def test_read_with_its_antecedent_a_referring_sentence_scores_as_the_pair_and_is_quoted_after_it() -> None:
    question = "Which app features must practices have enabled?"
    texts = ["All practices have enabled the core app features.",
             "These include online booking, repeat prescriptions and patient messaging.",
             "Funding is set each year."]
    stats = TermStats.from_texts(texts)
    qvec = np.array([1.0, 0.0, 0.0])
    vecs = np.array([[0.9, np.sqrt(1 - 0.81), 0.0], [0.3, 0.0, np.sqrt(1 - 0.09)], [0.1, 0.99, 0.0]])
    scored = _scored([0.70, 0.20, 0.10], texts)
    leans_on: list[int | None] = [None, 0, None]
    rescored = with_antecedents(terms(question), qvec, scored, vecs, leans_on, stats, _blend)
    assert rescored[1].support > 0.20 and rescored[1].lexical > scored[1].lexical  # the pair holds the question's words
    assert rescored[0] == scored[0] and rescored[2] == scored[2]
    assert with_referents([1], leans_on) == [0, 1]  # never "These include ..." alone
    assert with_referents([1, 2, 0], leans_on) == [0, 1, 2]  # the antecedent first, even when chosen after
    assert with_referents([2], leans_on) == [2]


# -- questions in parts ------------------------------------------------------------------------------------
def test_question_cover_counts_only_the_question_s_words_the_chosen_sentences_lack() -> None:
    cover = QuestionCover(["address", "deadline", "review"], {"address": 2.0, "deadline": 1.0, "review": 1.0})
    assert cover.covered({"address", "review", "other"}) == pytest.approx(0.75)
    assert cover.gain({"address", "review"}, {"review", "deadline"}) == pytest.approx(0.25)
    assert cover.gain({"address"}, {"address"}) == 0.0
    assert QuestionCover([], {}).covered({"x"}) == 0.0


def test_what_a_sentence_adds_is_counted_against_its_own_document_only() -> None:
    cover = QuestionCover(["target", "waiting"], {"target": 1.0, "waiting": 1.0})
    held = [{"target", "waiting"}, {"target", "waiting"}, {"target", "waiting"}]
    gain = cover.gain_within(held, ["guidance.pdf", "guidance.pdf", "framework.pdf"])
    assert gain([0], 1) == 0.0  # the same document says it again
    assert gain([0], 2) == 1.0  # the other document's version of it
    assert gain([0, 2], 1) == 0.0


def test_the_next_sentence_is_the_one_answering_another_part_of_the_question() -> None:
    # "Where is a request sent, and by when?": 0 answers "by when", 1 says it again, 2 gives the address
    held = [{"deadline", "request"}, {"deadline", "request"}, {"address", "request"}]
    cover = QuestionCover(["address", "deadline", "request"], {"address": 1.0, "deadline": 1.0, "request": 1.0})

    def gain(chosen: list[int], i: int) -> float:
        return cover.gain(set().union(*(held[j] for j in chosen)), held[i])

    best = 0.8
    scored = _scored([best, best - 0.05, best - 0.12])  # alone, the address ranks below the repetition
    assert select_sentences(scored, np.eye(3), 2, 0.3) == [0, 1]
    assert select_sentences(scored, np.eye(3), 2, 0.3, gain=gain) == [0, 2]
    beyond = _scored([best, best - MARGIN - 0.01])  # beyond the margin alone, within it with what it adds
    assert select_sentences(beyond, np.eye(2), 2, 0.3) == [0]
    assert select_sentences(beyond, np.eye(2), 2, 0.3, gain=lambda chosen, i: 1 / 3) == [0, 1]
    # a sentence below the margin even with what it adds stays out
    far = _scored([best, best - MARGIN - GAIN / 3 - 0.01])
    assert select_sentences(far, np.eye(2), 2, 0.3, gain=lambda chosen, i: 1 / 3) == [0]


def test_a_further_sentence_that_adds_nothing_must_come_closer_to_the_best() -> None:
    best = 0.8
    scored = _scored([best, best - REPEAT_MARGIN - 0.01, best - REPEAT_MARGIN + 0.01])
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=lambda chosen, i: 0.0) == [0, 2]
    assert select_sentences(scored, np.eye(3), 3, 0.3) == [0, 2, 1]  # without coverage: the plain margin
    # adding a word or two of little weight is still a repetition (a reference entry that repeats "cancer")
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=lambda chosen, i: MIN_GAIN - 0.01) == [0, 2]
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=lambda chosen, i: MIN_GAIN) == [0, 2, 1]


# -- a sentence that counts its list --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "following", "expected"),
    [
        ("a) The board will appoint three directors.", ["i. Director of A", "ii. Director of B", "iii. Director of C", "b) Next"], True),
        ("The process has 2 stages.", ["• screening", "• panel review"], True),
        ("The process has 2 stages.", ["• screening", "• panel review", "• appeal"], False),  # counts do not agree
        ("Letters are sent within seven working days.", ["36. The patient is told."], False),  # a paragraph number
        ("a) The board will appoint three directors.", ["b) one", "c) two", "d) three"], False),  # siblings, not items
        ("The board will appoint directors.", ["i. A", "ii. B"], False),  # no count
    ],
)
def test_announces_list(sentence: str, following: list[str], expected: bool) -> None:
    assert announces_list(sentence, following) is expected


def test_a_sentence_counting_its_items_brings_the_whole_list() -> None:
    text = ("a) The board will appoint three directors.\n"
            "i. Director of Places\nii. Director of Strategy\niii. Director of Services\n"
            "b) The board may co-opt members.")
    passages = [_passage(text)]
    at = text.index("a) The")
    lead = (0, at, at + len("a) The board will appoint three directors."), "a) The board will appoint three directors.")
    assert [q[3] for q in expand_lead_ins([lead], passages)] == [
        "a) The board will appoint three directors.", "i. Director of Places", "ii. Director of Strategy", "iii. Director of Services"]


def test_a_lead_in_is_scored_with_its_items_and_only_a_lead_in_has_items() -> None:
    # "What makes a treatment experimental?": the lead-in says little, its items say what
    texts = ["A treatment may be considered experimental where any of these apply:",
             "• it is still undergoing phase III trials;", "• it is rarely used or novel.", "Funding is reviewed yearly."]
    candidates = [(0, 100 * i, 100 * i + len(t), t) for i, t in enumerate(texts)]
    before: list[int | None] = [None, 0, 1, 2]
    lists = list_items(before, candidates, limit=10)
    assert lists == [[1, 2], [], [], []]  # the prose after the items ends the list
    assert list_items(before, candidates, limit=1)[0] == [1]
    question = "What makes a treatment experimental, for example trials or novel use?"
    stats = TermStats.from_texts(texts)
    qvec = np.array([1.0, 0.0])
    vecs = np.array([[0.2, np.sqrt(0.96)], [0.9, np.sqrt(0.19)], [0.8, 0.6], [0.0, 1.0]])
    scored = _scored([_blend(0.2, 0.2, 0), 0.5, 0.5, 0.0], texts)
    rescored = with_lists(terms(question), qvec, scored, vecs, lists, stats, _blend, list_weight=0.5)
    assert rescored[0].support > scored[0].support and rescored[1:] == scored[1:]
    assert with_lists(terms(question), qvec, scored, vecs, [[], [], [], []], stats, _blend, 0.5) == scored


# -- the sentence after a chosen one ----------------------------------------------------------------------------
def test_the_sentence_right_after_a_chosen_one_comes_in_a_little_further_from_the_best() -> None:
    # "Only clinicians vote on whether a case goes to panel." then "If no consensus is reached, it goes to the next
    # group.": the second answers "what if they disagree?" while sharing few of its words
    best = 0.8
    scored = _scored([best, best - REPEAT_MARGIN - NEXT_CREDIT / 2, best - REPEAT_MARGIN - NEXT_CREDIT / 2])
    no_gain = lambda chosen, i: 0.0  # noqa: E731
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain) == [0]
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain, before=[None, 0, None]) == [0, 1]  # 1 follows 0
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain, before=[None, None, 1]) == [0]  # 2 follows 1, not chosen
    # no chain: the credit goes to the sentence after the best only, or a paragraph's every next sentence would
    # come in one after another and crowd out a better one elsewhere (a table row holding the answer)
    assert select_sentences(scored, np.eye(3), 3, 0.3, gain=no_gain, before=[None, 0, 1]) == [0, 1]
    far = _scored([best, best - MARGIN - NEXT_CREDIT - 0.01])
    assert select_sentences(far, np.eye(2), 2, 0.3, gain=no_gain, before=[None, 0]) == [0]  # still within reach only


def test_in_a_two_part_question_only_the_first_quote_must_hold_the_kind_asked_for() -> None:
    # "What must the trust do, and from what date is funding paid?": the date sentence first, then the one
    # that says what to do (it holds no date)
    scored = _scored([0.7, 0.65, 0.3])
    typed = [True, False, False]
    assert select_sentences(scored, np.eye(3), 3, 0.3, typed=typed) == [0]
    assert select_sentences(scored, np.eye(3), 3, 0.3, typed=typed, two_part=True) == [0, 1]
    assert select_sentences(_scored([0.7, 0.6]), np.eye(2), 3, 0.65, typed=[False, False], two_part=True) == []  # no typed: refused


# -- lists whose shape the conversion lost ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "following", "expected"),
    [
        ("The review follows 3 steps: 1. data is scored 2. scores are averaged", ["3. the segment is set"], True),
        ("Boards should agree: a) a budget b) a workforce plan", ["c) a capital plan"], True),
        ("The review follows 3 steps: 1. data is scored 2. scores are averaged", ["The next section explains."], False),
        ("The review follows 3 steps: 1. data is scored", ["a) a note"], False),  # another kind of marker
        ("Note: 2 boards met in May.", ["3. The panel met."], False),  # a figure after the colon, not a marker
        ("1. The review follows steps: a) scoring", ["2. Panels"], False),  # an item itself: its siblings are not its list
        # unmarked items: the first ends the lead-in's line without a full stop, the next opens lower-case
        ("The plan should bring together: service plans for each pathway", ["workforce plans aligned to finance."], True),
        ("The plan should bring together: service plans for each pathway.", ["workforce plans aligned to finance."], False),
        ("The plan should bring together: service plans for each pathway", ["Workforce plans follow."], False),
        ("Telephone: 0300 311 22 33", ["email us at the address below"], False),  # a "Name: value" line
    ],
)
def test_opens_inline_list(sentence: str, following: list[str], expected: bool) -> None:
    assert opens_inline_list(sentence, following) is expected


def test_a_list_glued_to_its_lead_in_is_quoted_on_to_its_last_item() -> None:
    text = ("Segmentation follows 3 steps: 1. each metric is scored 2. scores are averaged\n\n"
            "3. a deficit caps the segment\n\nThe next section explains each step.")
    passages = [_passage(text)]
    first = text[:text.index("\n")]
    lead = (0, 0, len(first), first)
    assert [q[3] for q in expand_lead_ins([lead], passages)] == [first, "3. a deficit caps the segment"]


@pytest.mark.parametrize(
    ("sentence", "following", "expected"),
    [
        ("• to refuse on one of two grounds:", ["• the evidence is missing", "• the criteria are not met", "• to defer"], 2),
        ("• to refuse on one of two grounds:", ["• the evidence is missing"], 0),  # fewer than it counts: not its list
        ("• to refuse on grounds:", ["• the evidence is missing", "• the criteria are not met"], 0),  # no count
        ("• to refuse on one of two grounds.", ["• a", "• b"], 0),  # not a lead-in
        ("To refuse on one of two grounds:", ["• a", "• b"], 0),  # not an item: list_after's own case
    ],
)
def test_nested_count(sentence: str, following: list[str], expected: int) -> None:
    assert nested_count(sentence, following) == expected


def test_a_bulleted_lead_in_brings_the_sub_items_it_counts_though_they_share_its_bullet() -> None:
    text = ("• to approve funding\n• to refuse on one of two grounds:\n• the evidence is missing\n"
            "• the criteria are not met\n• to defer the case")
    passages = [_passage(text)]
    lead_text = "• to refuse on one of two grounds:"
    at = text.index(lead_text)
    lead = (0, at, at + len(lead_text), lead_text)
    assert [q[3] for q in expand_lead_ins([lead], passages)] == [
        lead_text, "• the evidence is missing", "• the criteria are not met"]


# -- lists whose nesting or connectors the conversion kept only in part -------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "following", "expected"),
    [
        # a lead-in glued to an item (two columns read as one) or nested items given their parent's bullet
        ("• agree a budget In addition, we ask boards to weigh these principles:",
         ["• safeguard quality", "• protect access", "• narrow inequalities", "Provider boards must also report."], 3),
        ("• to refuse on grounds:", ["• the evidence is missing", "a) a note"], 1),
        ("• to refuse on grounds:", ["– the evidence is missing", "– the criteria are not met", "• to defer"], 2),  # own dash
        ("– to refuse on grounds:", ["– the evidence is missing", "• to defer"], 1),  # same dash: the run of it
        ("• to refuse on grounds.", ["• the evidence is missing"], 0),  # not a lead-in
        ("To refuse on grounds:", ["• the evidence is missing"], 0),  # not an item: list_after's own case
        ("• to refuse on grounds:", [], 0),  # nothing follows
    ],
)
def test_same_marker_run(sentence: str, following: list[str], expected: int) -> None:
    assert same_marker_run(sentence, following) == expected


def test_an_item_that_introduces_items_of_its_own_bullet_brings_them_all_without_a_count() -> None:
    text = ("• agree a budget In addition, we ask boards to weigh these principles:\n• safeguard quality and safety\n"
            "• protect access to essential services\n• narrow inequalities\n\nProvider boards must also report yearly.")
    passages = [_passage(text)]
    lead_text = text[:text.index("\n")]
    lead = (0, 0, len(lead_text), lead_text)
    assert [q[3] for q in expand_lead_ins([lead], passages)] == [
        lead_text, "• safeguard quality and safety", "• protect access to essential services", "• narrow inequalities"]


def test_criteria_joined_by_or_and_and_lines_are_one_list() -> None:
    # alternatives drafted as "criterion / OR / criterion / AND / criterion": the connector lines are quoted too
    text = ("Funding is agreed only where the case meets these criteria:\n\n• the patient is clinically exceptional\n\n"
            "OR\n\n• no policy covers the condition\n\nAND\n\n• the treatment is a good use of resources.\n\n"
            "Requests are screened first.\n\nOR")
    passages = [_passage(text)]
    lead_text = text[:text.index("\n")]
    quoted = [q[3] for q in expand_lead_ins([(0, 0, len(lead_text), lead_text)], passages)]
    assert quoted == [lead_text, "• the patient is clinically exceptional", "OR", "• no policy covers the condition", "AND",
                      "• the treatment is a good use of resources."]


def test_a_connector_line_continues_a_list_only_for_the_answerer_and_only_between_items() -> None:
    from assistant.text.sentences import is_connector, list_after

    run = ["It is funded where:", "a) the case is exceptional", "and / or", "b) no policy applies", "OR", "The panel meets."]
    assert list_after(run, 0, connectors=True) == 4  # the "OR" before prose is not part of the list
    assert list_after(run, 0) == 2  # chunking (the default) keeps its own rule
    assert [is_connector(t) for t in ["OR", "and;", "and / or", "Or else", "ORCHID"]] == [True, True, True, False, False]



def test_a_lead_in_is_scored_with_items_that_lost_their_markers_or_share_its_bullet() -> None:
    texts = ["Trusts are asked to act by:", "standardising the 6 core components of practice", "scaling up adoption across sites",
             "Funding is reviewed yearly and reported to the board.",
             "• agree budgets In addition, boards should weigh these principles:", "• safeguard quality", "• protect access",
             "The panel decides:", "a) to fund", "OR", "b) to refuse"]
    candidates = [(0, 100 * i, 100 * i + len(t), t) for i, t in enumerate(texts)]
    before: list[int | None] = [None, *range(len(texts) - 1)]
    lists = list_items(before, candidates, limit=10)
    assert lists[0] == [1, 2]  # unmarked fragments, up to the full sentence after them
    assert lists[4] == [5, 6]  # an item introducing items of its own bullet: the run that follows
    assert lists[7] == [8, 10]  # "OR" joins the two items and is no item itself
    assert [bool(x) for i, x in enumerate(lists) if i not in (0, 4, 7)] == [False] * 8


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Systems are asked to do this by:", True),
        ("They may do so through:", True),
        ("These include:", True),
        ("In these instances the options are:", False),  # "these" before a noun names what it means
        ("This section sets out:", False),
        ("The board will consider:", False),  # no reference
        ("Systems are asked to do this by working with partners.", False),  # not a lead-in
        ("Systems are asked to do this, working with their partners in each place and across the region, by:", False),  # long
    ],
)
def test_lead_in_refers_back(sentence: str, expected: bool) -> None:
    assert lead_in_refers_back(sentence) is expected


def test_a_lead_in_that_refers_back_is_read_with_the_sentence_before_it_and_its_list() -> None:
    # "How will trusts build on the momentum?": the question's words are in the sentence before "do this by:",
    # the answer in the list after it
    texts = ["Trusts should build on the current momentum for neighbourhood care.", "Trusts are asked to do this by:",
             "• standardising core components", "• evaluating the impact"]
    candidates = [(0, 100 * i, 100 * i + len(t), t) for i, t in enumerate(texts)]
    before: list[int | None] = [None, 0, 1, 2]
    leans_on = antecedents(before, candidates)
    assert leans_on == [None, 0, None, None]
    lists = list_items(before, candidates, limit=10)
    question = "How will trusts build on neighbourhood care momentum?"
    stats = TermStats.from_texts(texts)
    qvec = np.array([1.0, 0.0])
    vecs = np.array([[0.9, np.sqrt(0.19)], [0.3, np.sqrt(0.91)], [0.5, np.sqrt(0.75)], [0.5, np.sqrt(0.75)]])
    scored = _scored([0.7, _blend(0.3, 0.1, 0), 0.3, 0.3], texts)
    alone = with_lists(terms(question), qvec, scored, vecs, lists, stats, _blend, 0.5)
    read_with = with_lists(terms(question), qvec, scored, vecs, lists, stats, _blend, 0.5, leans_on)
    assert read_with[1].support > alone[1].support > scored[1].support
    assert read_with[0] == scored[0] and read_with[2:] == scored[2:]


def test_items_chosen_apart_from_their_lead_in_are_quoted_inside_the_list_in_its_order() -> None:
    # "How much notice must the chief executive give?": item a) holds the answer and is chosen first, the lead-in
    # and item c) after it; the answer reads the list once, whole, from its lead-in, where a) was chosen
    text = ("1.6.2 Changes are made as follows:\na) The Chief Executive gives 7 days' notice.\nb) The Chair is consulted.\n"
            "c) The Board approves the change.\n\n1.6.3 Other matters are set out in the standing orders.")
    passages = [_passage(text)]

    def quote(s: str) -> tuple[int, int, int, str]:
        at = text.index(s)
        return (0, at, at + len(s), s)

    other = quote("1.6.3 Other matters are set out in the standing orders.")
    chosen = [quote("a) The Chief Executive gives 7 days' notice."), other, quote("1.6.2 Changes are made as follows:"),
              quote("c) The Board approves the change.")]
    assert [q[3] for q in expand_lead_ins(chosen, passages)] == [
        "1.6.2 Changes are made as follows:", "a) The Chief Executive gives 7 days' notice.", "b) The Chair is consulted.",
        "c) The Board approves the change.", other[3]]


# -- a list written inside one sentence ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The group is: the chair, the case manager and a pharmacist.", (14, 59)),
        ("Note: the panel met twice.", None),  # one thing after the colon
        ("The chair, the manager and the pharmacist attend.", None),  # no colon
    ],
)
def test_inline_list(sentence: str, expected: tuple[int, int] | None) -> None:
    from assistant.text.sentences import inline_list

    assert inline_list(sentence) == expected


def test_a_list_inside_a_long_sentence_is_never_cut_to_its_first_item() -> None:
    from assistant.answering.spans import answer_span

    sentence = ("The screening group is made up of the following members: Dr Jane Smith as chair, the case manager, "
                "public health consultants drawn from each region, pharmacy leads for the cases in question, and a "
                "representative of the dental commissioning team where needed.")
    assert answer_span("Who makes up the screening group?", sentence) == (0, len(sentence))
    # without a list, the same question is still quoted from the clauses that answer
    prose = ("Over the past year, and after a long consultation with regional teams and patients, the board "
             "decided that Dr Jane Smith would chair the screening group, which meets monthly by video call from May.")
    a, b = answer_span("Who chairs the screening group?", prose)
    assert a > 0 and "Jane Smith" in prose[a:b]


def test_a_chain_of_referents_keeps_the_chosen_sentence_last() -> None:
    # 5 ("Overall, this means ...") leans on 4 ("While this provides ..."), which leans on 3: all three, in order
    leans_on = [None, None, None, None, 3, 4]
    assert with_referents([5], leans_on) == [3, 4, 5]
    assert with_referents([1, 5], leans_on) == [1, 3, 4, 5]
