"""What a question turns on, and whether a supporting text meets it (pure functions, no model).

A passage on the same topic is not an answer: "On what date was the final report published?" is not
answered by a sentence giving another date about the review, nor "What is the Category 1 response
time target?" by the Category 2 target, nor "What dementia diagnosis rate target ...?" by the 18-week
elective target. Before a sentence may answer (extractive quotes, or a model's claims), the things the
question turns on must be in it, or in its passage (``context``: the passage text, title, section):

- **labelled figures** ("Category 1", "segment 5", "version 1.7", "episode 14"): the label with that
  number; a sentence that names the label with *another* number ("Category 2") does not meet it;
- **figures and years** ("£2 billion", "in 2023/24"): the number, in the sentence or its passage;
- **names and codes** (capitalised words that do not open the question, acronyms, "SGLT2",
  "PR00557") and **quoted phrases**: in the sentence or its passage, an acronym also by the long
  form the passage defines ("integrated care boards (ICBs)");
- **qualifiers**: in a run of content words ("the final report", "dementia diagnosis rate target",
  "urgent IFR"), the words before the run's head (its last word), for figure, date and name questions.
  When the sentence has the head, the qualifiers must be somewhere in what was retrieved (requiring
  them in the sentence itself refused answerable, paraphrased questions). A head the sentence never
  uses asks nothing. One word right before an acronym ("an *urgent* IFR") qualifies it in any
  question, and strictly: where the sentence names the acronym it must have the word too, and where
  only its passage does, the passage.

Words match by stem (``assistant.text.terms``). Qualifiers that do not narrow anything ("current",
"key", "main") are ignored.

Example::

    >>> unmet_constraints("What is the Category 1 response time target?",
    ...                   "The Category 2 response time target is 30 minutes.")
    ['Category 1']
    >>> unmet_constraints("When will the interim report be published?",
    ...                   "Before the year's out, an interim report will be published.")
    []
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answering.answer_kinds import ANSWER_TYPES, KINDS, LABEL_BEFORE, NUMBER_OF, answer_kind
from assistant.answering.asked_kin import kind_nouns
from assistant.answering.asked_periods import asked_period, states_period, worded_as_baseline
from assistant.answering.asked_type import asked_type
from assistant.answering.consequences import asked_consequence, states_consequence
from assistant.answering.counted import counts_parts_of, day_of_month, in_url, share_of_other
from assistant.answering.fates import asked_predicates, states_predicate
from assistant.answering.frequencies import FREQUENCY_WORDS
from assistant.answering.medicines import is_medicine
from assistant.answering.modifiers import GENERIC as _GENERIC
from assistant.answering.money_shares import is_percentage, names_money
from assistant.answering.negated_dates import negated_time
from assistant.answering.negated_kinds import asked_non_kinds, names_contrary
from assistant.answering.noun_runs import RUN_VERBS, ends_noun_run
from assistant.answering.people_shares import PEOPLE, states_people_share
from assistant.answering.post_holders import asked_post
from assistant.answering.price_words import states_price_bound
from assistant.answering.ranking import (
    asked_ranking,
    asks_limit,
    described_degree,
    ranked_head,
    states_bound,
    states_ranking,
)
from assistant.answering.roles import TIME_UNIT, in_role, timed_object
from assistant.answering.sectors import asked_sectors, other_sector, placed_elsewhere
from assistant.answering.sibling_kinds import one_kind, sibling_of
from assistant.text.nhs_acronyms import standard_long_form
from assistant.text.number_words import NUMBER_STEMS, ONE, spelled_stems
from assistant.text.phrases import QUOTED, holds_phrase, phrase_of
from assistant.text.sentences import clean_sentence
from assistant.text.terms import STOPWORDS, acronyms, expand, spelled_out, terms

# Words that ask rather than say: never constraints, and they end a run of content words (prepositions too:
# "insight *beyond* NHS datasets" does not make "beyond" a kind of NHS).
_ASKING = frozenset(
    """what which who whom whose when where why how does do did is are was were will would should shall can could
    may might must has have had be been being the a an of in on at to for by with from about into than then
    there their they it its this that these those as or and any all each other such per before after since within
    without while during if whether also not no nor only still yet just ever
    beyond across among amongst between through throughout towards toward against via upon onto outside inside
    beside besides despite except excluding including unlike versus above below
    tell give list describe explain name please say says said according set sets""".split()
)
ASKING, GENERIC = _ASKING, _GENERIC  # read by ``answerability`` (``asked_things``)
# A word that labels a number: "Category 1", "segment 5", "version 1.7", "episode 14", "phase 2".
_LABELLED = re.compile(r"\b([A-Za-z][A-Za-z-]{2,})(?:\s+|\s*[:|]\s*)[Vv]?(\d+(?:\.\d+)*[a-z]?)\b(?![-/]\w)")  # "Version: V1.5" too
# Words before a number that date or bound it rather than label it ("March 2026", "minimum 4", "beyond 2025").
_NOT_LABELS = frozenset(
    """january february march april may june july august september october november december spring summer autumn
    winter early late mid end start beginning minimum maximum least most over under around about beyond nearly
    almost approximately some every each national top first last year years full-year""".split()
)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_NUMBER = re.compile(r"(?<![\w.])£?(\d+(?:[.,]\d+)*)(?:\s*/\s*(\d{2,4}))?(?![\w])")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])(?!\d+-[a-z])[A-Za-z0-9-]{2,}$")  # "SGLT2", "PR00557", "GLP-1"; not "4-hour"
_UNIT_COMPOUND = re.compile(r"\d+(?:\.\d+)?\s?[A-Za-z]{1,4}/\d*(?:\.\d+)?\s?[A-Za-z]{1,4}\b")  # "4mm/31g", "10mg/5ml", "20 mg/ml"
_WORD = re.compile(r"£?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[A-Za-z0-9£][\w£&'’.-]*\w(?:/\d{2,4})?|[A-Za-z0-9]")


_ATTRIBUTE = re.compile(r"\bwhat (?:is|are|was|were) the ((?:[\w-]+ ){0,3}?[\w-]+?)(?= of | for | in | on | that | does | do |\?|$)", re.I)


def asked_attribute(question: str) -> tuple[str, ...]:
    """Stems of what "What is the X of Y?" asks for: X ("publication reference"), or the post "Who is the X of Y?"
    asks the holder of, or () (pure)."""
    found = _ATTRIBUTE.search(question)
    return tuple(dict.fromkeys(terms(found.group(1) if found else " ".join(asked_post(question)))))


def answer_type_match(question: str, sentence: str) -> bool | None:
    """Does the sentence hold what the question asks for (a figure, date, code or name)?

    None when the question asks for no particular kind of thing (pure). A list marker ("4.", "1.1.3")
    or what the question itself says ("the 10 Year Health Plan", "in 2025/26") does not count.
    """
    if not any(asks.search(question) for asks, _ in ANSWER_TYPES):
        return None
    return bool(typed_matches(question, sentence))


def asking_part(question: str) -> str:
    """The sentences of ``question`` that ask (end in "?"), without a preamble that gives background
    ("The guidance set X in December. When is it due now?"); the whole question when none or all ask (pure)."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", question.strip())
    asking = [x for x in sentences if x.rstrip().endswith("?")]
    return " ".join(asking) if asking and len(asking) < len(sentences) else question


