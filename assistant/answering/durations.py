"""Whether a length of time or deadline in a sentence is the one for the event a question times (pure, no model).

"How long does NHS England have to make an IFR decision?" times a *decision*. "Requests must be lodged within
20 working days of the letter setting out the decision" names a decision too, but its 20 days time the
*request*: the decision is the anchor the period runs from. So a period answers only when the asked event is
said in the period's own clause, outside its anchor:

- the **timed event** of a question is its verb and that verb's object head ("request a *review*"), read after
  the question's auxiliary ("must a patient *request* a *review*", "be *convened*", "have to *make* a
  *decision*"); a light verb (make, take, give, ...) times its object only;
- a **period's clause** is the sentence part it stands in: parts are split at semicolons, after a leading
  subordinate clause ("If the Chair fails to act within 7 days, the Members may ...") and before a trailing one
  (", after the trust has published ..."); its **anchor** is the
  "of / from / after / following ..." phrase right after it ("within 20 days *of the decision*");
- a verb the sentence never uses may be a paraphrase ("decide" said as "determine"): then the thing acted on
  decides, and the actor's being in the period's clause rescues a thing found only in the anchor; a sentence
  with none of verb, thing and actor times something else.

Example::

    >>> q = "How long does the board have to make a decision?"
    >>> times_event(q, "Appeals must be lodged within 20 days of the decision.", (30, 37))
    False
    >>> times_event(q, "A decision will be made within 20 days of the request.", (31, 38))
    True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.terms import STOPWORDS, terms

Span = tuple[int, int]

# A question that times something: "how long / soon / quickly", "within how many days / what period", "by when".
_TIMES = re.compile(
    r"\b(?:how (?:long|soon|quickly|much notice)|(?:with)?in (?:how many|what)\b(?:\s+[\w-]+){1,3}?|how many (?:[\w-]+ ){0,2}?"
    r"(?:days|weeks|months|years)|by when|by what (?:date|time))\b"
    # "when" that asks ("When must ...?"), not one that sets the scene ("What job did she hold when she was picked?")
    r"|^\W*when\b|\bwhen(?=\s+(?:is|are|was|were|will|would|should|must|can|could|does|do|did|has|have|had|may|shall)\b)"
    r"|\b(?:deadline|time ?limit|timescale|timeframe|time frame|notice period)\s+(?:for|to)\b", re.I)
_AUX = frozenset("does do did must should will would can could is are was were has have had may might shall need needs".split())
# Words that open a subordinate clause: what follows times another event ("... after the review panel asks ...")
_SUBORDINATORS = frozenset("after before once until unless if whenever while when where because".split())
_BE = frozenset("is are was were has have had".split())  # before a participle that ends the question
_DETERMINERS = frozenset("a an the its their his her our this that these those any each every all such".split())
# Light verbs: what they time is their object ("make a decision", "take action", "give notice").
_LIGHT = frozenset("make makes take takes have has give gives get gets do does put puts carry carries be".split())
# What may follow a verb before its object ("decide on a request", "respond to a complaint").
_PARTICLES = frozenset("on to for about with upon".split())
_UP_TO = frozenset("before after until till while".split())  # before an act that bounds a period ("count before withdrawing")
_PREPOSITIONS = frozenset("after before within by during following until since from between without against".split())
# A period ("20 working days", "two weeks", "12 months'"), whatever the kind the question asked for matched.
_PERIOD_TAIL = re.compile(r"[\s-]*(?:(?:further|more|additional|consecutive|full|working|calendar|clear|business)\s+){0,2}"
                          r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|fortnights?)\b['’]?(?:\s+notice\b)?", re.I)
# The anchor a period runs from: "within 20 days *of the letter ...*", "*from receipt*", "*after the meeting*".
_ANCHOR = re.compile(r"\s*(?:on\s+from|of|from|after|following|since|before|prior to)\b[^,;]*", re.I)  # "a year *on from* ..."
# "How long after <A> did <B>?": the interval from one event (the anchor, A) to the one asked about (B).
_FROM_EVENT = re.compile(r"\bhow (?:long|soon|many (?:days|weeks|months|years))\s+(?:after|since|following|before)\s+", re.I)
_B_AUX = frozenset("did does do will would was were is are has have had must should can could may".split())
# A sentence opening with a subordinate clause ("If ...", "Where ...", "Should ...") ends it at the comma before
# the main clause's subject (not at ", or fails," inside it).
# (Only conjunctions: "Before the year's out, a report will be published" opens with a phrase that times the rest.)
_SUBORDINATE = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s+|[a-z]\)\s+|[•\-–]\s+)?(?:if|when|where|whenever|unless|once|should"
                          r"|although|though|while|whilst|in the event)\b", re.I)
_MAIN_START = re.compile(r",\s+(?=(?:the|a|an|this|these|that|those|it|they|he|she|we|you|each|all|any|no|[A-Z][\w-]*)\b)(?!(?:and|or|but|then)\b)")
# Where a clause ends inside a sentence: a semicolon, or a comma before a trailing subordinate clause ("..., after
# the trust has published ..."); not ", and the ...", which often joins the names of a list, not clauses.
_COORDINATED = re.compile(r";\s*|,\s+(?=(?:after|before|once|when|where|whereas|which|if|unless|although|while|whilst|until)\b)",
                          re.I)


def asks_timing(question: str) -> bool:
    """Whether ``question`` asks how long, how soon, within what period or by when something happens (pure)."""
    return bool(_TIMES.search(question))


@dataclass(frozen=True)
class TimedEvent:
    """What a timing question times, as word-family keys (``event_key``)."""

    verb: frozenset[str]
    """Its verb, unless light ("make a decision" times the decision)."""
    thing: frozenset[str]
    """The head of the verb's object ("request a *review*"), or of a light verb's ("make an IFR *decision*")."""
    actor: frozenset[str]
    """The subject's head ("must the Screening *Group* decide"; "the IFR Panel *Chair*" is not the IFR Panel)."""


