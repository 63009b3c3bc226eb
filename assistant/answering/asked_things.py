"""The things a question names in several words, which what was retrieved must name (pure functions, no model).

A near-miss question is about the documents' topic but asks about a thing they never discuss: "What percentage of
staff got a *flu jab* in winter 2024/25?" over a paper on staff numbers, "What *starting salary* will internationally
recruited nurses be paid?" over a sentence on international recruitment, "Which segment is a *dental practice*
placed in ...?" over the provider segmentation rules. The nearest sentence is on topic and quoted, though it is about
another thing of the same kind. What gives it away: the question names the thing in two or more content words
("flu jab", "robotic surgery") and *none* of them occurs in anything retrieved (sentence, passage, titles, other
passages).

A run of content words is read from the asking word on ("what", "which", "how", ...), ended by punctuation, a
function word, a word holding a digit, or a participle or common verb after its first word (``noun_runs.starts_clause``); a run needs
two content words (one word is often a paraphrase: "payment" for "funding", "fraction" for "one in five"; two words
of which neither is anywhere retrieved name something the documents do not discuss). A verb glued to the thing is no
part of it: "a *trust running* a deficit" would make one paraphrased noun ("trust" for "provider") a two-word thing
the documents never name. A run that glues a less common verb or a name to the thing ("NHS England platform holds")
only has more words that may be found, so the check errs on the side of answering. Yes/no questions ("Will systems face
fewer data returns ...?") have no asking word and are left alone: their wording is the reader's own more often.

The words are looked for in the sentence's own document (what was retrieved of it), as figures are: a sentence
from a paper that never names robotic surgery does not say what was trialled with it, though another retrieved
document mentions surgical robots. A question that spans documents (a preamble, two questions in one, or a run
that a retrieved title holds: "the December 2024 *Board paper*") looks in everything retrieved
(``answerability.constrained``).

Example::

    >>> asked_things("What percentage of staff got a flu jab in winter 2024/25?", frozenset({"what", "got"}))
    [('flu jab', ('flu', 'jab'))]
"""

from __future__ import annotations

import re

from assistant.answering.noun_runs import starts_clause
from assistant.text.terms import STOPWORDS, terms

_WH = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
_TOKEN = re.compile(r"[\w&'’-]+|[^\w\s]")
MIN_WORDS = 2
_PREPOSITIONS = frozenset("in on for by of with without about after before from to into at through".split())
_ADVERBS = frozenset("together again instead already still also often always never ever now soon".split())
_NAMES_ONLY = re.compile(r"(?:\s*[A-Z][\w&-]*)*\s*")
# Words that count or stand in for what the documents name ("the *four things* ...", "can *someone* stay ...")
_SHELL = frozenset("""one two three four five six seven eight nine ten twelve several thing things way ways kind kinds type
    types sort person persons people someone somebody anyone anybody individual individuals""".split())
# Words that place a thing in order or time ("a *later* report", "the *next* review") rather than say what it is
_ORDER = frozenset("first second third last next later earlier previous prior original subsequent following final due".split())


def content_runs(text: str, skip: frozenset[str]) -> list[list[str]]:
    """Runs of content words in ``text``: words not in ``skip`` nor ``STOPWORDS``, without digits, with no
    punctuation between them; a possessive ends its run ("Hewitt's | review") (pure)."""
    runs: list[list[str]] = []
    run: list[str] = []
    previous = ""
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    for k, token in enumerate(tokens):
        word = re.sub(r"['’]s$", "", token).strip("'’-")
        low, after = word.lower(), previous
        previous = low
        if (not run and after in _PREPOSITIONS and low.endswith("ing")) or low in _ADVERBS:
            continue  # "in *bringing* councils": a gerund after a preposition is a verb; "*together*": an adverb
        # a past participle after a noun starts a clause about it ("a dental practice | placed in ..."), as an -ing
        # participle taking an object or a common verb does ("a trust | running a deficit", "a trust | goes into ...")
        following = tokens[k + 1] if k + 1 < len(tokens) and re.match(r"\w", tokens[k + 1]) else None
        ends = bool(run) and ((low.endswith("ed") and len(low) > 4) or starts_clause(low, following))
        if ends or not word or not re.match(r"\w", word) or low in skip or low in STOPWORDS or any(ch.isdigit() for ch in word):
            if run:
                runs.append(run)
            run = []
            continue
        run.append(word)
        if token.endswith(("'s", "’s")):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def asked_things(question: str, skip: frozenset[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each run of ``MIN_WORDS`` or more content words from the question's asking word on, as (its words, their
    stems); ``skip``: words that ask or narrow nothing (``constraints``' asking and generic words) (pure)."""
    asking = _WH.search(question)
    if not asking:
        return []
    out: list[tuple[str, tuple[str, ...]]] = []
    runs = content_runs(question[asking.start():], skip | _ORDER | _SHELL)
    if runs and asking.group(0).lower() == "which" and _NAMES_ONLY.fullmatch(
            question[asking.end():question.find(runs[0][0], asking.end())]):
        runs = runs[1:]  # "which (NHS England) <platform> ...": the asked type, ``asked_type`` checks it with kin ("system")
    for run in runs:
        words = [w for w in run if terms(w)]
        if len(words) >= MIN_WORDS:
            out.append((" ".join(run), tuple(dict.fromkeys(s for w in words for s in terms(w)))))
    return out


def names_title(stems: tuple[str, ...], titles: list[set[str]]) -> bool:
    """Whether an asked thing is a document's name: a title holds all its words ("the *Board paper*") (pure)."""
    return any(set(stems) <= title for title in titles)


def names_thing(stems: tuple[str, ...], found: set[str]) -> bool:
    """Whether any word of an asked thing is among ``found`` (the stems of what was retrieved) (pure)."""
    return bool(set(stems) & found)