_SECOND_PART = re.compile(r",?\s+and\s+(?:[\w’']+\s+){0,3}?(?:what|which|who|whom|when|where|how|why)\b", re.I)


def asks_two_things(question: str) -> bool:
    """The question asks two things joined by "and" ("Who signed it, and when is it due for review?") (pure)."""
    return bool(_SECOND_PART.search(asking_part(question)))


def typed_matches(question: str, sentence: str) -> list[tuple[int, int]]:
    """Spans of ``sentence`` holding the kind of thing ``question`` asks for, not already in what it asks (pure)."""
    own = {m.group(0).casefold() for _, holds in ANSWER_TYPES for m in holds.finditer(asking_part(question))}
    marker = len(sentence) - len(sentence.lstrip())
    lead = re.match(r"\s*(?:\S+\s+)?", sentence)
    if lead and clean_sentence(sentence) != " ".join(sentence.split()):  # a list marker opens it: skip past it
        marker = lead.end()
    if (re.match(r"\s*\d{1,3}\s", sentence[marker:]) and _REFERENCE.search(sentence)) or _VIEWED.search(sentence):
        # a reference entry ("1 Darzi A. ... 2024. https://...", "... (viewed on 18 June 2025)") answers nothing;
        # its numbers measure nothing
        return []
    footnote = _FOOTNOTE.match(sentence, marker)
    if footnote:  # "2 NHS Staff Survey.": a footnote's number is a marker, not a figure
        marker = footnote.end(1)
    asked = {w.casefold() for w in re.findall(r"[A-Za-z][\w-]*", asking_part(question))}
    focus = _focus(question) if _COUNTED.search(question) else None  # what "how many <people>" counts
    counted_stem = focus.stems[0] if focus else ""
    for kind, (asks, holds) in enumerate(ANSWER_TYPES):
        if asks.search(question):
            found = [m.span() for m in holds.finditer(sentence, marker) if m.group(0).casefold() not in own]
            name = KINDS[kind]
            found = in_role(asking_part(question), name, sentence, found)  # of the kind asked, in the role asked
            found = [(a, b) for a, b in found if not in_url(sentence, a, b)]  # "framework-2025-26/": an address, no date
            if name == "figure":
                # a number that labels ("Appendix eight", "Category 2", "section 14") counts or measures nothing, and
                # "how many people" is not answered by "52 weeks": a span of time counts time, not the thing asked about
                found = [(a, b) for a, b in found if not LABEL_BEFORE.search(sentence, 0, a)
                         and not _other_unit(sentence[b:b + 24], counted_stem)
                         # the day of a date ("1 October") counts nothing; a percentage in a sentence that never
                         # names what "how many <posts>" counts is a share of something else: ``counted``
                         and not day_of_month(sentence, a, b)
                         and not part_of_period(sentence, a, b)
                         # "the four core purposes of ICSs" counts purposes, not ICSs
                         and not counts_parts_of(sentence, a, b, counted_stem)
                         and not (not ASKS_SHARE.search(asking_part(question)) and share_of_other(sentence, a, b, counted_stem))]
                if ASKS_SHARE.search(asking_part(question)):
                    # "what percentage of requests ..." is answered by a share ("12%", "half", "one in five"), not by
                    # a count ("on *one* part of the criteria")
                    found = [(a, b) for a, b in found if is_share(sentence, a, b)]
                if not ASKS_FREQUENCY.search(question):
                    # "annual" says how often, not how many hours or how much
                    found = [(a, b) for a, b in found if sentence[a:b].casefold() not in _FREQUENCY_ADJECTIVES]
            if name == "money" and not names_money(sentence):
                # "19% more staff" is a share of something else, not a sum spent: ``money_shares``
                found = [(a, b) for a, b in found if not is_percentage(sentence[a:b])]
            if name == "date":  # "will not be segmented this year" says when it does not happen: ``negated_dates``
                found = [(a, b) for a, b in found if not negated_time(sentence, a, b)]
            if name == "date" and ASKS_CALENDAR_DATE.search(asking_part(question)):
                # "On what date ...?" asks for a day on the calendar: "next year" or "before the year's out" is
                # a time, not a date ("When ...?" accepts both)
                found = [(a, b) for a, b in found if HOLDS_CALENDAR_DATE.match(sentence[a:b])] + [
                    m.span() for m in DATE_OF_EVENT.finditer(sentence, marker)]
            elif name == "figure" and ASKS_FREQUENCY.search(asking_part(question)):
                # "how often" is answered in words as well as figures: "almost every working day", "weekly", "as needed"
                found += [m.span() for m in FREQUENCY_WORDS.finditer(sentence, marker) if m.span() not in found]
            elif name == "name":
                # "The Deputy Chair" for "Who is the Deputy Chair?" restates the question; a name says something new
                found = [(a, b) for a, b in found
                         if any(w.casefold() not in asked for w in sentence[a:b].split() if w.casefold() not in _ARTICLES)]
            return found
    return []