@lru_cache(maxsize=1024)
def timed_event(question: str) -> TimedEvent | None:
    """The event ``question`` times, or None when it times nothing or its words cannot be read (pure)."""
    found = _TIMES.search(question)
    if not found:
        return None
    rest = re.split(r"\?|,?\s+and\s+(?:how|when|by|what|within|where)\b", question[found.end():], maxsplit=1)[0]
    words = re.findall(r"[A-Za-z][\w'’-]*", rest)
    if not words:
        return None
    if found.group(0).lower().endswith(("for", "to")):
        if words[0].lower().endswith("ing"):  # "the deadline for *asking* for a review"
            return _event(words, 0, [])
        verb = _verb(words, 0)  # "the time limit for a patient *to ask* ...", or a noun: not read
        return _event(words, verb, words[:verb]) if verb is not None else None
    aux = next((i for i, w in enumerate(words) if w.lower() in _AUX), None)
    if aux is None:
        return None
    # the asked event is the main clause's: "must the Panel *reconvene* | after the review panel asks it to reconsider"
    cut = next((i for i in range(aux + 2, len(words)) if words[i].lower() in _SUBORDINATORS), None)
    if cut is not None:
        words = words[:cut]
    verb = _verb(words, aux + 1)
    if verb is None and cut is not None and words[-1].islower() and words[-1].lower() not in STOPWORDS:
        verb = len(words) - 1  # the clause ends in its verb ("must the IFR Panel reconvene")
    return _event(words, verb, words[aux + 1:verb]) if verb is not None else None


