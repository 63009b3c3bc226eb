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
_PERSON_HEADS = frozenset("""person individual woman man someone official chair chairman chairwoman chancellor minister
    secretary director officer leader reviewer author signatory""".split())
# Nouns that stand for a body the documents call by name
_BODY_HEADS = frozenset("""body organisation organization group committee panel board team agency authority department
    regulator""".split())
# Posts: a description headed by one may be "the <post> of <X>" ("the chair of the ICS review")
_POSTS = frozenset("chair chairman chairwoman chancellor minister secretary director officer leader head".split())
# Past participles that open a description of someone by what was done to them ("the woman asked to oversee ...")
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
_SHARE = 0.5  # the best name holds at least this share of the description's weight (idf)
_LEAD = 1.5  # ... and this many times the next name's
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z]{2,6})\)")
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
            if word.lower() in _PERSON_HEADS - _POSTS or word.lower() in {"body", "organisation", "organization"}:
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


def descriptions(question: str) -> list[Description]:
    """The noun phrases of ``question`` describing a person or body by role, to be resolved to a name (pure)."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    out = []
    for i, (word, start, _) in enumerate(tokens):
        if word.lower() not in ("the", "a", "an", "its", "their") or i + 2 >= len(tokens):
            continue
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
        if not (low in ("who", "that", "which") or low in _PARTICIPLES or (low == "of" and head in _POSTS)
                or (low.endswith("ing") and len(low) > 5 and low not in _NOT_VERBS) or low == "in" and _charge(tokens, j + 1)):
            continue
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
        if m.start() == 0 or sentence[:m.start()].rstrip().endswith((".", "“", '"')):
            while words and (words[0][0].lower() in STOPWORDS or words[0][0].lower() in {"like", "now", "during"}):
                words = words[1:]  # the sentence's first word: "Like Hunt, ..."
        if kind == "person":
            while words and (words[0][0].lower() in TITLE_WORDS or words[0][0].lower() in _HONORIFICS
                             or words[0][0].lower() in _POSTS or words[0][0].isupper()):
                words = words[1:]
            if len(words) < 2 or any(w.lower() in TITLE_WORDS | NOT_PERSONS | _MONTHS or w.isupper() or w.lower() in STOPWORDS
                                     for w, _, _ in words):
                continue
        else:
            last = words[-1][0].lower() if words else ""
            whole = " ".join(w for w, _, _ in words)
            if len(words) < 2 or not (set(terms(last)) & _BODY_WORDS or whole == "NHS England"):
                continue  # "the Panel": the kind, not a name
        if words:
            out.append((" ".join(w for w, _, _ in words), words[0][1], words[-1][2]))
    return out


def resolve(description: Description, sentences: Sequence[str], idf: Callable[[str], float]) -> Resolution | None:
    """The name ``sentences`` give ``description`` (``descriptions``), or None when none is clearly it (pure).

    A sentence is read for the description up to the last of its words the sentence holds (the rest of the
    clause is the question's own); the name must take at least ``_SHARE`` of that weight, and ``_LEAD`` times
    any other name's.
    """
    wanted = description.terms()
    if len(wanted) < 2:
        return None
    # a name (a person by family name) -> (shares summed, best share, its sentence, end)
    best: dict[str, tuple[float, float, int, int]] = {}
    full: dict[str, str] = {}
    ends: dict[str, list[int]] = {}  # where the description ends, by each sentence holding it and naming the name
    for s, sentence in enumerate(sentences):
        found = names_in(sentence, description.kind)
        if not found:
            continue
        words = [(w.group(0), w.start(), w.end()) for w in re.finditer(r"[\w’'&-]+", sentence)]
        held: dict[str, list[int]] = {}  # a description term -> where (word index) the sentence holds it
        for k, (w, _, _) in enumerate(words):
            for t in _word_terms(w):
                if t in wanted:
                    held.setdefault(t, []).append(k)
        end, within = _held_end(description, set(held))
        weight = {t: idf(t) for t in within}
        total = sum(weight.values())
        if len(set(held) & set(within)) < 2 or total <= 0:
            continue
        spans = [(n, _word_at(words, a), _word_at(words, b - 1)) for n, a, b in found if _fits(description, n, wanted)]
        if not spans:
            continue
        scores = {n: 0.0 for n, _, _ in spans}
        for t, places in held.items():
            for k in places:
                near = min(spans, key=lambda x: (min(abs(k - x[1]), abs(k - x[2])), x[1]))
                gap = 0 if near[1] <= k <= near[2] else min(abs(k - near[1]), abs(k - near[2]))
                beside = t in terms(description.head) and gap <= 3  # "its chair, the Rt Hon Patricia Hewitt"
                scores[near[0]] += weight.get(t, 0.0) * (2.0 if beside else 1.0) / len(places)
        for n, v in scores.items():
            key = n.split()[-1].lower() if description.kind == "person" else n.lower()
            if v > 0:
                ends.setdefault(key, []).append(end)
            share, top, first, last = best.get(key, (0.0, 0.0, s, end))
            best[key] = (share + v / total, max(top, v / total), first if top >= v / total else s, max(last, end))
            full.setdefault(key, n)
    if not best:
        return None
    # a name given in several sentences that hold the description is the more surely its holder: shares add up
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    (key, (share, _, s, end)), rest = ranked[0], ranked[1:]
    if share < _SHARE or (rest and share < _LEAD * rest[0][1][0]):
        return None
    return Resolution(description, full[key], s, max(ends[key]), share)


def _fits(description: Description, name: str, wanted: Sequence[str]) -> bool:
    """Whether ``name`` may be what ``description`` describes: a person named without the description's words; a body
    of the kind its head says ("the panel that ...": a panel), unless the head says only "body"."""
    if description.kind == "person":
        return not set(terms(name)) & set(wanted)
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
    last, missed = min(description.at + 1, len(words) - 1), 0
    for k, (w, _, _) in enumerate(words):
        found = _word_terms(w)
        if k > description.at + 1 and not found and w.lower() not in _CONNECTORS:
            break  # "the woman leading the review *say* ...": the question's own verb
        if not found or w.lower() in _PERSON_HEADS - _POSTS:
            continue
        if set(found) & held:
            last, missed = max(last, k), 0
        elif k < description.at:
            continue  # a modifier ("the NHS England chair"): the clause is what must be held
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
    name = resolution.name if resolution.description.kind == "person" else f"the {resolution.name}"
    return f"{question[:start]}{name}{question[resolution.end:]}"


@dataclass(frozen=True)
class Hop:
    """A question put with the name in place of its description: ``question``; ``sentence``, the index of the
    sentence naming it; ``asked``, the terms of the question outside the description (what is asked of the name)."""

    question: str
    sentence: int
    asked: frozenset[str]


def resolved(question: str, sentences: Sequence[str], idf: Callable[[str], float]) -> Hop | None:
    """``question`` with the first description ``sentences`` resolve put by its name (``rewritten``); None when the
    question describes no one, or no one clearly (pure)."""
    for description in descriptions(question):
        found = resolve(description, sentences, idf)
        if found is not None:
            rest = question[:description.span[0]] + " " + question[found.end:]
            return Hop(rewritten(question, found), found.sentence, frozenset(_word_terms_all(rest)))
    return None


def asks_of(hop: Hop, sentence: str) -> bool:
    """Whether ``sentence`` says something the question asks of the name: one of its terms outside the description
    ("When was <the person leading ...> *born*?" is not answered by "Hewitt ... served between May 2005 and ...")."""
    return bool(hop.asked & set(_word_terms_all(sentence)))


def _word_terms_all(text: str) -> list[str]:
    return [t for w in re.findall(r"[\w’'&-]+", text) for t in _word_terms(w)]