# "what percentage / proportion / share of ...": a share is asked for
ASKS_SHARE = re.compile(r"\bwhat (?:percentage|proportion|share|fraction)\b|\bwhat %|\bhow many (?:per ?cent|percent)\b", re.I)
_SHARE_AFTER = re.compile(r"\s?(?:%|per ?cent\b|percent\b)|\s+(?:in|out of)\s+(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_SHARE_WORDS = frozenset("half double".split())


# "the first half of 2024/25", "the second quarter": a part of a period says when, not how much
_PERIOD_PART = re.compile(r"\b(?:first|second|third|fourth|final|last|latter|former)\s+$", re.I)
_OF_PERIOD = re.compile(r"\s+of\s+(?:the\s+|this\s+|each\s+|that\s+)?(?:(?:19|20)\d{2}\b|year|financial|month|decade|century|quarter)", re.I)


def part_of_period(sentence: str, a: int, b: int) -> bool:
    """Whether the figure word at ``sentence[a:b]`` names a part of a period ("the first *half* of 2024/25") (pure)."""
    return (sentence[a:b].casefold() in ("half", "quarter") and bool(_PERIOD_PART.search(sentence, 0, a))
            and bool(_OF_PERIOD.match(sentence, b)))


def is_share(sentence: str, a: int, b: int) -> bool:
    """Whether the figure at ``sentence[a:b]`` is a share: a percentage, "one in five", "3 out of 4", "half" (pure)."""
    text = sentence[a:b].casefold()
    return text == "%" or text in _SHARE_WORDS or bool(_SHARE_AFTER.match(sentence, b))


# "how often", "how many times a year": only then is "annual" or "quarterly" an answer
ASKS_FREQUENCY = re.compile(r"\bhow (?:often|frequently)\b|\btimes\b|\b(?:a|per|each|every) (?:year|annum|quarter|month)\b", re.I)
_FREQUENCY_ADJECTIVES = frozenset(("annual", "quarterly"))


# "what date / which day / on what date": a calendar date is asked for, not any time ("what year" and "when" take "next year")
ASKS_CALENDAR_DATE = re.compile(r"\b(?:what|which)\s+(?:exact\s+|precise\s+|specific\s+)?(?:date|day)\b(?![-\w])", re.I)
# "back-dated to the date on which the application was made": a date fixed by an event is a date too
DATE_OF_EVENT = re.compile(r"\bthe (?:same |following |next )?(?:working )?(?:date|day) (?:on which|of|when|that)\b", re.I)
HOLDS_CALENDAR_DATE = re.compile(
    r"(?:19|20)\d{2}\b|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")


_FOOTNOTE = re.compile(r"\s*(\d{1,2})\s+(?=[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*[.:]?\s*$)")  # "2 NHS Staff Survey."
_REFERENCE = re.compile(r"https?://|\bwww\.", re.I)
_VIEWED = re.compile(r"\b(?:viewed|accessed|retrieved)(?: on)? \d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ (?:19|20)\d{2}\b")
_ARTICLES = frozenset("the a an this that our its their".split())


def _other_unit(after: str, counted_stem: str) -> bool:
    """Whether a number followed by ``after`` counts a unit of time or measure other than the thing counted (pure)."""
    unit = TIME_UNIT.match(after)
    return bool(unit and counted_stem and (terms(unit.group(1)) or [""])[-1] != counted_stem)


@dataclass(frozen=True)
class Constraint:
    """One thing a question turns on.

    ``kind``: ``labelled`` (a label and its number), ``figure``, ``name``, ``quoted``, ``qualifier``, ``focus``,
    ``measured``, ``asked`` (the type a "which <N>" question asks for, ``asked_type``) or ``ranking`` (a
    superlative the answering sentence must state, ``ranking``) or ``described`` (the words a superlative grades in
    the group a value question describes, "the most *complex needs*": in the sentence, ``ranking.described_degree``) or ``consequence`` (a penalty, or what follows a
    failure, ``consequences``) or ``non`` (a kind the question negates, "non-executive": ``negated_kinds``) or ``fate`` (what a yes/no question asks becomes of a thing: abolished, sold, ...,
    ``fates``).
    """

    kind: str
    text: str
    """As the question words it (what ``unmet_constraints`` reports)."""
    stems: tuple[str, ...] = ()
    """Stems to find: a name's or quoted phrase's words, a qualifier's one word, a label's word."""
    values: tuple[str, ...] = ()
    """Canonical numbers to find (figures, a label's number)."""
    head: str = ""
    """For a qualifier: the stem of the word it qualifies."""
    named: bool = False
    """For a qualifier: its head is a name or acronym ("an *urgent* IFR"), so the word is not a paraphrase of
    anything: where the sentence (or else its passage) names the head, it must have the qualifier too."""
    exclusive: bool = False
    """For a qualifier of an amount question ("how much *local authority* headcount"): a sentence naming the head
    only as another kind ("*central* headcount") does not meet it (``sibling_kinds.sibling_of``)."""
    limit: bool = False
    """For a ranking: it asks for a limit ("the highest segment it *can* be allocated to"), which a bound states
    ("no higher than 3"; ``ranking.states_bound``)."""
    share: bool = False
    """For a focus: the question asks what share of it ("what percentage of *patients*"), not how many."""
    baseline: bool = False
    """For a figure that is a period: the question names it as a comparison's baseline ("more than *in 2019*"), so a
    sentence naming it only as a baseline meets it (``asked_periods.worded_as_baseline``)."""
    aliases: tuple[str, ...] = ()
    """For an acronym the question spells out ("TPS (Transactions Per Second)"): its long form's stems, which meet
    it as well as the acronym does (the long form's own words are no constraints of their own)."""


def canonical_numbers(text: str) -> set[str]:
    """Numbers in ``text`` as canonical strings (pure): "1,500" -> "1500", "1.70" -> "1.7",
    "2025/26" -> "2025/26" (and "2026": the year it ends in)."""
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        whole, tail = m.group(1), m.group(2)
        core = whole.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole) else whole
        core = core.rstrip(".")
        if "." in core:
            core = core.rstrip("0").rstrip(".") or "0"
        out.add(core)
        if tail and _YEAR.match(core):
            end = core[: 4 - len(tail)] + tail if len(tail) < 4 else tail
            out.update({f"{core}/{end[-2:]}", end})
    return out