def _verb(words: Sequence[str], start: int) -> int | None:
    """Index of the main verb after the inverted auxiliary (the subject comes first), or None. In order: the word
    after "be" ("be *convened*"); an infinitive ("have to *make*"); a participle ending the question ("is the
    outcome of IFR screening *communicated*"); the first lower-case word right before a determiner ("a patient
    *request* a review") or right after a capitalised name ("the IFR Panel Chair *write* to ...")."""
    low = [w.lower() for w in words]
    last = len(words) - 1
    infinitive = [i < last and low[i] == "to" and low[i + 1] not in _DETERMINERS and low[i + 1] not in STOPWORDS
                  for i in range(len(words))]
    be = next((i + 1 for i in range(start, last) if low[i] in ("be", "been")), None)
    if be is not None:
        return be
    plain = [start < i < last and not infinitive[i + 1] and words[i].islower() and low[i] not in STOPWORDS
             and low[i] not in _DETERMINERS | _PREPOSITIONS | _PARTICLES for i in range(len(words))]
    infinitive_verb = next((i + 1 for i in range(start, last) if infinitive[i]), None)
    if infinitive_verb is not None:  # ("have | to make", "give | to call": the infinitive is the verb)
        return infinitive_verb
    if last > start > 0 and low[start - 1] in _BE and low[last].endswith("ed"):
        return last
    # a verb without an object, timed up to another act: "should the individual *count* | before withdrawing the needle"
    # (the act after "before" is where the period ends, not what it times)
    # (the first such word, unless a verb with an object comes before it: "*hold* the inhaler | before breathing out")
    before_act = next((i for i in range(start, last - 1) if plain[i] and low[i + 1] in _UP_TO and low[i + 2].endswith("ing")), None)
    # the first lower-case word before a determiner ("a", not "A&E") or after a name (not after a possessive: "a
    # Member's term" is no name before a verb)
    verb = next((i for i in range(start, last) if plain[i] and (words[i + 1] in _DETERMINERS or (
        not words[i - 1].islower() and not words[i - 1].endswith(("'s", "’s"))))), None)
    return min((i for i in (before_act, verb) if i is not None), default=None)


def _event(words: Sequence[str], verb: int, subject: Sequence[str]) -> TimedEvent:
    """The verb at ``verb`` (unless light), the head of the noun run after it (past determiners and particles), and
    the head of ``subject``."""
    low = [w.lower() for w in words]
    i = verb + 1
    while i < len(words) and (low[i] in _DETERMINERS or low[i] in _PARTICLES):
        i += 1
    run: list[str] = []
    passive = verb > 0 and low[verb - 1] in ("be", "been")  # "be circulated to members": no object after it
    while not passive and i < len(words) and low[i] not in STOPWORDS | _AUX | _PREPOSITIONS and not (run and low[i].endswith("ed")):
        run.append(words[i])
        i += 1
    thing = run[-1] if run and _keys(run[-1]) else ""
    # the subject ends before "have to", "need to", an adverb: "the Screening Group | normally take to decide"
    subject = list(itertools.takewhile(lambda w: w.lower() not in _LIGHT | _AUX | {"to"} and not w.endswith("ly"), subject))
    return TimedEvent(frozenset() if low[verb] in _LIGHT else frozenset(_keys(words[verb])),
                      frozenset(_keys(thing)), frozenset(next((_keys(w) for w in reversed(subject)
                                                               if w.lower() not in _AUX and _keys(w)), [])))


def event_key(stem: str) -> str:
    """A stem's word family: its first six letters, with a final "-d(e)", "-t" or "-ic" read as "-s" (decide /
    decision, respond / response, submit / submission, publish / publication share one; complete and complaint
    do not) (pure)."""
    stem = stem.rstrip("e")
    return (stem[:-1] + "s" if stem.endswith(("id", "ud", "nd", "it", "ic")) else stem)[:6]


def _keys(text: str) -> list[str]:
    return [event_key(s) for s in terms(text)]


def clause_of(sentence: str, at: int) -> Span:
    """The part of ``sentence`` that position ``at`` stands in: semicolons and a leading or trailing
    subordinate clause split a sentence into parts (pure)."""
    cuts = [0, len(sentence)]
    if _SUBORDINATE.match(sentence):
        main = _MAIN_START.search(sentence)
        if main:
            cuts.append(main.start())
    cuts += [m.start() for m in _COORDINATED.finditer(sentence)]
    cuts.sort()
    start = max(c for c in cuts if c <= at)
    end = min(c for c in cuts if c > at) if at < len(sentence) else len(sentence)
    return start, end


def period_extent(sentence: str, span: Span) -> tuple[Span, Span]:
    """The period a matched span stands in (a number with its unit: "20" -> "20 working days") and its anchor
    ("of the decision"), each as offsets into ``sentence``; an empty anchor when none follows (pure)."""
    a, b = span
    tail = _PERIOD_TAIL.match(sentence, b)
    if tail:
        b = tail.end()
    anchor = _ANCHOR.match(sentence, b)
    return (a, b), ((anchor.start(), anchor.end()) if anchor else (b, b))


