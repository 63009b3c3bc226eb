"""Whether a sentence names the thing a question asks about only as a sibling of it (pure functions, no model).

"What minimum reduction in *locum* use must all systems deliver?" is not answered by "reducing *bank* use, with all
systems expected to deliver a minimum 10% reduction", nor "What proportion of *outpatient* procedures led to a same
day discharge?" by "the proportion of *elective* procedures with a same day discharge", nor "... of *elective*
admissions" by "*non-elective* admissions". The sentence has the question's head noun ("use", "procedures",
"admissions"), but narrowed by another word, and the word the question narrows it by is not in the sentence nor in
what it leans on (the sentence before it, its section heading). ``constraints`` checks this for amount questions
only, with qualifiers read from runs of plain words; this reads the thing asked about more carefully and for every
wh-question:

- a run of content words is cut at a verb that ends it ("... elective admissions *fallen*", "... procedures *led* to");
- an acronym or name narrows the head after it ("*GP* appointments", "*A&E* attendances");
- words that grade rather than sort ("cheap", "average", "minimum") and the answer's own kind words are no kind;
- "non-elective" names the other kind, not the elective one.

``unnamed`` covers the sibling that names no word of the asked thing at all ("Spend has reduced from £3.5 billion ..."
for "spend on *bank staff*"), when the indexed documents use its head, for questions that ask for a figure, sum, date
or name.

Example::

    >>> from assistant.answering.constraints import ASKING, GENERIC
    >>> sibling_of(asked_kinds("What minimum reduction in locum use must systems deliver?", ASKING | GENERIC),
    ...            "reducing bank use, with all systems expected to deliver a minimum 10% reduction.")
    'locum use'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence

from assistant.answering.modifiers import GENERIC, NEUTRAL
from assistant.answering.populations import clause_owner
from assistant.text.nhs_acronyms import standard_long_form
from assistant.text.nhs_synonyms import said_otherwise
from assistant.text.terms import STOPWORDS, expand, terms

_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
_TOKEN = re.compile(r"[A-Za-z][\w&'’-]*|\d[\w.,/%-]*|[^\w\s]")
_MAX_RUN = 4  # a longer run of content words holds a verb, most likely
_OPENERS = frozenset("of in on for".split())  # prepositions whose object is the thing asked about
# Verbs in "-s" that end a run as its last word ("... of neighbourhood health *takes* ...")
_ENDS = frozenset("takes makes gets goes comes has covers includes leads sits lives falls reaches attends sees means".split())
# Words that place a thing in time or order ("bank staff | *last* year"): they end a run
_ORDER = frozenset("last next previous prior first second third final this coming later earlier".split())
_MEASURE = re.compile(r"(?!(?:19|20)\d\d\b)\d[\d.,]*(?:[a-z]{1,3})?")  # "1 (litre)", "5mm"; not a year
_PRICED = re.compile(r"[^?]*?\bcosts?\b", re.I)  # "how much does X *cost*"
_DETERMINERS = frozenset("a an the this that these those its their our your each every any all".split())
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}s?$")  # "GP", "A&E", "ICBs"
# Words that count or stand in for a thing rather than sort it ("the *three* shifts", "*someone*")
_COUNTS = frozenset("""one two three four five six seven eight nine ten twelve several many few some thing things way ways
    kind kinds type types sort person people someone""".split())
# Verbs that end a question without the "-ed" a past participle is found by ("has it *fallen*", "*led* to")
_VERBS = frozenset("""fallen fell risen rose grown grew led seen saw made given gave paid spent set cut met taken took done
    become became been gone went shown held kept brought sought told won lost left run ran begun began chosen written
    deliver delivered reach reached achieve achieved save saved fall rise grow cost""".split())
# Words that grade or measure a thing rather than say which kind it is ("the *average* length", "*cheap* needles")
_GRADES = frozenset("""cheap cheaper cheapest expensive costly low lower lowest high higher highest large larger largest
    small smaller smallest big long longer short shorter good better best poor major minor significant typical
    average mean median maximum minimum max min target proposed planned total overall
    percentage proportion share number amount rate level figure value sum""".split())


def asked_kinds(question: str, skip: Collection[str] = ()) -> list[tuple[str, str, str]]:
    """(word, its stem, its head's stem) for each word that narrows a head noun in the question ("GP appointments" ->
    ("GP", "gp", "appoint")); ``skip``: words that ask or narrow nothing (pure).

    Only the object of a preposition ("reduction in <locum use>", "spend on <bank staff>", "proportion of <outpatient
    procedures>") and what "how many" counts are read: without a parser, a run of words elsewhere often holds a verb
    ("the ICB Chair serve", "slimmed down")."""
    asking = _WH.search(question)
    if not asking:
        return []
    out: list[tuple[str, str, str]] = []
    run: list[str] = []
    opened = False

    def close() -> None:
        words = list(run)
        while words and (words[-1].lower() in _VERBS or (len(words) > 1 and words[-1].lower().endswith("ed")
                                                          and len(words[-1]) > 4)):
            words.pop()  # "... elective admissions | fallen": a verb ends what is asked about
        if (opened and 2 <= len(words) <= _MAX_RUN and not words[-1][:1].isupper()  # "the NHS App": a name
                and words[-1].lower() not in _COUNTS and words[-1].lower() not in _ENDS):  # "phase two", "health takes"
            head = terms(words[-1])
            for word in words[:-1] if head else []:
                stem = _stems_of(word)
                low = word.lower()
                narrows = word.islower() or _ACRONYM.match(word)  # "Health" of a title narrows nothing
                if stem and narrows and low not in _GRADES and low not in NEUTRAL and low not in _COUNTS \
                        and stem[-1] != head[-1]:
                    out.append((word, stem[-1], head[-1]))
        run.clear()

    previous = ""
    for m in _TOKEN.finditer(question, asking.start()):
        token = m.group(0)
        word = re.sub(r"['’]s$", "", token)
        low = word.lower()
        if (not re.match(r"[A-Za-z]", word) or low in STOPWORDS or low in skip or low in _ORDER
                or (low in _VERBS and run)):
            close()
            # "on *an* IFR continuation request", "of a *1* litre bin": a determiner or a measure keeps the object open
            # (a year ends it: "in the summer of *2024* | drag down productivity");
            # "how much does <a sharps bin> cost": what is priced is asked about, as what "how many" counts
            opened = (low in _OPENERS or (previous == "how" and low == "many") or (opened and (low in _DETERMINERS or _MEASURE.fullmatch(low) is not None))
                      or (previous == "much" and low in ("does", "do") and bool(_PRICED.match(question, m.end()))))
            previous = low
            continue
        previous = low
        if token.endswith(("'s", "’s", "s'", "s’")):  # "Hewitt's | review", "doctors' | time": a possessor narrows nothing
            close()
            opened = False
            continue
        run.append(word)
    close()
    return out


def sibling_of(kinds: Sequence[tuple[str, str, str]], sentence: str, around: str = "", question: str = "",
               known: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """The asked "<word> <head>" that ``sentence`` names only as another kind, or None (pure).

    Another kind: the sentence names the head, every time with a content word right before it that the question
    does not use, and none of the words the question narrows that head by is in the sentence or ``around`` (the
    sentence before it, its heading, its document's title: "the board" in an ICB's constitution is the ICB board).
    With ``question``, a kind the sentence says another standard NHS way is named ("hospital trusts": "secondary care
    trusts", ``nhs_synonyms``)."""
    tokens = _kind_tokens(sentence)
    found = _found(sentence, around, known)
    asked = {stem for _, stem, _ in kinds} | {head for _, _, head in kinds}
    qualifiers = {stem for _, stem, _ in kinds}
    for word, _, head in kinds:
        if any(stem in found for _, stem, h in kinds if h == head):
            continue  # "continuation request" for "an IFR continuation request": one of the asked kinds is named
        places = [i for i, (_, stems) in enumerate(tokens) if stems and stems[-1] == head]
        if places and all(_narrowed(tokens, i, asked, qualifiers) for i in places) and not (
                question and any(said_otherwise(question, w, f"{sentence}\n{around}") for w, _, h in kinds if h == head)):
            return f"{word} {tokens[places[0]][0]}"
    return None


def one_kind(word: str, head: str) -> tuple[str, str, str]:
    """``word`` narrowing the head stem ``head``, as ``asked_kinds`` gives it: "non-elective" is a stem of its own."""
    stems = _stems_of(word)
    return word, stems[-1] if stems else word.lower(), head


def _found(sentence: str, around: str, known: Mapping[str, Sequence[str]] | None = None) -> set[str]:
    """The stems of ``sentence`` and ``around``, with the long forms of the acronyms in them ("ICSs": integrated care
    systems), as ``known`` defines them or else the standard NHS ones."""
    tokens = _kind_tokens(f"{sentence}\n{around}")
    found = {s for _, stems in tokens for s in stems}
    found.update(expand(sorted(found), {k: list(v) for k, v in (known or {}).items()}))
    for word, _ in tokens:
        if _ACRONYM.match(word) and (long_form := standard_long_form(word)):
            found.update(long_form)
    return found


def _stems_of(word: str) -> tuple[str, ...]:
    """A word's stems; "non-elective" is one stem of its own (it names the other kind, not the elective one)."""
    return (word.lower(),) if re.match(r"(?i)non-\w", word) else tuple(terms(word))


def _kind_tokens(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each word (``_stems_of``) or punctuation mark (no stems) of ``text``."""
    return [(m.group(0), _stems_of(m.group(0)) if re.match(r"\w", m.group(0)) else ())
            for m in re.finditer(r"[\w&'’-]+|[^\w\s]", text)]


def _narrowed(tokens: Sequence[tuple[str, tuple[str, ...]]], i: int, asked: Collection[str],
              qualifiers: Collection[str] = ()) -> bool:
    """Whether the head at ``i`` has, among the content words right before it, one the question does not use.

    A word that is the start or end of an asked qualifier ("chain market" for "blockchain market", the word cut in
    two across a page break: "Block- | chain") is that qualifier, not another kind."""
    j = i - 1
    while j >= 0:
        word, stems = tokens[j]
        low = word.lower()
        if (not stems or low in STOPWORDS or low in NEUTRAL or low in GENERIC or low in _GRADES
                or any(ch.isdigit() for ch in word)):
            return False  # a bare, counted or graded mention leaves the kind open; so does punctuation
        if len(low) >= 4 and any(_cut_from(q, low) for q in qualifiers):
            return False  # "Block- | chain market": the asked qualifier cut in two, not another kind
        if stems[-1] not in asked:
            return True
        j -= 1
    return False


def _cut_from(whole: str, part: str) -> bool:
    """Whether ``part`` is ``whole`` cut in two ("chain" of "blockchain"); not a hyphened word's own part ("elective"
    of "non-elective" names the other kind)."""
    if whole == part or "-" in whole:
        return False
    return whole.startswith(part) or whole.endswith(part)


def unnamed(kinds: Sequence[tuple[str, str, str]], sentence: str, around: str, used: Callable[[str], bool],
            question: str = "", known: Mapping[str, Sequence[str]] | None = None,
            near: Callable[[str], Collection[str]] | None = None) -> str | None:
    """The asked "<words> <head>" of which ``sentence`` (with ``around``) names no word, though the documents use the
    head (``used``: whether a stem occurs anywhere in the indexed text): the documents can name the thing, and this
    sentence does not ("How much did the NHS spend on *bank staff*?" is not answered by "Spend has reduced from £3.5
    billion in 2022/23 ... to £3.0 billion in 2023/24", said of agency spending) (pure given its callables).

    A head the documents never use may be the question's own wording for what a sentence says otherwise ("overseas
    *hiring*": "international recruitment"). With ``near`` (the corpus words the embedding model finds near a word
    alone), such a head is kept only by a sentence naming one of those words: "blood glucose test *strips*" (near
    "strips": nothing the documents say) is not answered by a price of insulin pen needles. Likewise an asked word for
    the head that no document uses, when the sentence names the head alone: "*overtime* spending" is not answered by
    "a 30% reduction based on current spending" (of agency staff)."""
    found = _found(sentence, around, known)
    for head in dict.fromkeys(h for _, _, h in kinds):
        words = [w for w, _, h in kinds if h == head]
        stems = {st for _, st, h in kinds if h == head} | {head}
        if stems & found:
            if near is not None and stems & found == {head} and (odd := _unsaid(kinds, head, found, used, near)):
                return f"{odd} {head}"  # "*overtime* spending": only "spending", and nothing near "overtime"
            continue
        if question and any(said_otherwise(question, w, f"{sentence}\n{around}") for w in words):
            continue
        if not used(head):
            if near is None or any(s in found for w in near(_head_word(question, head)) for s in terms(w)):
                continue  # the question's own wording: the sentence may say it otherwise
        return f"{' '.join(words)} {head}"
    return None


def _unsaid(kinds: Sequence[tuple[str, str, str]], head: str, found: Collection[str], used: Callable[[str], bool],
            near: Callable[[str], Collection[str]]) -> str | None:
    """An asked word for ``head`` that no document uses and of which nothing near is ``found`` (pure given its callables)."""
    for word, _, h in kinds:
        if h == head and not any(used(t) for t in terms(word)) and not any(s in found for w in near(word) for s in terms(w)):
            return word
    return None


def _head_word(question: str, head: str) -> str:
    """The question's word for the stem ``head`` ("strips" for "strip"); the stem itself if none."""
    return next((t for t in re.findall(r"[A-Za-z][\w-]*", question) if (s := terms(t)) and s[-1] == head), head)


# A measure named by its change or spend and what that is in or on ("a reduction *in agency use*", "spend *on bank
# staffing*"): the word after the preposition says which kind of it is meant
_POST_HEADS = frozenset("reduction reductions improvement improvements increase increases decrease decreases fall falls "
                        "rise rises cut cuts growth spend spending expenditure investment".split())
_USES = frozenset("use usage uptake".split())  # "a reduction in the *use* of bank shifts": the measure, not its kind
_POST = re.compile(r"\b([a-z]+)(?= (?:in|on) (?:(?:the|their|its|our) )?([a-z][\w&-]*))", re.I)  # overlapping


def post_kinds(question: str) -> list[tuple[str, str, str]]:
    """(word, its stem, its head's stem) for "<change or spend> in/on <word>" in ``question`` ("reduction in *locum*
    use" -> ("locum", "locum", "reduct")) (pure)."""
    out: list[tuple[str, str, str]] = []
    for m in _POST.finditer(question):
        head, word = m.group(1).lower(), m.group(2)
        if head in _POST_HEADS and word.lower() not in STOPWORDS | _POST_HEADS | _GRADES | _USES and (stems := _stems_of(word)) and (h := terms(head)):
            out.append((word, stems[-1], h[-1]))
    return out


def _post_named(kinds: Sequence[tuple[str, str, str]], clause: str, question: str = "") -> set[str]:
    """"asked" when ``clause`` names one of ``kinds`` (``post_kinds``; or says it another standard way, given
    ``question``), else the other word it puts after the same head ("reduction in *agency*")."""
    if {stem for _, stem, _ in kinds} & set(terms(clause)) or (
            question and any(said_otherwise(question, word, clause) for word, _, _ in kinds)):
        return {"asked"}  # "a 10% reduction in spend on *bank* staffing" for "reduction in bank use"
    named: set[str] = set()
    for m in _POST.finditer(clause):
        heads = terms(m.group(1))
        if not heads or m.group(2).lower() in STOPWORDS | _POST_HEADS | _GRADES | _USES:
            continue
        stems = set(_stems_of(m.group(2)))
        if any(heads[-1] == head and stem not in stems for _, stem, head in kinds):
            named.add(f"{m.group(1)} in {m.group(2)}")
    return named


def other_measure(kinds: Sequence[tuple[str, str, str]], sentence: str,
                  known: Mapping[str, Sequence[str]] | None = None, post: Sequence[tuple[str, str, str]] = (),
                  question: str = "") -> str | None:
    """A label of the other kind every figure of ``sentence`` belongs to, when the sentence names the asked one only
    in a clause without a figure, or None (pure). For a question asking for a figure; ``post``: ``post_kinds``.

    "What reduction in *bank* use ...?" is not answered by "a 30% reduction in *agency* use, while *bank* use should
    stay level": the figure's clause names the head narrowed by another word; nor "What improvement in *quality* ...?"
    by "achieve 4% overall improvement in *productivity*". Clauses are cut and a figure attached to the last clause
    naming a measure as ``populations.clause_owner`` does it for groups (one mechanism). Only for a sentence naming
    an asked kind word: one naming none is ``sibling_of``'s and ``unnamed``'s, which read what it leans on too (a
    price list's row under its heading). ``question``: a kind said another standard way is named (``nhs_synonyms``)."""
    for head in dict.fromkeys(h for _, _, h in kinds):
        asked = [k for k in kinds if k[2] == head]
        stems = {st for _, st, _ in asked}
        if not stems & _found(sentence, "", known):
            continue

        def named(clause: str, asked: list[tuple[str, str, str]] = asked, stems: set[str] = stems) -> set[str]:
            if stems & _found(clause, "", known) or (
                    question and any(said_otherwise(question, word, clause) for word, _, _ in asked)):
                return {"asked"}
            return {other} if (other := sibling_of(asked, clause, known=known)) else set()

        if owner := clause_owner("asked", named, sentence):
            return owner
    if post and (owner := clause_owner("asked", lambda clause: _post_named(post, clause, question), sentence)):
        return owner
    return None