def question_constraints(question: str) -> list[Constraint]:
    """What ``question`` turns on, in question order (pure).

    Only its asking sentences count: a preamble ("The 2025/26 guidance set X. What does ... now set?")
    gives background that the answer need not repeat.
    """
    question = asking_part(question)
    found: list[Constraint] = []
    quoted = [(m.span(), phrase_of(m)) for m in QUOTED.finditer(question)]
    for _, inner in quoted:
        if terms(inner):
            found.append(Constraint("quoted", inner, tuple(terms(inner))))
    labelled_spans = []
    for m in _LABELLED.finditer(question):
        label, number = m.group(1), m.group(2)
        if label.lower() in _ASKING or label.lower() in STOPWORDS or label.lower() in _NOT_LABELS or not terms(label) or _YEAR.match(number):
            continue
        found.append(Constraint("labelled", f"{label} {number}", (terms(label)[0],), (_canonical(number),)))
        labelled_spans.append(m.span(2))
    spelled = spelled_out(question)
    aliases = {acronym.lower(): tuple(terms(" ".join(words))) for acronym, _, words in spelled}
    skipped = labelled_spans + [span for _, span, _ in spelled]
    words = list(_WORD.finditer(question))
    for i, m in enumerate(words):
        word = re.sub(r"['’]s$", "", m.group(0)).strip("'’-")
        if not word or any(a <= m.start() < b for (a, b), _ in quoted) or any(a <= m.start() < b for a, b in skipped):
            continue
        alias = aliases.get(word.lower()) or aliases.get(word.lower().rstrip("s"))  # "ICBs" is the "ICB" spelt out
        alias = alias or standard_long_form(word)  # "integrated care boards" in a document that never writes "ICBs"
        if unit := _UNIT_COMPOUND.match(question, m.start()):  # "4mm/31g": a size, matched as written
            found.append(Constraint("name", unit.group(0), (unit.group(0).lower(),)))
            continue
        if alias:
            found.append(Constraint("name", word, tuple(terms(word)) or (word.lower(),), aliases=alias))
        elif _CODE.match(word) and not _NUMBER.fullmatch(word):
            found.append(Constraint("name", word, tuple(terms(word)) or (word.lower(),)))
        elif is_medicine(word) and word[:1].islower():  # "the dose of dapagliflozin": a name, though lower case
            found.append(Constraint("name", word, tuple(terms(word)) or (word.lower(),)))
        elif any(ch.isdigit() for ch in word):
            values = canonical_numbers(word if "/" in word else question[m.start():m.end() + 3])
            if values:
                month = words[i - 1].group(0) if i > 0 and _YEAR.match(word) else ""
                text = f"{month} {word}" if month.lower() in _MONTHS else word  # "March 2028": a period (``asked_periods``)
                found.append(Constraint("figure", text, values=tuple(sorted(values)),
                                        baseline=worded_as_baseline(question, text)))
        elif i > 0 and word[:1].isupper() and word.lower() not in _ASKING | STOPWORDS | _MONTHS:
            stems = tuple(terms(word.split("-")[0]))  # "Covid-related": the name is "Covid"
            if stems:
                found.append(Constraint("name", word, stems))
    if answer_type_match(question, "") is not None:
        # a figure, date or name question accepts any of its kind, so its qualifiers say which one
        # ("the *dementia* diagnosis target", "the *final* report"); elsewhere they are often paraphrased
        # an amount is an amount of one kind of thing; dates and names of a two-part or preamble question are not
        # (dev q093 "final plans ... December": the sign-off of medium-term plans is its first part)
        amount = answer_kind(question) in ("money", "figure") and not asks_two_things(question)
        found.extend(replace(c, exclusive=amount) for c in _qualifiers(question))
        if sectors := asked_sectors(question):  # a figure for another NHS sector answers nothing: ``sectors``
            found.append(Constraint("sector", ", ".join(sectors), sectors))
    else:  # a name's qualifier is no paraphrase ("an *urgent* IFR"): it narrows any question
        found.extend(c for c in _qualifiers(question) if c.named)
    focus = _focus(question)
    timed = None if focus else timed_object(question)  # "how long ... must the clinician submit a <continuation>"
    if timed:
        focus = Constraint("focus", timed[0], (timed[1],))
    if focus:
        found.append(focus)
    found.extend(_measured(question))
    if asked := asked_type(question):
        found.append(Constraint("asked", asked[0], (asked[1],)))
    if not asks_two_things(question) and (ranked := asked_ranking(question)):
        found.append(Constraint("ranking", ranked[0], (ranked[1],) if ranked[1] else (), head=ranked_head(question),
                                limit=asks_limit(question, ranked[0])))
    if not asks_two_things(question) and (degree := described_degree(question)):
        found.append(Constraint("described", degree[0], degree[1], values=degree[2]))
    if not asks_two_things(question) and (follows := asked_consequence(question)):
        found.append(Constraint("consequence", f"{follows[0]}: {follows[1]}", follows))
    for word in asked_non_kinds(question):  # "a non-executive member": not "Executive members" (``negated_kinds``)
        found.append(Constraint("non", f"non-{word}", (word,)))
    for kind, word in asked_predicates(question):  # "Is X being abolished?": a sentence about X alone settles nothing
        found.append(Constraint("fate", word, (kind,)))  # (``fates``)
    unique: dict[tuple[str, str], Constraint] = {}
    for c in found:
        unique.setdefault((c.kind, c.text.lower()), c)
    return list(unique.values())