def times_event(question: str, sentence: str, span: Span) -> bool:
    """Whether the period or date at ``span`` in ``sentence`` times the event ``question`` asks about (pure).

    Said in the period's clause outside its anchor, the verb times it. A verb the sentence never uses may be
    said another way ("decide" as "determine"): then the thing it acts on must be there, or, when the thing is
    only in the anchor ("within 12 days of a reconsideration form"), the question's actor must be ("the
    Screening Group will determine, within ..."). A sentence naming neither the verb nor the thing times the event
    only if it names the actor ("NHS England has to respond to a complaint" is not timed by "the completed letter
    will be sent within 7 days"); a question without all three is not judged on such a sentence.
    """
    event = timed_event(question)
    if event is None:
        return True
    said = set(_keys(sentence))
    (a, b), (c, d) = period_extent(sentence, span)
    start, end = clause_of(sentence, a)
    outside = set(_keys(sentence[start:a] + " " + sentence[b:c] + " " + sentence[d:max(d, end)]))
    if event.verb & said:
        return bool(event.verb & outside)
    if event.thing & said:
        return bool(event.thing & outside or (event.verb and event.actor & outside))
    return not (event.verb and event.thing and event.actor) or bool(event.actor & said)


def timing_spans(question: str, sentence: str, found: list[Span]) -> list[Span]:
    """The spans of ``found`` that time the event ``question`` asks about, when it asks how long or by when (pure)."""
    if not found or not asks_timing(question):
        return found
    return [s for s in found if times_event(question, sentence, s)]


def anchor_and_event(question: str) -> tuple[str, str] | None:
    """``(A, B)`` of "How long after <A> <aux> <B>?": the event the interval runs from ("ICSs were set up") and the
    clause of the one it runs to, from its auxiliary on ("did the government publish its response ..."); None
    for another question. B opens at the last auxiliary, since A may have its own ("were set up") (pure)."""
    found = _FROM_EVENT.search(question)
    if not found:
        return None
    rest = re.split(r"\?|,?\s+and\s+(?:how|when|by|what|within|where)\b", question[found.end():], maxsplit=1)[0]
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", rest))
    aux = [i for i, w in enumerate(words) if w.group(0).lower() in _B_AUX and 0 < i < len(words) - 1]
    if not aux:
        return None
    cut = words[aux[-1]].start()
    return rest[:cut].strip(), rest[cut:].strip()


def runs_from_anchor(question: str, sentence: str, spans: Sequence[Span], setting: str) -> bool:
    """Whether a period in ``sentence`` (one of ``spans``) answers "How long after <A> did <B>?" though the
    sentence does not tell B: the period runs from an anchor of its own ("Almost a year on from their
    establishment, ...") in a sentence naming A's subject ("ICSs"), and ``setting`` (what comes right before the
    sentence in its passage) tells B, its verb and its object both ("The Government has today published its joint
    response ..."). The anchor is often A reworded ("set up" as "establishment"), so A's subject stands for it (pure)."""
    between = anchor_and_event(question)
    if between is None or not tells_asked_event(question, setting):
        return False
    anchor_words = set(_keys(between[0]))
    for span in spans:
        (_, b), (c, d) = period_extent(sentence, span)
        start, end = clause_of(sentence, span[0])
        if c < d and anchor_words & set(_keys(sentence[start:max(d, end)])):
            return True
    return False


def tells_asked_event(question: str, text: str) -> bool:
    """Whether ``text`` tells B of "How long after A did B?", its verb and its object both ("The Government has today
    published its joint response ..." for "... did the government publish its response ..."); False for another
    question (pure)."""
    between = anchor_and_event(question)
    # B read alone: "how long after ICSs were set up *did the government publish* ...", not A's "were set up"
    event = timed_event(f"How long {between[1]}?") if between is not None else None
    if event is None or not (event.verb or event.thing):
        return False
    told = set(_keys(text))
    return event.verb <= told and event.thing <= told
