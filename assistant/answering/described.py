"""A person or body the question describes by its role, resolved to the name the documents give it (pure functions).

"When was *the person leading the ICS review* health secretary?" is answered in two steps: one sentence names
the role holder ("... he had asked Patricia Hewitt to oversee an independent review into how ICSs ..."), another
says the asked fact of the name ("Hewitt is a former health secretary after serving between May 2005 and ...").
The second sentence holds none of the description's words, so it is neither found like the question nor meets
what the question turns on. Here:

- ``descriptions``: the noun phrases of a question that describe someone or some body by what it does or is
  ("the person leading ...", "the woman asked to oversee ...", "the chair of the ...", "the panel that
  considers ...", "the organisation that publishes ..."). A description the question asks *for* ("Who is the
  person leading ...?") is not one to resolve: its name is the answer.
- ``resolve``: the name a retrieved sentence gives the description: a person's name (two or more capitalised
  words, after any post or honorific: "Chancellor Jeremy Hunt", "the Rt Hon Patricia Hewitt") or a body's
  ("the IFR Panel", "the Remuneration Committee"), in a sentence holding the description's words; each of
  those words counts for the name nearest to it in the sentence, and the description's post right beside a
  name ("its chair, the Rt Hon Patricia Hewitt") counts twice. The best name must hold most of the
  description's weight and clearly beat any other.
- ``rewritten``: the question with the description replaced by the name ("When was Patricia Hewitt health
  secretary?"), answered instead, the naming sentence cited with the answer.

Example::

    >>> d = descriptions("When was the person leading the ICS review health secretary?")[0]
    >>> resolve(d, ["Hunt had asked Patricia Hewitt to lead a review of ICSs."], lambda t: 1.0).name
    'Patricia Hewitt'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.post_holders import NOT_PERSONS, TITLE_WORDS
from assistant.text.terms import STOPWORDS, terms

# Nouns that stand for a person the documents call by name (or by a post and a name)
_PERSON_HEADS = frozenset("""person individual woman man someone official chair chairman chairwoman chancellor minister mayor governor
    secretary director officer leader reviewer author signatory""".split())
# Nouns that stand for a body the documents call by name
_BODY_HEADS = frozenset("""body organisation organization group committee panel board team agency authority department
    regulator""".split())
# Posts: a description headed by one may be "the <post> of <X>" ("the chair of the ICS review")
_POSTS = frozenset("chair chairman chairwoman chancellor minister secretary director officer leader head".split())
# Past participles that open a description of someone by what was done to them ("the woman asked to oversee ...")
# Heads that say only that it is someone, or some body
_SOMEONE = frozenset("person individual woman man someone official body organisation organization".split())
# Titles that may go before a person's name ("Chancellor Jeremy Hunt", "Mayor Jo Bloggs", "General Sir Gordon ...")
_BEFORE_NAMES = _POSTS | frozenset("mayor governor commissioner general admiral inspector nurse doctor".split())
_PARTICIPLES = frozenset("asked appointed named chosen tasked charged commissioned selected invited responsible".split())
_NOT_VERBS = frozenset("funding spending nursing training housing planning meeting prescribing screening commissioning "
                       "building setting offering opening trading during including following regarding".split())
_TOKEN = re.compile(r"[A-Za-z][\w’'&-]*|\d[\w./-]*|[^\w\s]")
# What a question asks about its description's holder: "who is / what is the name of <the description>" asks for it
_ASKS_FOR = re.compile(r"\b(?:who|what)\s+(?:is|was|are|were)\s+(?:(?:the\s+)?(?:full\s+)?names?\s+of\s+)?$|\bname\s+(?:of\s+)?$", re.I)
_HONORIFICS = frozenset("sir dame dr mr mrs ms miss mx prof professor lord lady baroness baron rt hon cllr councillor".split())
_CAP = r"(?:[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:[A-Z][a-z]+)*(?:-[A-Z]?[a-z]+)*|[A-Z]{2,6}s?)"
_CAP_RUN = re.compile(rf"{_CAP}(?:(?:[ \t]+|[ \t]+(?:of|for|and|&)[ \t]+(?:the[ \t]+)?){_CAP})*")
_MONTHS = frozenset("january february march april may june july august september october november december monday "
                    "tuesday wednesday thursday friday saturday sunday".split())
SECOND_HOP = 3  # passages found for the question with the name in place, added to those found for it as asked
# A post's own word: "the Chair of the ICB", "the IFR Case Manager", "the Specialised Commissioning Medical Director"
_POST_WORDS = frozenset("chair chairman chairwoman chancellor minister secretary director officer manager executive lead "
                        "leader head president".split())
_NEAR = 10  # words between a name and a description word said of it, at most, for the word to count in full
_SHARE = 0.5  # the best name holds at least this share of the description's weight (idf)
_LEAD = 1.5  # ... and this many times the next name's
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z]{2,6})\)(?=[ \t]+[A-Z])")
# The last word of a body's name ("IFR Panel", "NHS Business Service Authority"), stemmed
_BODY_WORDS = frozenset(terms(" ".join(_BODY_HEADS) + " authority agency commission trust council partnership service"))
# Heads that say only that it is a body: any body's name may be it; "the panel that ..." is a panel
_ANY_BODY = frozenset("body organisation organization".split())
# Words that join the parts of a description's clause ("asked *to* oversee *the* review *into* ICSs"); any other
# word without content (a modal, "say", "do") is the question's own, after the description
_CONNECTORS = frozenset("of the a an into for to on in at over about by from with its their his her and & ’s 's -".split())
_GAP = 1  # content words in a row a sentence may not hold, within the description it holds
_END = re.compile(r"[?,;]|\b(?:and|or)\s+(?:what|which|who|when|where|how|why|under|in|for)\b", re.I)


@dataclass(frozen=True)
class Description:
    """A noun phrase describing someone (``kind`` "person") or some body ("body"): ``span`` in the question, its
    ``head`` noun, and ``words``, the question's words after the determiner to the end of the clause (as written)."""

    span: tuple[int, int]
    head: str
    kind: str
    words: tuple[tuple[str, int, int], ...]  # (word, start, end) in the question
    at: int = 0  # the head's index in ``words`` (after its modifiers: "the *NHS England* chair who ...")

    def terms(self) -> list[str]:
        """The description's content terms; a generic head ("person", "body") says nothing."""
        out = []
        for word, _, _ in self.words:
            if word.lower() in _SOMEONE:
                continue
            out.extend(_word_terms(word))
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Resolution:
    """The name the documents give a description: ``sentence`` is the index of the sentence naming it, ``end`` the end
    of the description's words that sentence holds (in the question)."""

    description: Description
    name: str
    sentence: int
    end: int
    score: float
    post: bool = False  # the name is a post's title ("the Chair of the ICB"), said with its article