# What a typed question counts or dates: "How many <ICBs>", "what percentage of <staff>", "When was <the report> ...".
# Not "how much <work>": a mass noun is often paraphrased ("cost-weighted work" is "activity weighted for cost"), and
# "how much funding" is checked by the money answer kind instead.
_COUNTED = re.compile(r"\bhow many\s+|\bwhat (?:percentage|proportion|share|number|amount) of\s+|" + NUMBER_OF + r"\s+", re.I)
_DATED = re.compile(r"\b(?:when|how often|how frequently|what (?:date|day|month|year)|which (?:date|day|month|year))\s+(?:(is|are|was|were)|will|would|should|must|can|could)\s+", re.I)
_MONEY = frozenset(terms("spending spent cost budget funding money expenditure allocation finance financial income "
                          "investment revenue"))
# A count or share of people in general is a count or share of the population ("7% of the population")
_PEOPLE = frozenset(terms("people persons individuals"))
_POPULATION = terms("population")[0]
_SPENDING = frozenset(terms("spending spent"))  # also time: "patients spending over 12 hours in A&E"
_NOT_FOCUS = frozenset("more less fewer additional extra further new first finally eventually ever again still also".split())
_ASPECT = frozenset("start starts begin begins stop stops cease ceases continue continues keep keeps".split())
# Nouns that stand for a person the documents call by name or post
_SOMEONE = frozenset("person persons people individual individuals someone somebody man woman men women".split())
# "what share of *the* budget": a determiner before the noun run is skipped, not taken for its end
_DETERMINERS = frozenset("the a an all its their our this these those each every".split())


