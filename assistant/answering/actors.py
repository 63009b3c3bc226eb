"""Whose duty a question asks about, and whether a sentence states another body's duty instead (pure).

"How many working days does the *IFR Team* have to determine whether ...?" asks what the IFR Team must do.
"The *Screening Group* will determine, normally within 12 further working days, ..." times another body's act:
the right kind of answer, the right act, the wrong actor. The question's actor is the subject of its asked
verb ("must <ICBs> publish", "does <the IFR Team> have to determine"); a sentence states another actor's duty
when a named body or role is the subject of a modal verb in it ("<The Screening Group> will determine") and the
asked actor is nowhere in the sentence.

Passive and generic sentences are left alone, since they DO answer for the actor: "a completed application must
be submitted within two working days" names no actor; "NHS organisations will need to", "systems should",
"we will", "they must" speak for whoever is asked about. So do kindred names: an ICB is a commissioner and a
system's board; a trust is a provider ("By how much must trusts cut their cost base?" / "providers will need to").
A question whose verb reports what someone expects, asks or says ("What does NHS England expect ICBs to do?")
asks about the duty of the one expected, so it names no actor of its own.

A role is also looked for in the sentence's document (what was retrieved of it, title and publisher included):
"How quickly must a *care coordinator* respond?" is not answered by an ambulance response target from a plan that
never names care coordinators (``names_actor``), unless the sentence puts a duty in the passive, naming no one
(``passive_duty``: "this should be emphasised when counselling patients" answers what pharmacists should say).

Example::

    >>> asked_actor("Within how many working days must the Screening Group decide a reconsideration?")
    'the Screening Group'
    >>> states_other_duty("the Screening Group", "The IFR Team will decide within two working days.")
    True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.text.terms import terms

# A word naming who does things: a body, a group or a person in a role (the head of an actor's noun phrase).
_ACTOR_NOUNS = (r"(?i:clinicians?|consultants?|pharmacists?|prescribers?|doctors?|nurses?|GPs?|practitioners?|professionals?"
                r"|coordinators?|co-ordinators?|leads?|managers?|officers?|directors?|secretar(?:y|ies)|chairs?|members?"
                r"|teams?|panels?|groups?|committees?|boards?|organisations?|organizations?|employers?|providers?"
                r"|commissioners?|trusts?|councils?|authorit(?:y|ies)|carers?|representatives?|staff|governors?"
                r"|auditors?|requesters?|applicants?|practices?|patients?|services?|hospitals?|systems?|ICBs?|ICSs?"
                r"|partners?|alliances?|regulators?|departments?|people|persons?|users?|residents?)")
_DET = r"(?:[Tt]he|an?|An?|[Tt]heir|[Ii]ts|[Ee]ach|[Ee]very|[Aa]ny|[Aa]ll|[Oo]ur|[Yy]our|[Ll]ocal)"  # "*The* IFR review panel Chair will"
# A named body: capitalised words ending in a word for a body or role ("the IFR Team", "the Screening Group"), or a
# national body or its acronym ("NHS England", "ICBs"). Other capitalised runs are taken for no body: "the IFR
# *policy* say", "FIT UK consider" may be a thing or a source, and one capitalised word may open any sentence.
_BODY = (rf"(?:the\s+)?(?:[A-Z][\w&'’-]*\s+(?:(?:of|and|for|&)\s+)*)*"
         rf"(?:(?=[A-Z]){_ACTOR_NOUNS}|England|Improvement|ICBs?|ICSs?|DHSC|NICE|CQC)\b")
# Words inside a role ("a *care* coordinator", "the *requesting* clinician"): not a verb or determiner ("let *their* patient").
_FILLER = (r"(?!(?:say|says|said|must|should|will|would|be|is|are|was|were|do|does|did|to|of|and|or|the|a|an|their|its|his"
           r"|her|let|make|help|get|tell|ask)\b)(?:[a-z][\w'’-]*|[A-Z]{2,}s?)\s+")
# A role or body in lower case: "a care coordinator", "the requesting clinician", "GP practices", "providers".
_ROLE = rf"(?:{_DET}\s+)?(?:{_FILLER}){{0,3}}?{_ACTOR_NOUNS}\b"
# a body's role ("the C&P ICB board", "IFR Panel members"), a role, or a body
_ACTOR = rf"(?:(?:{_DET}\s+)?(?:{_BODY}['’]?s?\s+)?(?:[\w'’-]+['’]s\s+)?{_ROLE}|{_BODY})"

# The subject of a question's asked verb: "must <NP> (have to) <verb>", "does <NP> have to <verb>".
_AUX = r"(?:must|should|shall|will|would|does|do|did|can|could|may|might|need|needs)"
_ASKED = re.compile(
    rf"\b{_AUX}\s+(?P<actor>{_ACTOR})\s+(?:(?:have|has|need|needs|be\s+(?:required|expected|asked))\s+to\s+)?"
    # a base form: "must an individual *funding* request meet" has not reached its verb at "funding", nor "the
    # first service *frameworks* cover" at "frameworks"
    rf"(?P<verb>(?!(?:be|been|have|has|of|to|in|for|on|at|by|with|from|and|or|the|a|an)\b)(?![a-z-]*(?:ing|ed|[^su]s)\b)(?!{_ACTOR_NOUNS}\b)[a-z][\w-]*)\b")
# Verbs that report what someone expects of, asks of or says about another: the duty is the other's.
_REPORTING = frozenset(
    "expect expects ask asks require requires want wants say says state states recommend recommends advise advises tell "
    "tells set sets describe describes define defines mean means propose proposes plan plans suggest suggests "
    "allow allows let lets encourage encourages".split())
_INFORMING = frozenset("advise advises tell tells".split())
_OF_THING = re.compile(r"\s+(?:[\w'’-]+\s+){1,4}?(?:of|about|that|whether)\b")
_PRONOUNS = frozenset("i you we they he she it this that these those one".split())

# A sentence's duty: a named body or role right before a modal and an active verb ("The Screening Group will
# determine", "NHS England will support", "providers will need to reduce").
_DUTY = re.compile(
    rf"(?:^|(?<=[,;:•(])|(?<=\d\.)|(?<=\band\s)|(?<=\bthat\s)|(?<=\bwhere\s)|(?<=\bwhen\s))\s*(?P<actor>{_ACTOR})\s+"
    r"(?:(?:must|should|shall|will|may|can|could|would)\s+(?:also\s+|normally\s+|then\s+|not\s+|now\s+)?"
    r"(?:(?:need|have|be\s+(?:required|expected|asked))\s+to\s+)?|(?:needs?|has|have)\s+to\s+)"
    r"(?!be\b|been\b)(?P<verb>[a-z][\w-]*)\b")
# a modal, "be" and a participle ("must be made", "should be emphasised"); "must be able / responsible / ready to"
# keeps an actor's own duty
_PASSIVE = re.compile(r"\b(?:must|should|shall|will|may|can|(?:is|are|needs?)\s+to)\s+(?:also\s+|not\s+|normally\s+|always\s+)?be\s+"
                      r"(?!(?:able|unable|available|responsible|accountable|aware|ready|clear|in|at|on|the|a|an|more|less)\b)[a-z]+\b",
                      re.I)
# Another's act that may reach the asked actor as its object: a duty as in _DUTY, also after a leading clause with no
# comma ("If commissioning arrangements exist *the IFR Team will assess*"; a subject opening with an article, not
# after a preposition, whose object it would be), or a conditional "does not" ("If the requester does not provide
# a response to the IFR Team within 10 working days").
_NOT_AFTER_PREPOSITION = "".join(rf"(?<!\b{p}\s)" for p in "of to for from with by in on at via".split())
_ACTS = re.compile(
    rf"(?:^|(?<=[,;:•(])|(?<=\d\.)|(?<=\band\s)|(?<=\bthat\s)|(?<=\bwhere\s)|(?<=\bwhen\s)|(?<=\b[Ii]f\s)"
    rf"|(?<=[a-z]\s){_NOT_AFTER_PREPOSITION}(?=(?:[Tt]he|an?|An?)\s))\s*(?P<actor>{_ACTOR})\s+"
    r"(?:(?:must|should|shall|will|may|can|could|would)\s+(?:also\s+|normally\s+|then\s+|not\s+|now\s+)?"
    r"(?:(?:need|have|be\s+(?:required|expected|asked))\s+to\s+)?|(?:needs?|has|have)\s+to\s+|(?:does|do|did)\s+not\s+)"
    r"(?!be\b|been\b)(?P<verb>[a-z][\w-]*)\b")
# Acts that put a duty on their object ("the IFR Team will *require* an update ... from the requesting clinician"):
# the object named there is the one who must act.
_IMPOSING = frozenset(terms("require request ask expect seek want invite encourage instruct direct oblige mandate need"))
_WORD = re.compile(r"[\w'’-]+")
# Between an act's verb and its object: no new clause, whose subject the asked actor might be.
_CLAUSE = re.compile(r"[;:.]|\b(?:that|which|who|whom|whose|where|when|while|whilst|if|unless|because|but|so|must|should|shall|will"
                     r"|may|can|could|would|is|are|was|were|has|have|had|does|do|did)\b", re.I)
_NEXT_WORD = re.compile(r"\s+([\w'’-]+)")
# What follows an object: a preposition, a stop or a bracket; not a verb, "and" or "to" (a subject of its own).
_AFTER_OBJECT = re.compile(r"\s*(?:$|[,.;:()\[\]/–—-]|(?:within|with|of|in|on|at|for|from|about|after|before|under|via"
                           r"|through|during|by|against|regarding|including|explaining|setting|outlining)\b)", re.I)
# Verbs whose subject receives or undergoes (what an actor gets is another's act reaching it).
_RECEIVING = frozenset("get gets receive receives obtain obtains gain gains hear hears learn learns".split())
# Whoever is asked about: heads a sentence's actor may have without naming anyone in particular.
_GENERIC = frozenset(terms("organisation organisations system systems body bodies partner partners everyone individual "
                           "individuals people person leader leaders staff service services"))
# Kindred names: one stands for the other in how the documents and their readers speak.
_KIN = tuple(frozenset(terms(words)) for words in (
    "icb icbs ics board boards system systems commissioner commissioners",  # not "care": in every NHS sentence
    "trust trusts provider providers hospital hospitals foundation",
    "gp gps practice practices",
    "patient patients person people individual user users resident residents",
    "clinician clinicians requester requesters requesting doctor doctors consultant consultants prescriber prescribers",
))


def asked_actor(question: str) -> str | None:
    """The actor whose duty ``question`` asks about: the subject of its asked verb, a named body or a role
    ("must *a care coordinator* respond"); None when there is none, it is a pronoun, or the verb reports what
    the actor expects of another ("What does NHS England expect ICBs to do?") (pure)."""
    found = _ASKED.search(question)
    if not found:
        return None
    verb = found.group("verb").lower()
    # "advise / tell <someone> of / about / that <something>": to inform, an act of the actor's own, not a report of
    # another's duty ("tell <someone> to <do>")
    informs = verb in _INFORMING and _OF_THING.match(question[found.end():])
    if verb in _REPORTING and not informs:
        return None
    actor = found.group("actor")
    heads = terms(actor)
    if not heads or actor.lower() in _PRONOUNS:
        return None
    return actor


def _heads(actor: str, known: Mapping[str, Sequence[str]]) -> set[str]:
    """The stems that name ``actor``: its head word (a possessor's thing: "the patient's *GP*"), the acronym it
    stands for or the long form it abbreviates, and its kin (pure)."""
    stems = terms(re.sub(r"\b[\w-]+['’]s\b", " ", actor)) or terms(actor)
    head = stems[-1]
    out = {head}
    out.update(s for acronym, long in known.items() if acronym == head for s in long[-1:])  # "ICB" -> "board"
    out.update(acronym for acronym, long in known.items() if long and long[-1] == head and set(long) <= set(stems))
    for kin in _KIN:
        if head in kin:
            out |= kin
    return out


def _mentioned(heads: set[str], sentence: str, known: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``sentence`` names an actor whose stems are ``heads`` (an acronym counted by its long form too) (pure)."""
    stems = set(terms(sentence))
    stems |= {s for acronym in list(stems) for s in known.get(acronym, ())}
    return bool(heads & stems)


def names_actor(actor: str, text: str, known: Mapping[str, Sequence[str]] | None = None) -> bool:
    """Whether ``text`` (what was retrieved of a document, its title and publisher included) names ``actor`` or its
    kin; always True for a generic actor ("an organisation", "systems"), whom any document may speak for (pure)."""
    known = known or {}
    heads = _heads(actor, known)
    return bool(heads & _GENERIC) or _mentioned(heads, text, known)


def passive_duty(sentence: str) -> bool:
    """Whether ``sentence`` states a duty in the passive ("this should be emphasised when counselling patients"): it
    names no one, so may be anyone's, the asked actor's too, even in a document that never names that actor (pure)."""
    return bool(_PASSIVE.search(sentence))


def _another(other: str, heads: set[str], known: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``other`` (a sentence's subject) is a named, non-generic actor that is not the one whose stems are
    ``heads`` (pure)."""
    stems = terms(re.sub(r"\b[\w-]+['’]s\b", " ", other))
    return (bool(stems) and other.lower() not in _PRONOUNS and stems[-1] not in _GENERIC
            and not other.lower().startswith(("we ", "you ")) and not _mentioned(heads, other, known))


def _mentions(heads: set[str], sentence: str, known: Mapping[str, Sequence[str]]) -> list[re.Match[str]]:
    """The words of ``sentence`` that name the actor whose stems are ``heads`` (pure)."""
    return [word for word in _WORD.finditer(sentence) if _mentioned(heads, word.group(), known)]


def _reached(sentence: str, act: re.Match[str], mention: re.Match[str], heads: set[str],
             known: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``mention`` is where another's act (``act``: its subject, modal and verb) reaches, not a subject of
    its own: it comes after the verb in the same clause ("will write to *the requesting clinician*, ...", "will
    advise requesters ... within two working days of *the IFR Panel*") and a preposition or a stop follows it, so
    no verb of its own can ("NHS England will ensure *ICBs* publish" leaves ICBs a subject) (pure)."""
    if mention.start() < act.end() or _CLAUSE.search(sentence, act.end(), mention.start()):
        return False
    rest = sentence[mention.end():]
    while (more := _NEXT_WORD.match(rest)) and (_mentioned(heads, more.group(1), known) or more.group(1)[0].isupper()):
        rest = rest[more.end():]  # the rest of the name: "the *requesting* clinician,", "the IFR *Panel* (via email)"
    return bool(_AFTER_OBJECT.match(rest))


def states_other_duty(actor: str, sentence: str, known: Mapping[str, Sequence[str]] | None = None,
                      as_object: bool = True) -> bool:
    """Whether ``sentence`` states what another body or role must or will do: a named, non-generic actor is the
    subject of one of its modal verbs, and ``actor`` (the question's, ``asked_actor``) is either never named or,
    with ``as_object``, named only where that other's act reaches it ("The IFR review panel Chair will write to
    *the requesting clinician* ..." does not say when the clinician must reply) (pure). ``as_object`` is off for a
    question whose actor receives ("What will ICBs get from NHS England?", ``receives``).
    ``known``: the acronyms the passages define (``terms.acronyms``)."""
    known = known or {}
    heads = _heads(actor, known)
    if not _mentioned(heads, sentence, known):
        return any(_another(found.group("actor"), heads, known) for found in _DUTY.finditer(sentence))
    if not as_object:
        return False
    mentions = _mentions(heads, sentence, known)
    acts = [found for found in _ACTS.finditer(sentence)
            if _another(found.group("actor"), heads, known) and not set(terms(found.group("verb"))) & _IMPOSING]
    return bool(acts) and all(any(_reached(sentence, act, m, heads, known) for act in acts) for m in mentions)


def receives(question: str) -> bool:
    """Whether the asked verb of ``question`` is one its actor receives or undergoes by ("What will ICBs *get*
    from NHS England?"): there the actor is rightly named as another's object (pure)."""
    found = _ASKED.search(question)
    return found is not None and found.group("verb").lower() in _RECEIVING


# A duty in the passive, naming no one as its doer ("The completed letter *will be sent* within seven working days"; "will
# aim to be sent"): its participle. A "by" and a capitalised name after it ("will be considered by the Screening Group")
# names the doer, left to the checks above.
_AGENTLESS = re.compile(r"\b(?:must|should|shall|will|may|can|could|would|(?:is|are|needs?)\s+to)\s+"
                        r"(?:also\s+|not\s+|normally\s+|always\s+|usually\s+|then\s+)?(?:(?:aim|need|have|expect)\s+to\s+)?"
                        r"be\s+(?!(?:able|unable|available|responsible|accountable|aware|ready|clear|in|at|on|the|a|an|more|less)\b)"
                        r"(?P<verb>[a-z]+)\b(?![^.;]*\bby\s+(?:the\s+)?(?-i:[A-Z]))", re.I)
# Participles whose stem is not their verb's ("sent": "send").
_PARTICIPLES = {"sent": "send", "told": "tell", "written": "write", "made": "make", "given": "give", "held": "hold",
                "taken": "take", "kept": "keep", "sought": "seek", "paid": "pay", "done": "do", "shown": "show"}
# Acts of telling someone: one body's "will advise requesters" and a later "the letter will be sent" are one act.
_INFORMING_ACTS = frozenset(terms("send post advise inform notify tell write communicate issue email share copy contact"))


def _act(verb: str) -> set[str]:
    """The stems of ``verb``'s act, every telling act standing for all of them (pure)."""
    stems = set(terms(_PARTICIPLES.get(verb.lower(), verb)))
    return set(_INFORMING_ACTS) if stems & _INFORMING_ACTS else stems


def passes_to_other(actor: str, sentence: str, before: str, known: Mapping[str, Sequence[str]] | None = None) -> bool:
    """Whether ``sentence`` puts a duty in the passive, naming no one and no duty of its own, right after ``before``
    (the sentence before it) makes another named body or role the doer of that act: "The IFR Team will advise
    requesters ... *The completed letter will be sent* within seven working days" is the IFR Team's act, not the
    Screening Group's. A passive after the asked actor's own duty, or after another's different act, may be anyone's,
    so it still answers (``passive_duty``) (pure). ``known``: the acronyms the passages define (``terms.acronyms``)."""
    known = known or {}
    passive = _AGENTLESS.search(sentence)
    if passive is None or _DUTY.search(sentence):
        return False
    heads = _heads(actor, known)
    duties = list(_DUTY.finditer(before))
    if any(_mentioned(heads, found.group("actor"), known) for found in duties):
        return False  # the asked actor's own act just before: the passive carries it on
    act = _act(passive.group("verb"))
    return any(_another(found.group("actor"), heads, known) and act & _act(found.group("verb")) for found in duties)