def descriptions(question: str) -> list[Description]:
    """The noun phrases of ``question`` describing a person or body by role, to be resolved to a name (pure)."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    out = []
    for i, (word, start, _) in enumerate(tokens):
        if word.lower() not in ("the", "its", "their") or i + 2 >= len(tokens):
            continue  # "an organisation running a deficit": any such, not one the documents name
        if i > 0 and tokens[i - 1][0].lower() in _PERSON_HEADS | _BODY_HEADS:
            continue  # "the person *the chancellor asked* ...": a clause about the noun before
        j = i + 1
        while (j < i + 4 and j + 2 < len(tokens) and tokens[j][0].lower() not in _PERSON_HEADS | _BODY_HEADS
               and re.match(r"[A-Za-z]", tokens[j][0]) and tokens[j][0].lower() not in STOPWORDS):
            j += 1  # "the *independent* panel that ...", "the *NHS England* chair who ..."
        head = tokens[j][0].lower()
        kind = "person" if head in _PERSON_HEADS else "body" if head in _BODY_HEADS else None
        if kind is None or not tokens[j][0][:1].islower():
            continue
        opener = tokens[j + 1][0]
        low = opener.lower()
        if not (low in ("who", "that", "which") or _passive(tokens, j + 1) or (low == "of" and head in _POSTS)
                or _participle(tokens, j + 1) or low == "in" and _charge(tokens, j + 1)):
            continue
        if i == 0 or tokens[i - 1][0] in ".!?:;":
            continue  # "The IFR team asked our consultant ...": a sentence's subject and its verb, no description
        if _ASKS_FOR.search(question[:start]):
            continue  # "Who is the person leading ...?": the name is the answer
        words = []
        for w, a, b in tokens[i + 1:]:
            if _END.match(question, a) or w in ".!":
                break
            words.append((w, a, b))
        if len(words) < 3:
            continue
        out.append(Description((start, words[-1][2]), head, kind, tuple(words), j - i - 1))
    return out


def _passive(tokens: Sequence[tuple[str, int, int]], k: int) -> bool:
    """A past participle saying what was done to the noun before ("the woman *asked to* oversee", "the panel *appointed
    by* the board"), not what it did ("the information the team *asked for*")."""
    after = tokens[k + 1][0].lower() if k + 1 < len(tokens) else ""
    return tokens[k][0].lower() in _PARTICIPLES and (after in ("to", "by", "as", "with") or tokens[k][0].lower() == "responsible")


def _participle(tokens: Sequence[tuple[str, int, int]], k: int) -> bool:
    """An -ing word opening a clause about the noun before ("the person *leading* the review"), not one naming a kind
    of it ("the agency *staffing* target"): an object follows it (a determiner or a name)."""
    word = tokens[k][0].lower()
    if not (word.endswith("ing") and len(word) > 5 and word not in _NOT_VERBS) or k + 1 >= len(tokens):
        return False
    after = tokens[k + 1][0]
    return after.lower() in ("the", "a", "an", "its", "their", "all", "any") or after[:1].isupper()


def _charge(tokens: Sequence[tuple[str, int, int]], k: int) -> bool:
    return k + 1 < len(tokens) and tokens[k + 1][0].lower() == "charge"


def names_in(sentence: str, kind: str) -> list[tuple[str, int, int]]:
    """The people (``kind`` "person") or bodies ("body") ``sentence`` names: ``(name, start, end)`` (pure).

    A person is two or more capitalised words after any post or honorific ("Chancellor Jeremy Hunt" names
    "Jeremy Hunt"), none of them a post's or body's word; a body is a capitalised run ending in a body's word
    ("IFR Panel", "NHS Business Service Authority"), or "NHS England".
    """
    out = []
    sentence = _ACRONYM_IN_BRACKETS.sub(lambda m: f" {m.group(1)} ", sentence)  # "request (IFR) Panel": "IFR Panel"
    for m in _CAP_RUN.finditer(sentence):
        words = [(w.group(0), m.start() + w.start(), m.start() + w.end()) for w in re.finditer(r"[\w’'&-]+", m.group(0))]
        start = m.start() == 0 or sentence[:m.start()].rstrip().endswith((".", "“", '"'))
        while words and (words[0][0].lower() in STOPWORDS or start and words[0][0].lower() in {"like", "now", "during"}):
            words = words[1:]  # "The ...", the sentence's first word: "Like Hunt, ..."
        if kind == "post":
            # "the Chair of the ICB", "the IFR Case Manager": a post's title, ending in a post's word or its "of <body>"
            if len(words) < 2 or not any(w.lower() in _POST_WORDS for w, _, _ in words) or not all(
                    w.lower() in TITLE_WORDS or w.isupper() or w.lower() in ("of", "and") for w, _, _ in words):
                continue
        elif kind == "person":
            while words and (words[0][0].lower() in TITLE_WORDS or words[0][0].lower() in _HONORIFICS
                             or words[0][0].lower() in _BEFORE_NAMES or words[0][0].isupper()):
                words = words[1:]
            if len(words) < 2 or any(w.lower() in TITLE_WORDS | NOT_PERSONS | _MONTHS or w.isupper() or w.lower() in STOPWORDS
                                     for w, _, _ in words):
                continue
        else:
            last = words[-1][0].lower() if words else ""
            whole = " ".join(w for w, _, _ in words)
            first = words[0][0].lower() if words else ""
            if len(words) < 2 or not (set(terms(last)) & _BODY_WORDS or whole.startswith("NHS ")
                                      or set(terms(first)) & _BODY_WORDS and words[1][0] in ("of", "for")):
                continue  # "the Panel": the kind, not a name; "Department of Health and Social Care" is one
        if words:
            out.append((" ".join(w for w, _, _ in words), words[0][1], words[-1][2]))
    return out


def resolve(description: Description, sentences: Sequence[str], idf: Callable[[str], float]) -> Resolution | None:
    """The name ``sentences`` give ``description`` (``descriptions``), or None when none is clearly it (pure).

    Each sentence naming someone (or some body) is read for the description up to the last of its words it holds
    (``_held_end``: the rest of the clause is the question's own); the description reaches as far as any sentence
    reads it. Each description word a sentence holds counts, by its idf, for the name nearest to it there. Summed
    over the sentences, the best name must take at least ``_SHARE`` of the description's weight, and ``_LEAD``
    times any other name's.
    """
    wanted = description.terms()
    if len(wanted) < 2:
        return None
    by_post = description.head in _SOMEONE - _ANY_BODY  # "the person who presides over ...": a post may be who
    posts: set[str] = set()
    readings: list[tuple[int, str, int, dict[str, float]]] = []  # (sentence, its text, end, name -> weight held)
    # people named in full somewhere, by family name: "Hewitt is ..." and "She ..." after it name them too
    people = {n.split()[-1]: n for sentence in sentences for n, _, _ in names_in(sentence, "person")} \
        if description.kind == "person" else {}
    for s, sentence in enumerate(sentences):
        found = names_in(sentence, description.kind)
        if people:
            found = sorted(found + mentions(sentence, people, sentences[s - 1] if s else "", found), key=lambda x: x[1])
        if by_post:
            held_posts = names_in(sentence, "post")
            posts.update(n for n, _, _ in held_posts)
            found = sorted(found + held_posts, key=lambda x: x[1])
        if not found:
            continue
        words = [(w.group(0), w.start(), w.end()) for w in re.finditer(r"[\w’'&-]+", sentence)]
        held: dict[str, list[int]] = {}  # a description term -> where (word index) the sentence holds it
        for k, (w, _, _) in enumerate(words):
            for t in _word_terms(w):
                if t in wanted:
                    held.setdefault(t, []).append(k)
        end, within = _held_end(description, set(held))
        spans = [(n, _word_at(words, a), _word_at(words, b - 1)) for n, a, b in found if _fits(description, n, wanted, n in posts)]
        if len(set(held) & set(within)) < 2 or not spans:
            continue
        scores = {n: 0.0 for n, _, _ in spans}
        for t, places in held.items():
            if t not in within:
                continue
            for k in places:
                near = min(spans, key=lambda x: (min(abs(k - x[1]), abs(k - x[2])), x[1]))
                gap = 0 if near[1] <= k <= near[2] else min(abs(k - near[1]), abs(k - near[2]))
                beside = t in terms(description.head) and gap <= 3  # "its chair, the Rt Hon Patricia Hewitt", "Mayor Jo Bloggs"
                far = 1.0 if gap <= _NEAR else 0.5  # a word far from any name in a long sentence says less of it
                scores[near[0]] += idf(t) * (2.0 if beside else far) / len(places)
        readings.append((s, sentence, end, scores))
    if not readings:
        return None
    extent = max(end for _, _, end, _ in readings)
    total = sum(idf(t) for t in dict.fromkeys(t for w, _, b in description.words if b <= extent for t in _word_terms(w)
                                             if t in wanted))
    if total <= 0:
        return None
    # a name (a person by family name) -> (shares summed, best share, its sentence, end)
    best: dict[str, tuple[float, float, int, int]] = {}
    full: dict[str, str] = {}
    for s, sentence, end, scores in readings:
        for n, v in scores.items():
            if v <= 0:
                continue
            key = n.split()[-1].lower() if description.kind == "person" and n not in posts else n.lower()
            share, top, first, last = best.get(key, (0.0, 0.0, s, end))
            # the sentence quoted for the name: the one holding most of the description, a lead-in ("... on:") last
            here = v / total * (0.5 if sentence.rstrip().endswith(":") else 1.0)
            best[key] = (share + v / total, max(top, here), first if top >= here else s, max(last, end))
            full.setdefault(key, n)
    if not best:
        return None
    # a name given in several sentences that hold the description is the more surely its holder: shares add up
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    (key, (share, _, s, end)), rest = ranked[0], ranked[1:]
    if share < _SHARE or (rest and share < _LEAD * rest[0][1][0]):
        return None
    return Resolution(description, full[key], s, end, share, full[key] in posts)


def mentions(sentence: str, people: dict[str, str], before: str, named: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The people of ``people`` (family name -> full name) ``sentence`` names other than in ``named`` (its full names): by
    family name alone ("Like Hunt, *Hewitt* is ..."), or by a pronoun standing for the subject last named in ``before``,
    the sentence before ("Hewitt is a former ... *She* is the Chair of ...") (pure)."""
    out = []
    for m in re.finditer(r"\b[A-Z][\w’'-]+\b(?![ \t]+[A-Z])", sentence):  # not "the Hewitt Review": a name of a thing
        if m.group(0) in people and not any(a <= m.start() < b for _, a, b in named):
            out.append((people[m.group(0)], m.start(), m.end()))
    if not out and not named and (pronoun := _PRONOUNS.search(sentence)):
        subject = _subject(before)
        if subject in people:
            out.append((people[subject], pronoun.start(), pronoun.end()))
    return out


def _subject(before: str) -> str:
    """The last capitalised word of ``before`` followed by a verb of which it is the subject ("Hewitt *is* ...")."""
    found = [m.group(1) for m in re.finditer(r"\b([A-Z][\w’'-]+)[ \t]+(\w+)", before[-400:]) if m.group(2).lower() in _SUBJECT_VERBS]
    return found[-1] if found else ""


def _fits(description: Description, name: str, wanted: Sequence[str], post: bool = False) -> bool:
    """Whether ``name`` may be what ``description`` describes: a person named without the description's words, a post
    whose own word is not the description's; a body of the kind its head says ("the panel that ...": a panel),
    unless the head says only "body"."""
    said = " ".join(w for w, _, _ in description.words).lower()
    if re.search(rf"\b{re.escape(name.lower())}\b", said):
        return False  # "the panel that checks whether *the IFR Panel* followed ...": the question names it, as another
    if post:
        return not {t for w in name.split() if w.lower() in _POST_WORDS for t in terms(w)} & set(wanted)
    if description.kind == "person":
        return not set(terms(name)) & set(wanted)
    if description.head in _ANY_BODY:
        # "the body that will absorb *NHS England*": what it acts on, not what it is ("the committee that sets
        # remuneration" may well be the Remuneration Committee: it says which kind it is)
        return not set(terms(name)) <= set(wanted)
    return description.head in _ANY_BODY or terms(name.split()[-1])[-1:] == terms(description.head)


def _word_terms(word: str) -> list[str]:
    """A sentence word's terms; an acronym's plural is the acronym ("ICSs": "ICS")."""
    if re.fullmatch(r"[A-Z]{2,6}s", word):
        word = word[:-1]
    return terms(word)


def _word_at(words: Sequence[tuple[str, int, int]], offset: int) -> int:
    return next((k for k, (_, a, b) in enumerate(words) if a <= offset < b), 0)


def _held_end(description: Description, held: set[str]) -> tuple[int, list[str]]:
    """Where the description ends for a sentence holding ``held`` of its terms, and its terms up to there: after
    the last word the sentence holds (the rest of the clause is the question's own: "the chair of the ICS review
    *health secretary*") before two content words in a row that it does not hold, and never before the word
    after the head."""
    words = description.words
    last, missed, verb_seen = min(description.at + 1, len(words) - 1), 0, False
    for k, (w, _, _) in enumerate(words):
        found = _word_terms(w)
        if k > description.at + 1 and not found and w.lower() not in _CONNECTORS and verb_seen:
            break  # "the woman leading the review *say* ...": the question's own verb ("that *will* absorb": not yet)
        verb_seen = verb_seen or (k > description.at and bool(found))
        if not found or w.lower() in _SOMEONE:
            continue
        if set(found) & held:
            last, missed = max(last, k), 0
        elif k <= description.at:
            continue  # the head, a modifier ("the NHS England chair"): the clause is what must be held
        else:
            missed += 1
            if missed > _GAP:
                break
    wanted = description.terms()
    within = [t for w, _, _ in words[:last + 1] for t in _word_terms(w) if t in wanted]
    return words[last][2], list(dict.fromkeys(within))


def rewritten(question: str, resolution: Resolution) -> str:
    """``question`` with the description replaced by the name ("When was Patricia Hewitt health secretary?") (pure)."""
    start = resolution.description.span[0]
    name = resolution.name if resolution.description.kind == "person" and not resolution.post else f"the {resolution.name}"
    return f"{question[:start]}{name}{question[resolution.end:]}"


@dataclass(frozen=True)
class Hop:
    """A question put with the name in place of its description: ``question``; ``sentence``, the index of the
    sentence naming it; ``asked``, the terms of the question outside the description (what is asked of the name);
    ``name`` and ``kind`` ("person" or "body")."""

    question: str
    sentence: int
    asked: frozenset[str]
    name: str = ""
    kind: str = "person"


def resolved(question: str, sentences: Sequence[str], idf: Callable[[str], float]) -> Hop | None:
    """``question`` with the first description ``sentences`` resolve put by its name (``rewritten``); None when the
    question describes no one, or no one clearly (pure)."""
    for description in descriptions(question):
        found = resolve(description, sentences, idf)
        if found is not None:
            rest = question[:description.span[0]] + " " + question[found.end:]
            kind = "body" if description.kind == "body" or found.post else "person"
            return Hop(rewritten(question, found), found.sentence, frozenset(_word_terms_all(rest)), found.name, kind)
    return None


def asks_of(hop: Hop, sentence: str, before: str = "") -> bool:
    """Whether ``sentence`` says something the question asks of the name: it is about the name (``about``) and holds
    one of the question's terms outside the description ("When was <the person leading ...> *born*?" is not
    answered by "Hewitt ... served between May 2005 and ...")."""
    asked = not hop.asked or bool(hop.asked & set(_word_terms_all(sentence)))  # "What can't <it> do?" asks nothing more
    return asked and about(hop, sentence, before)


# A name followed by one of these is a clause's subject ("Hewitt *is* a former ..."), which a pronoun after it stands for
_SUBJECT_VERBS = frozenset("is was has had will would said says added became becomes serves served will has".split())
_PRONOUNS = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)


def about(hop: Hop, sentence: str, before: str = "") -> bool:
    """Whether ``sentence`` is about the name ``hop`` put in the question: it says the name (a person's family name; a
    body's name, or its kind word: "the Panel"), or a person's pronoun there stands for the name, the subject last
    named in ``before`` (the text before the sentence) ("Hewitt is a former ... She is the Chair of ...") (pure)."""
    words = hop.name.split()
    if not words:
        return True
    if hop.kind == "body":  # its name, or its kind as a name ("the Panel"); "this committee" may be another
        return bool(re.search(rf"\b{re.escape(hop.name)}\b", sentence, re.I) or re.search(rf"\b{re.escape(words[-1])}\b", sentence))
    key = words[-1]
    if re.search(rf"\b{re.escape(key)}\b", sentence):
        return True
    if hop.kind != "person" or not _PRONOUNS.search(sentence):
        return False
    return _subject(before) == key


def _word_terms_all(text: str) -> list[str]:
    return [t for w in re.findall(r"[\w’'&-]+", text) for t in _word_terms(w)]