def _focus(question: str) -> Constraint | None:
    """The thing a figure or date question is about, as a ``focus`` constraint: the head of the noun run
    right after "how many" ("how many *ICBs*"), or the subject of "when was / when will ... be" ("when
    will the interim *report* be published"). None for other questions: without a parser, a run that
    may end in a verb ("when will ICBs take ...") is not guessed at."""
    counted = _COUNTED.search(question)
    dated = None if counted else _DATED.search(question)
    found = counted or dated
    if not found:
        return None
    run: list[str] = []
    after = ""
    for m in re.finditer(r"[\w&-]+(?:['’]s)?|[^\w\s]", question[found.end():]):
        word = re.sub(r"['’]s$", "", m.group(0))
        low = word.lower()
        if m.group(0).endswith(("'s", "’s")):
            run.clear()  # "Hewitt's final report": the possessor is not what is asked about
            continue
        if counted and not run and low in _DETERMINERS:
            continue
        if (not re.match(r"\w", word) or low in _ASKING or low in STOPWORDS or (run and low.endswith("ed") and len(low) > 4)
                or (run and ends_noun_run(low))):
            if run or counted:
                after = low
                break  # "how much will ...": no noun follows, nothing is counted
            continue
        if low in _NOT_FOCUS or (any(ch.isdigit() for ch in word) and not _CODE.match(word)):  # a code ("HbA1c") is a thing
            continue
        run.append(word)
    if dated and not dated.group(1) and after != "be":
        # "when will X <verb> ...": X's last word may be the verb, and X may be who acts ("when will NHS England
        # publish ..."); but in "which year will *ICBs* start being allocated" X is what the passive dates
        if not (after == "being" and len(run) > 1 and run[-1].lower() in _ASPECT):
            return None
        run = run[:-1]
    if dated and run and run[-1].lower() in _SOMEONE:
        return None  # "when was the person leading the review ...": a sentence names the person, not "person"
    stems = terms(run[-1]) if run else []
    share = bool(counted) and bool(ASKS_SHARE.search(found.group(0)))
    return Constraint("focus", run[-1], (stems[-1],), share=share) if stems else None


# "What <dementia diagnosis> rate target ...": the words naming what a figure measures.
_MEASURED = re.compile(r"\bwhat (?:(?:is|are|was|were) (?:the )?)?((?:(?!(?:is|are|was|were|does|do|did|will|would|should|can|could|the|a|an)\b)[\w-]+ ){1,4})"
                       r"(?:percentage|proportion|share|figure|amount|target|rate|growth)\b", re.I)


# "What is the 2025/26 target for <dementia diagnosis> rates?": the same, said after the measure.
_MEASURED_AFTER = re.compile(r"\bwhat\b.*?\b(?:target|rate|ambition|goal|trajectory|threshold)s?\s+(?:for|on)\s+"
                             r"(?:(?:the|a|an|its|their)\s+)?((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*)", re.I)


_MEASURE_FIRST = re.compile(r"\bwhat (?:percentage|proportion|share)\s+(?!of\b)([A-Za-z][\w-]*)", re.I)


def _measured(question: str) -> list[Constraint]:
    """``measured`` constraints: what "what X target / rate / percentage" (or "what target for X") measures;
    a passage that never names X cannot give its figure (pure)."""
    words: list[str] = []
    if found := _MEASURED.search(question):
        words += found.group(1).split()
    if after := _MEASURED_AFTER.search(question):
        for word in after.group(1).split():  # the noun run ends at the first function word ("... rates in 2026")
            low = word.lower()
            if low in STOPWORDS | _ASKING | _MONTHS | RUN_VERBS or (low.endswith("ed") and len(low) > 4):
                break  # a function word, a month or a verb ("... children *treated* within ...") ends it
            if low not in _NOT_FOCUS:  # "extra children" may be "additional CYP"
                words.append(word)
    if (after_measure := _MEASURE_FIRST.search(question)) and after_measure.group(1).lower() not in STOPWORDS | _ASKING:
        words.append(after_measure.group(1))  # "what percentage *discount* ...": the measure, then what it measures
    words = [w for w in words if w.lower() not in _GENERIC | _ASKING and not w.lower().startswith(("target", "rate", "growth"))]
    return [Constraint("measured", w, (terms(w)[-1],)) for w in dict.fromkeys(words) if terms(w)]


def _canonical(number: str) -> str:
    values = canonical_numbers(number)
    return min(values, key=len) if values else number


# The last word of a question whose auxiliary is inverted is its verb ("... does the guidance *set*?").
_INVERTED = re.compile(r"\b(?:what|which|who|whom|whose|how|when|where|why)\b.*?\b(?:does|do|did|will|would|should|shall|can|could|must|may|might)\b", re.I)


_NAME_HEAD = re.compile(r"^[A-Z][A-Z&]{1,6}s?$")  # an acronym: "IFR", "ICBs", "A&E"
_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
_MAX_RUN = 4
_PARTICLES = frozenset("out up off down back over forward through ahead away".split())


def _qualifiers(question: str) -> list[Constraint]:
    """Each word of a run of content words, qualifying the run's last word (its head).

    Without a parser, verbs are guessed at: the question's last word when its auxiliary is inverted
    ("... does the guidance *set*?"), a participle after a noun ("the report *published*"), and the
    first lower-case word after a name ("does NHS England *handle* requests"); a run is read from its
    last capitalised word on (names are constraints of their own).
    """
    out: list[Constraint] = []
    asking = _WH.search(question)  # "If a trust starts ..., what ...": the condition is not what is asked about
    text = re.sub(r"[\"“”‘]|['’](?!s\b)", " ", question[asking.start():] if asking else question)
    tokens = list(re.finditer(r"[\w&-]+(?:['’]s)?|[^\w\s]", text))
    last_word = max((i for i, t in enumerate(tokens) if re.match(r"\w", t.group(0))), default=-1)
    if last_word > 0 and tokens[last_word].group(0).lower() in _PARTICLES:
        last_word -= 1  # "... will the final report *come* out?": a phrasal verb's particle ends the question
    inverted = bool(_INVERTED.search(text))
    run: list[str] = []

    def close() -> None:
        capitals = [i for i, w in enumerate(run) if w[:1].isupper() or any(ch.isdigit() for ch in w)]
        if capitals == [1] and len(run) == 2 and _NAME_HEAD.match(run[1]):
            # "an urgent IFR": one word right before an acronym qualifies it (a longer run may hold a verb or
            # a preposition: "storage systems like IPFS")
            word, name_stems, stems = run[0], terms(run[1]), terms(run[0])
            if stems and name_stems and word.lower() not in _GENERIC:
                out.append(Constraint("qualifier", f"{word} {run[1]}", (stems[-1],), head=name_stems[-1], named=True))
        words = run[capitals[-1] + 2:] if capitals else run  # after a name, its verb: skip it too
        kept = [(w, s[-1]) for w, s in ((w, terms(w)) for w in words) if s]
        if 2 <= len(kept) <= _MAX_RUN:  # a longer run has a verb in it, most likely
            head_word, head = kept[-1]
            for word, stem in kept[:-1]:
                if word.lower() not in _GENERIC and stem != head:
                    out.append(Constraint("qualifier", f"{word} {head_word}", (stem,), head=head))
        run.clear()

    for i, t in enumerate(tokens):
        word = re.sub(r"['’]s$", "", t.group(0))
        low = word.lower()
        if not re.match(r"\w", word) or low in _ASKING or low in STOPWORDS:
            close()
            continue
        if (inverted and i == last_word) or (run and ((low.endswith("ed") and len(low) > 4) or low in RUN_VERBS)):
            close()  # a verb ends the thing asked about: "the final report | published"
            continue
        if _after_who(tokens, i):
            close()  # "who *leads* the plans", "who should *supply* them": the verb after "who" qualifies nothing
            continue
        if t.group(0).endswith(("'s", "’s")):
            close()  # "Hewitt's | final report": the possessor is not a qualifier
            continue
        run.append(word)
    close()
    return out


_MODALS = frozenset("should must can could may might will would shall does do did is are has have had usually normally "
                    "then first".split())


def _after_who(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether token ``i`` is the verb of "who": right after it, or after its auxiliaries ("who *should* supply") (pure)."""
    j = i - 1
    while j >= 0 and tokens[j].group(0).lower() in _MODALS:
        j -= 1
    return j >= 0 and tokens[j].group(0).lower() == "who"


def unmet_constraints(
    question: str, text: str, context: str = "", known_acronyms: Mapping[str, Sequence[str]] | None = None,
    retrieved: str = "",
) -> list[str]:
    """The things ``question`` turns on that ``text`` does not meet, as the question words them (pure).

    ``text`` is the supporting sentence (or claim's evidence); ``context`` what surrounds it (its passage,
    the document title, the section heading). ``known_acronyms`` (``assistant.text.terms.acronyms``) lets
    "ICBs" meet "integrated care boards"; by default the acronyms ``text`` and ``context`` define.
    ``retrieved``: the other passages found for the question; the names, codes, quoted phrases and
    figures it asks about may be there (a question may name the document it asks about). Empty when
    every constraint is met.
    """
    return [c.text for c in question_constraints(question) if not meets(c, text, context, known_acronyms, retrieved)]


def meets(
    c: Constraint, text: str, context: str = "", known_acronyms: Mapping[str, Sequence[str]] | None = None,
    retrieved: str = "", document: str | None = None,
) -> bool:
    """Whether ``text`` (with ``context``, and ``retrieved`` for names and figures) meets the one constraint ``c`` (pure).

    ``document``: when given, the retrieved text of the sentence's own document; a figure must then be
    there, not merely in another document ("170 centres by 2025" does not answer "how many by 2028?"
    because some other retrieved passage says 2028).
    """
    known = {k: list(v) for k, v in (known_acronyms if known_acronyms is not None else acronyms([text, context])).items()}
    # "four hours" is met by "4-hour A&E", "eighteen weeks" by "18-week" (``number_words``)
    here = set(expand(_stems(text), known)) | _spelled(text)
    wide = here | set(expand(_stems(context), known)) | _spelled(context)
    if c.kind == "labelled":
        label, number = c.stems[0], c.values[0]
        if _has_label(text, label, number):
            return True
        if any(_label_stem(m.group(1)) == label for m in _LABELLED.finditer(text)):
            return False  # the same label with another number: "Category 2" for "Category 1"
        return _has_label(context, label, number)
    anywhere = f"{text}\n{context}\n{retrieved}"
    if c.kind == "figure":
        if (period := asked_period(c.text)) is not None:  # a figure for another year answers nothing: ``asked_periods``
            return states_period(period, text, context, c.baseline)
        return bool(set(c.values) & canonical_numbers(anywhere if document is None else f"{text}\n{context}\n{document}"))
    if c.kind == "quoted":
        # a quoted phrase is the passage's own, not words gathered from elsewhere: written as quoted when some
        # retrieved passage writes it, else (paraphrase, PDF damage) all its words in the sentence's passage
        if holds_phrase(f"{retrieved}\n{document or ''}", c.text):
            return holds_phrase(f"{text}\n{context}", c.text)
        own = wide | set(expand(_stems(context), known))
        return set(c.stems) <= own or _raw_in(c.text, f"{text}\n{context}")
    if c.kind in ("name", "quoted"):
        scope = retrieved if document is None else document  # a speaker's name: in the sentence's own document
        found = wide | set(expand(_stems(scope), known))
        return set(c.stems) <= found or _raw_in(c.text, f"{text}\n{context}\n{scope}") or bool(c.aliases) and set(c.aliases) <= found
    if c.kind == "measured":
        return c.stems[0] in wide
    if c.kind == "sector":
        # a sentence naming no sector is read in its own document (``placed_elsewhere``)
        return not other_sector(c.stems, text) and not (document is not None and placed_elsewhere(c.stems, text, document))
    if c.kind == "asked":  # "which <wholesaler>": when nothing retrieved names one, nothing says which
        if c.stems[0] in wide or c.stems[0] in expand(_stems(retrieved), known):
            return True
        # ... unless the sentence names one by a kind word the model finds alike ("system": "portal (Apollo)": asked_kin)
        return bool(c.aliases) and bool(set(c.aliases) & set(kind_nouns(text)))
    if c.kind == "ranking":  # "which region has the highest ...": the sentence itself must rank (``ranking``)
        return states_ranking((c.text, c.stems[0] if c.stems else ""), text, c.head) or c.limit and states_bound(c.text, text)
    if c.kind == "described":  # "the most complex needs": the graded words in the sentence (``ranking.described_degree``)
        return set(c.stems) <= here and (not c.values or bool(set(c.values) & here))
    if c.kind == "consequence":  # "what penalty ...", "what happens if it fails ...": ``consequences``
        return states_consequence((c.stems[0], c.stems[1]), text)
    if c.kind == "non":  # "non-executive": a sentence naming only "executive" members is about the others
        return not names_contrary(c.stems[0], text)
    if c.kind == "fate":  # "Is X being scrapped?": the sentence itself says X ends, changes or stays (``fates``)
        return states_predicate(c.stems[0], text)
    if c.kind == "focus":  # counted or dated thing: in the sentence unless the passage never names it
        if c.stems[0] in _MONEY and _MONEY - _SPENDING & set(here):
            return True  # "a share of hospital spending" is "46% of hospital costs": money is said many ways
        if c.stems[0] in _PEOPLE and _POPULATION in here:
            return True  # "what share of people ...": "7% of the population" counts them
        if c.share and c.stems[0] in PEOPLE and states_people_share(text):
            return True  # "what share of patients ...": targets state a bare share ("4-hour A&E ... 82%"): ``people_shares``
        return c.stems[0] in here or c.stems[0] not in wide | set(expand(_stems(retrieved), known))
    if c.named:
        return c.stems[0] in here if c.head in here else c.head not in wide or c.stems[0] in wide
    # qualifier: a sentence about the head whose passage never uses the qualifier is about another thing
    # of the same kind ("the 18-week target" for "the dementia diagnosis target")
    if c.exclusive and c.head in here and sibling_of([one_kind(c.text.split()[0], c.head)], text, known=known):
        return False  # "central headcount" for "local authority headcount": ``sibling_kinds``
    if c.head in here and states_price_bound(c.text.split()[0], text):
        return True  # "*cheap* pen needles": "pen needles that cost <£5" says how cheap (``price_words``)
    if c.stems[0] in NUMBER_STEMS or c.stems[0] == ONE and TIME_UNIT.match(c.head):
        # "within four hours", "over fifty-two weeks": a measure the question states; a sentence that does not state it
        # is about another one ("12-hour A&E", "18 weeks") or none (a lead-in's other items, a priority with no target)
        return c.stems[0] in here and c.head in here
    return c.head not in here or c.stems[0] in wide | set(expand(_stems(retrieved), known))


@lru_cache(maxsize=4096)
def _spelled(text: str) -> frozenset[str]:
    """``number_words.spelled_stems`` of a text, remembered like ``_stems``."""
    return frozenset(spelled_stems(text))


@lru_cache(maxsize=4096)
def _stems(text: str) -> tuple[str, ...]:
    """``terms`` of a text, remembered: every candidate sentence of a passage is checked against it."""
    return tuple(dict.fromkeys(terms(text)))


def _label_stem(word: str) -> str:
    stems = terms(word)
    return stems[0] if stems else word.lower()


def _has_label(text: str, label: str, number: str) -> bool:
    return any(_label_stem(m.group(1)) == label and _canonical(m.group(2)) == number for m in _LABELLED.finditer(text))


def _raw_in(needle: str, haystack: str) -> bool:
    """Case-insensitive containment ignoring spaces and hyphens ("GLP-1" = "GLP 1" = "glp1")."""
    squash = re.compile(r"[\s\-‐‑–]+")
    return squash.sub("", needle.casefold()) in squash.sub("", haystack.casefold())
